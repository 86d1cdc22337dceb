"""When a decision of a review is overdue: still open (no status recorded) after the day it was due.

On the day it is due a decision is still due, not overdue, as a review is on its due day."""

from __future__ import annotations

import datetime as dt


def decision_overdue(*, status: str | None, due_date: dt.date, as_at: dt.date) -> bool:
    return not status and due_date < as_at
