"""Sibling groups split across IROs: the one definition that the allocations page and the
operational lists share.

A group is split on a day when its children who have an IRO allocated that day have more than one
IRO between them. Siblings with no allocation that day (out of care, or waiting for an IRO) are not
counted either way: the split is between IROs, and a child waiting for an IRO belongs on another
list. An allocation's end date is its last day, as in `metrics.team`; where a child's allocations
overlap, the latest-starting one holds, as the workspace's caseloads count them.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

SPLIT_GROUP_COLUMNS = {
    "sibling_group_id": pl.String(),
    "child_id": pl.String(),
    "iro_id": pl.String(),
    "iros_in_group": pl.UInt32(),
}


def allocated_iro_on(allocations: pl.DataFrame, *, on: dt.date) -> pl.DataFrame:
    """Each child's IRO on `on` (columns child_id, iro_id): the latest-starting allocation covering it."""
    open_on = allocations.filter(
        (pl.col("start_date") <= on) & (pl.col("end_date").is_null() | (pl.col("end_date") >= on))
    )
    return (
        open_on.sort("child_id", "start_date")
        .unique("child_id", keep="last", maintain_order=True)
        .select("child_id", "iro_id")
    )


def sibling_groups_split_on(*, sibling_groups: pl.DataFrame, allocations: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """One row per allocated child in each group split across IROs on `on`, ordered by group and child:
    sibling_group_id, child_id, the child's iro_id that day, and iros_in_group (how many IROs the
    group's allocated children have between them, at least 2). `sibling_groups` has child_id and
    sibling_group_id; `allocations` has child_id, iro_id, start_date and end_date."""
    allocated = sibling_groups.select("sibling_group_id", "child_id").join(
        allocated_iro_on(allocations, on=on), on="child_id", how="inner"
    )
    return (
        allocated.with_columns(iros_in_group=pl.col("iro_id").n_unique().over("sibling_group_id"))
        .filter(pl.col("iros_in_group") > 1)
        .sort("sibling_group_id", "child_id")
        .select(list(SPLIT_GROUP_COLUMNS))
        .cast(SPLIT_GROUP_COLUMNS)  # type: ignore[arg-type]
    )
