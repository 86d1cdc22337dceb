"""The IRO's work between reviews: midway reviews, visits and consultations, case-tracking checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.casework.recording import AnyUser, facts_for_recorder, record_simple, yes_no_code


def midway_review_record(
    *, user: AnyUser, child_id: str, midway_date: dt.date, concerns_identified: bool | None, today: dt.date
) -> dict[str, Any]:
    """Record the IRO's midway check on the care plan between reviews."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    return record_simple(
        user=user,
        table="midway_reviews",
        child_id=child_id,
        key={"midway_date": midway_date},
        date_field="midway_date",
        date_label="Date of the midway review",
        values={"concerns_identified": yes_no_code(concerns_identified)},
        errors={},
        facts=facts,
        duplicate=f"A midway review on {long_date(midway_date)} is already recorded for this child",
        what="midway review",
        today=today,
    )


def iro_contact_record(
    *,
    user: AnyUser,
    child_id: str,
    contact_date: dt.date,
    kind: str,
    method: str | None,
    outcome: str,
    today: dt.date,
) -> dict[str, Any]:
    """Record an IRO visit or consultation with the child: completed, failed or declined."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    if kind not in codes.CONTACT_KIND:
        errors["kind"] = "Select whether this was a visit or a consultation"
    if method is not None and method not in codes.CONTACT_METHOD:
        errors["method"] = "Select how the visit or consultation happened"
    if outcome not in codes.CONTACT_OUTCOME:
        errors["outcome"] = "Select whether it was completed, failed or declined"
    if outcome == "COMPLETED" and method is None and "outcome" not in errors:
        errors["method"] = "Select how the visit or consultation happened"
    label = codes.CONTACT_KIND.label(kind).split(" ")[0].lower() if kind in codes.CONTACT_KIND else "contact"
    return record_simple(
        user=user,
        table="iro_contacts",
        child_id=child_id,
        key={"contact_date": contact_date, "kind": kind},
        date_field="contact_date",
        date_label="Date of the visit or consultation",
        values={"method": method, "outcome": outcome},
        errors=errors,
        facts=facts,
        duplicate=f"A {label} on {long_date(contact_date)} is already recorded for this child",
        what=label,
        today=today,
    )


def case_tracking_record(
    *, user: AnyUser, child_id: str, check_date: dt.date, rag_level: str, today: dt.date
) -> dict[str, Any]:
    """Record a case-tracking check with the RAG level the IRO set."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    if rag_level not in codes.RAG_LEVEL:
        errors["rag_level"] = "Select the RAG level"
    return record_simple(
        user=user,
        table="case_tracking",
        child_id=child_id,
        key={"check_date": check_date},
        date_field="check_date",
        date_label="Date of the check",
        values={"rag_level": rag_level},
        errors=errors,
        facts=facts,
        duplicate=f"A case-tracking check on {long_date(check_date)} is already recorded for this child",
        what="case-tracking check",
        today=today,
    )
