"""Allocating a child to an IRO. A change of IRO closes the open allocation on the day of the change
and opens the new one that same day (an end date is the last day allocated, and the importer's
overlap check accepts a new allocation starting on the day the previous one ends), in one
transaction, audited with before and after values. A child's brothers and sisters can be moved with
them, all or none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from iroscope.web.allocations.selectors import ALLOCATIONS, child_exists, child_siblings, iros_in_post
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.saving import ConcurrentSaveError, child_records_saved


class AllocationRefusedError(ValueError):
    """The allocation cannot be made; the message says why."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _as_dict(row: Any) -> dict[str, Any]:
    return {
        "child_id": row.child_id,
        "iro_id": row.iro_id,
        "start_date": row.start_date.isoformat(),
        "end_date": row.end_date.isoformat() if row.end_date else None,
        "reason": row.reason,
    }


ALLOCATIONS_CHANGED_MEANWHILE = (
    "Someone else changed these children's allocations a moment ago, while you were saving, so nobody was "
    "moved. Your entries are below: check the caseloads and the child's IRO, then save again."
)


def _allocations_seen(*, child_ids: list[str], on: dt.date) -> dict[str, Any]:
    """What a move is worked out from: each child's allocations, and the siblings the first child has on
    `on`. Read before the children are locked and again after: a difference means another save came in
    between, and the move is refused rather than made on what the manager no longer sees."""
    rows = ALLOCATIONS._default_manager.filter(child_id__in=child_ids).order_by("child_id", "start_date")
    return {
        "allocations": list(rows.values_list("child_id", "iro_id", "start_date", "end_date")),
        "siblings": [(sibling.child_id, sibling.iro_id) for sibling in child_siblings(child_id=child_ids[0], on=on)],
    }


def allocation_change(
    *,
    user: AbstractBaseUser | AnonymousUser,
    child_id: str,
    iro_id: str,
    on: dt.date,
    reason: str | None = None,
) -> Any:
    """Allocate the child to `iro_id` from `on`, closing any allocation open on that day. Returns the
    new allocation row. Refused with `ConcurrentSaveError` when another save changed the child's
    allocations while this one was being made."""
    if not child_exists(child_id=child_id):
        raise AllocationRefusedError(f"There is no child with identifier {child_id}", field="child_id")
    if iro_id not in dict(iros_in_post(on=on)):
        raise AllocationRefusedError(f"{iro_id} is not an IRO in post on {on:%d/%m/%Y}", field="iro_id")
    seen = _allocations_seen(child_ids=[child_id], on=on)
    with child_records_saved(child_ids=[child_id], refusal=ALLOCATIONS_CHANGED_MEANWHILE):
        if _allocations_seen(child_ids=[child_id], on=on)["allocations"] != seen["allocations"]:
            raise ConcurrentSaveError(ALLOCATIONS_CHANGED_MEANWHILE)
        return _allocation_change_locked(user=user, child_id=child_id, iro_id=iro_id, on=on, reason=reason)


def _allocation_change_locked(
    *,
    user: AbstractBaseUser | AnonymousUser,
    child_id: str,
    iro_id: str,
    on: dt.date,
    reason: str | None,
) -> Any:
    """`allocation_change` once the child is locked (`child_records_saved`)."""
    manager = ALLOCATIONS._default_manager
    rows: list[Any] = list(manager.select_for_update().filter(child_id=child_id).order_by("start_date"))
    later = [row for row in rows if row.start_date > on]
    if later:
        raise AllocationRefusedError(
            f"The child already has an allocation starting {later[0].start_date:%d/%m/%Y}, after this date",
            field="on",
        )
    current = [row for row in rows if row.end_date is None or row.end_date > on]
    if any(row.start_date == on for row in current):
        raise AllocationRefusedError(
            "The child's current allocation started on this date: choose a later date to change it", field="on"
        )
    if current and current[-1].iro_id == iro_id:
        raise AllocationRefusedError(f"The child is already allocated to {iro_id}", field="iro_id")
    before = [_as_dict(row) for row in current]
    for row in current:
        row.end_date = on
        row.save(update_fields=["end_date"])
    new = manager.create(child_id=child_id, iro_id=iro_id, start_date=on, end_date=None, reason=reason or None)
    audit_record(
        user=user,
        action=Action.UPDATE if current else Action.CREATE,
        child_id=child_id,
        table="iro_allocations",
        before={"allocations": before} if before else None,
        after={"allocations": [*[_as_dict(row) for row in current], _as_dict(new)]},
    )
    return new


SIBLING_REASON = "Moved with their sibling group"


def allocation_change_with_siblings(
    *,
    user: AbstractBaseUser | AnonymousUser,
    child_id: str,
    iro_id: str,
    on: dt.date,
    reason: str | None = None,
) -> list[Any]:
    """Allocate the child to `iro_id` from `on`, and with them each brother or sister who has another
    IRO allocated that day, so that the group shares one IRO. Siblings with no IRO that day (out of
    care, or waiting) are left alone. All or nothing: if any sibling cannot be moved, nobody is, and
    the error names that sibling. The whole group is locked before anyone is moved, in the one order
    every save locks children in, so a move of one of them at the same moment waits rather than
    deadlocks, and whichever comes second is refused (`ConcurrentSaveError`). Returns the new
    allocation rows, the child's first."""
    if not child_exists(child_id=child_id):
        raise AllocationRefusedError(f"There is no child with identifier {child_id}", field="child_id")
    if iro_id not in dict(iros_in_post(on=on)):
        raise AllocationRefusedError(f"{iro_id} is not an IRO in post on {on:%d/%m/%Y}", field="iro_id")
    group = [child_id, *(sibling.child_id for sibling in child_siblings(child_id=child_id, on=on))]
    seen = _allocations_seen(child_ids=group, on=on)
    with child_records_saved(child_ids=group, refusal=ALLOCATIONS_CHANGED_MEANWHILE):
        if _allocations_seen(child_ids=group, on=on) != seen:
            raise ConcurrentSaveError(ALLOCATIONS_CHANGED_MEANWHILE)
        created = [_allocation_change_locked(user=user, child_id=child_id, iro_id=iro_id, on=on, reason=reason)]
        for sibling in child_siblings(child_id=child_id, on=on):
            if sibling.iro_id is None or sibling.iro_id == iro_id:
                continue
            try:
                created.append(
                    _allocation_change_locked(
                        user=user, child_id=sibling.child_id, iro_id=iro_id, on=on, reason=reason or SIBLING_REASON
                    )
                )
            except AllocationRefusedError as refused:
                raise AllocationRefusedError(
                    f"Nobody was moved because sibling {sibling.child_id} cannot be: {refused}", field="move"
                ) from refused
    return created
