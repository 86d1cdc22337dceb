"""Reviews stood down and why late reviews were late, on a hand-made 2024-25.

R1 in care from Monday 15 April 2024: first review due 14 May, held 13 May (on time); second due 13
August, held 20 August (late). Before that second review, a meeting on 1 August was adjourned (care
plan not ready) and one on 12 August stood down (change of social worker): the later one is the reason.
A meeting on 10 May, before the first review, belongs to that review, not the late one.
R2 in care from the same day: first review due 14 May, held 20 May (late), with no meeting recorded.
"""

from __future__ import annotations

import pytest

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, child, compute, dataset, episode


def meeting(child_id: str, day: object, outcome: str, reason: str) -> dict[str, object]:
    return {"child_id": child_id, "meeting_date": day, "outcome": outcome, "reason": reason}


@pytest.fixture(scope="module")
def year() -> Dataset:
    return dataset(
        children=[child("R1"), child("R2")],
        episodes=[episode("R1", D(2024, 4, 15)), episode("R2", D(2024, 4, 15))],
        reviews=[
            {"child_id": "R1", "review_date": D(2024, 5, 13), "participation": "PN1"},
            {"child_id": "R1", "review_date": D(2024, 8, 20), "participation": "PN1"},
            {"child_id": "R2", "review_date": D(2024, 5, 20), "participation": "PN1"},
        ],
        review_meetings=[
            meeting("R1", D(2024, 5, 10), "STOOD_DOWN", "VENUE_OR_WEATHER"),
            meeting("R1", D(2024, 8, 1), "ADJOURNED", "CARE_PLAN_NOT_READY"),
            meeting("R1", D(2024, 8, 12), "STOOD_DOWN", "SOCIAL_WORKER_CHANGE"),
        ],
    )


def test_meetings_stood_down_are_counted_by_their_reason_and_agree_with_the_adjourned_figure(year: Dataset) -> None:
    figure = compute("reviews_stood_down", year)
    assert figure.value == 2
    assert {reason: n for reason, n in (figure.breakdown or {}).items() if n} == {
        "Change of social worker": 1,
        "Venue or weather": 1,
    }
    assert compute("reviews_adjourned", year).details["stood_down"] == figure.value


def test_a_late_review_takes_the_reason_of_the_last_meeting_stood_down_or_adjourned_since_the_review_before(
    year: Dataset,
) -> None:
    figure = compute("late_reviews_by_reason", year)
    assert figure.value == 2 == compute("reviews_late_by_working_days", year).value
    assert {reason: n for reason, n in (figure.breakdown or {}).items() if n} == {
        "Change of social worker": 1,
        "No adjourned or stood-down meeting recorded": 1,
    }


def test_a_year_with_no_meetings_and_no_late_reviews_gives_zero() -> None:
    empty = dataset(children=[child("R1")], episodes=[episode("R1", D(2024, 4, 15))])
    assert compute("reviews_stood_down", empty).value == 0
    assert compute("late_reviews_by_reason", empty).value == 0
