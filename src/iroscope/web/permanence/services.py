"""Recording a child's permanence plans: a new plan (a later one replaces the earlier as the current
plan; both are kept) and the day a plan was achieved.

Who may record is casework's rule (`casework.recording.may_record`: the allocated IRO or an IRO
manager). Each save runs in one transaction holding the child's lock, is refused when the child's
plans changed since the form was opened (the form carries their `plans_version`), and is audited with
the rows before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.recording import (
    AnyUser,
    RecordingInvalidError,
    StaleEditError,
    facts_for_recorder,
    json_safe,
    raise_if,
)
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import child_records_saved

TABLE = "permanence_plans"
PLANS_STALE = (
    "Someone else changed this child's permanence plans after you opened this page. Your changes have not been "
    "saved. Your entries are below: check the child's plans as they are now, then save again."
)


def plans_snapshot(*, child_id: str) -> list[dict[str, Any]]:
    """The child's plans as stored, earliest agreed first: what the audit trail and a form's version see."""
    rows = (
        DATASET_MODELS[TABLE]
        ._default_manager.filter(child_id=child_id)
        .order_by("plan_date")
        .values(*TABLES_BY_NAME[TABLE].column_names)
    )
    return [json_safe(dict(row)) or {} for row in rows]


def plans_version(*, child_id: str) -> str:
    """A fingerprint of the child's plans: it changes whenever anyone records or changes one."""
    return _version(plans_snapshot(child_id=child_id))


def _version(snapshot: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:32]


def _locked_plans(*, child_id: str, version: str) -> list[dict[str, Any]]:
    """The child's plans inside the save's transaction, refused if they changed since `version`."""
    list(DATASET_MODELS[TABLE]._default_manager.select_for_update().filter(child_id=child_id))
    before = plans_snapshot(child_id=child_id)
    if _version(before) != version:
        raise StaleEditError(PLANS_STALE)
    return before


def permanence_plan_record(
    *,
    user: AnyUser,
    child_id: str,
    plan_date: dt.date,
    plan_type: str,
    target_date: dt.date,
    version: str,
    today: dt.date,
) -> dict[str, Any]:
    """Record a permanence plan agreed on `plan_date`: not in the future, not before the child first
    came into care, with a target date after it. It becomes the current plan unless a plan agreed
    later is already recorded. Returns the stored row."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    if plan_type not in codes.PERMANENCE_PLAN_TYPE:
        errors["plan_type"] = "Select the type of permanence plan"
    if plan_date > today:
        errors["plan_date"] = "Date agreed must be today or in the past"
    elif facts.first_in_care is None or plan_date < facts.first_in_care:
        came = f", {long_date(facts.first_in_care)}" if facts.first_in_care else ""
        errors["plan_date"] = f"Date agreed must be on or after the day the child came into care{came}"
    if target_date <= plan_date and "plan_date" not in errors:
        errors["target_date"] = f"Target date must be after the date agreed, {long_date(plan_date)}"
    raise_if(errors)
    row = {
        "child_id": child_id,
        "plan_date": plan_date,
        "plan_type": plan_type,
        "target_date": target_date,
        "achieved_date": None,
    }
    with child_records_saved(child_ids=[child_id], refusal=PLANS_STALE):
        before = _locked_plans(child_id=child_id, version=version)
        if any(stored["plan_date"] == plan_date.isoformat() for stored in before):
            raise RecordingInvalidError(
                {"plan_date": f"A permanence plan agreed on {long_date(plan_date)} is already recorded for this child"}
            )
        DATASET_MODELS[TABLE]._default_manager.create(**row)
        audit_record(user=user, action=Action.CREATE, child_id=child_id, table=TABLE, before=None, after=json_safe(row))
    return row


def permanence_plan_achieved(
    *,
    user: AnyUser,
    child_id: str,
    plan_date: dt.date,
    achieved_date: dt.date,
    version: str,
    today: dt.date,
) -> dict[str, Any]:
    """Mark the plan agreed on `plan_date` achieved on `achieved_date` (not in the future, not before the
    plan was agreed). Raises LookupError when the child has no plan agreed that day."""
    facts_for_recorder(user=user, child_id=child_id, today=today)  # refuses anyone else
    key = {"child_id": child_id, "plan_date": plan_date}
    model = DATASET_MODELS[TABLE]._default_manager
    with child_records_saved(child_ids=[child_id], refusal=PLANS_STALE):
        _locked_plans(child_id=child_id, version=version)
        stored = model.filter(**key).values(*TABLES_BY_NAME[TABLE].column_names).first()
        if stored is None:
            raise LookupError(f"No permanence plan agreed on {plan_date} for this child")
        before = json_safe(dict(stored)) or {}
        errors: dict[str, str] = {}
        if stored["achieved_date"] is not None:
            errors["achieved_date"] = f"This plan was already marked achieved on {long_date(stored['achieved_date'])}"
        elif achieved_date > today:
            errors["achieved_date"] = "Date achieved must be today or in the past"
        elif achieved_date < plan_date:
            errors["achieved_date"] = (
                f"Date achieved must be on or after the date the plan was agreed, {long_date(plan_date)}"
            )
        raise_if(errors)
        model.filter(**key).update(achieved_date=achieved_date)
        after = {**before, "achieved_date": achieved_date.isoformat()}
        audit_record(user=user, action=Action.UPDATE, child_id=child_id, table=TABLE, before=before, after=after)
    return after
