"""Sign-in lockout (django-axes counts the failures, decision 0015): the page a locked sign-in gets,
which writes the lockout to the audit trail; the sign-ins locked now; and an administrator's unlock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from iroscope.web.accounts.selectors import AnyUser
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record

NOT_SIGNED_IN = "(not signed in)"
USERNAME_KEPT = 150  # Django's longest user name: what was typed beyond it is no one's name
LOCKED_STATUS = 429


def username_tried(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The user name a sign-in gave (never its password), cut to the longest a user name can be."""
    given = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(given).strip()[:USERNAME_KEPT]


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes' lockout page (`AXES_LOCKOUT_CALLABLE`): each sign-in refused as locked, the one that
    locked it included, is written to the audit trail under the user name tried."""
    tried = username_tried(request, credentials)
    audit_record(
        user=None,
        action=Action.LOCKED_OUT,
        subject=f"the user name {tried}" if tried else "a sign-in with no user name",
        after={"user name tried": tried, "failed attempts allowed": settings.AXES_FAILURE_LIMIT},
        unnamed=NOT_SIGNED_IN,
    )
    return render(request, "accounts/locked_out.html", status=LOCKED_STATUS)


@dataclass(frozen=True)
class LockedSignIn:
    username: str
    failures: int
    last_attempt: Any  # an aware datetime


def sign_ins_locked() -> list[LockedSignIn]:
    """The user names locked now (from any address), most recent first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )
    return [LockedSignIn(row["username"] or "", row["failures"], row["last_attempt"]) for row in rows]


def sign_in_unlock(*, user: AnyUser, username: str) -> int:
    """Clear the failed attempts of `username` from every address, so that it can sign in again at
    once; audited. Returns how many addresses' records were cleared (0: it was not locked)."""
    cleared = reset(username=username)
    audit_record(
        user=user,
        action=Action.UNLOCK,
        subject=f"the user name {username}",
        after={"user name": username, "addresses cleared": cleared},
    )
    return int(cleared)
