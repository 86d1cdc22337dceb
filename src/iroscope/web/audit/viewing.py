"""Every page, list and download that shows child-level data writes one audit entry per showing, by
one decorator on its view: `@audited(Action.VIEW_LIST, subject="...")`. A glance at a view says
whether it is audited, and tests/web/test_audit_coverage.py walks every URL and fails on a page that
shows children's data without it (decision 0015).

The entry is written once the view has answered, so a page refused or not found is not recorded as
seen. The view adds what only it knows (how many children a list showed, the child a dispute is
about, the list's own name) with `audit_note`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record

View = Callable[..., HttpResponse]
_NOTE = "_iroscope_audit_note"
_AUDITED = "audited_action"


def audit_note(
    request: HttpRequest, *, child_id: str | None = None, subject: str | None = None, **details: Any
) -> None:
    """What the audit entry of this request should add: the child, a better subject, and details such
    as the number of children a list showed (`children=12`) or the rows a download held (`rows=12`)."""
    note: dict[str, Any] = getattr(request, _NOTE, {})
    if child_id is not None:
        note["child_id"] = child_id
    if subject is not None:
        note["subject"] = subject
    note.setdefault("details", {}).update(details)
    setattr(request, _NOTE, note)


def audited(action: Action, *, subject: str) -> Callable[[View], View]:
    """Record each GET this view answers with the page (status 200, or 400 for a form's error where the
    view noted what it showed): who, `action`, the child (the URL's `child_id`, or the one the view
    notes) and `subject`, in words. Put it inside `role_required`, so that a refused request records
    nothing."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            # A form's error (400) shows the data only where the view went on to note what it showed.
            shown = response.status_code == 200 or (response.status_code == 400 and hasattr(request, _NOTE))
            if request.method in ("GET", "HEAD") and shown:
                note: dict[str, Any] = getattr(request, _NOTE, {})
                child_id = note.get("child_id", kwargs.get("child_id"))
                audit_record(
                    user=request.user,
                    action=action,
                    child_id=str(child_id) if child_id is not None else None,
                    subject=note.get("subject", subject),
                    after=note.get("details") or None,
                )
            return response

        setattr(wrapped, _AUDITED, action)
        return wrapped

    return decorate


def audited_action(view: Callable[..., object]) -> Action | None:
    """The action `view` is audited as, or None for a view that writes no viewing entry."""
    action: Action | None = getattr(view, _AUDITED, None)
    return action
