"""The audit trail as CSV, for an information governance officer to keep or examine: one row per entry,
its details written out as the page shows them. Every text value that a spreadsheet would run as a
formula is neutralised (`iroscope.data.formulas`): user names tried and imported values reach it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone

from iroscope.data.formulas import neutralised_text
from iroscope.web.audit.models import AuditEvent
from iroscope.web.audit.selectors import Detail, event_details

HEADINGS = ("When", "Who", "What", "Subject", "Child", "Table", "Details")
_CHUNK = 500


def _detail_text(detail: Detail) -> str:
    if detail.before is None:
        return f"{detail.field}: {detail.after}"
    if detail.after is None:
        return f"{detail.field}: {detail.before} (removed)"
    return f"{detail.field}: {detail.before} → {detail.after}"


def _row(event: AuditEvent) -> list[str]:
    values = [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.username,
        event.get_action_display(),
        event.subject or "",
        event.child_id or "",
        event.table or "",
        "; ".join(_detail_text(detail) for detail in event_details(event)),
    ]
    return [neutralised_text(value) for value in values]


def audit_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The CSV a line (or a few hundred rows) at a time, so that a long trail is never held whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    for count, event in enumerate(events, start=1):
        writer.writerow(_row(event))
        if count % _CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
