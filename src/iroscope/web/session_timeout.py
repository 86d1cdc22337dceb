"""The warning before the idle sign-out, and the way to stay signed in.

A session ends `SESSION_COOKIE_AGE` seconds after its expiry was last pushed back, which
`SessionActivityMiddleware` does at most once a minute: so a page can count on its session for the
idle limit less that minute from the moment it loaded. The page's script (static/iroscope/session.js)
shows the GOV.UK timeout warning `warning_seconds` before then; "Stay signed in" posts here, which
pushes the expiry back; otherwise the script keeps what was typed and signs the person out itself
before the server would, so the page they come back to after signing in is the one they left
(docs/decisions/0017-lost-typing.md)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from iroscope.web.middleware import LAST_SEEN_KEY, RENEW_AFTER_SECONDS

WARNING_SECONDS = 120


def session_seconds() -> int:
    """How long a page may count on its session from the moment it loaded."""
    return max(int(settings.SESSION_COOKIE_AGE) - RENEW_AFTER_SECONDS, 2)


def warning_seconds() -> int:
    """Two minutes before the sign-out, as the Design System's pattern has it; less when the idle
    limit itself is short."""
    return min(WARNING_SECONDS, session_seconds() // 2)


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """Context for every page: what the timeout warning needs, for a signed-in person only."""
    if not request.user.is_authenticated:
        return {}
    return {"session_timeout": {"seconds": session_seconds(), "warning": warning_seconds()}}


@require_POST
@login_required
def session_keep(request: HttpRequest) -> JsonResponse:
    """Push the session's expiry back now (the person pressed "Stay signed in")."""
    request.session[LAST_SEEN_KEY] = int(time.time())
    return JsonResponse({"seconds": session_seconds(), "warning": warning_seconds()})
