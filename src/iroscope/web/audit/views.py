from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from iroscope.web.accounts.access import MANAGERS, role_required
from iroscope.web.audit.forms import AuditSearchForm
from iroscope.web.audit.models import AuditEvent
from iroscope.web.audit.selectors import audit_search, event_details


@role_required(MANAGERS)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events: list[AuditEvent] = []
    if form.is_valid():
        data = form.cleaned_data
        events = list(
            audit_search(
                child_id=data["child_id"] or None,
                username=data["username"] or None,
                action=data["action"] or None,
                since=data["since"],
                until=data["until"],
            )
        )
    elif not request.GET:
        events = list(audit_search())
    rows = [(event, event_details(event)) for event in events]
    return render(request, "audit/trail.html", {"form": form, "rows": rows})
