"""Writes for dispute resolution. Each service loads the dispute's lifecycle, applies one transition
(which raises `IllegalDisputeTransitionError` when it is not allowed), writes the `disputes` and
`dispute_stages` rows, and records the change in the audit trail with before and after values, all
in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from iroscope.rules import codes
from iroscope.rules.practice import LocalPractice
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.disputes import lifecycle
from iroscope.web.disputes.selectors import DISPUTES, STAGES, DisputeNotFoundError, lifecycle_from_rows, stage_order
from iroscope.web.saving import ConcurrentSaveError, child_records_saved

User = AbstractBaseUser | AnonymousUser
IMPACT_MESSAGE = "Select what the challenge achieved for the child"


def _new_dispute_id() -> str:
    while True:
        candidate = f"DR-{secrets.token_hex(4).upper()}"
        if not DISPUTES._default_manager.filter(dispute_id=candidate).exists():
            return candidate


DISPUTE_RAISED_MEANWHILE = (
    "A dispute was raised for this child a moment ago, by someone else or by the button being pressed twice, "
    "after this page was opened, so this one has not been raised. Your entries are below: check the child's "
    "disputes above before raising it again."
)
DISPUTE_CHANGED_MEANWHILE = (
    "Someone else changed this dispute at the same moment, so your change has not been saved. Your entries "
    "are below: check the dispute as it is now, then save again."
)


def child_disputes_version(*, child_id: str) -> str:
    """A fingerprint of the child's disputes as stored: it changes whenever one is raised. The page that
    raises a dispute carries it, so that a second raise sent from the same page (a double-click, or
    two people on the page at once) is refused rather than stored twice."""
    dispute_ids = sorted(DISPUTES._default_manager.filter(child_id=child_id).values_list("dispute_id", flat=True))
    return hashlib.sha256("\n".join(dispute_ids).encode()).hexdigest()[:32]


def _child_of(dispute_id: str) -> str:
    child_id = DISPUTES._default_manager.filter(dispute_id=dispute_id).values_list("child_id", flat=True).first()
    if child_id is None:
        raise DisputeNotFoundError(dispute_id)
    return str(child_id)


def _load(dispute_id: str, order: tuple[str, ...]) -> tuple[Any, lifecycle.DisputeLifecycle]:
    row = DISPUTES._default_manager.select_for_update().filter(dispute_id=dispute_id).first()
    if row is None:
        raise DisputeNotFoundError(dispute_id)
    stage_rows = list(STAGES._default_manager.select_for_update().filter(dispute_id=dispute_id))
    return row, lifecycle_from_rows(row, stage_rows, order)


def _audit(
    *, user: User, row: Any, before: lifecycle.DisputeLifecycle | None, after: lifecycle.DisputeLifecycle
) -> None:
    audit_record(
        user=user,
        action=Action.UPDATE if before else Action.CREATE,
        child_id=row.child_id,
        table="disputes",
        before={"dispute_id": row.dispute_id, **before.as_dict()} if before else None,
        after={"dispute_id": row.dispute_id, **after.as_dict()},
    )


def dispute_create(
    *,
    user: User,
    child_id: str,
    iro_id: str | None,
    category: str,
    formal: bool,
    on: dt.date,
    practice: LocalPractice,
    version: str | None = None,
) -> str:
    """Raise a dispute informally (at the INFORMAL stage) or formally (at the first formal stage).
    Returns its identifier. `version`, when given, is the `child_disputes_version` the page was opened
    with: if another dispute was raised for the child since, `ConcurrentSaveError` and nothing stored."""
    if category not in codes.DISPUTE_CATEGORY:
        raise lifecycle.IllegalDisputeTransitionError(f"{category} is not a dispute category")
    order = stage_order(practice=practice)
    formal_stages = [code for code in order if code != lifecycle.INFORMAL_STAGE]
    if formal and not formal_stages:
        raise lifecycle.IllegalDisputeTransitionError("This authority's settings have no formal dispute stage")
    if not formal and lifecycle.INFORMAL_STAGE not in order:
        raise lifecycle.IllegalDisputeTransitionError("This authority's settings have no informal dispute stage")
    code = formal_stages[0] if formal else lifecycle.INFORMAL_STAGE
    dispute = lifecycle.dispute_raise(
        raised=on,
        category=category,
        stage_code=code,
        stage_codes=order,
        escalated_to=practice.dispute_stage(code).escalated_to,
    )
    with child_records_saved(child_ids=[child_id], refusal=DISPUTE_RAISED_MEANWHILE):
        if version is not None and child_disputes_version(child_id=child_id) != version:
            raise ConcurrentSaveError(DISPUTE_RAISED_MEANWHILE)
        row: Any = DISPUTES._default_manager.create(
            dispute_id=_new_dispute_id(), child_id=child_id, iro_id=iro_id, raised_date=on, category=category
        )
        STAGES._default_manager.create(
            dispute_id=row.dispute_id, stage=code, escalated_date=on, escalated_to=dispute.current.escalated_to
        )
        _audit(user=user, row=row, before=None, after=dispute)
    return str(row.dispute_id)


def dispute_stage_escalate(
    *, user: User, dispute_id: str, stage_code: str, on: dt.date, practice: LocalPractice
) -> lifecycle.DisputeLifecycle:
    order = stage_order(practice=practice)
    with child_records_saved(child_ids=[_child_of(dispute_id)], refusal=DISPUTE_CHANGED_MEANWHILE):
        row, before = _load(dispute_id, order)
        after = lifecycle.dispute_escalate(
            dispute=before,
            stage_code=stage_code,
            on=on,
            stage_codes=order,
            escalated_to=practice.dispute_stage(stage_code).escalated_to if stage_code in order else None,
        )
        STAGES._default_manager.create(
            dispute_id=dispute_id, stage=stage_code, escalated_date=on, escalated_to=after.current.escalated_to
        )
        _audit(user=user, row=row, before=before, after=after)
    return after


def dispute_stage_respond(
    *, user: User, dispute_id: str, on: dt.date, practice: LocalPractice
) -> lifecycle.DisputeLifecycle:
    with child_records_saved(child_ids=[_child_of(dispute_id)], refusal=DISPUTE_CHANGED_MEANWHILE):
        row, before = _load(dispute_id, stage_order(practice=practice))
        after = lifecycle.dispute_respond(dispute=before, on=on)
        STAGES._default_manager.filter(dispute_id=dispute_id, stage=after.current.code).update(response_date=on)
        _audit(user=user, row=row, before=before, after=after)
    return after


def dispute_close(
    *, user: User, dispute_id: str, outcome: str, on: dt.date, practice: LocalPractice, impact: str
) -> lifecycle.DisputeLifecycle:
    """Resolve the dispute with an outcome and what the challenge achieved (decision 0021); outcome
    CAFCASS records a referral to Cafcass."""
    if impact not in codes.CHALLENGE_IMPACT:
        raise lifecycle.IllegalDisputeTransitionError(IMPACT_MESSAGE)
    with child_records_saved(child_ids=[_child_of(dispute_id)], refusal=DISPUTE_CHANGED_MEANWHILE):
        row, before = _load(dispute_id, stage_order(practice=practice))
        after = replace(
            lifecycle.dispute_resolve(
                dispute=before, outcome=outcome, on=on, outcomes=codes.DISPUTE_OUTCOME.valid_codes()
            ),
            impact=impact,
        )
        row.outcome = outcome
        row.resolved_date = on
        row.impact = impact
        row.save(update_fields=["outcome", "resolved_date", "impact"])
        _audit(user=user, row=row, before=before, after=after)
    return after
