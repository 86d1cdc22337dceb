"""Why children did not attend, children who chaired their review, parents and carers, and agency IROs,
on a hand-made 2024-25 from the optional fields of the review details and the IRO staff."""

from __future__ import annotations

from typing import Any

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, child, compute, dataset, episode

# V1 (aged 12) has four reviews: PN1 and chaired; PN7 chose not to attend; PN6 with no reason recorded;
# PN5 limited understanding. V2 (aged 2) has one review, PN0: under 4, not asked to chair.
REVIEWS = [
    ("V1", D(2024, 5, 1), "PN1", {"child_chaired": "Y", "parents_participated": "Y", "carers_participated": "Y"}),
    ("V1", D(2024, 8, 1), "PN7", {"non_attendance_reason": "CHOSE_NOT_TO", "child_chaired": "N"}),
    ("V1", D(2024, 11, 1), "PN6", {"child_chaired": "N", "parents_participated": "N", "carers_participated": "Y"}),
    ("V1", D(2025, 2, 1), "PN5", {"non_attendance_reason": "LIMITED_UNDERSTANDING", "parents_participated": "N"}),
    ("V2", D(2024, 6, 1), "PN0", {"child_chaired": "N", "parents_participated": "Y"}),
]


def year(iro_staff: list[dict[str, Any]] | None = None) -> Dataset:
    return dataset(
        children=[child("V1"), child("V2", born=D(2022, 3, 1))],
        episodes=[episode("V1", D(2024, 4, 2)), episode("V2", D(2024, 4, 2))],
        reviews=[{"child_id": c, "review_date": day, "participation": code} for c, day, code, _ in REVIEWS],
        review_details=[{"child_id": c, "review_date": day, **fields} for c, day, _, fields in REVIEWS],
        iro_staff=iro_staff or [],
    )


def test_reviews_the_child_did_not_attend_are_counted_by_why_with_under_4s_apart() -> None:
    figure = compute("non_attendance_reasons", year())
    assert figure.value == 4
    assert {why: n for why, n in (figure.breakdown or {}).items() if n} == {
        "Under 4 at the time of the review": 1,
        "Chose not to attend": 1,
        "Limited understanding of the review (age or disability)": 1,
        "Not recorded": 1,
    }


def test_chairing_counts_reviews_of_children_aged_4_or_over_where_it_was_recorded() -> None:
    figure = compute("child_chaired_reviews", year())
    assert (figure.numerator, figure.denominator) == (1, 3)  # the PN5 review left it blank; V2 is under 4
    assert figure.details == {"not_recorded": 1}


def test_parents_and_carers_are_counted_of_the_reviews_where_it_was_recorded() -> None:
    parents, carers = compute("parents_participated", year()), compute("carers_participated", year())
    assert (parents.numerator, parents.denominator, parents.details["not_recorded"]) == (2, 4, 1)
    assert (carers.numerator, carers.denominator, carers.details["not_recorded"]) == (2, 2, 3)


def test_a_service_that_records_none_of_it_shows_nothing_rather_than_none() -> None:
    bare = dataset(
        children=[child("V1")],
        episodes=[episode("V1", D(2024, 4, 2))],
        reviews=[{"child_id": "V1", "review_date": D(2024, 5, 1), "participation": "PN1"}],
    )
    assert compute("child_chaired_reviews", bare).value is None
    assert compute("parents_participated", bare).value is None


def test_agency_iros_are_counted_of_those_in_post_whose_employment_is_recorded() -> None:
    staff = [
        {"iro_id": "A1", "fte": 1.0, "start_date": D(2020, 1, 6), "agency": "Y"},
        {"iro_id": "A2", "fte": 0.5, "start_date": D(2020, 1, 6), "agency": "N"},
        {"iro_id": "A3", "fte": 1.0, "start_date": D(2020, 1, 6)},
        {"iro_id": "A4", "fte": 1.0, "start_date": D(2020, 1, 6), "end_date": D(2024, 6, 30), "agency": "Y"},
    ]
    figure = compute("agency_iros", year(iro_staff=staff))
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.details == {"fte": 1.0, "not_recorded": 1}
