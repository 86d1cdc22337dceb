"""Letters to children: the share sent within the service's timescale, and the list of those not sent
past it. Reviews on Friday 23 August 2024, before the summer bank holiday on Monday 26 August: 20
working days later is Monday 23 September 2024 (27 to 30 August are 4, the three weeks of 2 to 20
September are 15, and 23 September the 20th), counted on a calendar."""

from __future__ import annotations

from typing import Any

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import Period
from iroscope.metrics.dashboard import build_dashboard
from iroscope.metrics.worklists import compute_worklist
from tests.metrics.helpers import D, child, compute, dataset, episode

FRIDAY = D(2024, 8, 23)
DEADLINE = D(2024, 9, 23)


def letter(child_id: str, **fields: Any) -> dict[str, Any]:
    return {"child_id": child_id, "review_date": FRIDAY, "letter": "Dear ...", **fields}


def authority(*, letters: bool = True) -> Dataset:
    """ON_TIME: sent on the deadline day. LATE: sent three days after. DRAFT: a draft. FINAL: final, not sent.
    NONE: no letter. ON_TIME's second review, on 20 March 2025, has its letter due in April: after the year."""
    ids = ["ON_TIME", "LATE", "DRAFT", "FINAL", "NONE"]
    return dataset(
        children=[child(child_id) for child_id in ids],
        episodes=[episode(child_id, D(2024, 8, 1)) for child_id in ids],
        reviews=[{"child_id": child_id, "review_date": FRIDAY, "participation": "PN1"} for child_id in ids]
        + [{"child_id": "ON_TIME", "review_date": D(2025, 3, 20), "participation": "PN1"}],
        review_letters=[
            letter("ON_TIME", finalised_date=D(2024, 9, 2), sent_date=DEADLINE),
            letter("LATE", finalised_date=D(2024, 9, 2), sent_date=D(2024, 9, 26)),
            letter("DRAFT"),
            letter("FINAL", finalised_date=D(2024, 9, 2)),
        ]
        if letters
        else [],
    )


def test_a_letter_sent_on_the_deadline_day_is_on_time_and_one_sent_later_is_not() -> None:
    figure = compute("letters_sent_on_time", authority())
    # Of the five August reviews (the March one's letter is not due until April): ON_TIME only.
    assert (figure.numerator, figure.denominator, figure.value) == (1, 5, 20.0)


def test_a_year_before_the_first_letter_was_recorded_has_no_figure_rather_than_none_sent() -> None:
    # A review in June 2023, before the service began writing letters; one in August 2024, with its letter.
    data = dataset(
        children=[child("A")],
        episodes=[episode("A", D(2023, 5, 1))],
        reviews=[
            {"child_id": "A", "review_date": D(2023, 6, 1), "participation": "PN1"},
            {"child_id": "A", "review_date": FRIDAY, "participation": "PN1"},
        ],
        review_letters=[letter("A", finalised_date=D(2024, 9, 2), sent_date=DEADLINE)],
    )
    before = compute("letters_sent_on_time", data, year=2023)
    assert (before.numerator, before.denominator, before.value) == (0, 0, None)
    after = compute("letters_sent_on_time", data, year=2024)
    assert (after.numerator, after.denominator, after.value) == (1, 1, 100.0)


def test_no_letter_is_on_the_list_on_the_deadline_day_itself() -> None:
    assert compute_worklist("letters_not_sent", authority(), DEADLINE).is_empty()


def test_the_day_after_the_deadline_the_list_shows_each_letter_not_sent_and_where_it_stands() -> None:
    rows = compute_worklist("letters_not_sent", authority(), D(2024, 9, 24))
    assert rows.select("child_id", "deadline", "letter_state", "working_days_since_review").rows() == [
        ("DRAFT", DEADLINE, "Draft", 21),
        ("FINAL", DEADLINE, "Final, not sent", 21),
        ("LATE", DEADLINE, "Final, not sent", 21),  # sent on the 26th: not yet on the 24th
        ("NONE", DEADLINE, "Not written", 21),
    ]


def test_a_letter_leaves_the_list_on_the_day_it_is_sent() -> None:
    rows = compute_worklist("letters_not_sent", authority(), D(2024, 9, 26))
    assert rows["child_id"].to_list() == ["DRAFT", "FINAL", "NONE"]


def test_a_service_that_records_no_letters_has_none_on_the_list_and_no_figure_on_the_dashboard() -> None:
    without = authority(letters=False)
    assert compute_worklist("letters_not_sent", without, D(2024, 9, 24)).is_empty()
    period = Period(D(2024, 4, 1), D(2025, 3, 31), "2024-25")
    assert "letters_sent_on_time" not in [line.kpi.id for line in build_dashboard(without, period).headlines]
    with_letters = build_dashboard(authority(), period).headlines
    (shown,) = [line for line in with_letters if line.kpi.id == "letters_sent_on_time"]
    assert (shown.figure.numerator, shown.figure.denominator) == (1, 5)
