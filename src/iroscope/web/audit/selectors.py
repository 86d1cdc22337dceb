from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from iroscope.web.audit.models import AuditEvent

SEARCH_LIMIT = 200


def audit_search(
    *,
    child_id: str | None = None,
    username: str | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = SEARCH_LIMIT,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if child_id:
        events = events.filter(child_id=child_id)
    if username:
        events = events.filter(username=username)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events[:limit]
