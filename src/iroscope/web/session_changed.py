"""The page shown when a form is sent with a security token the session no longer holds: the person
signed in again in another tab, signed out, or stayed on a page past the idle sign-out. Django's own
page for this says "CSRF verification failed" and talks to developers; this one says what happened
in plain words and, where it safely can, keeps what was typed (docs/decisions/0017-lost-typing.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

# Inputs never shown back or sent again: the security token itself, and anything secret.
SECRET_WORDS = ("csrf", "password", "token", "secret")


@dataclass(frozen=True)
class KeptInput:
    """One input of the form as sent, to be shown back and sent again."""

    name: str
    value: str

    @property
    def label(self) -> str:
        """The input's name in words: "foreword-text" reads "Foreword text"."""
        words = " ".join(self.name.replace("-", " ").replace("_", " ").replace(".", " ").split())
        return words[:1].upper() + words[1:]


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def inputs_kept(*, request: HttpRequest) -> tuple[list[KeptInput], bool]:
    """The form's inputs as sent, in order, without the secret ones; and whether any secret input was
    left out (a form that needs its password again cannot simply be sent again)."""
    kept: list[KeptInput] = []
    left_out = False
    for name, values in request.POST.lists():
        if _is_secret(name):
            left_out = left_out or not name.lower().startswith("csrf")
            continue
        kept.extend(KeptInput(name=name, value=value) for value in values)
    return kept, left_out


def session_changed_page(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's `CSRF_FAILURE_VIEW`. `reason` is Django's technical reason, for developers only: it is
    not shown."""
    kept, secret_left_out = inputs_kept(request=request) if request.method == "POST" else ([], False)
    typed = [item for item in kept if item.value.strip()]
    context = {
        "kept": kept,
        "typed": typed,
        "can_send_again": bool(typed) and not secret_left_out and not request.FILES,
        "files_left_out": bool(request.FILES),
        "action": request.path,
    }
    # The public feedback form has no session and no workspace around it: its own words, same answers kept.
    template = "feedback/public_not_sent.html" if _is_public_feedback(request) else "session_changed.html"
    return render(request, template, context, status=403)


def _is_public_feedback(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).url_name == "feedback-public"
    except Resolver404:
        return False
