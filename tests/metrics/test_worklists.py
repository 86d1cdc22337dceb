"""Operational lists on one hand-made authority, seen at the end of Monday 3 March 2025.

The data is one 2024-25 return (it begins on 1 April 2024). "28 days ahead" ends on Monday 31 March
2025. Working days are England's: the bank holidays that matter are 25 and 26 December 2024, 1
January 2025, and early May (6 May 2024). Every date below was counted on a calendar.

The children (allocated IRO in brackets; I1 is Ann, I2 is Bea):
- IN (I1), aged 2: in care from Monday 2 December 2024; first review Tuesday 31 December (due 2
  January, 20 working days with Christmas, Boxing Day and New Year's Day out); the second is due 3
  months later, Monday 31 March 2025: 28 days ahead, so on the list. A review held on 10 March, after
  the as-at day, is not yet known.
- OUT (I2): in care from 1 May 2024, reviews 28 May and 1 October 2024; next due 1 April 2025, 29
  days ahead: not on the list.
- SOON (I1): in care from 1 May 2024, reviews 28 May and 30 September 2024; next due Sunday 30 March
  2025 (27 days). Leaves care on 20 March, which was not yet known on 3 March.
- OVER (I1): in care from 1 May 2024, first review 28 May; the second was due 28 August 2024 and was
  never held: 187 days and 130 working days overdue on 3 March 2025.
- TODAY (I2): in care from 2 December 2024, first review 3 December; the second is due on the as-at
  day itself: due, with 0 days to go (not overdue until the day has passed without it).
- UNKNOWN (I2): in care since before the data (first episode a placement change on 1 April 2024), no
  review in the data: certainly overdue, due date unknown (decision 0002).
- EDGE (I2): in care from Monday 6 January 2025, first review Monday 3 February (due that day).
- RECENT (I2): in care from Monday 27 January 2025, first review Tuesday 25 February (due Monday 24
  February: one working day late), chaired by I1.
- WEEK (I1): in care from Monday 3 February 2025, first review Friday 28 February (due 3 March).

Sibling groups: S1 is OVER (I1) and OUT (I2), split; S2 is IN and SOON, both I1's; S3 is TODAY and
EDGE (I2) with WEEK (I1), split; S4 is UNKNOWN and RECENT, both I2's.
"""

import datetime as dt
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook

from iroscope.data.dataset import Dataset
from iroscope.metrics.next_review import (
    DUE,
    OVERDUE,
    OVERDUE_DATE_UNKNOWN,
    midway_reviews_at,
    next_reviews_at,
)
from iroscope.metrics.worklists import (
    SIBLING_GROUPS_SPLIT,
    WorklistContext,
    all_worklists,
    compute_worklist,
    weekly_summary,
    write_weekly_workbook,
    write_worklist,
)
from tests.metrics.helpers import D, child, dataset, episode

AS_AT = D(2025, 3, 3)


def review(child_id: str, day: dt.date) -> dict[str, Any]:
    return {"child_id": child_id, "review_date": day, "participation": "PN1"}


def details(child_id: str, day: dt.date, **fields: Any) -> dict[str, Any]:
    """A review's activity record, its record and decisions sent the next day unless given."""
    following = day + dt.timedelta(days=1)
    return {
        "child_id": child_id,
        "review_date": day,
        "record_distributed_date": following,
        "decisions_date": following,
        **fields,
    }


def allocation(child_id: str, iro_id: str) -> dict[str, Any]:
    return {"child_id": child_id, "iro_id": iro_id, "start_date": D(2024, 4, 1)}


def contact(child_id: str, day: dt.date, kind: str = "VISIT", outcome: str = "COMPLETED") -> dict[str, Any]:
    return {"child_id": child_id, "contact_date": day, "kind": kind, "outcome": outcome, "method": "IN_PERSON"}


def dispute(dispute_id: str, child_id: str, iro_id: str, raised: dt.date, **fields: Any) -> dict[str, Any]:
    return {
        "dispute_id": dispute_id,
        "child_id": child_id,
        "iro_id": iro_id,
        "raised_date": raised,
        "category": "DRIFT_AND_DELAY",
        **fields,
    }


def stage(dispute_id: str, code: str, escalated: dt.date, responded: dt.date | None = None) -> dict[str, Any]:
    return {"dispute_id": dispute_id, "stage": code, "escalated_date": escalated, "response_date": responded}


@pytest.fixture(scope="module")
def authority() -> Dataset:
    held = {
        "IN": [D(2024, 12, 31), D(2025, 3, 10)],
        "OUT": [D(2024, 5, 28), D(2024, 10, 1)],
        "SOON": [D(2024, 5, 28), D(2024, 9, 30)],
        "OVER": [D(2024, 5, 28)],
        "TODAY": [D(2024, 12, 3)],
        "EDGE": [D(2025, 2, 3)],
        "RECENT": [D(2025, 2, 25)],
        "WEEK": [D(2025, 2, 28)],
    }
    outstanding: dict[tuple[str, dt.date], dict[str, Any]] = {
        (("IN", D(2024, 12, 31))): {"record_distributed_date": None, "decisions_date": None},
        (("EDGE", D(2025, 2, 3))): {"record_distributed_date": None, "decisions_date": D(2025, 2, 10)},
        (("RECENT", D(2025, 2, 25))): {
            "record_distributed_date": D(2025, 3, 5),  # after the as-at day: not yet distributed then
            "decisions_date": D(2025, 2, 27),
            "iro_id": "I1",
        },
    }
    return dataset(
        children=[
            child("IN", born=D(2022, 6, 1)),
            *(child(name) for name in ("OUT", "SOON", "OVER", "TODAY", "UNKNOWN", "EDGE", "RECENT", "WEEK")),
        ],
        episodes=[
            episode("IN", D(2024, 12, 2)),
            episode("OUT", D(2024, 5, 1)),
            episode("SOON", D(2024, 5, 1), end=D(2025, 3, 20), reason_ceased="E4A"),
            episode("OVER", D(2024, 5, 1)),
            episode("TODAY", D(2024, 12, 2)),
            episode("UNKNOWN", D(2024, 4, 1), reason_new_episode="P"),
            episode("EDGE", D(2025, 1, 6)),
            episode("RECENT", D(2025, 1, 27)),
            episode("WEEK", D(2025, 2, 3)),
        ],
        reviews=[review(name, day) for name, days in held.items() for day in days],
        review_details=[
            details(name, day, **outstanding.get((name, day), {})) for name, days in held.items() for day in days
        ],
        iro_staff=[
            {"iro_id": "I1", "name": "Ann", "fte": 1.0, "start_date": D(2020, 1, 1)},
            {"iro_id": "I2", "name": "Bea", "fte": 1.0, "start_date": D(2020, 1, 1)},
        ],
        iro_allocations=[
            *(allocation(name, "I1") for name in ("IN", "SOON", "OVER", "WEEK")),
            *(allocation(name, "I2") for name in ("OUT", "TODAY", "UNKNOWN", "EDGE", "RECENT")),
        ],
        midway_reviews=[
            {"child_id": "SOON", "midway_date": D(2024, 8, 1)},  # before its last review: does not count
            {"child_id": "OUT", "midway_date": D(2025, 1, 2)},
        ],
        iro_contacts=[
            contact("SOON", D(2024, 11, 1)),
            contact("OVER", D(2024, 6, 1)),
            contact("TODAY", D(2024, 12, 3)),  # the review day itself: before the window opens
            contact("TODAY", D(2025, 1, 10), outcome="FAILED"),
            contact("UNKNOWN", D(2024, 5, 5), kind="CONSULTATION"),
        ],
        disputes=[
            dispute("D1", "OVER", "I1", D(2025, 2, 17)),
            dispute("D2", "IN", "I1", D(2025, 2, 24)),
            dispute("D3", "SOON", "I2", D(2025, 2, 3)),
            dispute("D4", "OUT", "I2", D(2025, 2, 3), outcome="RESOLVED", resolved_date=D(2025, 2, 20)),
        ],
        dispute_stages=[
            stage("D1", "INFORMAL", D(2025, 2, 17)),
            stage("D2", "INFORMAL", D(2025, 2, 24)),
            stage("D3", "INFORMAL", D(2025, 2, 3), D(2025, 2, 7)),
            stage("D3", "STAGE_1", D(2025, 2, 10), D(2025, 2, 14)),
            stage("D4", "INFORMAL", D(2025, 2, 3)),
        ],
        case_tracking=[
            {"child_id": "OVER", "check_date": D(2025, 1, 30), "rag_level": "RED"},
            {"child_id": "SOON", "check_date": D(2025, 1, 1), "rag_level": "AMBER"},
            {"child_id": "OUT", "check_date": D(2024, 12, 1), "rag_level": "GREEN"},
        ],
        sibling_groups=[
            {"child_id": name, "sibling_group_id": group}
            for group, names in {
                "S1": ("OVER", "OUT"),
                "S2": ("IN", "SOON"),
                "S3": ("TODAY", "EDGE", "WEEK"),
                "S4": ("UNKNOWN", "RECENT"),
            }.items()
            for name in names
        ],
    )


def rows(
    name: str, data: Dataset, *, iro_id: str | None = None, columns: tuple[str, ...] = ()
) -> list[tuple[Any, ...]]:
    frame = compute_worklist(name, data, AS_AT, iro_id=iro_id)
    return list(frame.select(columns or frame.columns).iter_rows())


# -- the shared position of each child -----------------------------------------------------------------------
def test_each_child_in_care_has_one_next_review_seen_as_it_was_on_the_day(authority: Dataset) -> None:
    position = next_reviews_at(dataset=authority, as_at=AS_AT)
    by_child = {row["child_id"]: (row["due_date"], row["status"]) for row in position.iter_rows(named=True)}
    assert by_child == {
        "IN": (D(2025, 3, 31), DUE),  # the review held on 10 March is not yet known
        "OUT": (D(2025, 4, 1), DUE),
        "SOON": (D(2025, 3, 30), DUE),  # leaving care on 20 March is not yet known
        "OVER": (D(2024, 8, 28), OVERDUE),
        "TODAY": (D(2025, 3, 3), DUE),  # due today: still in time
        "UNKNOWN": (None, OVERDUE_DATE_UNKNOWN),
        "EDGE": (D(2025, 5, 3), DUE),
        "RECENT": (D(2025, 5, 25), DUE),
        "WEEK": (D(2025, 5, 28), DUE),
    }


def test_the_overdue_reviews_are_the_annual_reports_engine_less_those_due_that_day(authority: Dataset) -> None:
    from iroscope.metrics.context import MetricContext, Period

    engine = MetricContext(authority, Period(D(2024, 4, 1), AS_AT, "to 3 March")).overdue_at_end
    listed = compute_worklist("reviews_overdue", authority, AS_AT)
    # The report counts the position after 3 March, when TODAY's review is late; on 3 March it is not.
    assert sorted(engine["child_id"].to_list()) == ["OVER", "TODAY", "UNKNOWN"]
    assert sorted(listed["child_id"].to_list()) == ["OVER", "UNKNOWN"]


def test_a_midway_review_is_due_halfway_to_the_next_review_and_done_only_after_the_last(authority: Dataset) -> None:
    midways = midway_reviews_at(dataset=authority, as_at=AS_AT)
    by_child = {row[0]: row[1:] for row in midways.iter_rows()}
    # SOON: 30 September 2024 to 30 March 2025 is 181 days; half is 90.5, rounded to even 90: 29 December.
    assert by_child["SOON"] == (D(2024, 9, 30), D(2025, 3, 30), D(2024, 12, 29), None)
    # OUT: 1 October 2024 to 1 April 2025 is 182 days; 91 days on is 31 December; done 2 January.
    assert by_child["OUT"] == (D(2024, 10, 1), D(2025, 4, 1), D(2024, 12, 31), D(2025, 1, 2))
    # IN's next review is its second, 3 months after the first: no midway review.
    assert "IN" not in by_child


# -- the lists ----------------------------------------------------------------------------------------------------
def test_reviews_due_in_28_days_include_the_28th_day_and_not_the_29th(authority: Dataset) -> None:
    assert rows("reviews_due", authority) == [
        ("TODAY", "I2", "Bea", 2, D(2024, 12, 3), D(2025, 3, 3), 0),
        ("SOON", "I1", "Ann", 3, D(2024, 9, 30), D(2025, 3, 30), 27),
        ("IN", "I1", "Ann", 2, D(2024, 12, 31), D(2025, 3, 31), 28),
    ]


def test_reviews_overdue_longest_first_with_the_unknown_due_date_flagged_last(authority: Dataset) -> None:
    assert rows("reviews_overdue", authority) == [
        ("OVER", "I1", "Ann", 2, D(2024, 5, 28), D(2024, 8, 28), 187, 130, True),
        ("UNKNOWN", "I2", "Bea", None, None, None, None, None, False),
    ]


def test_a_list_filtered_by_iro_holds_only_that_iros_children(authority: Dataset) -> None:
    assert rows("reviews_overdue", authority, iro_id="I1", columns=("child_id",)) == [("OVER",)]
    assert rows("reviews_overdue", authority, iro_id="I2", columns=("child_id",)) == [("UNKNOWN",)]
    assert rows("reviews_overdue", authority, iro_id="NOBODY") == []


def test_midway_reviews_due_leave_out_those_done_and_children_whose_review_is_overdue(authority: Dataset) -> None:
    # 29 December 2024 to 3 March 2025 is 64 days.
    assert rows("midway_reviews_due", authority) == [
        ("SOON", "I1", "Ann", D(2024, 9, 30), D(2024, 12, 29), -64, D(2025, 3, 30))
    ]


def test_records_not_distributed_count_working_days_and_pass_the_deadline_at_its_end(authority: Dataset) -> None:
    assert rows("records_not_distributed", authority) == [
        # 20 working days after 31 December 2024 (1 January out) is 29 January; 62 days, 43 working days.
        ("IN", "I1", "Ann", D(2024, 12, 31), D(2025, 1, 29), 62, 43, True),
        # 20 working days after 3 February is 3 March, the as-at day: past once that day has ended.
        ("EDGE", "I2", "Bea", D(2025, 2, 3), D(2025, 3, 3), 28, 20, True),
        # Distributed on 5 March, after the as-at day; chaired by Ann though Bea is the allocated IRO.
        ("RECENT", "I1", "Ann", D(2025, 2, 25), D(2025, 3, 25), 6, 4, False),
    ]


def test_decisions_not_recorded_use_the_five_working_day_deadline(authority: Dataset) -> None:
    # 5 working days after 31 December 2024: 2, 3, 6, 7 and 8 January.
    assert rows("decisions_not_recorded", authority) == [
        ("IN", "I1", "Ann", D(2024, 12, 31), D(2025, 1, 8), 62, 43, True)
    ]


def test_disputes_past_their_stage_deadline_in_working_days(authority: Dataset) -> None:
    columns = ("dispute_id", "iro_id", "stage_name", "stage_deadline", "working_days_past", "stage_response_date")
    assert rows("disputes_past_deadline", authority, columns=columns) == [
        # Stage 1 from 10 February: 5 working days end on 17 February; 10 working days past by 3 March.
        # The manager answered on 14 February but the dispute has not moved on; Bea raised it.
        ("D3", "I2", "Stage 1", D(2025, 2, 17), 10, D(2025, 2, 14)),
        # Informal from 17 February: deadline 24 February; 25 to 28 February and 3 March are 5 working days.
        ("D1", "I1", "Informal resolution", D(2025, 2, 24), 5, None),
    ]
    # D2's deadline is 3 March itself (not yet passed); D4 is resolved.


def test_the_disputes_list_is_the_one_behind_the_reports_figure_for_the_same_day(authority: Dataset) -> None:
    from iroscope.metrics.context import MetricContext, Period
    from iroscope.metrics.registry import all_kpis

    figure = all_kpis()["disputes_open_past_timescale"].compute(MetricContext(authority, Period(AS_AT, AS_AT, "day")))
    assert figure.value == compute_worklist("disputes_past_deadline", authority, AS_AT).height == 2


def test_children_not_seen_since_their_last_review_with_their_review_coming_up(authority: Dataset) -> None:
    # SOON and OVER were visited after their last review; UNKNOWN had a consultation after coming into
    # care; IN is 2. TODAY was visited on the day of the last review only, and a later visit failed.
    assert rows("children_not_seen", authority) == [
        ("TODAY", "I2", "Bea", D(2024, 12, 3), D(2025, 3, 3), 0, D(2024, 12, 3))
    ]


def test_case_tracking_behind_its_rag_frequency_longest_overdue_first(authority: Dataset) -> None:
    assert rows("case_tracking_behind", authority) == [
        # Never checked: the longest interval (green, 92 days) from 1 April 2024 ended 2 July 2024.
        ("UNKNOWN", "I2", "Bea", None, None, D(2024, 7, 2), 244),
        # Red on 30 January 2025: 31 days on is 2 March.
        ("OVER", "I1", "Ann", "RED", D(2025, 1, 30), D(2025, 3, 2), 1),
    ]
    # OUT's green check on 1 December 2024 falls due on 3 March, the as-at day: not yet behind; IN, in
    # care from 2 December and never checked, is due 4 March.


def test_sibling_groups_split_across_iros_list_each_allocated_child_of_the_split_groups(authority: Dataset) -> None:
    # S1: OVER is Ann's and OUT Bea's; S3: TODAY and EDGE are Bea's, WEEK is Ann's. S2 (both Ann's) and
    # S4 (both Bea's) are whole.
    assert rows(SIBLING_GROUPS_SPLIT, authority) == [
        ("S1", "OUT", "I2", "Bea", 2),
        ("S1", "OVER", "I1", "Ann", 2),
        ("S3", "EDGE", "I2", "Bea", 2),
        ("S3", "TODAY", "I2", "Bea", 2),
        ("S3", "WEEK", "I1", "Ann", 2),
    ]
    assert rows(SIBLING_GROUPS_SPLIT, authority, iro_id="I1", columns=("child_id",)) == [("OVER",), ("WEEK",)]


def test_a_sibling_group_is_split_only_among_siblings_with_an_iro_on_the_day() -> None:
    # B's allocation to I2 ends on 2 March 2025, the day before: on 3 March only A (I1) and C (I1) have an
    # IRO, so the group is whole; on 2 March it was split three ways between two IROs.
    data = dataset(
        children=[child("A"), child("B"), child("C")],
        episodes=[episode(name, D(2024, 5, 1)) for name in ("A", "B", "C")],
        iro_staff=[
            {"iro_id": "I1", "name": "Ann", "fte": 1.0, "start_date": D(2020, 1, 1)},
            {"iro_id": "I2", "name": "Bea", "fte": 1.0, "start_date": D(2020, 1, 1)},
        ],
        iro_allocations=[
            allocation("A", "I1"),
            {**allocation("B", "I2"), "end_date": D(2025, 3, 2)},
            allocation("C", "I1"),
        ],
        sibling_groups=[{"child_id": name, "sibling_group_id": "S9"} for name in ("A", "B", "C")],
    )
    assert rows(SIBLING_GROUPS_SPLIT, data) == []
    earlier = compute_worklist(SIBLING_GROUPS_SPLIT, data, D(2025, 3, 2))
    assert earlier.select("child_id", "iro_id", "iros_in_group").rows() == [
        ("A", "I1", 2),
        ("B", "I2", 2),
        ("C", "I1", 2),
    ]


# -- the registry ----------------------------------------------------------------------------------------------
def test_every_list_is_registered_with_a_title_description_and_a_heading_for_each_column(authority: Dataset) -> None:
    lists = all_worklists()
    assert list(lists) == [
        "reviews_due",
        "reviews_overdue",
        "midway_reviews_due",
        "records_not_distributed",
        "decisions_not_recorded",
        "letters_not_sent",
        "disputes_past_deadline",
        "children_not_seen",
        "case_tracking_behind",
        "iro_not_allocated",
        SIBLING_GROUPS_SPLIT,
        "decisions_overdue",
    ]
    context = WorklistContext(authority, AS_AT)
    for name, entry in lists.items():
        assert len(entry.description) > 100, name
        assert len(entry.short_title) <= 31, name
        assert all(column.heading for column in entry.columns), name
        assert entry.rows(context).columns == [column.name for column in entry.columns], name
        assert {"child_id", "iro_id", "iro_name"} <= set(entry.headings), name


def test_an_unknown_list_is_refused_by_name(authority: Dataset) -> None:
    with pytest.raises(KeyError, match="'reviews_late' is not an operational list"):
        compute_worklist("reviews_late", authority, AS_AT)


# -- the weekly summary and the writers ----------------------------------------------------------------------
def test_the_weekly_summary_counts_each_list_and_the_weeks_reviews(authority: Dataset) -> None:
    summary = weekly_summary(authority, AS_AT)
    shown = {line.measure: line.shown for line in summary.lines}
    # Week 25 February to 3 March: WEEK's review on time (28 February, due 3 March), RECENT's late
    # (25 February, due 24 February).
    assert shown == {
        "Reviews held this week within timescale": "1 of 2",
        "Reviews held this week out of timescale": "1 of 2",
        "Reviews held this week whose due date the data cannot tell": "0",
        "Reviews due in the next 28 days": "3",
        "Reviews overdue": "2 of 9",
        "Midway reviews due": "1",
        "Records of review not yet distributed": "3",
        "Records of review not yet distributed: past the deadline": "2 of 3",
        "Decisions not yet recorded": "1",
        "Decisions not yet recorded: past the deadline": "1 of 1",
        "Letters to children not sent in time": "0",  # the authority records no letters here
        "Disputes past their stage deadline": "2",
        "Children not seen by their IRO before their next review": "1 of 4",
        "Case tracking behind its RAG frequency": "2 of 9",
        "Children in care without an IRO": "0 of 9",
        "Sibling groups split across IROs": "5 of 9",
        "Decisions overdue": "0",
    }


def test_the_weekly_summary_for_one_iro(authority: Dataset) -> None:
    summary = weekly_summary(authority, AS_AT, iro_id="I1")
    shown = {line.measure: line.shown for line in summary.lines}
    # WEEK is Ann's; RECENT is Bea's child but Ann chaired the review, so it counts as Ann's.
    assert shown["Reviews held this week within timescale"] == "1 of 2"
    assert shown["Reviews held this week out of timescale"] == "1 of 2"
    assert shown["Reviews overdue"] == "1 of 4"  # OVER, of IN, SOON, OVER and WEEK
    assert summary.lists["records_not_distributed"]["child_id"].to_list() == ["IN", "RECENT"]
    assert shown["Sibling groups split across IROs"] == "2 of 4"  # OVER and WEEK, of IN, SOON, OVER and WEEK


def test_the_weekly_workbook_has_a_counts_sheet_and_a_sheet_per_list(authority: Dataset, tmp_path: Any) -> None:
    path = write_weekly_workbook(weekly_summary(authority, AS_AT), tmp_path / "weekly.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Summary",
        "Reviews due",
        "Reviews overdue",
        "Midway reviews due",
        "Records not distributed",
        "Decisions not recorded",
        "Letters not sent",
        "Disputes past deadline",
        "Children not seen",
        "Case tracking behind",
        "Children without an IRO",
        "Sibling groups split",
        "Decisions overdue",
    ]
    counts = workbook["Summary"]
    assert [cell.value for cell in counts[1]] == ["Measure", "Shown as", "Number", "Of", "Of what"]
    assert all(cell.font.bold for cell in counts[1])
    assert counts.freeze_panes == "A2"
    assert [cell.value for cell in counts[6]] == ["Reviews overdue", "2 of 9", 2, 9, "children in care"]
    # a line per list, so the note under them moves down one row for each list added
    assert counts.cell(row=20, column=1).value == (
        "At the end of 3 March 2025; the week is 25 February 2025 to 3 March 2025; every IRO."
    )
    overdue = workbook["Reviews overdue"]
    assert [cell.value for cell in overdue[1]] == [
        "Child",
        "IRO",
        "IRO name",
        "Review number",
        "Last review",
        "Was due by",
        "Days overdue",
        "Working days overdue",
        "Due date known",
    ]
    assert [cell.value for cell in overdue[2]] == [
        "OVER",
        "I1",
        "Ann",
        2,
        dt.datetime(2024, 5, 28),
        dt.datetime(2024, 8, 28),
        187,
        130,
        "Yes",
    ]
    assert overdue["F2"].number_format == "d mmmm yyyy"
    assert overdue["I3"].value == "No"
    assert overdue.freeze_panes == "A2"
    assert overdue.column_dimensions["A"].width == 9  # "UNKNOWN" plus two, over the minimum of 8
    assert overdue.max_row == 3


def test_one_list_as_csv_with_its_headings(authority: Dataset, tmp_path: Any) -> None:
    entry = all_worklists()["records_not_distributed"]
    frame = compute_worklist("records_not_distributed", authority, AS_AT)
    path = write_worklist(entry, frame, tmp_path / "records.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "Child,IRO,IRO name,Review held,Deadline,Days since the review,Working days since the review,Past the deadline"
    )
    assert lines[1] == "IN,I1,Ann,2024-12-31,2025-01-29,62,43,Yes"
    assert len(lines) == 4
    sheet = load_workbook(write_worklist(entry, frame, tmp_path / "records.xlsx"))["Records not distributed"]
    assert sheet["D3"].value == dt.datetime(2025, 2, 3)
    assert sheet["H4"].value == "No"


def test_lists_are_empty_frames_with_their_columns_when_nothing_is_due() -> None:
    # A comes into care after the as-at day: nobody is in care on it.
    data = dataset(children=[child("A")], episodes=[episode("A", D(2025, 3, 4))])
    for name, entry in all_worklists().items():
        frame = compute_worklist(name, data, AS_AT)
        assert frame.is_empty(), name
        assert frame.columns == [column.name for column in entry.columns]
    assert isinstance(weekly_summary(data, AS_AT).counts_frame(), pl.DataFrame)


def test_a_child_in_care_without_an_iro_is_listed_once_the_fifth_working_day_has_passed() -> None:
    # Came into care on Thursday 22 August 2024: the fifth working day, past the bank holiday of
    # Monday 26 August, is Friday 30 August. B's IRO came on Monday 2 September; C's never did.
    data = dataset(
        children=[child(child_id) for child_id in "BC"],
        episodes=[episode("B", D(2024, 8, 22)), episode("C", D(2024, 8, 22))],
        iro_allocations=[{"child_id": "B", "iro_id": "I1", "start_date": D(2024, 9, 2)}],
    )
    assert compute_worklist("iro_not_allocated", data, D(2024, 8, 30)).height == 0  # due that day: not yet late
    on_saturday = compute_worklist("iro_not_allocated", data, D(2024, 8, 31))
    assert on_saturday.select("child_id", "allocation_due_date", "working_days_overdue").rows() == [
        ("B", D(2024, 8, 30), 0),
        ("C", D(2024, 8, 30), 0),
    ]
    on_tuesday = compute_worklist("iro_not_allocated", data, D(2024, 9, 3))
    assert on_tuesday.select("child_id", "period_start", "working_days_overdue").rows() == [("C", D(2024, 8, 22), 2)]
