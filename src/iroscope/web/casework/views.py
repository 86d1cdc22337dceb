"""Casework pages: parse the request, make one call, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from iroscope.web import clock
from iroscope.web.accounts.access import CASE_READERS, EVERYONE, IROS, role_required
from iroscope.web.accounts.selectors import user_iro_id
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.casework import services
from iroscope.web.casework.selectors import (
    CASELOAD_SORTS,
    ChildNotFoundError,
    caseload_for_iro,
    child_activity,
    child_facts,
    child_record,
)
from iroscope.web.records.selectors import NoDatasetError, dataset_is_loaded, dataset_snapshot


@role_required(EVERYONE)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/home.html", {"dataset_loaded": dataset_is_loaded()})


@role_required(IROS)
@audited(Action.VIEW_CASELOAD, subject="their own caseload")
def caseload(request: HttpRequest) -> HttpResponse:
    iro_id = user_iro_id(user=request.user)
    sort = request.GET.get("sort", "due")
    nothing = {"caseload": None, "iro_id": iro_id}
    if iro_id is None:
        return render(request, "casework/caseload.html", nothing)
    try:
        snapshot = dataset_snapshot()  # says whether a dataset is loaded, and serves the whole page
    except NoDatasetError:
        return render(request, "casework/caseload.html", nothing)
    today = clock.workspace_today()
    result = caseload_for_iro(iro_id=iro_id, today=today, sort=sort, snapshot=snapshot)
    audit_note(request, iro_id=iro_id, children=len(result.rows))
    context = {
        "caseload": result,
        "sort": sort,
        "sorts": CASELOAD_SORTS,
        "coverage": clock.data_coverage(dataset=snapshot.dataset(()), today=today),
    }
    return render(request, "casework/caseload.html", context)


@role_required(CASE_READERS)
@audited(Action.VIEW_CHILD, subject="the child's record")
def child(request: HttpRequest, child_id: str) -> HttpResponse:
    today = clock.workspace_today()  # one day for the whole page, even across midnight
    try:
        snapshot = dataset_snapshot()  # one version of the dataset for the whole page
        record = child_record(child_id=child_id, today=today, snapshot=snapshot)
    except (ChildNotFoundError, NoDatasetError) as error:
        raise Http404("No such child") from error
    iro_id = user_iro_id(user=request.user)
    allocated = iro_id is not None and record.allocated_iro_id == iro_id
    facts = child_facts(child_id=child_id, today=today, snapshot=snapshot)
    context = {
        # The booking and sibling panels' template tags read the same snapshot.
        "snapshot": snapshot,
        "record": record,
        "allocated_to_me": allocated,
        "activity": child_activity(child_id=child_id, snapshot=snapshot),
        "may_record": services.may_record(user=request.user, facts=facts),
        "may_record_dates": services.may_record_review_dates(user=request.user, facts=facts),
        "coverage": clock.data_coverage(dataset=snapshot.dataset(()), today=today),
    }
    return render(request, "casework/child.html", context)
