"""Reads for allocations: each IRO's caseload against the practice's band, and who holds a child.

Siblings: the canonical schema (`iroscope.data.schema`) records no sibling relationships, so sibling
groups cannot be kept together here and no warning about splitting them is given. When the schema
gains sibling data, the warning belongs in `allocation_sibling_warnings`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from iroscope.rules.practice import LocalPractice
from iroscope.web.records.models import DATASET_MODELS

ALLOCATIONS = DATASET_MODELS["iro_allocations"]
STAFF = DATASET_MODELS["iro_staff"]
CHILDREN = DATASET_MODELS["children"]


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


def allocated_iros_on(*, on: dt.date) -> dict[str, str]:
    """Each child's IRO on `on`: the latest-starting allocation covering that day, so that a child
    reallocated today counts once, with the new IRO."""
    rows = allocations_open_on(on=on).order_by("child_id", "start_date").values_list("child_id", "iro_id")
    return dict(rows)


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
    """The IRO allocated to the child on `on` (the latest-starting allocation, if they overlap)."""
    row = allocations_open_on(on=on).filter(child_id=child_id).order_by("-start_date").first()
    return str(row.iro_id) if row is not None else None


def child_exists(*, child_id: str) -> bool:
    return CHILDREN._default_manager.filter(child_id=child_id).exists()
