"""Reads for allocations: each IRO's caseload against the practice's band, who holds a child, and
the child's brothers and sisters (the `sibling_groups` activity table, docs/decisions/0008) with
the IROs they have. Which groups are split across IROs is `iroscope.metrics.siblings`' definition,
not worked out again here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import polars as pl
from django.db.models import Q, QuerySet

from iroscope.data.dataset import Dataset
from iroscope.data.schema import IRO_ALLOCATIONS, SIBLING_GROUPS
from iroscope.metrics.next_review import allocated_iro_on, current_allocations
from iroscope.metrics.siblings import sibling_groups_split_on
from iroscope.rules.practice import LocalPractice
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.selectors import DatasetSnapshot, iro_staff_names

ALLOCATIONS = DATASET_MODELS["iro_allocations"]
STAFF = DATASET_MODELS["iro_staff"]
CHILDREN = DATASET_MODELS["children"]
SIBLING_GROUP_ROWS = DATASET_MODELS["sibling_groups"]


class Band(StrEnum):
    UNDER = "under"
    WITHIN = "within"
    OVER = "over"


@dataclass(frozen=True)
class IroCaseload:
    iro_id: str
    name: str
    fte: float
    children: int
    per_fte: float | None
    band: Band | None  # None when the IRO has no FTE to divide by


def allocations_open_on(*, on: dt.date) -> QuerySet[Any]:
    """Allocations covering `on` (an end date is the last day allocated, as in `metrics.team`)."""
    return ALLOCATIONS._default_manager.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))


def _allocation_frame(rows: QuerySet[Any]) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows.values_list(*IRO_ALLOCATIONS.column_names)), schema=IRO_ALLOCATIONS.polars_schema, orient="row"
    )


def allocated_iros_on(*, on: dt.date) -> dict[str, str]:
    """Each child's IRO on `on` by the engine's one rule (`metrics.next_review.current_allocations`:
    the latest-starting allocation covering that day), so that a child reallocated today counts once,
    with the new IRO, here as on the caseload and the lists."""
    current = current_allocations(_allocation_frame(allocations_open_on(on=on)), as_at=on)
    return dict(current.select("child_id", "iro_id").iter_rows())


def iros_in_post(*, on: dt.date) -> list[tuple[str, str]]:
    rows = STAFF._default_manager.filter(
        Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    ).order_by("name", "iro_id")
    return [(row.iro_id, row.name or row.iro_id) for row in rows]  # type: ignore[attr-defined]


def iro_caseloads(*, on: dt.date, practice: LocalPractice) -> list[IroCaseload]:
    """Each IRO in post on `on` with the children allocated to them that day, per FTE, against the band."""
    counts: dict[str, int] = {}
    for iro_id in allocated_iros_on(on=on).values():
        counts[iro_id] = counts.get(iro_id, 0) + 1
    low, high = practice.caseload_band
    result = []
    for row in STAFF._default_manager.filter(
        Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    ).order_by("name", "iro_id"):
        fte = float(row.fte or 0)  # type: ignore[attr-defined]
        children = counts.get(row.iro_id, 0)  # type: ignore[attr-defined]
        per_fte = round(children / fte, 1) if fte > 0 else None
        band = None
        if per_fte is not None:
            band = Band.UNDER if per_fte < low else Band.OVER if per_fte > high else Band.WITHIN
        result.append(
            IroCaseload(row.iro_id, row.name or row.iro_id, fte, children, per_fte, band)  # type: ignore[attr-defined]
        )
    return result


def allocation_current_iro(*, child_id: str, on: dt.date) -> str | None:
    """The IRO allocated to the child on `on`, read afresh from the database (a permission is checked
    against the stored rows, never a worker's copy) and decided by the engine's one rule
    (`metrics.next_review.allocated_iro_on`), as the caseload and recording rights decide it."""
    rows = ALLOCATIONS._default_manager.filter(child_id=child_id)
    return allocated_iro_on(_allocation_frame(rows), child_id=child_id, on=on)


def child_exists(*, child_id: str) -> bool:
    return CHILDREN._default_manager.filter(child_id=child_id).exists()


@dataclass(frozen=True)
class Sibling:
    child_id: str
    iro_id: str | None  # None when no IRO is allocated on the day (out of care, or waiting)
    iro_name: str | None


@dataclass(frozen=True)
class SiblingGroup:
    sibling_group_id: str
    children: list[Sibling]


def _iro_names() -> dict[str, str]:
    return {iro_id: name or iro_id for iro_id, name in iro_staff_names().items()}


def _siblings(child_ids: list[str], *, on: dt.date) -> list[Sibling]:
    open_on_the_day = allocations_open_on(on=on).filter(child_id__in=child_ids)
    current = current_allocations(_allocation_frame(open_on_the_day), as_at=on)
    iros = dict(current.select("child_id", "iro_id").iter_rows())
    names = _iro_names()
    return [
        Sibling(child_id, iros.get(child_id), names.get(iros[child_id]) if child_id in iros else None)
        for child_id in sorted(child_ids)
    ]


def sibling_group_of_child(*, child_id: str) -> str | None:
    row = SIBLING_GROUP_ROWS._default_manager.filter(child_id=child_id).first()
    return str(row.sibling_group_id) if row is not None else None  # type: ignore[attr-defined]


SIBLING_TABLES = frozenset({"sibling_groups", "iro_allocations", "iro_staff"})


def child_siblings(*, child_id: str, on: dt.date, snapshot: DatasetSnapshot | None = None) -> list[Sibling]:
    """The child's brothers and sisters in their sibling group, each with the IRO allocated on `on`
    (latest-starting allocation, as caseloads count it). Empty when the child is in no group.

    With a snapshot that holds the whole tables (a page showing them), worked out from those once per
    child, day and state of the tables; otherwise read afresh, as a move checks them."""
    if snapshot is not None and snapshot.whole:
        siblings: list[Sibling] = snapshot.result(
            ("child siblings", child_id, on),
            tables=SIBLING_TABLES,
            compute=lambda dataset: _siblings_in(dataset, child_id=child_id, on=on),
        )
        return siblings
    group = sibling_group_of_child(child_id=child_id)
    if group is None:
        return []
    others = SIBLING_GROUP_ROWS._default_manager.filter(sibling_group_id=group).exclude(child_id=child_id)
    return _siblings([str(child) for child in others.values_list("child_id", flat=True)], on=on)


def _siblings_in(dataset: Dataset, *, child_id: str, on: dt.date) -> list[Sibling]:
    """`child_siblings` worked out from a dataset's frames, with the same readings as the queries."""
    groups = dataset["sibling_groups"]
    group = groups.filter(pl.col("child_id") == child_id)["sibling_group_id"]
    if group.is_empty():
        return []
    others = groups.filter((pl.col("sibling_group_id") == group[0]) & (pl.col("child_id") != child_id))
    child_ids = sorted(others["child_id"].to_list())
    allocations = dataset["iro_allocations"].filter(pl.col("child_id").is_in(child_ids))
    iros = dict(current_allocations(allocations, as_at=on).select("child_id", "iro_id").rows())
    names = {iro_id: name or iro_id for iro_id, name in dataset["iro_staff"].select("iro_id", "name").rows()}
    return [Sibling(child, iros.get(child), names.get(iros[child]) if child in iros else None) for child in child_ids]


def sibling_groups_split(*, on: dt.date) -> list[SiblingGroup]:
    """Sibling groups whose allocated children have more than one IRO between them on `on`, each with
    its allocated children and their IROs (see `iroscope.metrics.siblings.sibling_groups_split_on`)."""
    groups = pl.DataFrame(
        list(SIBLING_GROUP_ROWS._default_manager.values_list(*SIBLING_GROUPS.column_names)),
        schema=SIBLING_GROUPS.polars_schema,
        orient="row",
    )
    if groups.is_empty():
        return []
    allocations = pl.DataFrame(
        list(allocations_open_on(on=on).values_list(*IRO_ALLOCATIONS.column_names)),
        schema=IRO_ALLOCATIONS.polars_schema,
        orient="row",
    )
    split = sibling_groups_split_on(sibling_groups=groups, allocations=allocations, on=on)
    names = _iro_names()
    result = []
    for (group_id,), frame in split.group_by("sibling_group_id", maintain_order=True):
        children = [
            Sibling(child, iro, names.get(iro, iro)) for child, iro in frame.select("child_id", "iro_id").rows()
        ]
        result.append(SiblingGroup(str(group_id), children))
    return result
