"""Sibling groups split across IROs on a day, from hand-made groups and allocations."""

import datetime as dt
from typing import Any

from iroscope.metrics.siblings import sibling_groups_split_on
from tests.metrics.helpers import D, table

GROUPS = table(
    "sibling_groups",
    [
        # G1: A and B, both with I1 all along: together.
        {"child_id": "A", "sibling_group_id": "G1"},
        {"child_id": "B", "sibling_group_id": "G1"},
        # G2: C with I1; D with I2 until 31 May 2025 (its last day), then I1.
        {"child_id": "C", "sibling_group_id": "G2"},
        {"child_id": "D", "sibling_group_id": "G2"},
        # G3: E with I1, F with I2, G left care (allocation ended 1 March 2025), H with I3.
        {"child_id": "E", "sibling_group_id": "G3"},
        {"child_id": "F", "sibling_group_id": "G3"},
        {"child_id": "G", "sibling_group_id": "G3"},
        {"child_id": "H", "sibling_group_id": "G3"},
        # G4: J with I1, K not yet allocated: one IRO among those allocated, so not split.
        {"child_id": "J", "sibling_group_id": "G4"},
        {"child_id": "K", "sibling_group_id": "G4"},
    ],
)
ALLOCATIONS = table(
    "iro_allocations",
    [
        {"child_id": "A", "iro_id": "I1", "start_date": D(2024, 4, 1)},
        {"child_id": "B", "iro_id": "I1", "start_date": D(2024, 4, 1)},
        {"child_id": "C", "iro_id": "I1", "start_date": D(2024, 4, 1)},
        {"child_id": "D", "iro_id": "I2", "start_date": D(2024, 4, 1), "end_date": D(2025, 5, 31)},
        {"child_id": "D", "iro_id": "I1", "start_date": D(2025, 5, 31)},
        {"child_id": "E", "iro_id": "I1", "start_date": D(2024, 4, 1)},
        {"child_id": "F", "iro_id": "I2", "start_date": D(2024, 4, 1)},
        {"child_id": "G", "iro_id": "I1", "start_date": D(2024, 4, 1), "end_date": D(2025, 3, 1)},
        {"child_id": "H", "iro_id": "I3", "start_date": D(2024, 4, 1)},
        {"child_id": "J", "iro_id": "I1", "start_date": D(2024, 4, 1)},
        # Someone outside any group, with another IRO: never listed.
        {"child_id": "Z", "iro_id": "I4", "start_date": D(2024, 4, 1)},
    ],
)


def split_on(day: dt.date) -> list[tuple[Any, ...]]:
    return sibling_groups_split_on(sibling_groups=GROUPS, allocations=ALLOCATIONS, on=day).rows()


def test_groups_whose_allocated_children_have_two_or_more_iros_are_listed_child_by_child() -> None:
    assert split_on(D(2025, 5, 1)) == [
        ("G2", "C", "I1", 2),
        ("G2", "D", "I2", 2),
        ("G3", "E", "I1", 3),
        ("G3", "F", "I2", 3),
        ("G3", "H", "I3", 3),
    ]


def test_on_the_day_a_sibling_moves_to_the_groups_iro_the_group_is_no_longer_split() -> None:
    # D's allocation to I2 ends on 31 May and the one to I1 starts that day: the later one holds.
    assert [row[0] for row in split_on(D(2025, 5, 31))] == ["G3", "G3", "G3"]


def test_a_sibling_still_allocated_on_their_allocations_last_day_counts() -> None:
    # G's allocation to I1 ends on 1 March 2025: on that day G is still allocated; E is also with I1.
    assert ("G3", "G", "I1", 3) in split_on(D(2025, 3, 1))
    assert all(row[1] != "G" for row in split_on(D(2025, 3, 2)))


def test_nothing_is_split_when_there_are_no_groups() -> None:
    empty = table("sibling_groups", [])
    assert sibling_groups_split_on(sibling_groups=empty, allocations=ALLOCATIONS, on=D(2025, 5, 1)).is_empty()
