"""The IRO service KPIs on tiny hand-made 2024-25 years (1 April 2024 to 31 March 2025).

The team at 31 March 2025:
I1 full time since 2015, female, White British, also chairs child protection conferences.
I2 0.6 FTE since 2020, female, Black African.
I3 full time from 2018, left on 30 September 2024 (mid-year): not in post at the end.
I4 full time from 1 April 2024, male, ethnicity not recorded, leaving on 31 March 2025: in post on the last day.
I5 starts on 1 April 2025: not yet in post.
"""

from typing import Any

import pytest

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import REGISTRY, Unit, all_kpis
from iroscope.rules.practice import LocalPractice
from tests.metrics.helpers import YEAR, D, child, compute, dataset, episode

TEAM_KPIS = ["iro_fte", "caseload_per_iro", "iro_continuity", "iro_allocated_in_time", "iro_team_profile"]

STAFF = [
    {
        "iro_id": "I1",
        "fte": 1.0,
        "start_date": D(2015, 1, 5),
        "gender": "FEMALE",
        "ethnicity": "WBRI",
        "dual_role": "Y",
    },
    {
        "iro_id": "I2",
        "fte": 0.6,
        "start_date": D(2020, 2, 3),
        "gender": "FEMALE",
        "ethnicity": "BAFR",
        "dual_role": "N",
    },
    {"iro_id": "I3", "fte": 1.0, "start_date": D(2018, 4, 3), "end_date": D(2024, 9, 30), "gender": "MALE"},
    {"iro_id": "I4", "fte": 1.0, "start_date": D(2024, 4, 1), "end_date": D(2025, 3, 31), "gender": "MALE"},
    {"iro_id": "I5", "fte": 1.0, "start_date": D(2025, 4, 1), "gender": "FEMALE", "ethnicity": "WBRI"},
]


def allocation(child_id: str, iro_id: str, start: object, end: object = None) -> dict[str, Any]:
    return {"child_id": child_id, "iro_id": iro_id, "start_date": start, "end_date": end}


def test_every_team_kpi_is_registered_with_a_definition_in_its_section() -> None:
    registry = all_kpis()
    for kpi_id in TEAM_KPIS:
        assert registry[kpi_id].section == "The IRO service"
        assert len(registry[kpi_id].definition) > 60
    assert registry["iro_fte"].unit is Unit.NUMBER
    assert registry["caseload_per_iro"].unit is Unit.NUMBER
    assert registry["iro_continuity"].unit is Unit.PERCENT
    assert registry["iro_team_profile"].unit is Unit.COUNT


@pytest.mark.parametrize("kpi_id", TEAM_KPIS)
def test_an_empty_year_gives_zero_or_no_value_and_never_fails(kpi_id: str) -> None:
    figure = compute(kpi_id, Dataset(tables={}, years=(YEAR,)))
    assert figure.value in (0, 0.0, None)
    if REGISTRY[kpi_id].unit is Unit.PERCENT:
        assert figure.denominator == 0


def test_fte_counts_iros_in_post_on_the_last_day_and_not_one_who_left_mid_year() -> None:
    figure = compute("iro_fte", dataset(iro_staff=STAFF))
    # I1 1.0 + I2 0.6 + I4 1.0 = 2.6 (I3 left in September, I5 starts in April).
    assert figure.value == 2.6
    assert figure.details == {"headcount": 3, "dual_role": 1}


def test_caseload_per_fte_with_each_iros_range_and_those_outside_the_band() -> None:
    """With a band of 3 to 4 children per FTE:
    I1 (1.0): K1, K2, K3, K4 = 4 per FTE, on the top of the band.
    I2 (0.6): K5, K6, K7 = 5 per FTE, above it.
    I4 (1.0): K8, K9 and K10, who moved from I3 when I3 left = 3 per FTE, on the bottom of the band.
    K11's allocation to I3 was never closed: I3 is not in post, so K11 is counted apart.
    K12's allocation to I1 ended on 15 March 2025; K2 has an old allocation to I2 and a newer one to I1.
    """
    data = dataset(
        LocalPractice(caseload_band=(3, 4)),
        iro_staff=STAFF,
        iro_allocations=[
            *[allocation(name, "I1", D(2023, 1, 1)) for name in ("K1", "K3", "K4")],
            allocation("K2", "I2", D(2022, 1, 1), D(2024, 12, 31)),
            allocation("K2", "I1", D(2025, 1, 1)),
            *[allocation(name, "I2", D(2023, 1, 1)) for name in ("K5", "K6", "K7")],
            allocation("K8", "I4", D(2024, 5, 1)),
            allocation("K9", "I4", D(2024, 5, 1)),
            allocation("K10", "I3", D(2022, 1, 1), D(2024, 9, 30)),
            allocation("K10", "I4", D(2024, 10, 1)),
            allocation("K11", "I3", D(2022, 1, 1)),
            allocation("K12", "I1", D(2022, 1, 1), D(2025, 3, 15)),
        ],
    )
    figure = compute("caseload_per_iro", data)
    # 10 children / 2.6 FTE = 3.85 -> 3.8.
    assert figure.value == 3.8
    assert figure.details == {
        "children": 10,
        "fte": 2.6,
        "min": 3.0,
        "max": 5.0,
        "outside_band": 1,
        "above_band": 1,  # I2, at 5 per FTE: the key messages name caseloads above the band
        "allocated_to_iro_not_in_post": 1,
    }


def test_continuity_counts_children_in_care_all_year_who_kept_one_iro() -> None:
    """In care throughout (one period of care from on or before 1 April 2024 still open after 31 March 2025):
    P1 since 2020, I1 since 2021: kept.
    P2 since 2020, I3 until 30 September when I3 left, then I4: changed.
    P3 since 2020, I2 until 10 June, then I2 again from 1 July: the same IRO on two records, kept.
    P4 since 2020, I1 until 31 March 2024 (the day before the year), then I2: kept in the year.
    P5 from 1 April 2024 (the first day), I2 from 3 April: kept.
    P6 since 2020 with no allocation recorded: in the count, not kept.
    Not in care throughout: P7 came into care on 1 June 2024; P8 left care on 31 March 2025; P9 left on 1
    August 2024 and came back on 1 September.
    """
    data = dataset(
        children=[child(f"P{number}") for number in range(1, 10)],
        episodes=[
            *[episode(f"P{number}", D(2020, 1, 1)) for number in (1, 2, 3, 4, 6)],
            episode("P5", D(2024, 4, 1)),
            episode("P7", D(2024, 6, 1)),
            episode("P8", D(2020, 1, 1), end=D(2025, 3, 31), reason_ceased="E4A"),
            episode("P9", D(2020, 1, 1), end=D(2024, 8, 1), reason_ceased="E4A"),
            episode("P9", D(2024, 9, 1)),
        ],
        iro_staff=STAFF,
        iro_allocations=[
            allocation("P1", "I1", D(2021, 1, 1)),
            allocation("P2", "I3", D(2021, 1, 1), D(2024, 9, 30)),
            allocation("P2", "I4", D(2024, 10, 1)),
            allocation("P3", "I2", D(2021, 1, 1), D(2024, 6, 10)),
            allocation("P3", "I2", D(2024, 7, 1)),
            allocation("P4", "I1", D(2021, 1, 1), D(2024, 3, 31)),
            allocation("P4", "I2", D(2024, 4, 1)),
            allocation("P5", "I2", D(2024, 4, 3)),
            allocation("P7", "I1", D(2024, 6, 1)),
            allocation("P8", "I1", D(2021, 1, 1)),
            allocation("P9", "I1", D(2021, 1, 1)),
        ],
    )
    figure = compute("iro_continuity", data)
    # In care throughout: P1-P6 = 6. Kept one IRO: P1, P3, P4, P5 = 4.
    assert (figure.value, figure.numerator, figure.denominator) == (66.7, 4, 6)
    assert figure.details == {"no_allocation_recorded": 1}  # P6


def test_team_profile_sets_the_iros_beside_the_children_in_care() -> None:
    data = dataset(
        iro_staff=STAFF,
        children=[
            child("Q1", sex="F", ethnicity="WBRI"),
            child("Q2", sex="M", ethnicity="WIRI"),
            child("Q3", sex="M", ethnicity="MWBC"),
            child("Q4", sex="F", ethnicity="BAFR"),
            child("Q5", sex="U", ethnicity="NOBT"),
        ],
        episodes=[
            episode("Q1", D(2020, 1, 1)),
            episode("Q2", D(2020, 1, 1)),
            episode("Q3", D(2024, 5, 1)),
            episode("Q4", D(2025, 1, 6), legal_status="V3"),  # short breaks only: not counted
            episode("Q5", D(2024, 11, 1)),
        ],
    )
    figure = compute("iro_team_profile", data)
    assert figure.value == 3  # I1, I2, I4
    assert figure.details == {"iros": 3, "children": 4}
    assert figure.breakdown == {
        "IROs by gender: Female": 2,
        "IROs by gender: Male": 1,
        "IROs by gender: Other": 0,
        "IROs by gender: Prefer not to say or not known": 0,
        "IROs by ethnic group: White": 1,
        "IROs by ethnic group: Mixed": 0,
        "IROs by ethnic group: Asian or Asian British": 0,
        "IROs by ethnic group: Black or Black British": 1,
        "IROs by ethnic group: Other ethnic group": 0,
        "IROs by ethnic group: Refused or not obtained": 0,
        "IROs by ethnic group: Not recorded": 1,  # I4
        "Children by sex: Male": 2,
        "Children by sex: Female": 1,
        "Children by sex: Unknown": 1,
        "Children by ethnic group: White": 2,
        "Children by ethnic group: Mixed": 1,
        "Children by ethnic group: Asian or Asian British": 0,
        "Children by ethnic group: Black or Black British": 0,
        "Children by ethnic group: Other ethnic group": 0,
        "Children by ethnic group: Refused or not obtained": 1,
    }


# -- an IRO allocated within the authority's timescale of the child coming into care ---------------------
# A, B and C came into care on Thursday 22 August 2024, before the August bank holiday (Monday 26
# August): their fifth working day is Friday 30 August (23, 27, 28, 29, 30). A's IRO was allocated that
# day, B's on Monday 2 September, C's never. D came into care on Thursday 27 March 2025: its fifth working
# day is 3 April 2025 (28 and 31 March, 1, 2 and 3 April), after the year, so D is not counted this year.
ALLOCATION_CHILDREN = [child(child_id) for child_id in "ABCD"]
ALLOCATION_EPISODES = [
    episode("A", D(2024, 8, 22)),
    episode("B", D(2024, 8, 22)),
    episode("C", D(2024, 8, 22)),
    episode("D", D(2025, 3, 27)),
]
ALLOCATIONS = [allocation("A", "I1", D(2024, 8, 30)), allocation("B", "I1", D(2024, 9, 2))]


def _allocation_authority(practice: LocalPractice | None = None) -> Dataset:
    return dataset(
        practice,
        children=ALLOCATION_CHILDREN,
        episodes=ALLOCATION_EPISODES,
        iro_staff=STAFF,
        iro_allocations=ALLOCATIONS,
    )


def test_an_iro_allocated_on_the_fifth_working_day_is_in_time_and_a_bank_holiday_is_not_counted() -> None:
    figure = compute("iro_allocated_in_time", _allocation_authority())
    assert (figure.value, figure.numerator, figure.denominator) == (33.3, 1, 3)
    assert figure.details["not_allocated"] == 1
    records = all_kpis()["iro_allocated_in_time"].records
    assert records is not None
    rows = records(MetricContext(_allocation_authority(), Period.collection_year(YEAR)))
    assert rows.select("child_id", "allocation_due_date", "allocated_date", "counted").rows() == [
        ("A", D(2024, 8, 30), D(2024, 8, 30), True),
        ("B", D(2024, 8, 30), D(2024, 9, 2), False),
        ("C", D(2024, 8, 30), None, False),
    ]


def test_the_allocation_timescale_is_the_authoritys_setting() -> None:
    # Six working days: B, allocated on Monday 2 September, is in time too.
    figure = compute("iro_allocated_in_time", _allocation_authority(LocalPractice(iro_allocated_working_days=6)))
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_an_allocation_already_open_when_the_child_comes_back_into_care_counts_from_the_first_day() -> None:
    data = dataset(
        children=[child("A")],
        episodes=[episode("A", D(2024, 8, 22))],
        iro_allocations=[allocation("A", "I1", D(2023, 5, 1))],
    )
    figure = compute("iro_allocated_in_time", data)
    assert (figure.numerator, figure.denominator) == (1, 1)
