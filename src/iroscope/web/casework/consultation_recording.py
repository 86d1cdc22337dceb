"""The consultation forms sent before a review, one per recipient, and which came back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.booking_recording import may_book
from iroscope.web.casework.recording import (
    AnyUser,
    StaleEditError,
    facts_for_recorder,
    json_safe,
    raise_if,
    upsert,
    version_of,
)
from iroscope.web.casework.review_recording import review_exists
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import child_records_saved


@dataclass(frozen=True)
class ConsultationInput:
    """One recipient's form: blank dates mean no form was sent to them."""

    recipient: str
    sent_date: dt.date | None
    returned_date: dt.date | None


def consultations_snapshot(*, child_id: str, review_date: dt.date) -> list[dict[str, Any]]:
    rows = (
        DATASET_MODELS["consultations"]
        ._default_manager.filter(child_id=child_id, review_date=review_date)
        .order_by("recipient")
        .values("recipient", "sent_date", "returned_date")
    )
    return [json_safe(dict(row)) or {} for row in rows]


def consultations_version(*, child_id: str, review_date: dt.date) -> str:
    return version_of({"consultations": consultations_snapshot(child_id=child_id, review_date=review_date)})


def review_is_booked_or_held(*, child_id: str, review_date: dt.date) -> bool:
    booked = (
        DATASET_MODELS["scheduled_reviews"]
        ._default_manager.filter(child_id=child_id, scheduled_date=review_date)
        .exists()
    )
    return booked or review_exists(child_id=child_id, review_date=review_date)


def consultations_record(
    *,
    user: AnyUser,
    child_id: str,
    review_date: dt.date,
    version: str,
    forms: list[ConsultationInput],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Record the consultation forms sent before a booked or held review and which came back: one row
    per recipient sent a form; a recipient whose dates are cleared loses their row."""
    facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)  # refuses anyone else
    if not review_is_booked_or_held(child_id=child_id, review_date=review_date):
        raise LookupError(f"No review booked or held on {review_date} for this child")
    errors: dict[str, str] = {}
    for form in forms:
        label = codes.CONSULTATION_RECIPIENT.label(form.recipient)
        sent, returned = f"sent_{form.recipient}", f"returned_{form.recipient}"
        if form.recipient not in codes.CONSULTATION_RECIPIENT:
            errors[sent] = "Choose who the form was sent to"
        elif form.sent_date is None and form.returned_date is not None:
            errors[sent] = f"{label}: enter the date the form was sent"
        elif form.sent_date is not None and form.sent_date > today:
            errors[sent] = f"{label}: date sent must be today or in the past"
        elif form.returned_date is not None and form.returned_date > today:
            errors[returned] = f"{label}: date returned must be today or in the past"
        elif form.sent_date is not None and form.returned_date is not None and form.returned_date < form.sent_date:
            errors[returned] = f"{label}: date returned must be on or after the date sent, {long_date(form.sent_date)}"
    raise_if(errors)
    model = DATASET_MODELS["consultations"]._default_manager
    with child_records_saved(child_ids=[child_id], refusal=CONSULTATIONS_STALE):
        list(model.select_for_update().filter(child_id=child_id, review_date=review_date))
        before = consultations_snapshot(child_id=child_id, review_date=review_date)
        if version_of({"consultations": before}) != version:
            raise StaleEditError(CONSULTATIONS_STALE)
        for form in forms:
            key = {"child_id": child_id, "review_date": review_date, "recipient": form.recipient}
            if form.sent_date is None:
                if model.filter(**key).exists():
                    model.filter(**key).delete()
            else:
                upsert(
                    "consultations", key=key, values={"sent_date": form.sent_date, "returned_date": form.returned_date}
                )
        after = consultations_snapshot(child_id=child_id, review_date=review_date)
        if after != before:
            audit_record(
                user=user,
                action=Action.UPDATE,
                child_id=child_id,
                table="consultations",
                before={"review_date": review_date.isoformat(), "forms": before},
                after={"review_date": review_date.isoformat(), "forms": after},
            )
    return after


CONSULTATIONS_STALE = (
    "Someone else changed these consultation forms after you opened them. Your changes have not been saved. "
    "Check the forms as they are now, then save your changes again."
)
