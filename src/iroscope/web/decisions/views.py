"""Decision pages: add a decision to a held review, change it and say where it stands, and challenge it
by a practice alert or an informal dispute in one step. Each parses its form, makes one service call and
goes back to the child's record. Who may: the IRO allocated to the child, or an IRO manager (the same
people who record the review); the services check again, so a refused person gets 403 whatever they post.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web import clock
from iroscope.web.accounts.access import role_required
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audited
from iroscope.web.casework import recording_views as recording
from iroscope.web.casework.forms import PracticeAlertForm
from iroscope.web.decisions import services
from iroscope.web.decisions.forms import STATUS_OPEN, DecisionEditForm, DecisionForm
from iroscope.web.forms import GovukDateField, GovukForm
from iroscope.web.practice.selectors import practice_current

TEMPLATE = "decisions/decision_form.html"


def _stored_decision(*, child_id: str, decision_id: str) -> dict[str, Any]:
    row = services.decision_snapshot(child_id=child_id, decision_id=decision_id)
    if row is None:
        raise Http404("No such decision")
    return row


def _input(data: dict[str, Any]) -> services.DecisionInput:
    return services.DecisionInput(decision=data["decision"], responsible=data["responsible"], due_date=data["due_date"])


@role_required(recording.RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to add a decision to a review")
def decision_add(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    held = recording._parse_date(review_date)
    recording.facts_for_recorder(request, child_id)
    recording._stored_review(child_id=child_id, held=held)
    form = DecisionForm(recording._posted(request))

    def call(data: dict[str, Any]) -> object:
        return services.decision_add(
            user=request.user, child_id=child_id, review_date=held, decision=_input(data), today=clock.workspace_today()
        )

    return recording.form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Decision added.",
        heading=f"Add a decision of the review held on {long_date(held)}",
        template=TEMPLATE,
    )


@role_required(recording.RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to change a decision of a review")
def decision_edit(request: HttpRequest, child_id: str, decision_id: str) -> HttpResponse:
    """Change a decision, or mark it done, not done or no longer needed with the date. The form carries
    the decision's version: a save over someone else's later save is refused and what was typed is kept."""
    recording.facts_for_recorder(request, child_id)
    row = _stored_decision(child_id=child_id, decision_id=decision_id)
    initial = {
        "decision": row["decision"],
        "responsible": row["responsible"],
        "due_date": row["due_date"],
        "status": row["status"] or STATUS_OPEN,
        "status_date": row["status_date"],
        "version": services.decision_version(row),
    }
    form = DecisionEditForm(recording._posted(request), initial=initial)

    def call(data: dict[str, Any]) -> object:
        status = None if data["status"] == STATUS_OPEN else data["status"]
        return services.decision_update(
            user=request.user,
            child_id=child_id,
            decision_id=decision_id,
            version=data["version"],
            decision=_input(data),
            status=status,
            status_date=data["status_date"],
            today=clock.workspace_today(),
        )

    return recording.form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Decision saved.",
        heading=f"Decision of the review held on {long_date(row['review_date'])}",
        template=TEMPLATE,
    )


def _challengeable(request: HttpRequest, child_id: str, decision_id: str) -> dict[str, Any]:
    recording.facts_for_recorder(request, child_id)
    row = _stored_decision(child_id=child_id, decision_id=decision_id)
    if not services.may_challenge(row, today=clock.workspace_today()):
        raise Http404("This decision is neither overdue nor marked not done")
    return row


def _about(row: dict[str, Any]) -> str:
    due = long_date(row["due_date"])
    held = long_date(row["review_date"])
    return f"The decision of the review held on {held}, due by {due}: “{row['decision']}”"


@role_required(recording.RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to raise a practice alert about a decision")
def decision_alert(request: HttpRequest, child_id: str, decision_id: str) -> HttpResponse:
    """The practice alert form, filled in with today's date and the reason "Decisions from reviews not
    implemented"; saved, the decision shows the alert raised."""
    row = _challengeable(request, child_id, decision_id)
    initial = {"raised_date": clock.workspace_today(), "reasons": ["DECISIONS_NOT_IMPLEMENTED"]}
    form = PracticeAlertForm(recording._posted(request), initial=initial)

    def call(data: dict[str, Any]) -> object:
        return services.decision_alert_raise(
            user=request.user,
            child_id=child_id,
            decision_id=decision_id,
            raised_date=data["raised_date"],
            reasons=list(data["reasons"]),
            service=data["service"],
            today=clock.workspace_today(),
        )

    return recording.form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Practice alert raised about the decision.",
        heading="Raise a practice alert about a decision",
        intro=_about(row),
    )


class DecisionDisputeForm(GovukForm):
    category = forms.ChoiceField(
        label="What is the concern about?",
        choices=list(codes.DISPUTE_CATEGORY.labels().items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the concern is about",
            "invalid_choice": "Select what the concern is about",
        },
    )
    on = GovukDateField(
        label="Date raised", required_message="Enter the date the dispute was raised", today_or_past=True
    )


@role_required(recording.RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to raise a dispute about a decision")
def decision_dispute(request: HttpRequest, child_id: str, decision_id: str) -> HttpResponse:
    """An informal dispute, filled in with today's date and the category "Drift and delay"; saved, the
    decision shows the dispute raised."""
    row = _challengeable(request, child_id, decision_id)
    form = DecisionDisputeForm(
        recording._posted(request), initial={"on": clock.workspace_today(), "category": "DRIFT_AND_DELAY"}
    )

    def call(data: dict[str, Any]) -> object:
        return services.decision_dispute_raise(
            user=request.user,
            child_id=child_id,
            decision_id=decision_id,
            category=data["category"],
            raised_date=data["on"],
            practice=practice_current(),
            today=clock.workspace_today(),
        )

    return recording.form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Informal dispute raised about the decision. Follow it from the child's disputes.",
        heading="Raise an informal dispute about a decision",
        intro=_about(row) + " The dispute starts at the informal stage.",
        disputes_url=reverse("child-disputes", args=[child_id]),
    )
