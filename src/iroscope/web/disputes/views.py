"""Dispute resolution pages: parse the form, make one call, render.

Everyone who reads case records sees disputes; IRO managers, and IROs on the children allocated to
them, raise and move them on.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iroscope.web import clock
from iroscope.web.accounts.access import CASE_READERS, role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_iro_id, user_roles
from iroscope.web.allocations.selectors import allocation_current_iro, child_exists
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.disputes.forms import EscalateForm, RaiseForm, ResolveForm, RespondForm
from iroscope.web.disputes.lifecycle import IllegalDisputeTransitionError
from iroscope.web.disputes.selectors import (
    DisputeNotFoundError,
    DisputeView,
    dispute_get,
    disputes_for_child,
    disputes_overdue,
    later_stages,
)
from iroscope.web.disputes.services import (
    child_disputes_version,
    dispute_close,
    dispute_create,
    dispute_stage_escalate,
    dispute_stage_respond,
)
from iroscope.web.practice.selectors import practice_current
from iroscope.web.records.selectors import dataset_coverage_stored
from iroscope.web.saving import ConcurrentSaveError


def _may_write(request: HttpRequest, *, child_id: str, today: dt.date) -> bool:
    roles = user_roles(user=request.user)
    if Role.MANAGER in roles:
        return True
    iro_id = user_iro_id(user=request.user)
    return iro_id is not None and allocation_current_iro(child_id=child_id, on=today) == iro_id


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the child's disputes")
def child_disputes(request: HttpRequest, child_id: str) -> HttpResponse:
    today = clock.workspace_today()
    if not child_exists(child_id=child_id):
        raise Http404("No such child")
    may_write = _may_write(request, child_id=child_id, today=today)
    practice = practice_current()
    form = RaiseForm(
        request.POST or None,
        initial={"on": today, "formal": "informal", "version": child_disputes_version(child_id=child_id)},
    )
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            iro_id = user_iro_id(user=request.user) or allocation_current_iro(child_id=child_id, on=data["on"])
            try:
                dispute_id = dispute_create(
                    user=request.user,
                    child_id=child_id,
                    iro_id=iro_id,
                    category=data["category"],
                    formal=data["formal"] == "formal",
                    on=data["on"],
                    practice=practice,
                    version=data["version"] or None,
                )
            except IllegalDisputeTransitionError as refused:
                form.add_error(None, str(refused))
            except ConcurrentSaveError as refused:
                form.add_error(None, str(refused))
                # The entries stay; the page now shows the dispute raised meanwhile, so raising this one
                # again, once the person has looked, is a choice made on what they see.
                form.data = {**request.POST.dict(), "version": child_disputes_version(child_id=child_id)}
            else:
                messages.success(request, f"Dispute {dispute_id} raised.")
                return redirect("dispute", dispute_id=dispute_id)
    context = {
        "child_id": child_id,
        "disputes": disputes_for_child(child_id=child_id, practice=practice, today=today),
        "form": form,
        "may_write": may_write,
        "coverage": dataset_coverage_stored(today=today),
    }
    return render(request, "disputes/child.html", context, status=400 if form.errors else 200)


def _dispute_page(
    request: HttpRequest, dispute: DisputeView, *, may_write: bool, forms: dict[str, Form], status: int = 200
) -> HttpResponse:
    context = {
        "dispute": dispute,
        "may_write": may_write,
        "coverage": dataset_coverage_stored(today=dispute.today),
        **forms,
    }
    return render(request, "disputes/dispute.html", context, status=status)


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="a dispute")
def dispute(request: HttpRequest, dispute_id: str) -> HttpResponse:
    """One dispute with its stages and deadlines; POST `action` escalates, responds or resolves it. Each
    form has its own prefix (`escalate-on`, `respond-on`) so that the page's input ids are unique."""
    today = clock.workspace_today()
    practice = practice_current()
    try:
        view = dispute_get(dispute_id=dispute_id, practice=practice, today=today)
    except DisputeNotFoundError as error:
        raise Http404("No such dispute") from error
    may_write = _may_write(request, child_id=view.child_id, today=today)
    audit_note(request, child_id=view.child_id, subject=f"the dispute {dispute_id}")
    initial = {"on": today}
    stages = later_stages(dispute=view, practice=practice)
    action = request.POST.get("action") if request.method == "POST" else None
    forms: dict[str, Form] = {
        "escalate_form": EscalateForm(
            request.POST if action == "escalate" else None, stages=stages, initial=initial, prefix="escalate"
        ),
        "respond_form": RespondForm(request.POST if action == "respond" else None, initial=initial, prefix="respond"),
        "resolve_form": ResolveForm(request.POST if action == "resolve" else None, initial=initial, prefix="resolve"),
    }
    if action is None:
        return _dispute_page(request, view, may_write=may_write, forms=forms)
    if not may_write:
        raise PermissionDenied
    form = forms.get(f"{action}_form")
    if form is None:
        raise Http404("No such action")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "escalate":
                dispute_stage_escalate(
                    user=request.user, dispute_id=dispute_id, stage_code=data["stage"], on=data["on"], practice=practice
                )
            elif action == "respond":
                dispute_stage_respond(user=request.user, dispute_id=dispute_id, on=data["on"], practice=practice)
            else:
                dispute_close(
                    user=request.user,
                    dispute_id=dispute_id,
                    outcome=data["outcome"],
                    on=data["on"],
                    practice=practice,
                    impact=data["impact"],
                )
        except (IllegalDisputeTransitionError, ConcurrentSaveError) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Dispute updated.")
            return redirect("dispute", dispute_id=dispute_id)
    return _dispute_page(request, view, may_write=may_write, forms=forms, status=400)


@role_required(CASE_READERS)
@audited(Action.VIEW_LIST, subject="the list Disputes past their deadline")
def overdue_disputes(request: HttpRequest) -> HttpResponse:
    today = clock.workspace_today()
    overdue = disputes_overdue(practice=practice_current(), today=today)
    audit_note(request, children=len({view.child_id for view in overdue}))
    context = {
        "disputes": overdue,
        "today": today,
        "coverage": dataset_coverage_stored(today=today),
    }
    return render(request, "disputes/overdue.html", context)
