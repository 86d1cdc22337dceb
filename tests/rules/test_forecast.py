"""The forecast's date rules: its months, and the reviews the regulation 33 cycle makes due for one child."""

from __future__ import annotations

import datetime as dt

from iroscope.rules.calendar import england_calendar
from iroscope.rules.forecast import ExpectedReview, entrant_reviews, forecast_months, months_between, reviews_after

D = dt.date


def test_a_forecast_from_mid_december_starts_the_next_day_and_runs_twelve_calendar_months() -> None:
    months = forecast_months(as_at=D(2026, 12, 6))
    assert (months[0].start, months[0].end, months[0].days) == (D(2026, 12, 7), D(2026, 12, 31), 25)
    assert [month.label for month in months[1:3]] == ["January 2027", "February 2027"]
    assert (months[-1].start, months[-1].end) == (D(2027, 11, 1), D(2027, 11, 30))
    assert months[1].middle == D(2027, 1, 16) and months[2].middle == D(2027, 2, 14)


def test_the_months_between_the_data_s_end_and_today_are_cut_to_today() -> None:
    months = months_between(after=D(2025, 3, 31), until=D(2025, 6, 10))
    assert [(month.start, month.end) for month in months] == [
        (D(2025, 4, 1), D(2025, 4, 30)),
        (D(2025, 5, 1), D(2025, 5, 31)),
        (D(2025, 6, 1), D(2025, 6, 10)),
    ]
    assert months_between(after=D(2025, 3, 31), until=D(2025, 3, 31)) == []


def test_a_child_coming_into_care_on_17_march_2025_has_reviews_due_14_april_14_july_and_14_january() -> None:
    """20 working days from Monday 17 March 2025 is Monday 14 April (Good Friday, 18 April, is after it)."""
    reviews = entrant_reviews(entry=D(2025, 3, 17), until=D(2026, 1, 31), lead_days=0, calendar=england_calendar())
    assert reviews == [
        ExpectedReview(1, D(2025, 4, 14), D(2025, 4, 14)),
        ExpectedReview(2, D(2025, 7, 14), D(2025, 7, 14)),
        ExpectedReview(3, D(2026, 1, 14), D(2026, 1, 14)),
        ExpectedReview(4, D(2026, 7, 14), D(2026, 7, 14)),  # the first after the end, for its midway review
    ]


def test_a_review_expected_early_moves_the_next_deadline_and_an_unknown_sequence_runs_every_six_months() -> None:
    reviews = reviews_after(
        held=D(2025, 1, 10), sequence=None, until=D(2025, 12, 31), lead_days=5, earliest=D(2025, 4, 1)
    )
    assert reviews == [
        ExpectedReview(None, D(2025, 7, 10), D(2025, 7, 5)),
        ExpectedReview(None, D(2026, 1, 5), D(2025, 12, 31)),
        ExpectedReview(None, D(2026, 6, 30), D(2026, 6, 25)),
    ]
