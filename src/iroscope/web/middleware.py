"""Security headers Django does not send itself, keeping a signed-in session alive while it is used, and
naming the person whose request writes rows."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from iroscope.web.records.models import recording_person

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


# The session's last-activity stamp (seconds since the epoch), renewed at most this often.
LAST_SEEN_KEY = "last_seen"
RENEW_AFTER_SECONDS = 60


class SessionActivityMiddleware:
    """Sessions end after `SESSION_COOKIE_AGE` seconds without a request. Saving the session on every
    request would keep that exact but costs every page a write; instead a session in use is saved (and
    its expiry pushed back) only when its last-activity stamp is a minute old or more. So a session
    ends between a minute short of the idle limit and the limit itself after its last request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # An empty session (nobody signed in, or one expired already) is left alone: stamping it
        # would store a session for every visitor.
        if session.keys():
            now = int(time.time())
            if now - int(session.get(LAST_SEEN_KEY, 0)) >= RENEW_AFTER_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class RecordingPersonMiddleware:
    """Rows a request adds or changes are recorded in the workspace by its signed-in person (decision
    0012). The person is asked for only when a row is written, so pages that write nothing pay nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = recording_person.set(lambda: request.user.get_username() or None)
        try:
            return self.get_response(request)
        finally:
            recording_person.reset(token)
