"""Walking pages as each person: what tests/web/test_access.py and each area's own access test share.

A person is a key of the `signed_in` fixture's clients, or "anonymous" for someone signed out. What
a page should give them is a status code, or SIGN_IN: sent to the sign-in page, which brings them
back to the page asked for."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from django.test import Client

ALLOW, DENY, SIGN_IN = 200, 403, "sign-in"


def client_for(person: str, signed_in: dict[str, Client]) -> Client:
    return Client() if person == "anonymous" else signed_in[person]


def assert_allowed_or_refused(response: HttpResponseBase, expected: int | str) -> None:
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
    else:
        assert response.status_code == expected
