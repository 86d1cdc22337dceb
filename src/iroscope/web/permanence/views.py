"""Recording permanence plans from the child's record: parse the form, make one service call, render
the form again with its errors (and what was typed) or go back to the child's record. Who may record is
casework's rule: the IRO allocated to the child or an IRO manager; anyone else is refused (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web import clock
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audited
from iroscope.web.casework.recording_views import facts_for_recorder, form_page
from iroscope.web.permanence import services
from iroscope.web.permanence.forms import PermanencePlanForm, PlanAchievedForm

RECORDERS = frozenset({Role.IRO, Role.MANAGER})


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record a permanence plan")
def plan_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a permanence plan. A later plan replaces the earlier one as the current plan."""
    facts_for_recorder(request, child_id)
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

    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Permanence plan recorded.",
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
    facts_for_recorder(request, child_id)
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

    plan_type = codes.PERMANENCE_PLAN_TYPE.label(stored["plan_type"])
    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Permanence plan marked achieved.",
        heading="Mark a permanence plan achieved",
        intro=f"{plan_type}, agreed on {long_date(agreed)}.",
    )
