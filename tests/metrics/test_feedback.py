"""Feedback on the IRO service, collated by who gave it, on a hand-made 2024-25."""

from __future__ import annotations

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, compute, dataset


def feedback(number: int, who: str, rating: int, day: object = D(2024, 6, 1)) -> dict[str, object]:
    return {"feedback_id": f"F{number}", "feedback_date": day, "respondent": who, "rating": rating}


def year() -> Dataset:
    return dataset(
        feedback=[
            feedback(1, "CHILD", 5),
            feedback(2, "CHILD", 3),
            feedback(3, "PARENT", 4),
            feedback(4, "CARER", 2),
            feedback(5, "PROFESSIONAL", 5, D(2025, 3, 31)),
            feedback(6, "CHILD", 5, D(2024, 3, 31)),  # the year before: left out
        ]
    )


def test_feedback_given_in_the_year_is_counted_by_who_gave_it() -> None:
    figure = compute("feedback_received", year())
    assert figure.value == 5
    assert figure.breakdown == {"Child or young person": 2, "Parent": 1, "Carer": 1, "Professional": 1}


def test_ratings_of_4_or_5_are_good_or_excellent_overall_and_for_each_kind_of_person() -> None:
    figure = compute("feedback_rated_good", year())
    assert (figure.numerator, figure.denominator, figure.value) == (3, 5, 60.0)
    assert figure.details == {"good:CHILD": 1, "good:PARENT": 1, "good:CARER": 0, "good:PROFESSIONAL": 1}
