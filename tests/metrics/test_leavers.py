"""Care leavers' pathway plan reviews chaired by the IRO service, on a hand-made 2024-25.

L1 (left care in 2019, not in the Header): chaired on 6 May 2024, due 10 May (on time), and on
4 November 2024, due 1 November (late). L2: chaired on 3 February 2025 with no due date; not chaired on
3 June 2024; chaired by whom not recorded on 3 July 2024. L3: chaired on 2 February 2024, before the year.
"""

from __future__ import annotations

from typing import Any

import pytest

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, compute, dataset


def review(child_id: str, held: object, chaired: str | None, due: object = None) -> dict[str, Any]:
    return {"child_id": child_id, "review_date": held, "chaired_by_iro_service": chaired, "due_date": due}


@pytest.fixture(scope="module")
def year() -> Dataset:
    return dataset(
        pathway_plan_reviews=[
            review("L1", D(2024, 5, 6), "Y", D(2024, 5, 10)),
            review("L1", D(2024, 11, 4), "Y", D(2024, 11, 1)),
            review("L2", D(2025, 2, 3), "Y"),
            review("L2", D(2024, 6, 3), "N"),
            review("L2", D(2024, 7, 3), None),
            review("L3", D(2024, 2, 2), "Y", D(2024, 2, 2)),
        ]
    )


def test_reviews_chaired_by_the_service_are_counted_of_those_where_the_chair_was_recorded(year: Dataset) -> None:
    figure = compute("pathway_plan_reviews_chaired", year)
    assert (figure.numerator, figure.denominator, figure.value) == (3, 4, 75.0)
    assert figure.details["not_recorded"] == 1


def test_a_chaired_review_is_on_time_when_held_by_its_due_date(year: Dataset) -> None:
    figure = compute("pathway_plan_reviews_on_time", year)
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.details["due_date_unknown"] == 1


def test_with_no_pathway_plan_reviews_there_is_nothing_to_divide_by() -> None:
    figure = compute("pathway_plan_reviews_chaired", dataset())
    assert (figure.value, figure.denominator) == (None, 0)
