"""Recording casework: reviews (and each meeting adjourned or stood down before one), midway reviews,
IRO visits and consultations, case-tracking checks, good practice notifications, practice alerts.

Each service checks who may record (the IRO allocated to the child, or an IRO manager; business
support only the decisions and record-distributed dates of a review already held), checks the dates
against the child's periods of care, writes the dataset's rows in one transaction and calls
`audit_record` with the values before and after. Nothing here works out when a review is due: the
child's page asks the statutory engine again after each save.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules import codes
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_iro_id, user_roles
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.review_reasons import ReviewReasons, review_reasons_for
from iroscope.web.casework.selectors import ChildFacts, child_facts
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import ConcurrentSaveError, child_records_saved

AnyUser = AbstractBaseUser | AnonymousUser
PN0_AGE_LIMIT = 4  # PN0: "child under 4 at the time of the review"


class RecordingRefusedError(PermissionError):
    """The person may not record this for this child."""


class RecordingInvalidError(ValueError):
    """What was entered breaks a rule; `errors` maps each field to a message naming it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class StaleEditError(RuntimeError):
    """Someone else saved the record after this form was opened."""

    MESSAGE = (
        "Someone else changed this review after you opened it. Your changes have not been saved. "
        "Check the review as it is now, then save your changes again."
    )

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


def recorded_meanwhile(what: str) -> str:
    """The refusal for a second save of the same new record: another person's, or the same person's
    second press of the button, reached the database first (see `iroscope.web.saving`)."""
    return (
        f"This {what} was recorded a moment ago, by someone else or by the button being pressed twice, "
        "so it has not been recorded again. Your entries are below: check the child's record before saving again."
    )


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def age_on(*, date_of_birth: dt.date, day: dt.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def pn0_allowed(*, date_of_birth: dt.date, review_date: dt.date) -> bool:
    return age_on(date_of_birth=date_of_birth, day=review_date) < PN0_AGE_LIMIT


def child_attended(participation: str | None) -> bool | None:
    """Attendance is not entered separately: PN1–PN4 mean the child attended."""
    if participation is None:
        return None
    return participation in codes.ATTENDED


# ---------------------------------------------------------------- who may record ------------------


def may_record(*, user: AnyUser, facts: ChildFacts) -> bool:
    """IRO managers may record for any child; an IRO for the children allocated to them."""
    roles = user_roles(user=user)
    if Role.MANAGER in roles:
        return True
    return Role.IRO in roles and facts.allocated_iro_id is not None and user_iro_id(user=user) == facts.allocated_iro_id


def may_record_review_dates(*, user: AnyUser, facts: ChildFacts) -> bool:
    """Business support distribute records and decisions, so they may record those two dates too."""
    return may_record(user=user, facts=facts) or Role.BUSINESS_SUPPORT in user_roles(user=user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise RecordingRefusedError("You cannot record this for this child.")


def _facts_for_recorder(
    *,
    user: AnyUser,
    child_id: str,
    today: dt.date,
    may: Callable[..., bool] = may_record,
    facts: ChildFacts | None = None,
) -> ChildFacts:
    """The child's facts, once `may` (by default: may record for this child) allows this person.

    `facts`, when given, are the ones the recording page read from the database for this request
    (`child_facts` without a snapshot, never a worker's copy) to refuse a person before the form: the
    person is checked against them again here, but they are not read a second time."""
    if facts is None:
        facts = child_facts(child_id=child_id, today=today)
    elif facts.child_id != child_id:
        raise ValueError(f"The facts given are another child's, not {child_id}'s")
    _require(may(user=user, facts=facts))
    return facts


def _recording_iro(*, user: AnyUser, facts: ChildFacts) -> str | None:
    """The IRO the record belongs to: the person themselves when an IRO, else the allocated IRO."""
    return user_iro_id(user=user) or facts.allocated_iro_id


# ---------------------------------------------------------------- date checks ---------------------


def _check_event_date(
    *,
    errors: dict[str, str],
    field: str,
    label: str,
    day: dt.date,
    facts: ChildFacts,
    today: dt.date,
    during_care: bool = True,
) -> None:
    """Not in the future, not before the child came into care and, unless `during_care` is False
    (feedback about the work around a child may be sent between periods of care), inside a period of care."""
    if day > today:
        errors[field] = f"{label} must be today or in the past"
    elif facts.first_in_care is None or day < facts.first_in_care:
        came = f", {long_date(facts.first_in_care)}" if facts.first_in_care else ""
        errors[field] = f"{label} must be on or after the day the child came into care{came}"
    elif during_care and not facts.looked_after_on(day):
        errors[field] = f"{label} must be during a period of care: the child was not looked after on {long_date(day)}"


def _check_later_date(
    *, errors: dict[str, str], field: str, label: str, day: dt.date | None, held: dt.date, today: dt.date
) -> None:
    if day is None:
        return
    if day > today:
        errors[field] = f"{label} must be today or in the past"
    elif day < held:
        errors[field] = f"{label} must be on or after the date the review was held, {long_date(held)}"


def _check_participation(
    *, errors: dict[str, str], participation: str, review_date: dt.date, facts: ChildFacts
) -> None:
    if participation not in codes.PARTICIPATION:
        errors["participation"] = "Select how the child took part in the review"
    elif participation == "PN0" and not pn0_allowed(date_of_birth=facts.date_of_birth, review_date=review_date):
        age = age_on(date_of_birth=facts.date_of_birth, day=review_date)
        errors["participation"] = (
            f"Participation cannot be PN0 (child under 4): the child was {age} on {long_date(review_date)}"
        )


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise RecordingInvalidError(errors)


# ---------------------------------------------------------------- rows -----------------------------


def _json_safe(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in row.items()}


def _row(table: str, **key: Any) -> dict[str, Any] | None:
    """The row's columns (not where it came from, which the audit trail need not repeat)."""
    model = DATASET_MODELS[table]
    values = model._default_manager.filter(**key).values(*TABLES_BY_NAME[table].column_names).first()
    return None if values is None else dict(values)


def _locked_row(table: str, **key: Any) -> dict[str, Any] | None:
    model = DATASET_MODELS[table]
    values = (
        model._default_manager.select_for_update().filter(**key).values(*TABLES_BY_NAME[table].column_names).first()
    )
    return None if values is None else dict(values)


def _upsert(table: str, *, key: dict[str, Any], values: dict[str, Any]) -> None:
    model = DATASET_MODELS[table]
    model._default_manager.update_or_create(**key, defaults=values)


def _write_locked(table: str, *, key: dict[str, Any], values: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """`_upsert` for a row already read (and locked) in this transaction: `stored` says whether it
    exists, so it is not looked for again."""
    model = DATASET_MODELS[table]
    if stored is None:
        model._default_manager.create(**key, **values)
    else:
        model._default_manager.filter(**key).update(**values)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Y" if value else "N")


# ---------------------------------------------------------------- reviews -------------------------


@dataclass(frozen=True)
class MeetingInput:
    """A meeting adjourned or stood down before the review was held."""

    meeting_date: dt.date
    outcome: str
    reason: str
    reconvened_date: dt.date | None


def review_snapshot(*, child_id: str, review_date: dt.date) -> dict[str, Any]:
    """The stored rows of one review, as the audit trail and the edit form's version see them."""
    return {
        "reviews": _json_safe(_row("reviews", child_id=child_id, review_date=review_date)),
        "review_details": _json_safe(_row("review_details", child_id=child_id, review_date=review_date)),
    }


def review_version(*, child_id: str, review_date: dt.date) -> str:
    """A fingerprint of the review as stored: it changes whenever anyone saves the review."""
    return snapshot_version(review_snapshot(child_id=child_id, review_date=review_date))


def snapshot_version(snapshot: dict[str, Any]) -> str:
    """The `review_version` of a `review_snapshot` already read, so a page reads the review once."""
    return _version(snapshot)


def _version(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:32]


def _review_exists(*, child_id: str, review_date: dt.date) -> bool:
    return any(
        DATASET_MODELS[table]._default_manager.filter(child_id=child_id, review_date=review_date).exists()
        for table in ("reviews", "review_details")
    )


def review_record(
    *,
    user: AnyUser,
    child_id: str,
    review_date: dt.date,
    participation: str,
    review_format: str | None = None,
    series_of_meetings: bool | None = None,
    decisions_date: dt.date | None = None,
    record_distributed_date: dt.date | None = None,
    permanence_plan: bool | None = None,
    meeting: MeetingInput | None = None,
    reasons: ReviewReasons | None = None,
    today: dt.date,
) -> dict[str, Any]:
    """Record a review held: the SSDA903 `reviews` row (or, in a short-break period, the participation
    on `review_details`), its `review_details`, and any meeting adjourned or stood down before it.
    Returns the stored snapshot."""
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    _check_event_date(errors=errors, field="review_date", label="Date held", day=review_date, facts=facts, today=today)
    if "review_date" not in errors and _review_exists(child_id=child_id, review_date=review_date):
        errors["review_date"] = f"A review held on {long_date(review_date)} is already recorded for this child"
    _check_participation(errors=errors, participation=participation, review_date=review_date, facts=facts)
    if review_format is not None and review_format not in codes.REVIEW_FORMAT:
        errors["review_format"] = "Select how the review was held"
    _check_later_date(
        errors=errors, field="decisions_date", label="Decisions date", day=decisions_date, held=review_date, today=today
    )
    _check_later_date(
        errors=errors,
        field="record_distributed_date",
        label="Record distributed date",
        day=record_distributed_date,
        held=review_date,
        today=today,
    )
    if meeting is not None:
        _check_meeting(errors=errors, meeting=meeting, review_date=review_date, facts=facts, today=today)
    # Why late, why not attended, chaired (decision 0021): checked only when the caller records them.
    reason_values = (
        {}
        if reasons is None
        else review_reasons_for(
            errors=errors, reasons=reasons, child_id=child_id, participation=participation, review_date=review_date
        )
    )
    _raise_if(errors)

    short_break = facts.short_break_on(review_date)
    details = {
        "iro_id": _recording_iro(user=user, facts=facts),
        "format": review_format,
        "series_of_meetings": _yes_no(series_of_meetings),
        "invitations_sent_date": None,
        "decisions_date": decisions_date,
        "record_distributed_date": record_distributed_date,
        "permanence_plan": _yes_no(permanence_plan),
        "participation": participation if short_break else None,
        **reason_values,
    }
    key = {"child_id": child_id, "review_date": review_date}
    recorded_twice = recorded_meanwhile("review")
    with child_records_saved(child_ids=[child_id], refusal=recorded_twice):
        if _review_exists(child_id=child_id, review_date=review_date):  # saved since it was checked above
            raise ConcurrentSaveError(recorded_twice)
        if not short_break:
            DATASET_MODELS["reviews"]._default_manager.create(**key, participation=participation)
        DATASET_MODELS["review_details"]._default_manager.create(**key, **details)
        after = review_snapshot(child_id=child_id, review_date=review_date)
        audit_record(user=user, action=Action.CREATE, child_id=child_id, table="reviews", before=None, after=after)
        if meeting is not None:
            meeting_row = {
                "child_id": child_id,
                "meeting_date": meeting.meeting_date,
                "outcome": meeting.outcome,
                "reason": meeting.reason,
                "reconvened_date": meeting.reconvened_date or review_date,
                "iro_id": details["iro_id"],
            }
            DATASET_MODELS["review_meetings"]._default_manager.create(**meeting_row)
            audit_record(
                user=user,
                action=Action.CREATE,
                child_id=child_id,
                table="review_meetings",
                before=None,
                after=_json_safe(meeting_row),
            )
    return after


def _check_meeting(
    *, errors: dict[str, str], meeting: MeetingInput, review_date: dt.date, facts: ChildFacts, today: dt.date
) -> None:
    if meeting.outcome not in codes.MEETING_OUTCOME:
        errors["meeting_outcome"] = "Select whether a meeting was adjourned or stood down"
    if meeting.reason not in codes.ADJOURNMENT_REASON:
        errors["meeting_reason"] = "Select why the meeting was adjourned or stood down"
    _check_event_date(
        errors=errors, field="meeting_date", label="Meeting date", day=meeting.meeting_date, facts=facts, today=today
    )
    if "meeting_date" not in errors and meeting.meeting_date > review_date:
        errors["meeting_date"] = (
            f"Meeting date must be on or before the date the review was held, {long_date(review_date)}"
        )
    previous = _previous_review(child_id=facts.child_id, review_date=review_date)
    if "meeting_date" not in errors and previous is not None and meeting.meeting_date <= previous:
        errors["meeting_date"] = f"Meeting date must be after the review before this one, held on {long_date(previous)}"
    if "meeting_date" not in errors and (
        DATASET_MODELS["review_meetings"]
        ._default_manager.filter(child_id=facts.child_id, meeting_date=meeting.meeting_date)
        .exists()
    ):
        errors["meeting_date"] = f"A meeting on {long_date(meeting.meeting_date)} is already recorded for this child"
    if meeting.reconvened_date is not None and (
        meeting.reconvened_date < meeting.meeting_date or meeting.reconvened_date > review_date
    ):
        errors["reconvened_date"] = "Reconvened date must be between the meeting date and the date the review was held"


def _held_review_dates(*, child_id: str) -> list[dt.date]:
    """Every review held for the child, whether on `reviews` or (in a short-break period) only on
    `review_details`, earliest first."""
    held: set[dt.date] = set()
    for table in ("reviews", "review_details"):
        held.update(
            DATASET_MODELS[table]._default_manager.filter(child_id=child_id).values_list("review_date", flat=True)
        )
    return sorted(held)


def _previous_review(*, child_id: str, review_date: dt.date) -> dt.date | None:
    earlier = [held for held in _held_review_dates(child_id=child_id) if held < review_date]
    return earlier[-1] if earlier else None


def review_meetings_series(*, child_id: str, review_date: dt.date) -> list[dict[str, Any]]:
    """The meetings adjourned or stood down on the way to the review held on `review_date`: those after
    the review before it. The dataset links a meeting to its review by date alone."""
    previous = _previous_review(child_id=child_id, review_date=review_date)
    meetings = DATASET_MODELS["review_meetings"]._default_manager.filter(
        child_id=child_id, meeting_date__lte=review_date
    )
    if previous is not None:
        meetings = meetings.filter(meeting_date__gt=previous)
    columns = TABLES_BY_NAME["review_meetings"].column_names
    rows = [dict(row) for row in meetings.order_by("meeting_date").values(*columns)]
    return rows


def review_meeting_add(
    *,
    user: AnyUser,
    child_id: str,
    review_date: dt.date,
    meeting_date: dt.date,
    outcome: str,
    reason: str,
    today: dt.date,
) -> dict[str, Any]:
    """Add one more meeting to the series adjourned or stood down before the review held on
    `review_date` (a review adjourned twice has two meetings). A meeting reconvened at the next meeting
    of the series, or, for the last, on the day the review was held: the new meeting's reconvened date
    is set that way, and the meeting before it in the series now reconvened at the new one."""
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
    if not _review_exists(child_id=child_id, review_date=review_date):
        raise LookupError(f"No review held on {review_date} for this child")
    errors: dict[str, str] = {}
    meeting = MeetingInput(meeting_date=meeting_date, outcome=outcome, reason=reason, reconvened_date=None)
    _check_meeting(errors=errors, meeting=meeting, review_date=review_date, facts=facts, today=today)
    _raise_if(errors)
    model = DATASET_MODELS["review_meetings"]._default_manager
    recorded_twice = recorded_meanwhile("meeting")
    with child_records_saved(child_ids=[child_id], refusal=recorded_twice):
        if model.filter(child_id=child_id, meeting_date=meeting_date).exists():  # saved since it was checked
            raise ConcurrentSaveError(recorded_twice)
        series = review_meetings_series(child_id=child_id, review_date=review_date)
        later = [row["meeting_date"] for row in series if row["meeting_date"] > meeting_date]
        earlier = [row for row in series if row["meeting_date"] < meeting_date]
        row = {
            "child_id": child_id,
            "meeting_date": meeting_date,
            "outcome": outcome,
            "reason": reason,
            "reconvened_date": later[0] if later else review_date,
            "iro_id": _recording_iro(user=user, facts=facts),
        }
        model.create(**row)
        audit_record(
            user=user,
            action=Action.CREATE,
            child_id=child_id,
            table="review_meetings",
            before=None,
            after=_json_safe(row),
        )
        if earlier and (earlier[-1]["reconvened_date"] is None or earlier[-1]["reconvened_date"] > meeting_date):
            key = {"child_id": child_id, "meeting_date": earlier[-1]["meeting_date"]}
            before = _locked_row("review_meetings", **key)
            model.filter(**key).update(reconvened_date=meeting_date)
            audit_record(
                user=user,
                action=Action.UPDATE,
                child_id=child_id,
                table="review_meetings",
                before=_json_safe(before),
                after=_json_safe(_row("review_meetings", **key)),
            )
    return row


def _stored_review(*, child_id: str, review_date: dt.date, version: str) -> dict[str, Any]:
    """The review's rows, locked for the rest of the transaction; refused if they changed since `version`."""
    reviews = _locked_row("reviews", child_id=child_id, review_date=review_date)
    details = _locked_row("review_details", child_id=child_id, review_date=review_date)
    before = {"reviews": _json_safe(reviews), "review_details": _json_safe(details)}
    if reviews is None and details is None:
        raise LookupError(f"No review held on {review_date} for this child")
    if _version(before) != version:
        raise StaleEditError()
    return before


def review_update(
    *,
    user: AnyUser,
    child_id: str,
    review_date: dt.date,
    version: str,
    participation: str,
    review_format: str | None,
    series_of_meetings: bool | None,
    decisions_date: dt.date | None,
    record_distributed_date: dt.date | None,
    permanence_plan: bool | None,
    today: dt.date,
    facts: ChildFacts | None = None,
    reasons: ReviewReasons | None = None,
) -> dict[str, Any]:
    """Change a review already recorded (not its date, which is its key). `version` is the
    `review_version` the form was opened with: a save over someone else's later save raises
    `StaleEditError` and changes nothing. `facts`: the child's facts as the page read them from the
    database for this request, if it did (see `_facts_for_recorder`)."""
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today, facts=facts)
    errors: dict[str, str] = {}
    _check_participation(errors=errors, participation=participation, review_date=review_date, facts=facts)
    if review_format is not None and review_format not in codes.REVIEW_FORMAT:
        errors["review_format"] = "Select how the review was held"
    for field, label, day in (
        ("decisions_date", "Decisions date", decisions_date),
        ("record_distributed_date", "Record distributed date", record_distributed_date),
    ):
        _check_later_date(errors=errors, field=field, label=label, day=day, held=review_date, today=today)
    stored_details = _row("review_details", child_id=child_id, review_date=review_date) or {}
    reason_values = (
        {}
        if reasons is None
        else review_reasons_for(
            errors=errors,
            reasons=reasons,
            child_id=child_id,
            participation=participation,
            review_date=review_date,
            stored_late_reason=stored_details.get("late_reason"),
        )
    )
    _raise_if(errors)
    key = {"child_id": child_id, "review_date": review_date}
    with child_records_saved(child_ids=[child_id], refusal=StaleEditError.MESSAGE):
        before = _stored_review(child_id=child_id, review_date=review_date, version=version)
        short_break = facts.short_break_on(review_date)
        if not short_break:
            _write_locked("reviews", key=key, values={"participation": participation}, stored=before["reviews"])
        _write_locked(
            "review_details",
            key=key,
            stored=before["review_details"],
            values={
                "format": review_format,
                "series_of_meetings": _yes_no(series_of_meetings),
                "decisions_date": decisions_date,
                "record_distributed_date": record_distributed_date,
                "permanence_plan": _yes_no(permanence_plan),
                "participation": participation if short_break else None,
                **reason_values,
            },
        )
        after = review_snapshot(child_id=child_id, review_date=review_date)
        audit_record(user=user, action=Action.UPDATE, child_id=child_id, table="reviews", before=before, after=after)
    return after


def review_dates_record(
    *,
    user: AnyUser,
    child_id: str,
    review_date: dt.date,
    version: str,
    decisions_date: dt.date | None,
    record_distributed_date: dt.date | None,
    invitations_sent_date: dt.date | None,
    today: dt.date,
    facts: ChildFacts | None = None,
) -> dict[str, Any]:
    """Record when the invitations to a review went out, and when its decisions and full record were
    sent out (business support's part of a review). Refused like `review_update` when the review
    changed since `version`; `facts` as for `review_update`."""
    _facts_for_recorder(  # refuses anyone else
        user=user, child_id=child_id, today=today, may=may_record_review_dates, facts=facts
    )
    errors: dict[str, str] = {}
    if invitations_sent_date is not None and invitations_sent_date > review_date:
        errors["invitations_sent_date"] = (
            f"Invitations sent date must be on or before the date the review was held, {long_date(review_date)}"
        )
    for field, label, day in (
        ("decisions_date", "Decisions date", decisions_date),
        ("record_distributed_date", "Record distributed date", record_distributed_date),
    ):
        _check_later_date(errors=errors, field=field, label=label, day=day, held=review_date, today=today)
    _raise_if(errors)
    with child_records_saved(child_ids=[child_id], refusal=StaleEditError.MESSAGE):
        before = _stored_review(child_id=child_id, review_date=review_date, version=version)
        _write_locked(
            "review_details",
            key={"child_id": child_id, "review_date": review_date},
            stored=before["review_details"],
            values={
                "decisions_date": decisions_date,
                "record_distributed_date": record_distributed_date,
                "invitations_sent_date": invitations_sent_date,
            },
        )
        after = review_snapshot(child_id=child_id, review_date=review_date)
        audit_record(user=user, action=Action.UPDATE, child_id=child_id, table="reviews", before=before, after=after)
    return after


# ---------------------------------------------------------------- booking reviews -----------------


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
    return _json_safe(_row("scheduled_reviews", child_id=child_id, scheduled_date=scheduled_date))


def booking_version(*, child_id: str, scheduled_date: dt.date) -> str:
    return _version({"scheduled_reviews": booking_snapshot(child_id=child_id, scheduled_date=scheduled_date)})


def _open_bookings(*, child_id: str, other_than: dt.date | None = None) -> list[dt.date]:
    """Bookings not yet held: booked for a day after the child's latest review held."""
    held = _held_review_dates(child_id=child_id)
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
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)
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
    _raise_if(errors)
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

    _create_audited(
        user=user,
        table="scheduled_reviews",
        child_id=child_id,
        row=row,
        taken=taken,
        refusal=BOOKED_MEANWHILE,
    )
    return BookingSaved(row=row, due_date=_due_date(child_id=child_id, today=today))


def _stored_booking(*, child_id: str, scheduled_date: dt.date, version: str) -> dict[str, Any]:
    before = _locked_row("scheduled_reviews", child_id=child_id, scheduled_date=scheduled_date)
    if before is None:
        raise LookupError(f"No review booked for {scheduled_date} for this child")
    if _version({"scheduled_reviews": _json_safe(before)}) != version:
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
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)
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
        _raise_if(errors)
        model = DATASET_MODELS["scheduled_reviews"]._default_manager
        model.filter(child_id=child_id, scheduled_date=scheduled_date).update(
            scheduled_date=new_scheduled_date, format=review_format, invitations_sent_date=invitations_sent_date
        )
        after = _row("scheduled_reviews", child_id=child_id, scheduled_date=new_scheduled_date) or {}
        audit_record(
            user=user,
            action=Action.UPDATE,
            child_id=child_id,
            table="scheduled_reviews",
            before=_json_safe(before),
            after=_json_safe(after),
        )
    return BookingSaved(row=after, due_date=_due_date(child_id=child_id, today=today))


def review_booking_cancel(
    *, user: AnyUser, child_id: str, scheduled_date: dt.date, version: str, today: dt.date
) -> dict[str, Any]:
    """Cancel a booking: its row is removed (the audit trail keeps what it was)."""
    _facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)  # refuses anyone else
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
            before=_json_safe(before),
            after=None,
        )
    return before


# ---------------------------------------------------------------- consultation forms --------------


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
    return [_json_safe(dict(row)) or {} for row in rows]


def consultations_version(*, child_id: str, review_date: dt.date) -> str:
    return _version({"consultations": consultations_snapshot(child_id=child_id, review_date=review_date)})


def review_is_booked_or_held(*, child_id: str, review_date: dt.date) -> bool:
    booked = (
        DATASET_MODELS["scheduled_reviews"]
        ._default_manager.filter(child_id=child_id, scheduled_date=review_date)
        .exists()
    )
    return booked or _review_exists(child_id=child_id, review_date=review_date)


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
    _facts_for_recorder(user=user, child_id=child_id, today=today, may=may_book)  # refuses anyone else
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
    _raise_if(errors)
    model = DATASET_MODELS["consultations"]._default_manager
    with child_records_saved(child_ids=[child_id], refusal=CONSULTATIONS_STALE):
        list(model.select_for_update().filter(child_id=child_id, review_date=review_date))
        before = consultations_snapshot(child_id=child_id, review_date=review_date)
        if _version({"consultations": before}) != version:
            raise StaleEditError(CONSULTATIONS_STALE)
        for form in forms:
            key = {"child_id": child_id, "review_date": review_date, "recipient": form.recipient}
            if form.sent_date is None:
                if model.filter(**key).exists():
                    model.filter(**key).delete()
            else:
                _upsert(
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


# ---------------------------------------------------------------- between reviews -----------------


def _create_audited(
    *,
    user: AnyUser,
    table: str,
    child_id: str,
    row: dict[str, Any],
    taken: Callable[[], bool] | None = None,
    refusal: str | None = None,
) -> dict[str, Any]:
    """Store a new row and its audit entry together, or neither. `taken`, asked again once the child's
    records are locked, says whether another save stored the same thing since it was checked: the save
    is then refused with `refusal`."""
    refusal = refusal or recorded_meanwhile("record")
    with child_records_saved(child_ids=[child_id], refusal=refusal):
        if taken is not None and taken():
            raise ConcurrentSaveError(refusal)
        DATASET_MODELS[table]._default_manager.create(**row)
        audit_record(
            user=user, action=Action.CREATE, child_id=child_id, table=table, before=None, after=_json_safe(row)
        )
    return row


def _record_simple(
    *,
    user: AnyUser,
    table: str,
    child_id: str,
    key: dict[str, Any],
    date_field: str,
    date_label: str,
    values: dict[str, Any],
    errors: dict[str, str],
    facts: ChildFacts,
    duplicate: str,
    what: str,
    today: dt.date,
) -> dict[str, Any]:
    day = key[date_field]
    _check_event_date(errors=errors, field=date_field, label=date_label, day=day, facts=facts, today=today)
    model = DATASET_MODELS[table]._default_manager

    def taken() -> bool:
        return bool(model.filter(child_id=child_id, **key).exists())

    if date_field not in errors and taken():
        errors[date_field] = duplicate
    _raise_if(errors)
    row = {"child_id": child_id, **key, **values, "iro_id": _recording_iro(user=user, facts=facts)}
    return _create_audited(
        user=user, table=table, child_id=child_id, row=row, taken=taken, refusal=recorded_meanwhile(what)
    )


def midway_review_record(
    *, user: AnyUser, child_id: str, midway_date: dt.date, concerns_identified: bool | None, today: dt.date
) -> dict[str, Any]:
    """Record the IRO's midway check on the care plan between reviews."""
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
    return _record_simple(
        user=user,
        table="midway_reviews",
        child_id=child_id,
        key={"midway_date": midway_date},
        date_field="midway_date",
        date_label="Date of the midway review",
        values={"concerns_identified": _yes_no(concerns_identified)},
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
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
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
    return _record_simple(
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
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    if rag_level not in codes.RAG_LEVEL:
        errors["rag_level"] = "Select the RAG level"
    return _record_simple(
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


# ---------------------------------------------------------------- feedback on practice ------------


def _new_id(*, table: str, column: str, prefix: str) -> str:
    """A short identifier nobody has to type: the prefix and eight random hexadecimal digits."""
    model = DATASET_MODELS[table]._default_manager
    while True:
        candidate = f"{prefix}-{secrets.token_hex(4).upper()}"
        if not model.filter(**{column: candidate}).exists():
            return candidate


def good_practice_record(
    *, user: AnyUser, child_id: str, notification_date: dt.date, theme: str, service: str, today: dt.date
) -> dict[str, Any]:
    """Record a good practice notification: practice the IRO recognised in the work with this child
    and fed back to the team or service. Returns the stored row, with its new identifier."""
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    _check_event_date(
        errors=errors,
        field="notification_date",
        label="Date sent",
        day=notification_date,
        facts=facts,
        today=today,
        during_care=False,
    )
    if theme not in codes.GOOD_PRACTICE_THEME:
        errors["theme"] = "Select what the notification recognised"
    if service not in codes.SERVICE:
        errors["service"] = "Select the team or service recognised"
    _raise_if(errors)
    row = {
        "notification_id": _new_id(table="good_practice", column="notification_id", prefix="GP"),
        "notification_date": notification_date,
        "theme": theme,
        "service": service,
        "child_id": child_id,
        "iro_id": _recording_iro(user=user, facts=facts),
    }
    return _create_audited(user=user, table="good_practice", child_id=child_id, row=row)


def practice_alert_record(
    *,
    user: AnyUser,
    child_id: str,
    raised_date: dt.date,
    reasons: list[str],
    service: str,
    today: dt.date,
) -> dict[str, Any]:
    """Record a practice alert: a concern about the quality of the work with this child, raised outside
    the formal dispute process, for one or more reasons. It stays open until marked resolved."""
    facts = _facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    _check_event_date(
        errors=errors,
        field="raised_date",
        label="Date raised",
        day=raised_date,
        facts=facts,
        today=today,
        during_care=False,
    )
    if not reasons or any(reason not in codes.PRACTICE_ALERT_REASON for reason in reasons):
        errors["reasons"] = "Select at least one reason for the alert"
    if service not in codes.SERVICE:
        errors["service"] = "Select the team or service the alert is about"
    _raise_if(errors)
    row = {
        "alert_id": _new_id(table="practice_alerts", column="alert_id", prefix="PA"),
        "raised_date": raised_date,
        # In the code list's order, once each, whatever order the boxes were posted in.
        "reasons": [code for code in codes.PRACTICE_ALERT_REASON.valid_codes() if code in reasons],
        "service": service,
        "child_id": child_id,
        "iro_id": _recording_iro(user=user, facts=facts),
        "resolved_date": None,
    }
    return _create_audited(user=user, table="practice_alerts", child_id=child_id, row=row)


def practice_alert(*, child_id: str, alert_id: str) -> dict[str, Any] | None:
    """One of the child's practice alerts, or None when the child has no alert with that identifier."""
    return _row("practice_alerts", child_id=child_id, alert_id=alert_id)


def practice_alert_resolve(
    *, user: AnyUser, child_id: str, alert_id: str, resolved_date: dt.date, impact: str, today: dt.date
) -> dict[str, Any]:
    """Mark an open practice alert resolved, with what it achieved (decision 0021). Raises LookupError
    when the child has no such alert."""
    _facts_for_recorder(user=user, child_id=child_id, today=today)  # refuses anyone else
    key = {"child_id": child_id, "alert_id": alert_id}
    with child_records_saved(child_ids=[child_id]):
        before = _locked_row("practice_alerts", **key)
        if before is None:
            raise LookupError(f"No practice alert {alert_id} for this child")
        errors: dict[str, str] = {}
        raised: dt.date = before["raised_date"]
        if before["resolved_date"] is not None:
            errors["resolved_date"] = f"This alert was already resolved on {long_date(before['resolved_date'])}"
        elif resolved_date > today:
            errors["resolved_date"] = "Date resolved must be today or in the past"
        elif resolved_date < raised:
            errors["resolved_date"] = (
                f"Date resolved must be on or after the date the alert was raised, {long_date(raised)}"
            )
        if impact not in codes.CHALLENGE_IMPACT:
            errors["impact"] = "Select what the alert achieved for the child"
        _raise_if(errors)
        DATASET_MODELS["practice_alerts"]._default_manager.filter(**key).update(
            resolved_date=resolved_date, impact=impact
        )
        after = _row("practice_alerts", **key)
        audit_record(
            user=user,
            action=Action.UPDATE,
            child_id=child_id,
            table="practice_alerts",
            before=_json_safe(before),
            after=_json_safe(after),
        )
    return after or {}
