"""Booking a child's next review, moving or cancelling the booking. A booking after the statutory due
date is allowed but never silent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.recording import (
    AnyUser,
    StaleEditError,
    create_audited,
    facts_for_recorder,
    json_safe,
    locked_row,
    may_record_review_dates,
    raise_if,
    stored_row,
    version_of,
)
from iroscope.web.casework.review_recording import held_review_dates
from iroscope.web.casework.selectors import ChildFacts
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import child_records_saved


def may_book(*, user: AnyUser, facts: ChildFacts) -> bool:
    """Business support book reviews and send the invitations and consultation forms for any child;
    IRO managers may too, and the allocated IRO for their own children."""
    return may_record_review_dates(user=user, facts=facts)


@dataclass(frozen=True)
class BookingSaved:
    """A booking as stored, and the statutory due date it was checked against (None when unknown)."""

    row: dict[str, Any]
    due_date: dt.date | None

    @property
    def late(self) -> bool:
        return self.due_date is not None and self.row["scheduled_date"] > self.due_date


def booking_late_warning(*, scheduled_date: dt.date, due_date: dt.date | None) -> str | None:
    """Booking a review after it is due is allowed (there may be no earlier date), but never silently."""
    if due_date is None or scheduled_date <= due_date:
        return None
    return (
        f"This review is booked for {long_date(scheduled_date)}, after the date it is due, "
        f"{long_date(due_date)}. It will be late unless it is held by then."
    )


def booking_snapshot(*, child_id: str, scheduled_date: dt.date) -> dict[str, Any] | None:
    return json_safe(stored_row("scheduled_reviews", child_id=child_id, scheduled_date=scheduled_date))


def booking_version(*, child_id: str, scheduled_date: dt.date) -> str:
    return version_of({"scheduled_reviews": booking_snapshot(child_id=child_id, scheduled_date=scheduled_date)})


def _open_bookings(*, child_id: str, other_than: dt.date | None = None) -> list[dt.date]:
    """Bookings not yet held: booked for a day after the child's latest review held."""
    held = held_review_dates(child_id=child_id)
    booked = DATASET_MODELS["scheduled_reviews"]._default_manager.filter(child_id=child_id)
    if held:
        booked = booked.filter(scheduled_date__gt=held[-1])
    return sorted(day for day in booked.values_list("scheduled_date", flat=True) if day != other_than)


def _check_booking(
    *,
    errors: dict[str, str],
    facts: ChildFacts,
    scheduled_date: dt.date,
    review_format: str | None,
    booked_date: dt.date,
    invitations_sent_date: dt.date | None,
    other_than: dt.date | None,
    today: dt.date,
) -> None:
    if scheduled_date < today:
        errors["scheduled_date"] = "Date of the review must be today or in the future"
    elif not facts.looked_after_on(today):
        errors["scheduled_date"] = "A review can only be booked for a child in care today"
    elif scheduled_date != other_than and (
        DATASET_MODELS["scheduled_reviews"]
        ._default_manager.filter(child_id=facts.child_id, scheduled_date=scheduled_date)
        .exists()
    ):
        errors["scheduled_date"] = f"A review is already booked for {long_date(scheduled_date)} for this child"
    elif other_than is None and (booked := _open_bookings(child_id=facts.child_id)):
        errors["scheduled_date"] = (
            f"The next review is already booked for {long_date(booked[0])}: change that booking instead"
        )
    if review_format is not None and review_format not in codes.REVIEW_FORMAT:
        errors["review_format"] = "Select how the review will be held"
    if invitations_sent_date is not None:
        if invitations_sent_date > today:
            errors["invitations_sent_date"] = "Invitations sent date must be today or in the past"
        elif invitations_sent_date < booked_date:
            errors["invitations_sent_date"] = (
                f"Invitations sent date must be on or after the date the review was booked, {long_date(booked_date)}"
            )
        elif invitations_sent_date > scheduled_date:
            errors["invitations_sent_date"] = "Invitations sent date must be before the date of the review"


def _due_date(*, child_id: str, today: dt.date) -> dt.date | None:
    from iroscope.web.casework.bookings import next_review_due  # reads the engine; imports the services

    return next_review_due(child_id=child_id, today=today)


def review_booking_record(
    *,
    user: AnyUser,
    child_id: str,
    scheduled_date: dt.date,
    review_format: str | None,
    invitations_sent_date: dt.date | None,
    today: dt.date,
) -> BookingSaved:
    """Book the child's next review, booked today. A booking after the statutory due date is stored
    and comes back with that due date, for the page to warn about; one booked while another is still
    to be held is refused."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)
    errors: dict[str, str] = {}
    _check_booking(
        errors=errors,
        facts=facts,
        scheduled_date=scheduled_date,
        review_format=review_format,
        booked_date=today,
        invitations_sent_date=invitations_sent_date,
        other_than=None,
        today=today,
    )
    raise_if(errors)
    row = {
        "child_id": child_id,
        "scheduled_date": scheduled_date,
        "format": review_format,
        "booked_date": today,
        "invitations_sent_date": invitations_sent_date,
    }

    def taken() -> bool:  # the same day booked, or another booking still to be held, since the checks above
        booked = DATASET_MODELS["scheduled_reviews"]._default_manager.filter(
            child_id=child_id, scheduled_date=scheduled_date
        )
        return bool(booked.exists()) or bool(_open_bookings(child_id=child_id))

    create_audited(
        user=user,
        table="scheduled_reviews",
        child_id=child_id,
        row=row,
        taken=taken,
        refusal=BOOKED_MEANWHILE,
    )
    return BookingSaved(row=row, due_date=_due_date(child_id=child_id, today=today))


def _stored_booking(*, child_id: str, scheduled_date: dt.date, version: str) -> dict[str, Any]:
    before = locked_row("scheduled_reviews", child_id=child_id, scheduled_date=scheduled_date)
    if before is None:
        raise LookupError(f"No review booked for {scheduled_date} for this child")
    if version_of({"scheduled_reviews": json_safe(before)}) != version:
        raise StaleEditError(BOOKING_STALE)
    return before


BOOKED_MEANWHILE = (
    "This child's next review was booked a moment ago, by someone else or by the button being pressed twice, "
    "so it has not been booked again. Your entries are below: check the child's record before booking again."
)


BOOKING_STALE = (
    "Someone else changed this booking after you opened it. Your changes have not been saved. "
    "Check the booking as it is now, then save your changes again."
)


def review_booking_update(
    *,
    user: AnyUser,
    child_id: str,
    scheduled_date: dt.date,
    version: str,
    new_scheduled_date: dt.date,
    review_format: str | None,
    invitations_sent_date: dt.date | None,
    today: dt.date,
) -> BookingSaved:
    """Move a booking to another day, or change its format or invitations date. `version` is the
    `booking_version` the form was opened with: a save over someone else's raises `StaleEditError`."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)
    with child_records_saved(child_ids=[child_id], refusal=BOOKING_STALE):
        before = _stored_booking(child_id=child_id, scheduled_date=scheduled_date, version=version)
        errors: dict[str, str] = {}
        _check_booking(
            errors=errors,
            facts=facts,
            scheduled_date=new_scheduled_date,
            review_format=review_format,
            booked_date=before["booked_date"] or today,
            invitations_sent_date=invitations_sent_date,
            other_than=scheduled_date,
            today=today,
        )
        raise_if(errors)
        model = DATASET_MODELS["scheduled_reviews"]._default_manager
        model.filter(child_id=child_id, scheduled_date=scheduled_date).update(
            scheduled_date=new_scheduled_date, format=review_format, invitations_sent_date=invitations_sent_date
        )
        after = stored_row("scheduled_reviews", child_id=child_id, scheduled_date=new_scheduled_date) or {}
        audit_record(
            user=user,
            action=Action.UPDATE,
            child_id=child_id,
            table="scheduled_reviews",
            before=json_safe(before),
            after=json_safe(after),
        )
    return BookingSaved(row=after, due_date=_due_date(child_id=child_id, today=today))


def review_booking_cancel(
    *, user: AnyUser, child_id: str, scheduled_date: dt.date, version: str, today: dt.date
) -> dict[str, Any]:
    """Cancel a booking: its row is removed (the audit trail keeps what it was)."""
    facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)  # refuses anyone else
    with child_records_saved(child_ids=[child_id], refusal=BOOKING_STALE):
        before = _stored_booking(child_id=child_id, scheduled_date=scheduled_date, version=version)
        DATASET_MODELS["scheduled_reviews"]._default_manager.filter(
            child_id=child_id, scheduled_date=scheduled_date
        ).delete()
        audit_record(
            user=user,
            action=Action.DELETE,
            child_id=child_id,
            table="scheduled_reviews",
            before=json_safe(before),
            after=None,
        )
    return before
