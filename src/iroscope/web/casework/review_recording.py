"""Recording reviews held: the review itself, each meeting adjourned or stood down before it, changes
to a review already recorded, and business support's dates (invitations, decisions, full record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.recording import (
    AnyUser,
    StaleEditError,
    check_event_date,
    check_later_date,
    check_participation,
    facts_for_recorder,
    json_safe,
    locked_row,
    may_record_review_dates,
    raise_if,
    recorded_meanwhile,
    recording_iro,
    stored_row,
    version_of,
    write_locked,
    yes_no_code,
)
from iroscope.web.casework.review_reasons import ReviewReasons, review_reasons_for
from iroscope.web.casework.selectors import ChildFacts
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import ConcurrentSaveError, child_records_saved


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
        "reviews": json_safe(stored_row("reviews", child_id=child_id, review_date=review_date)),
        "review_details": json_safe(stored_row("review_details", child_id=child_id, review_date=review_date)),
    }


def review_version(*, child_id: str, review_date: dt.date) -> str:
    """A fingerprint of the review as stored: it changes whenever anyone saves the review."""
    return snapshot_version(review_snapshot(child_id=child_id, review_date=review_date))


def snapshot_version(snapshot: dict[str, Any]) -> str:
    """The `review_version` of a `review_snapshot` already read, so a page reads the review once."""
    return version_of(snapshot)


def review_exists(*, child_id: str, review_date: dt.date) -> bool:
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
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    check_event_date(errors=errors, field="review_date", label="Date held", day=review_date, facts=facts, today=today)
    if "review_date" not in errors and review_exists(child_id=child_id, review_date=review_date):
        errors["review_date"] = f"A review held on {long_date(review_date)} is already recorded for this child"
    check_participation(errors=errors, participation=participation, review_date=review_date, facts=facts)
    if review_format is not None and review_format not in codes.REVIEW_FORMAT:
        errors["review_format"] = "Select how the review was held"
    check_later_date(
        errors=errors, field="decisions_date", label="Decisions date", day=decisions_date, held=review_date, today=today
    )
    check_later_date(
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
    raise_if(errors)

    short_break = facts.short_break_on(review_date)
    details = {
        "iro_id": recording_iro(user=user, facts=facts),
        "format": review_format,
        "series_of_meetings": yes_no_code(series_of_meetings),
        "invitations_sent_date": None,
        "decisions_date": decisions_date,
        "record_distributed_date": record_distributed_date,
        "permanence_plan": yes_no_code(permanence_plan),
        "participation": participation if short_break else None,
        **reason_values,
    }
    key = {"child_id": child_id, "review_date": review_date}
    recorded_twice = recorded_meanwhile("review")
    with child_records_saved(child_ids=[child_id], refusal=recorded_twice):
        if review_exists(child_id=child_id, review_date=review_date):  # saved since it was checked above
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
                after=json_safe(meeting_row),
            )
    return after


def _check_meeting(
    *, errors: dict[str, str], meeting: MeetingInput, review_date: dt.date, facts: ChildFacts, today: dt.date
) -> None:
    if meeting.outcome not in codes.MEETING_OUTCOME:
        errors["meeting_outcome"] = "Select whether a meeting was adjourned or stood down"
    if meeting.reason not in codes.ADJOURNMENT_REASON:
        errors["meeting_reason"] = "Select why the meeting was adjourned or stood down"
    check_event_date(
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


def held_review_dates(*, child_id: str) -> list[dt.date]:
    """Every review held for the child, whether on `reviews` or (in a short-break period) only on
    `review_details`, earliest first."""
    held: set[dt.date] = set()
    for table in ("reviews", "review_details"):
        held.update(
            DATASET_MODELS[table]._default_manager.filter(child_id=child_id).values_list("review_date", flat=True)
        )
    return sorted(held)


def _previous_review(*, child_id: str, review_date: dt.date) -> dt.date | None:
    earlier = [held for held in held_review_dates(child_id=child_id) if held < review_date]
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
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    if not review_exists(child_id=child_id, review_date=review_date):
        raise LookupError(f"No review held on {review_date} for this child")
    errors: dict[str, str] = {}
    meeting = MeetingInput(meeting_date=meeting_date, outcome=outcome, reason=reason, reconvened_date=None)
    _check_meeting(errors=errors, meeting=meeting, review_date=review_date, facts=facts, today=today)
    raise_if(errors)
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
            "iro_id": recording_iro(user=user, facts=facts),
        }
        model.create(**row)
        audit_record(
            user=user,
            action=Action.CREATE,
            child_id=child_id,
            table="review_meetings",
            before=None,
            after=json_safe(row),
        )
        if earlier and (earlier[-1]["reconvened_date"] is None or earlier[-1]["reconvened_date"] > meeting_date):
            key = {"child_id": child_id, "meeting_date": earlier[-1]["meeting_date"]}
            before = locked_row("review_meetings", **key)
            model.filter(**key).update(reconvened_date=meeting_date)
            audit_record(
                user=user,
                action=Action.UPDATE,
                child_id=child_id,
                table="review_meetings",
                before=json_safe(before),
                after=json_safe(stored_row("review_meetings", **key)),
            )
    return row


def _stored_review(*, child_id: str, review_date: dt.date, version: str) -> dict[str, Any]:
    """The review's rows, locked for the rest of the transaction; refused if they changed since `version`."""
    reviews = locked_row("reviews", child_id=child_id, review_date=review_date)
    details = locked_row("review_details", child_id=child_id, review_date=review_date)
    before = {"reviews": json_safe(reviews), "review_details": json_safe(details)}
    if reviews is None and details is None:
        raise LookupError(f"No review held on {review_date} for this child")
    if version_of(before) != version:
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
    database for this request, if it did (see `facts_for_recorder`)."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today, facts=facts)
    errors: dict[str, str] = {}
    check_participation(errors=errors, participation=participation, review_date=review_date, facts=facts)
    if review_format is not None and review_format not in codes.REVIEW_FORMAT:
        errors["review_format"] = "Select how the review was held"
    for field, label, day in (
        ("decisions_date", "Decisions date", decisions_date),
        ("record_distributed_date", "Record distributed date", record_distributed_date),
    ):
        check_later_date(errors=errors, field=field, label=label, day=day, held=review_date, today=today)
    # A late reason the settings have since dropped may be kept, not chosen afresh (decision 0021); a
    # change to it since the form was opened is refused below with the rest.
    stored_details = stored_row("review_details", child_id=child_id, review_date=review_date) or {}
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
    raise_if(errors)
    key = {"child_id": child_id, "review_date": review_date}
    with child_records_saved(child_ids=[child_id], refusal=StaleEditError.MESSAGE):
        before = _stored_review(child_id=child_id, review_date=review_date, version=version)
        short_break = facts.short_break_on(review_date)
        if not short_break:
            write_locked("reviews", key=key, values={"participation": participation}, stored=before["reviews"])
        write_locked(
            "review_details",
            key=key,
            stored=before["review_details"],
            values={
                "format": review_format,
                "series_of_meetings": yes_no_code(series_of_meetings),
                "decisions_date": decisions_date,
                "record_distributed_date": record_distributed_date,
                "permanence_plan": yes_no_code(permanence_plan),
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
    facts_for_recorder(  # refuses anyone else
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
        check_later_date(errors=errors, field=field, label=label, day=day, held=review_date, today=today)
    raise_if(errors)
    with child_records_saved(child_ids=[child_id], refusal=StaleEditError.MESSAGE):
        before = _stored_review(child_id=child_id, review_date=review_date, version=version)
        write_locked(
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
