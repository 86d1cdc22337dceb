"""The dispute resolution lifecycle as an explicit state machine, free of Django.

    (raised) ──► informal ──► stage n ──► stage m … ──► resolved
                     │            │                 └─► referred to Cafcass
                     └────────────┴──► resolved / referred to Cafcass

A dispute starts at the authority's informal stage or at a formal one, moves only forward through
the authority's configured stages (skipping is allowed, going back or staying put is not), records
at most one response per stage, and ends with an outcome. Outcome CAFCASS means "referred to
Cafcass"; every other outcome means resolved. A closed dispute cannot change. Every illegal
transition raises `IllegalDisputeTransitionError` with a message fit to show the person who tried it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

INFORMAL_STAGE = "INFORMAL"
CAFCASS_OUTCOME = "CAFCASS"


class DisputeState(StrEnum):
    INFORMAL = "informal"
    FORMAL = "formal stage"
    RESOLVED = "resolved"
    CAFCASS = "referred to Cafcass"

    @property
    def is_open(self) -> bool:
        return self in (DisputeState.INFORMAL, DisputeState.FORMAL)


class IllegalDisputeTransitionError(ValueError):
    """A change the lifecycle does not allow; the message says why in plain words."""


@dataclass(frozen=True)
class StageReached:
    code: str
    escalated: dt.date
    escalated_to: str | None = None
    responded: dt.date | None = None


@dataclass(frozen=True)
class DisputeLifecycle:
    raised: dt.date
    category: str
    stages: tuple[StageReached, ...]
    outcome: str | None = None
    resolved: dt.date | None = None
    impact: str | None = None  # what the challenge achieved (CHALLENGE_IMPACT); optional in imported data

    @property
    def current(self) -> StageReached:
        return self.stages[-1]

    @property
    def state(self) -> DisputeState:
        if self.outcome == CAFCASS_OUTCOME:
            return DisputeState.CAFCASS
        if self.outcome is not None:
            return DisputeState.RESOLVED
        return DisputeState.INFORMAL if self.current.code == INFORMAL_STAGE else DisputeState.FORMAL

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the audit trail's before and after values."""
        return {
            "raised_date": self.raised.isoformat(),
            "category": self.category,
            "state": self.state.value,
            "outcome": self.outcome,
            "resolved_date": self.resolved.isoformat() if self.resolved else None,
            "impact": self.impact,
            "stages": [
                {
                    "stage": stage.code,
                    "escalated_date": stage.escalated.isoformat(),
                    "escalated_to": stage.escalated_to,
                    "response_date": stage.responded.isoformat() if stage.responded else None,
                }
                for stage in self.stages
            ],
        }


def _position(code: str, stage_codes: Sequence[str]) -> int:
    if code not in stage_codes:
        raise IllegalDisputeTransitionError(
            f"{code} is not one of this authority's dispute stages ({', '.join(stage_codes)})."
        )
    return list(stage_codes).index(code)


def _require_open(dispute: DisputeLifecycle) -> None:
    if not dispute.state.is_open:
        raise IllegalDisputeTransitionError(f"The dispute is already closed ({dispute.state.value}): it cannot change.")


def dispute_raise(
    *,
    raised: dt.date,
    category: str,
    stage_code: str,
    stage_codes: Sequence[str],
    escalated_to: str | None = None,
) -> DisputeLifecycle:
    """A new dispute at its first stage: the informal stage, or a formal one when raised formally."""
    _position(stage_code, stage_codes)
    return DisputeLifecycle(raised=raised, category=category, stages=(StageReached(stage_code, raised, escalated_to),))


def dispute_escalate(
    *,
    dispute: DisputeLifecycle,
    stage_code: str,
    on: dt.date,
    stage_codes: Sequence[str],
    escalated_to: str | None = None,
) -> DisputeLifecycle:
    """Move an open dispute to a later configured stage; stages may be skipped."""
    _require_open(dispute)
    target = _position(stage_code, stage_codes)
    if dispute.current.code in stage_codes and target <= _position(dispute.current.code, stage_codes):
        raise IllegalDisputeTransitionError(
            f"A dispute at {dispute.current.code} can only move to a later stage, not to {stage_code}."
        )
    if on < dispute.current.escalated:
        raise IllegalDisputeTransitionError(
            f"The escalation date ({on:%d/%m/%Y}) is before the dispute reached {dispute.current.code} "
            f"({dispute.current.escalated:%d/%m/%Y})."
        )
    return replace(dispute, stages=(*dispute.stages, StageReached(stage_code, on, escalated_to)))


def dispute_respond(*, dispute: DisputeLifecycle, on: dt.date) -> DisputeLifecycle:
    """Record the manager's response to the dispute's current stage."""
    _require_open(dispute)
    current = dispute.current
    if current.responded is not None:
        raise IllegalDisputeTransitionError(
            f"A response to {current.code} was already recorded on {current.responded:%d/%m/%Y}."
        )
    if on < current.escalated:
        raise IllegalDisputeTransitionError(
            f"The response date ({on:%d/%m/%Y}) is before the dispute reached {current.code} "
            f"({current.escalated:%d/%m/%Y})."
        )
    return replace(dispute, stages=(*dispute.stages[:-1], replace(current, responded=on)))


def dispute_resolve(
    *, dispute: DisputeLifecycle, outcome: str, on: dt.date, outcomes: Sequence[str]
) -> DisputeLifecycle:
    """Close an open dispute with an outcome: CAFCASS refers it to Cafcass, any other resolves it."""
    _require_open(dispute)
    if outcome not in outcomes:
        raise IllegalDisputeTransitionError(f"{outcome} is not a dispute outcome ({', '.join(outcomes)}).")
    if on < dispute.current.escalated:
        raise IllegalDisputeTransitionError(
            f"The closing date ({on:%d/%m/%Y}) is before the dispute reached {dispute.current.code} "
            f"({dispute.current.escalated:%d/%m/%Y})."
        )
    return replace(dispute, outcome=outcome, resolved=on)
