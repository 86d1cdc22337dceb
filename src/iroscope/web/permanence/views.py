"""Recording permanence plans from the child's record: parse the form, make one service call, render
the form again with its errors (and what was typed) or go back to the child's record. Who may record is
casework's rule: the IRO allocated to the child or an IRO manager; anyone else is refused (403)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web import clock
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audited
from iroscope.web.casework.recording import (
    RecordingInvalidError,
    RecordingRefusedError,
    StaleEditError,
    may_record,
)
from iroscope.web.casework.selectors import ChildNotFoundError, child_facts
from iroscope.web.forms import GovukForm
from iroscope.web.permanence import services
from iroscope.web.permanence.forms import PermanencePlanForm, PlanAchievedForm
from iroscope.web.records.selectors import NoDatasetError
from iroscope.web.saving import ConcurrentSaveError

RECORDERS = frozenset({Role.IRO, Role.MANAGER})
TEMPLATE = "casework/record_form.html"


def _refuse_unless_recorder(request: HttpRequest, child_id: str) -> None:
    try:
        facts = child_facts(child_id=child_id, today=clock.workspace_today())
    except (ChildNotFoundError, NoDatasetError) as error:
        raise Http404("No such child") from error
    if not may_record(user=request.user, facts=facts):
        raise PermissionDenied


def _saved(request: HttpRequest, form: GovukForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Run the service on a valid form; False leaves the form, with its errors, to be shown again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except RecordingRefusedError as error:
        raise PermissionDenied from error
    except RecordingInvalidError as error:
        form.add_service_errors(error.errors)
        return False
    except (StaleEditError, ConcurrentSaveError) as error:
        form.add_error(None, str(error))
        return False
    return True


def _page(request: HttpRequest, form: GovukForm, *, child_id: str, heading: str, intro: str) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "child_id": child_id, "heading": heading, "intro": intro}
    return render(request, TEMPLATE, context, status=status)


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record a permanence plan")
def plan_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a permanence plan. A later plan replaces the earlier one as the current plan."""
    _refuse_unless_recorder(request, child_id)
    form = PermanencePlanForm(
        request.POST if request.method == "POST" else None,
        initial={"version": services.plans_version(child_id=child_id)},
    )

    def call(data: dict[str, Any]) -> object:
        return services.permanence_plan_record(
            user=request.user,
            child_id=child_id,
            plan_date=data["plan_date"],
            plan_type=data["plan_type"],
            target_date=data["target_date"],
            version=data["version"],
            today=clock.workspace_today(),
        )

    if _saved(request, form, call):
        messages.success(request, "Permanence plan recorded.")
        return redirect("child", child_id=child_id)
    return _page(
        request,
        form,
        child_id=child_id,
        heading="Record a permanence plan",
        intro="A new plan becomes the child's current plan. Earlier plans are kept and shown on the child's record.",
    )


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise Http404("No such plan") from error


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to mark a permanence plan achieved")
def plan_achieved(request: HttpRequest, child_id: str, plan_date: str) -> HttpResponse:
    """Mark a permanence plan achieved, with the date."""
    agreed = _parse_date(plan_date)
    _refuse_unless_recorder(request, child_id)
    stored = next((row for row in services.plans_snapshot(child_id=child_id) if row["plan_date"] == plan_date), None)
    if stored is None:
        raise Http404("No such plan")
    form = PlanAchievedForm(
        request.POST if request.method == "POST" else None,
        initial={"version": services.plans_version(child_id=child_id)},
    )

    def call(data: dict[str, Any]) -> object:
        return services.permanence_plan_achieved(
            user=request.user,
            child_id=child_id,
            plan_date=agreed,
            achieved_date=data["achieved_date"],
            version=data["version"],
            today=clock.workspace_today(),
        )

    if _saved(request, form, call):
        messages.success(request, "Permanence plan marked achieved.")
        return redirect("child", child_id=child_id)
    plan_type = codes.PERMANENCE_PLAN_TYPE.label(stored["plan_type"])
    return _page(
        request,
        form,
        child_id=child_id,
        heading="Mark a permanence plan achieved",
        intro=f"{plan_type}, agreed on {long_date(agreed)}.",
    )
