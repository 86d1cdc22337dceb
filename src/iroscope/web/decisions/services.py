"""Writes for the decisions of reviews: recorded with the review, added to a held review later, changed
and marked done, not done or no longer needed, and challenged by a practice alert or a dispute.

Who may write is who may record the review (`casework.recording.may_record`: the allocated IRO or an
IRO manager). Each write runs in one transaction holding the child's lock (`child_records_saved`), calls
`audit_record` with the values before and after, and a change carries the decision's version so that a
save over someone else's later save is refused, with what was typed kept by the form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.rules.practice import LocalPractice
from iroscope.web.accounts.selectors import user_iro_id
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework import recording as casework
from iroscope.web.casework.practice_feedback import practice_alert_record
from iroscope.web.casework.selectors import ChildFacts, child_facts
from iroscope.web.decisions.models import ChallengeKind, DecisionChallenge
from iroscope.web.disputes.services import dispute_create
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import child_records_saved

TABLE = "review_decisions"
MAX_DECISIONS = 8  # rows on the review form; more can be added from the child's record
MAX_DECISION_LENGTH = 1000
T = TypeVar("T")

DECISION_STALE = (
    "Someone else changed this decision after you opened it. Your changes have not been saved. "
    "Check the decision as it is now, then save your changes again."
)


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    responsible: str
    due_date: dt.date


def _model() -> Any:
    return DATASET_MODELS[TABLE]._default_manager


def _json_safe(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in row.items()}


def _stored(decision_id: str, *, child_id: str, lock: bool = False) -> dict[str, Any] | None:
    rows = _model().select_for_update() if lock else _model()
    found = rows.filter(child_id=child_id, decision_id=decision_id).values(*TABLES_BY_NAME[TABLE].column_names)
    first = found.first()
    return None if first is None else dict(first)


def decision_snapshot(*, child_id: str, decision_id: str) -> dict[str, Any] | None:
    """The decision as stored, or None when the child has no decision with that identifier."""
    return _stored(decision_id, child_id=child_id)


def decision_version(row: dict[str, Any]) -> str:
    """A fingerprint of the decision as stored: it changes whenever anyone saves it."""
    return hashlib.sha256(json.dumps(_json_safe(row), sort_keys=True).encode()).hexdigest()[:32]


def _new_decision_id() -> str:
    return casework.new_id(table=TABLE, column="decision_id", prefix="DEC")


def _facts_for_writer(*, user: casework.AnyUser, child_id: str, today: dt.date) -> ChildFacts:
    facts = child_facts(child_id=child_id, today=today)
    if not casework.may_record(user=user, facts=facts):
        raise casework.RecordingRefusedError("You cannot record this for this child.")
    return facts


def check_decision(
    *, errors: dict[str, str], decision: DecisionInput, review_date: dt.date, field: Callable[[str], str], said: str
) -> None:
    """What a decision must be, wherever it is entered. `field` names the form field of each part and
    `said` starts each message ("Decision 2: " on the review form's rows, nothing on a decision's own form)."""

    def message(text: str) -> str:
        return f"{said}{text}" if said else text[0].upper() + text[1:]

    if not decision.decision.strip():
        errors[field("decision")] = message("enter what was decided")
    elif len(decision.decision) > MAX_DECISION_LENGTH:
        errors[field("decision")] = message(f"what was decided must be {MAX_DECISION_LENGTH} characters or fewer")
    if decision.responsible not in codes.DECISION_RESPONSIBLE:
        errors[field("responsible")] = message("enter who is responsible")
    if decision.due_date < review_date:
        errors[field("due_date")] = message(
            f"date due must be on or after the date of the review, {long_date(review_date)}"
        )


def _row_field(number: int) -> Callable[[str], str]:
    return lambda part: f"decision_{number}_{part}"


def _create(
    *, user: casework.AnyUser, child_id: str, review_date: dt.date, decision: DecisionInput, iro_id: Any
) -> dict[str, Any]:
    row = {
        "decision_id": _new_decision_id(),
        "child_id": child_id,
        "review_date": review_date,
        "decision": decision.decision.strip(),
        "responsible": decision.responsible,
        "due_date": decision.due_date,
        "status": None,
        "status_date": None,
        "iro_id": iro_id,
    }
    _model().create(**row)
    audit_record(user=user, action=Action.CREATE, child_id=child_id, table=TABLE, before=None, after=_json_safe(row))
    return row


def review_with_decisions_record(
    *,
    user: casework.AnyUser,
    child_id: str,
    review_date: dt.date,
    decisions: list[tuple[int, DecisionInput]],
    record: Callable[[], T],
) -> T:
    """Record a review (`record`, the casework service's call) and its decisions, numbered as on the
    form, in one transaction: either all of them are stored or none. The review's own errors and the
    decisions' are reported together."""
    errors: dict[str, str] = {}
    for number, decision in decisions:
        check_decision(
            errors=errors,
            decision=decision,
            review_date=review_date,
            field=_row_field(number),
            said=f"Decision {number}: ",
        )
    with child_records_saved(child_ids=[child_id], refusal=casework.recorded_meanwhile("review")):
        try:
            recorded = record()
        except casework.RecordingInvalidError as refused:
            raise casework.RecordingInvalidError({**refused.errors, **errors}) from None
        if errors:
            raise casework.RecordingInvalidError(errors)  # undoes the review just stored with this transaction
        details = DATASET_MODELS["review_details"]._default_manager.filter(child_id=child_id, review_date=review_date)
        chaired_by = details.values_list("iro_id", flat=True).first()
        for _, decision in decisions:
            _create(user=user, child_id=child_id, review_date=review_date, decision=decision, iro_id=chaired_by)
    return recorded


def _review_held(*, child_id: str, review_date: dt.date) -> bool:
    return any(
        DATASET_MODELS[table]._default_manager.filter(child_id=child_id, review_date=review_date).exists()
        for table in ("reviews", "review_details")
    )


def decision_add(
    *, user: casework.AnyUser, child_id: str, review_date: dt.date, decision: DecisionInput, today: dt.date
) -> dict[str, Any]:
    """Add a decision to a review already recorded. Raises LookupError when no such review is recorded."""
    facts = _facts_for_writer(user=user, child_id=child_id, today=today)
    if not _review_held(child_id=child_id, review_date=review_date):
        raise LookupError("No such review")
    errors: dict[str, str] = {}
    check_decision(errors=errors, decision=decision, review_date=review_date, field=lambda part: part, said="")
    if errors:
        raise casework.RecordingInvalidError(errors)
    details = DATASET_MODELS["review_details"]._default_manager.filter(child_id=child_id, review_date=review_date)
    chaired_by = details.values_list("iro_id", flat=True).first() or user_iro_id(user=user) or facts.allocated_iro_id
    with child_records_saved(child_ids=[child_id]):
        return _create(user=user, child_id=child_id, review_date=review_date, decision=decision, iro_id=chaired_by)


def decision_update(
    *,
    user: casework.AnyUser,
    child_id: str,
    decision_id: str,
    version: str,
    decision: DecisionInput,
    status: str | None,
    status_date: dt.date | None,
    today: dt.date,
) -> dict[str, Any]:
    """Change a decision and say where it stands: open (no status), done, not done or no longer needed,
    with the date. Refused with `StaleEditError` when someone else saved it after `version` was read."""
    _facts_for_writer(user=user, child_id=child_id, today=today)
    with child_records_saved(child_ids=[child_id], refusal=DECISION_STALE):
        before = _stored(decision_id, child_id=child_id, lock=True)
        if before is None:
            raise LookupError(f"No decision {decision_id} for this child")
        if decision_version(before) != version:
            raise casework.StaleEditError(DECISION_STALE)
        review_date: dt.date = before["review_date"]
        errors: dict[str, str] = {}
        check_decision(errors=errors, decision=decision, review_date=review_date, field=lambda part: part, said="")
        if status is not None and status not in codes.DECISION_STATUS:
            errors["status"] = "Select where the decision stands"
        elif status is not None and status_date is None:
            errors["status_date"] = f"Enter the date it was marked {codes.DECISION_STATUS.label(status).lower()}"
        elif status is None and status_date is not None:
            errors["status"] = "Select where the decision stands, or clear the date"
        elif status_date is not None and status_date > today:
            errors["status_date"] = "Date must be today or in the past"
        elif status_date is not None and status_date < review_date:
            errors["status_date"] = f"Date must be on or after the date of the review, {long_date(review_date)}"
        if errors:
            raise casework.RecordingInvalidError(errors)
        values = {
            "decision": decision.decision.strip(),
            "responsible": decision.responsible,
            "due_date": decision.due_date,
            "status": status,
            "status_date": status_date,
        }
        _model().filter(child_id=child_id, decision_id=decision_id).update(**values)
        after = {**before, **values}
        if after != before:
            audit_record(
                user=user,
                action=Action.UPDATE,
                child_id=child_id,
                table=TABLE,
                before=_json_safe(before),
                after=_json_safe(after),
            )
    return after


# ---------------------------------------------------------------- challenge in one step -------------


def may_challenge(row: dict[str, Any], *, today: dt.date) -> bool:
    """A decision can be challenged once it is overdue or marked not done."""
    from iroscope.rules.decisions import decision_overdue

    return row["status"] == "NOT_DONE" or decision_overdue(status=row["status"], due_date=row["due_date"], as_at=today)


def _challenged(
    *, kind: ChallengeKind, decision_id: str, challenge_id: str, raised: dt.date, user: Any, child_id: str
) -> None:
    DecisionChallenge.objects.create(decision_id=decision_id, kind=kind, challenge_id=challenge_id, raised_date=raised)
    audit_record(
        user=user,
        action=Action.CREATE,
        child_id=child_id,
        table="decision_challenges",
        before=None,
        after={
            "decision_id": decision_id,
            "kind": kind.value,
            "challenge_id": challenge_id,
            "raised_date": raised.isoformat(),
        },
    )


def decision_alert_raise(
    *,
    user: casework.AnyUser,
    child_id: str,
    decision_id: str,
    raised_date: dt.date,
    reasons: list[str],
    service: str,
    today: dt.date,
) -> dict[str, Any]:
    """Raise a practice alert about a decision (`casework.practice_feedback.practice_alert_record`) and link the
    decision to it, in one transaction."""
    with child_records_saved(child_ids=[child_id]):
        if _stored(decision_id, child_id=child_id) is None:
            raise LookupError(f"No decision {decision_id} for this child")
        alert = practice_alert_record(
            user=user, child_id=child_id, raised_date=raised_date, reasons=reasons, service=service, today=today
        )
        _challenged(
            kind=ChallengeKind.PRACTICE_ALERT,
            decision_id=decision_id,
            challenge_id=alert["alert_id"],
            raised=raised_date,
            user=user,
            child_id=child_id,
        )
    return alert


def decision_dispute_raise(
    *,
    user: casework.AnyUser,
    child_id: str,
    decision_id: str,
    category: str,
    raised_date: dt.date,
    practice: LocalPractice,
    today: dt.date,
) -> str:
    """Raise an informal dispute about a decision (`disputes.services.dispute_create`) and link the
    decision to it, in one transaction. Returns the dispute's identifier."""
    facts = _facts_for_writer(user=user, child_id=child_id, today=today)
    if raised_date > today:
        raise casework.RecordingInvalidError({"on": "Date raised must be today or in the past"})
    with child_records_saved(child_ids=[child_id]):
        if _stored(decision_id, child_id=child_id) is None:
            raise LookupError(f"No decision {decision_id} for this child")
        dispute_id = dispute_create(
            user=user,
            child_id=child_id,
            iro_id=user_iro_id(user=user) or facts.allocated_iro_id,
            category=category,
            formal=False,
            on=raised_date,
            practice=practice,
        )
        _challenged(
            kind=ChallengeKind.DISPUTE,
            decision_id=decision_id,
            challenge_id=dispute_id,
            raised=raised_date,
            user=user,
            child_id=child_id,
        )
    return dispute_id
