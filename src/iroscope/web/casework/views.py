"""Casework pages: parse the request, make one call, render."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iroscope.web import clock
from iroscope.web.accounts.access import CASE_READERS, EVERYONE, IROS, MANAGERS, role_required
from iroscope.web.accounts.selectors import user_iro_id
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.casework import recording, review_reasons
from iroscope.web.casework.selectors import (
    CASELOAD_SORTS,
    ChildNotFoundError,
    caseload_for_iro,
    child_activity,
    child_facts,
    child_record,
)
from iroscope.web.decisions.selectors import overdue_counts, overdue_for_iro
from iroscope.web.navigation import may_read_children
from iroscope.web.practice.selectors import practice_current
from iroscope.web.records.selectors import NoDatasetError, dataset_is_loaded, dataset_snapshot, iro_staff_names


@role_required(EVERYONE)
def home(request: HttpRequest) -> HttpResponse:
    loaded = dataset_is_loaded()
    iro_id = user_iro_id(user=request.user)
    decisions_overdue = None
    if loaded and iro_id is not None:
        decisions_overdue = overdue_for_iro(iro_id=iro_id, today=clock.workspace_today())
    return render(
        request,
        "casework/home.html",
        {"dataset_loaded": loaded, "decisions_overdue": decisions_overdue, "iro_id": iro_id},
    )


@role_required(IROS)
@audited(Action.VIEW_CASELOAD, subject="their own caseload")
def caseload(request: HttpRequest) -> HttpResponse:
    return _caseload_page(request, iro_id=user_iro_id(user=request.user), own=True)


@role_required(MANAGERS)
@audited(Action.VIEW_CASELOAD, subject="an IRO's caseload")
def iro_caseload(request: HttpRequest, iro_id: str) -> HttpResponse:
    """Any IRO's caseload, as that IRO sees it, for their manager."""
    if iro_id not in iro_staff_names():
        raise Http404("No such IRO")
    return _caseload_page(request, iro_id=iro_id, own=False)


def _caseload_page(request: HttpRequest, *, iro_id: str | None, own: bool) -> HttpResponse:
    sort = request.GET.get("sort", "due")
    names = iro_staff_names() if not own else {}
    heading = "My caseload" if own else f"Caseload of {names.get(iro_id or '') or iro_id}"
    nothing = {"caseload": None, "iro_id": iro_id, "own": own, "heading": heading}
    if iro_id is None:
        return render(request, "casework/caseload.html", nothing)
    try:
        snapshot = dataset_snapshot()  # says whether a dataset is loaded, and serves the whole page
    except NoDatasetError:
        return render(request, "casework/caseload.html", nothing)
    today = clock.workspace_today()
    result = caseload_for_iro(iro_id=iro_id, today=today, sort=sort, snapshot=snapshot)
    audit_note(request, iro_id=iro_id, children=len(result.rows))
    decisions_overdue = overdue_counts(child_ids=[row.child_id for row in result.rows], today=today)
    context = {
        **nothing,
        "caseload": result,
        "decisions_overdue": decisions_overdue,
        "decisions_overdue_key": repr(sorted(decisions_overdue.items())),
        "sort": sort,
        "sorts": CASELOAD_SORTS,
        "coverage": clock.data_coverage(dataset=snapshot.dataset(()), today=today),
    }
    return render(request, "casework/caseload.html", context)


# What the header's "Find a child" form may be given: the characters a child identifier may hold.
_CHILD_ID = re.compile(r"[A-Za-z0-9._-]{1,50}")


@role_required(EVERYONE)
def find_child(request: HttpRequest) -> HttpResponse:
    """Straight to the child's record for someone who may read it; otherwise one page that says no child
    was found that they may open, worded and sent alike whether or not the identifier exists."""
    wanted = request.GET.get("child_id", "").strip()
    if not wanted:
        error = "Enter a child's identifier"
        context = {"wanted": "", "error": error, "find_child_error": error}
        return render(request, "casework/find_child.html", context, status=200)
    if _CHILD_ID.fullmatch(wanted) and may_read_children(user=request.user):
        try:
            child_facts(child_id=wanted, today=clock.workspace_today())
        except (ChildNotFoundError, NoDatasetError):
            pass
        else:
            return redirect("child", child_id=wanted)
    return render(request, "casework/find_child.html", {"wanted": wanted, "error": ""})


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
    activity = child_activity(child_id=child_id, snapshot=snapshot)
    context = {
        # The booking and sibling panels' template tags read the same snapshot.
        "snapshot": snapshot,
        "record": record,
        "allocated_to_me": allocated,
        "activity": activity,
        "review_reasons": review_reasons.review_reasons_shown(activity["review_details"], practice=practice_current),
        "may_record": recording.may_record(user=request.user, facts=facts),
        "may_record_dates": recording.may_record_review_dates(user=request.user, facts=facts),
        "coverage": clock.data_coverage(dataset=snapshot.dataset(()), today=today),
    }
    return render(request, "casework/child.html", context)
