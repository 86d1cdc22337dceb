from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import AuditEvent


def audit_search(
    *,
    child_id: str | None = None,
    username: str | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Every entry that matches, newest first: the page shows them a page at a time, the CSV all."""
    events = AuditEvent.objects.all()
    if child_id:
        events = events.filter(child_id=child_id)
    if username:
        # What the person did, and what was done to their account or sign-in (a failed sign-in under
        # their name, a lockout, an unlock, an administrator's change).
        about = Q(subject__iexact=f"the user name {username}") | Q(subject__iexact=f"the account {username}")
        events = events.filter(Q(username__iexact=username) | about)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


@dataclass(frozen=True)
class Detail:
    """One field of an event: its value before and after (None where the event has no such side)."""

    field: str
    before: str | None
    after: str | None


def event_details(event: AuditEvent) -> list[Detail]:
    """What an event recorded, field by field, for a person to read: for a change, only the fields whose
    value changed; for something added, viewed or signed in to, what it recorded; for something removed,
    what it held. Values kept by table (a review's rows) are named "table.column"."""
    paired = _paired(event.before or {}, event.after or {})
    if event.before is None:
        return [Detail(field, None, _shown(new)) for field, _, new in paired if new not in (None, "")]
    if event.after is None:
        return [Detail(field, _shown(old), None) for field, old, _ in paired if old not in (None, "")]
    return [Detail(field, _shown(old), _shown(new)) for field, old, new in paired if old != new]


def _paired(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[tuple[str, Any, Any]]:
    """Each field's value before and after, nested values (a table's row, absent on one side) opened up."""
    rows: list[tuple[str, Any, Any]] = []
    for key in [*after, *(key for key in before if key not in after)]:
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) or isinstance(new, dict):
            rows += _paired(old or {}, new or {}, prefix=f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", old, new))
    return rows


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{key} {_shown(item)}" for key, item in value.items())
    if isinstance(value, str) and len(value) == 10:
        try:
            return long_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)
