"""The audit trail is written by explicit calls from views and services, never by signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from iroscope.web.audit.models import Action, AuditEvent


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
    """`unnamed` stands in the user name column when no account did it (a refused sign-in, say)."""
    person = user if isinstance(user, User) else None
    return AuditEvent.objects.create(
        user=person,
        username=person.get_username() if person is not None else unnamed,
        action=action,
        child_id=child_id,
        table=table,
        subject=subject,
        before=before,
        after=after,
    )
