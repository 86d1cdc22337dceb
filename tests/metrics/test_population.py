"""Children in care KPIs on a hand-made authority, 2024-25 (year end Monday 31 March 2025).

A  boy, 14 at the year end, in care since 2019 in the same foster home (inside the authority).
B  girl born 1 August 2024, in care from 1 September 2024 (4.3 miles away, outside the authority).
C  boy, UASC, in care from his 16th birthday (1 July 2024) until 15 January 2025 (left: E5).
D  girl, 10, in care since 2020: foster home until 10 June 2024, another until 1 October, then a
   children's home 28.3 miles away (three placements this year); missing once in November.
E  boy in care from 2023 until a special guardianship order on 1 December 2024 (E45).
F  a short break (V3) in May 2024: excluded from every figure.
"""

import pytest

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, child, compute, dataset, episode


@pytest.fixture(scope="module")
def authority() -> Dataset:
    return dataset(
        children=[
            child("A", sex="M", born=D(2010, 6, 1)),
            child("B", sex="F", born=D(2024, 8, 1), ethnicity="MWBC"),
            child("C", sex="M", born=D(2008, 7, 1), ethnicity="BAFR"),
            child("D", sex="F", born=D(2015, 3, 1)),
            child("E", sex="M", born=D(2012, 1, 1)),
            child("F", sex="M", born=D(2012, 1, 1)),
        ],
        episodes=[
            episode("A", D(2019, 1, 10)),
            episode(
                "B",
                D(2024, 9, 1),
                legal_status="C1",
                placement_type="U6",
                placement_provider="PR4",
                placement_postcode="DN36 5YQ",
            ),
            episode(
                "C",
                D(2024, 7, 1),
                end=D(2025, 1, 15),
                legal_status="V2",
                placement_type="K3",
                placement_provider="PR4",
                reason_ceased="E5",
            ),
            episode("D", D(2020, 2, 1), end=D(2024, 6, 10), reason_ceased="X1"),
            episode(
                "D",
                D(2024, 6, 10),
                end=D(2024, 10, 1),
                reason_new_episode="P",
                placement_type="U6",
                placement_provider="PR4",
                reason_ceased="X1",
            ),
            episode(
                "D",
                D(2024, 10, 1),
                reason_new_episode="P",
                placement_type="K2",
                placement_provider="PR4",
                placement_postcode="LN1 1AA",
            ),
            episode("E", D(2023, 1, 1), end=D(2024, 12, 1), legal_status="C1", reason_ceased="E45"),
            episode("F", D(2024, 5, 1), end=D(2024, 5, 3), legal_status="V3", reason_ceased="E4A"),
        ],
        uasc=[{"child_id": "C", "uasc_ceased": D(2026, 7, 1)}],
        missing=[{"child_id": "D", "missing_type": "M", "start_date": D(2024, 11, 1), "end_date": D(2024, 11, 2)}],
        population=[{"year": "2024-25", "population_0_17": 3000}],
    )


def test_children_in_care_at_the_year_end_and_during_it(authority: Dataset) -> None:
    assert compute("cic_at_period_end", authority).value == 3  # A, B, D
    assert compute("cic_in_period", authority).value == 5  # A to E; F's short break is excluded
    rate = compute("cic_rate_per_10k", authority)
    assert (rate.value, rate.numerator, rate.denominator) == (10.0, 3, 3000)  # 3 / 3,000 x 10,000


def test_starts_and_exits(authority: Dataset) -> None:
    assert compute("cic_started", authority).value == 2  # B and C
    assert compute("cic_ceased", authority).value == 2  # C and E
    assert compute("started_under_1", authority).value == 1  # B, one month old
    assert compute("started_16_plus", authority).value == 1  # C, on his 16th birthday
    reasons = compute("ceased_by_reason", authority).breakdown or {}
    assert {reason: n for reason, n in reasons.items() if n} == {
        "Moved into independent living with supportive accommodation": 1,
        "Special guardianship order to former foster carers who are relatives or friends": 1,
    }
    permanence = compute("ceased_to_permanence", authority)
    assert (permanence.value, permanence.numerator, permanence.denominator) == (50.0, 1, 2)  # E's SGO


def test_the_profile_at_the_year_end(authority: Dataset) -> None:
    ages = compute("cic_by_age_band", authority)
    assert ages.breakdown == {"Under 1": 1, "1 to 4": 0, "5 to 9": 0, "10 to 15": 2, "16 and over": 0}
    assert compute("cic_by_gender", authority).breakdown == {"Male": 1, "Female": 2}
    ethnicity = compute("cic_by_ethnicity", authority).breakdown or {}
    assert (ethnicity["White"], ethnicity["Mixed"], sum(ethnicity.values())) == (2, 1, 3)
    uasc = compute("cic_uasc", authority)
    assert (uasc.value, uasc.numerator, uasc.denominator) == (0.0, 0, 3)  # C had left by the year end
    statuses = compute("cic_by_legal_status", authority).breakdown or {}
    assert (statuses["Full care order"], statuses["Interim care order"]) == (2, 1)


def test_where_children_live(authority: Dataset) -> None:
    where = compute("cic_by_placement_type", authority)
    assert where.breakdown == {"Inside the authority": 1, "Outside the authority": 2}
    providers = compute("cic_by_placement_provider", authority).breakdown or {}
    assert (providers["Own local authority provision"], providers["Private provision"]) == (1, 2)
    far = compute("cic_placed_over_20_miles", authority)
    assert (far.value, far.numerator, far.denominator) == (33.3, 1, 3)  # D, 28.3 miles


def test_placement_stability(authority: Dataset) -> None:
    moves = compute("placement_moves_3plus", authority)
    assert (moves.value, moves.numerator, moves.denominator) == (33.3, 1, 3)  # D: three placements
    # Under 16 and in care for 2.5 years: A (since 2019) and D (since 2020). Only A has been in the
    # same home for 2 years.
    stable = compute("long_term_placement_stability", authority)
    assert (stable.value, stable.numerator, stable.denominator) == (50.0, 1, 2)


def test_missing_from_care(authority: Dataset) -> None:
    missing = compute("missing_in_period", authority)
    assert (missing.value, missing.numerator, missing.denominator) == (20.0, 1, 5)
    assert missing.breakdown == {"Missing (whereabouts unknown)": 1}
