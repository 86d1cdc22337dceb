"""Staff continuity, IROs per child and sibling groups sharing an IRO, on a hand-made 2024-25.

S1 full time since 2015; S2 half time, joined 1 June 2024; S3 full time, left 30 September 2024.
C1 in care since 2023: S3 until 30 September 2024, then S1 (2 IROs). C2 in care since 2023: S1 all
along (1 IRO). C3 in care since 2023 with no allocation recorded. C4 left care in 2023 after S1 and S3
and came back on 1 January 2025 to S2: only S2 counts, from the current period of care (1 IRO).
Sibling groups on 31 March 2025: G1 (C1 and C2, both with S1) shares; G2 (C4 with S2 and C5 with S1)
does not; G3 (C3, no IRO, and C6, S1) has only one child allocated, so is not counted.
"""

from __future__ import annotations

from typing import Any

import pytest

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, child, compute, dataset, episode


def allocation(child_id: str, iro_id: str, start: object, end: object = None) -> dict[str, Any]:
    return {"child_id": child_id, "iro_id": iro_id, "start_date": start, "end_date": end}


@pytest.fixture(scope="module")
def year() -> Dataset:
    return dataset(
        children=[child(name) for name in ("C1", "C2", "C3", "C4", "C5", "C6")],
        episodes=[
            episode("C1", D(2023, 1, 2)),
            episode("C2", D(2023, 1, 2)),
            episode("C3", D(2023, 1, 2)),
            episode("C4", D(2022, 1, 3), end=D(2023, 6, 1), reason_ceased="E13"),
            episode("C4", D(2025, 1, 1)),
            episode("C5", D(2023, 1, 2)),
            episode("C6", D(2023, 1, 2)),
        ],
        iro_staff=[
            {"iro_id": "S1", "fte": 1.0, "start_date": D(2015, 1, 5)},
            {"iro_id": "S2", "fte": 0.5, "start_date": D(2024, 6, 1)},
            {"iro_id": "S3", "fte": 1.0, "start_date": D(2018, 1, 5), "end_date": D(2024, 9, 30)},
        ],
        iro_allocations=[
            allocation("C1", "S3", D(2023, 1, 2), D(2024, 9, 30)),
            allocation("C1", "S1", D(2024, 10, 1)),
            allocation("C2", "S1", D(2023, 1, 2)),
            allocation("C4", "S1", D(2022, 1, 3), D(2022, 12, 31)),
            allocation("C4", "S3", D(2023, 1, 1), D(2023, 6, 1)),
            allocation("C4", "S2", D(2025, 1, 1)),
            allocation("C5", "S1", D(2023, 1, 2)),
            allocation("C6", "S1", D(2023, 1, 2)),
        ],
        sibling_groups=[
            {"child_id": "C1", "sibling_group_id": "G1"},
            {"child_id": "C2", "sibling_group_id": "G1"},
            {"child_id": "C4", "sibling_group_id": "G2"},
            {"child_id": "C5", "sibling_group_id": "G2"},
            {"child_id": "C3", "sibling_group_id": "G3"},
            {"child_id": "C6", "sibling_group_id": "G3"},
        ],
    )


def test_iros_who_joined_and_left_in_the_year_are_counted_with_their_fte(year: Dataset) -> None:
    joined, left = compute("iro_starters", year), compute("iro_leavers", year)
    assert (joined.value, joined.details["fte"]) == (1, 0.5)
    assert (left.value, left.details["fte"]) == (1, 1.0)


def test_each_child_in_care_at_the_year_end_is_counted_by_the_iros_of_their_current_period_of_care(
    year: Dataset,
) -> None:
    figure = compute("iros_per_child", year)
    assert figure.value == 6
    assert {band: n for band, n in (figure.breakdown or {}).items() if n} == {
        "One IRO": 4,  # C2, C4 (S2 only, since coming back), C5, C6
        "Two IROs": 1,  # C1
        "No IRO allocation recorded": 1,  # C3
    }


def test_a_sibling_group_shares_an_iro_when_all_its_allocated_children_have_the_same_one(year: Dataset) -> None:
    figure = compute("sibling_groups_sharing_iro", year)
    assert (figure.numerator, figure.denominator) == (1, 2)  # G1 of G1 and G2; G3 has one child allocated
    assert figure.details["children"] == 4


def test_vacancies_are_the_funded_posts_less_the_fte_in_post_agency_included() -> None:
    data = dataset(
        iro_staff=[
            {"iro_id": "S1", "fte": 1.0, "start_date": D(2015, 1, 5), "agency": "N"},
            {"iro_id": "S2", "fte": 0.5, "start_date": D(2024, 6, 1), "agency": "Y"},
            {"iro_id": "S3", "fte": 1.0, "start_date": D(2018, 1, 5), "end_date": D(2024, 9, 30)},
        ],
        establishment=[{"year": "2024-25", "funded_fte": 3.0}],
    )
    figure = compute("iro_vacancies", data)
    assert figure.value == 1.5
    assert dict(figure.details) == {"funded": 3.0, "filled": 1.5, "agency_fte": 0.5}


def test_without_the_establishment_vacancies_are_not_known(year: Dataset) -> None:
    assert compute("iro_vacancies", year).value is None
