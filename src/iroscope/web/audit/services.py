"""The audit trail is written by explicit calls from views and services, never by signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.web.audit.models import Action, AuditEvent

WHOLE_DATASET = frozenset({Action.LOAD_DATASET, Action.EXPORT_DATASET})


def audit_record(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    action: Action,
    child_id: str | None = None,
    table: str | None = None,
    subject: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unnamed: str = "(system)",
) -> AuditEvent:
    """`unnamed` stands in the user name column when no account did it (a refused sign-in, say). Without a
    `subject`, one is worked out from what was changed (`default_subject`)."""
    person = user if isinstance(user, User) else None
    return AuditEvent.objects.create(
        user=person,
        username=person.get_username() if person is not None else unnamed,
        action=action,
        child_id=child_id,
        table=table,
        subject=subject or default_subject(action=action, table=table, child_id=child_id),
        before=before,
        after=after,
    )


def default_subject(*, action: Action, table: str | None, child_id: str | None) -> str | None:
    """What an entry is about when its writer did not say: the table changed, in words ("the child's
    record: IRO allocations", "Practice settings"), or the whole dataset for a load or an export."""
    if table:
        known = TABLES_BY_NAME.get(table)
        words = known.title if known is not None else table.replace("_", " ").capitalize()
        return f"the child's record: {words}" if child_id else words
    if action in WHOLE_DATASET:
        return "the whole dataset"
    return None
