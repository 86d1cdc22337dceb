"""The audit trail (IRO managers): search it a page at a time, or download what a search finds as CSV.
Each search and each download is itself written to the trail, with its filters (decision 0015)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode

from iroscope.web import clock
from iroscope.web.accounts.access import MANAGERS, role_required
from iroscope.web.audit.exports import audit_csv_lines
from iroscope.web.audit.forms import AuditSearchForm
from iroscope.web.audit.models import Action
from iroscope.web.audit.selectors import audit_search, event_details
from iroscope.web.audit.services import audit_record
from iroscope.web.paging import paging_for

SUBJECT = "the audit trail"


def _searched(form: AuditSearchForm) -> tuple[Any, dict[str, str]]:
    """What the form's filters find, and the filters in words for the trail's own entry."""
    data = form.cleaned_data
    events = audit_search(
        child_id=data["child_id"] or None,
        username=data["username"] or None,
        action=data["action"] or None,
        since=data["since"],
        until=data["until"],
    )
    filters = {
        "user name": data["username"],
        "action": Action(data["action"]).label if data["action"] else "",
        "child": data["child_id"],
        "from": data["since"].isoformat() if data["since"] else "",
        "to": data["until"].isoformat() if data["until"] else "",
    }
    return events, {name: value for name, value in filters.items() if value}


@role_required(MANAGERS)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/trail.html", {"form": form, "rows": []}, status=400)
    events, filters = _searched(form)
    paging = paging_for(count=events.count(), query=request.GET)
    shown = events[paging.offset : paging.offset + paging.size]
    rows = [(event, event_details(event)) for event in shown]  # read before this search's entry
    audit_record(
        user=request.user,
        action=Action.SEARCH_AUDIT,
        child_id=form.cleaned_data["child_id"] or None,
        subject=SUBJECT,
        after={**filters, "page": paging.number, "entries found": paging.count},
    )
    query: dict[str, str] = {key: str(value) for key, value in request.GET.items() if key != "page" and value}
    context = {
        "form": form,
        "rows": rows,
        "paging": paging,
        "download_query": urlencode(query),
    }
    return render(request, "audit/trail.html", context)


@role_required(MANAGERS)
def audit_download(request: HttpRequest) -> HttpResponseBase:
    """Every entry a search finds, as CSV (all pages)."""
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/trail.html", {"form": form, "rows": []}, status=400)
    events, filters = _searched(form)
    entry = audit_record(
        user=request.user,
        action=Action.EXPORT_AUDIT,
        child_id=form.cleaned_data["child_id"] or None,
        subject=f"{SUBJECT}, as CSV",
        after={**filters, "rows": events.count()},
    )
    # Streamed, not held whole; the entries written before this download's own, as counted.
    rows = events.filter(pk__lt=entry.pk).iterator(chunk_size=500)
    response = StreamingHttpResponse(audit_csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"audit-trail-{clock.workspace_today().isoformat()}.csv"
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    return response
