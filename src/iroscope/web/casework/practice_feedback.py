"""Feedback on practice: good practice notifications and practice alerts, and resolving an alert."""

from __future__ import annotations

import datetime as dt
from typing import Any

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.recording import (
    AnyUser,
    check_event_date,
    create_audited,
    facts_for_recorder,
    json_safe,
    locked_row,
    new_id,
    raise_if,
    recorded_meanwhile,
    recording_iro,
    stored_row,
)
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import child_records_saved


def _same_already_recorded(table: str, match: dict[str, Any]) -> bool:
    """A notification or alert has a new identifier each time, so a second press of the button would
    store it twice: the same child, day and content already stored means it was recorded already."""
    plain = {column: value for column, value in match.items() if not isinstance(value, list)}
    stored = DATASET_MODELS[table]._default_manager.filter(**plain).values(*match)
    return any(dict(row) == match for row in stored)  # lists (an alert's reasons) compared here, not in SQL


def good_practice_record(
    *, user: AnyUser, child_id: str, notification_date: dt.date, theme: str, service: str, today: dt.date
) -> dict[str, Any]:
    """Record a good practice notification: practice the IRO recognised in the work with this child
    and fed back to the team or service. Returns the stored row, with its new identifier."""
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    check_event_date(
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
    content = {"child_id": child_id, "notification_date": notification_date, "theme": theme, "service": service}
    if not errors and _same_already_recorded("good_practice", content):
        errors["notification_date"] = (
            f"A notification sent on {long_date(notification_date)} for the same practice and team is already "
            "recorded for this child"
        )
    raise_if(errors)
    row = {
        "notification_id": new_id(table="good_practice", column="notification_id", prefix="GP"),
        **content,
        "iro_id": recording_iro(user=user, facts=facts),
    }
    return create_audited(
        user=user,
        table="good_practice",
        child_id=child_id,
        row=row,
        taken=lambda: _same_already_recorded("good_practice", content),
        refusal=recorded_meanwhile("notification"),
    )


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
    facts = facts_for_recorder(user=user, child_id=child_id, today=today)
    errors: dict[str, str] = {}
    check_event_date(
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
    content = {
        "child_id": child_id,
        "raised_date": raised_date,
        # In the code list's order, once each, whatever order the boxes were posted in.
        "reasons": [code for code in codes.PRACTICE_ALERT_REASON.valid_codes() if code in reasons],
        "service": service,
    }
    if not errors and _same_already_recorded("practice_alerts", content):
        errors["raised_date"] = (
            f"An alert raised on {long_date(raised_date)} for the same reasons and team is already recorded for "
            "this child"
        )
    raise_if(errors)
    row = {
        "alert_id": new_id(table="practice_alerts", column="alert_id", prefix="PA"),
        **content,
        "iro_id": recording_iro(user=user, facts=facts),
        "resolved_date": None,
    }
    return create_audited(
        user=user,
        table="practice_alerts",
        child_id=child_id,
        row=row,
        taken=lambda: _same_already_recorded("practice_alerts", content),
        refusal=recorded_meanwhile("practice alert"),
    )


def practice_alert(*, child_id: str, alert_id: str) -> dict[str, Any] | None:
    """One of the child's practice alerts, or None when the child has no alert with that identifier."""
    return stored_row("practice_alerts", child_id=child_id, alert_id=alert_id)


def practice_alert_resolve(
    *, user: AnyUser, child_id: str, alert_id: str, resolved_date: dt.date, impact: str, today: dt.date
) -> dict[str, Any]:
    """Mark an open practice alert resolved, with what it achieved (decision 0021). Raises LookupError
    when the child has no such alert."""
    facts_for_recorder(user=user, child_id=child_id, today=today)  # refuses anyone else
    key = {"child_id": child_id, "alert_id": alert_id}
    with child_records_saved(child_ids=[child_id]):
        before = locked_row("practice_alerts", **key)
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
        raise_if(errors)
        DATASET_MODELS["practice_alerts"]._default_manager.filter(**key).update(
            resolved_date=resolved_date, impact=impact
        )
        after = stored_row("practice_alerts", **key)
        audit_record(
            user=user,
            action=Action.UPDATE,
            child_id=child_id,
            table="practice_alerts",
            before=json_safe(before),
            after=json_safe(after),
        )
    return after or {}
