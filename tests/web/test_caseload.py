from __future__ import annotations

import dataclasses

import polars as pl
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.rules.calendar import england_calendar
from iroscope.rules.schedule import first_review_due, next_review_due
from iroscope.synth.generator import SynthConfig, generate
from iroscope.web.casework.selectors import ReviewState, _child_facts, caseload_for_iro, child_record
from tests.metrics.helpers import D, child, episode, table
from tests.web.conftest import AS_AT, hand_made_authority


def test_the_caseload_lists_overdue_reviews_first_with_the_engines_due_dates() -> None:
    caseload = caseload_for_iro(iro_id="I1", today=AS_AT, dataset=hand_made_authority())
    assert caseload.as_at == AS_AT  # the last day of the data, and today here
    assert [row.child_id for row in caseload.rows] == ["C", "A", "B"]
    c, a, b = (row.next_review for row in caseload.rows)
    assert c.due_date == next_review_due(previous_review=D(2024, 6, 20), previous_sequence=1)
    assert a.due_date == next_review_due(previous_review=D(2024, 8, 15), previous_sequence=2)
    assert b.due_date == first_review_due(period_start=D(2025, 3, 10), calendar=england_calendar())
    assert (c.state, a.state, b.state) == (ReviewState.OVERDUE, ReviewState.OVERDUE, ReviewState.DUE)
    assert a.days_to_go == (a.due_date - AS_AT).days < 0 < b.days_to_go == (b.due_date - AS_AT).days  # type: ignore[operator]


def test_sorting_by_child_still_puts_overdue_reviews_first() -> None:
    caseload = caseload_for_iro(iro_id="I1", today=AS_AT, sort="child", dataset=hand_made_authority())
    assert [row.child_id for row in caseload.rows] == ["A", "C", "B"]


def test_the_caseload_page_shows_the_iros_own_children_overdue_first(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["allocated_iro"].get("/caseload/").content.decode()
    assert page.index('data-child="C"') < page.index('data-child="A"') < page.index('data-child="B"')
    assert 'data-child="D"' not in page
    assert "15 February 2025" in page  # A: 6 months after 15 August 2024
    assert "2 with a review overdue" in page
    assert page.count("Not booked") == 3  # nothing is booked in the hand-made authority


def test_the_child_record_shows_each_review_with_its_due_date_and_timeliness(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["allocated_iro"].get("/children/A/").content.decode()
    assert "20 May 2024" in page and "15 August 2024" in page
    assert "First IRO" in page and "(you)" in page
    assert "(you)" not in signed_in["colleague_iro"].get("/children/A/").content.decode()


def test_the_caseload_shows_midway_reviews_visits_tracking_and_open_disputes() -> None:
    from tests.metrics.helpers import table

    data = hand_made_authority()
    extra = {
        # A's 2nd review was 15 August 2024, so the 3rd is due 15 February 2025 and the midway review
        # halfway: 184 days later / 2 = 92 days after 15 August, 15 November 2024. Not done.
        "iro_contacts": table(
            "iro_contacts",
            [
                {"child_id": "A", "contact_date": D(2025, 1, 6), "kind": "VISIT", "outcome": "COMPLETED"},
                {"child_id": "A", "contact_date": D(2025, 2, 3), "kind": "VISIT", "outcome": "FAILED"},
            ],
        ),
        "case_tracking": table(
            "case_tracking",
            [
                {"child_id": "A", "check_date": D(2024, 10, 1), "rag_level": "GREEN"},
                {"child_id": "A", "check_date": D(2025, 1, 10), "rag_level": "RED"},
            ],
        ),
        "disputes": table(
            "disputes",
            [
                {"dispute_id": "X1", "child_id": "A", "raised_date": D(2025, 1, 2), "category": "DRIFT_AND_DELAY"},
                {
                    "dispute_id": "X2",
                    "child_id": "A",
                    "raised_date": D(2024, 9, 2),
                    "category": "PLACEMENT",
                    "resolved_date": D(2024, 9, 20),
                },
            ],
        ),
    }
    data = Dataset(
        tables={**data.tables, **extra}, years=data.years, practice=data.practice, authority_code=data.authority_code
    )
    rows = {row.child_id: row for row in caseload_for_iro(iro_id="I1", today=AS_AT, dataset=data).rows}
    a = rows["A"]
    assert a.midway is not None and (a.midway.due, a.midway.completed) == (D(2024, 11, 15), None)
    assert (a.last_visit, a.rag_level, a.open_disputes) == (D(2025, 1, 6), "RED", 1)  # the failed visit is not one
    # C's next review is its second: no midway review falls before it.
    assert rows["C"].midway is None and rows["C"].last_visit is None and rows["C"].open_disputes == 0


def test_a_review_due_today_is_due_on_the_caseload_the_child_record_and_the_lists_and_overdue_the_day_after() -> None:
    from iroscope.metrics.worklists import compute_worklist
    from iroscope.web.casework.selectors import child_record

    data = hand_made_authority()
    # C's first review was on 20 June 2024: the second is due 3 months later, on 20 September 2024.
    due_day, day_after = D(2024, 9, 20), D(2024, 9, 21)
    on_the_day = {
        row.child_id: row.next_review for row in caseload_for_iro(iro_id="I1", today=due_day, dataset=data).rows
    }
    assert (on_the_day["C"].due_date, on_the_day["C"].state, on_the_day["C"].days_to_go) == (
        due_day,
        ReviewState.DUE,
        0,
    )
    assert child_record(child_id="C", today=due_day, dataset=data).next_review == on_the_day["C"]
    due_list = compute_worklist("reviews_due", data, due_day)
    assert due_list.filter(due_list["child_id"] == "C")[["due_date", "days_to_go"]].row(0) == (due_day, 0)
    assert "C" not in compute_worklist("reviews_overdue", data, due_day)["child_id"].to_list()
    after = {row.child_id: row.next_review for row in caseload_for_iro(iro_id="I1", today=day_after, dataset=data).rows}
    assert (after["C"].state, after["C"].days_overdue) == (ReviewState.OVERDUE, 1)
    assert "C" in compute_worklist("reviews_overdue", data, day_after)["child_id"].to_list()


def test_the_caseload_says_which_next_reviews_are_booked() -> None:
    """B's first review is due 7 April 2025 and booked for 4 April. C's booking for 1 June 2024 came
    before the review C had on 20 June, so it is not a booking still to be held. A's booking made on 1
    August 2024 for 30 August was for the review held sooner, on 15 August: A's next is the one booked
    that day for 14 February 2025."""
    data = hand_made_authority()
    data.tables["scheduled_reviews"] = table(
        "scheduled_reviews",
        [
            {"child_id": "B", "scheduled_date": D(2025, 4, 4), "booked_date": D(2025, 3, 12)},
            {"child_id": "C", "scheduled_date": D(2024, 6, 1), "booked_date": D(2024, 5, 1)},
            {"child_id": "A", "scheduled_date": D(2024, 8, 30), "booked_date": D(2024, 8, 1)},
            {"child_id": "A", "scheduled_date": D(2025, 2, 14), "booked_date": D(2024, 8, 15)},
        ],
    )
    caseload = caseload_for_iro(iro_id="I1", today=AS_AT, dataset=Dataset(tables=data.tables, years=data.years))
    booked = {row.child_id: row.booked_for for row in caseload.rows}
    assert booked == {"C": None, "A": D(2025, 2, 14), "B": D(2025, 4, 4)}


def test_a_child_s_facts_taken_from_their_record_are_those_a_write_is_checked_against() -> None:
    """The child's page and the recording forms take the facts from the child's record; a write reads
    them afresh (`child_facts` without a snapshot). Both must agree for every child: several periods of
    care, short breaks, a change of IRO."""
    today = D(2026, 5, 1)
    synthetic = generate(SynthConfig(children=80, years=2, seed=4), today=today)
    short_breaks = [
        episode("SB", D(2025, 6, 2), end=D(2025, 6, 6), reason_ceased="E8", legal_status="V3"),
        episode("SB", D(2025, 9, 1), legal_status="V3"),
    ]
    authority = dataclasses.replace(
        synthetic,
        tables={
            **synthetic.tables,
            "children": pl.concat([synthetic["children"], table("children", [child("SB")])], how="diagonal_relaxed"),
            "episodes": pl.concat([synthetic["episodes"], table("episodes", short_breaks)], how="diagonal_relaxed"),
        },
    )
    facts = []
    for child_id in authority["children"]["child_id"].to_list():
        from_record = child_record(child_id=child_id, today=today, dataset=authority).facts
        assert from_record == _child_facts(child_id=child_id, today=today, dataset=authority), child_id
        facts.append(from_record)
    assert any(len(fact.periods) > 1 for fact in facts)
    assert any(short_break for fact in facts for _, _, short_break in fact.periods)
    assert len({fact.allocated_iro_id for fact in facts}) > 2
