"""Permanence forms: they only read what was entered; the rules about dates live in `services`."""

from __future__ import annotations

from django import forms

from iroscope.rules import codes
from iroscope.web.casework.forms import code_choices
from iroscope.web.forms import GovukDateField, GovukForm

PLAN_TYPE_MESSAGE = "Select the type of permanence plan"


class PermanencePlanForm(GovukForm):
    plan_type = forms.ChoiceField(
        label="Type of permanence plan",
        choices=code_choices(codes.PERMANENCE_PLAN_TYPE),
        widget=forms.RadioSelect,
        error_messages={"required": PLAN_TYPE_MESSAGE, "invalid_choice": PLAN_TYPE_MESSAGE},
    )
    plan_date = GovukDateField(
        label="Date agreed",
        required_message="Enter the date the plan was agreed",
        help_text="Usually the date of the review that agreed it. For example, 27 3 2025",
    )
    target_date = GovukDateField(
        label="Target date",
        required_message="Enter the date by which the plan should be achieved",
        help_text="The date by which the child should be living in their permanent home.",
    )
    version = forms.CharField(widget=forms.HiddenInput)


class PlanAchievedForm(GovukForm):
    achieved_date = GovukDateField(label="Date achieved", required_message="Enter the date the plan was achieved")
    version = forms.CharField(widget=forms.HiddenInput)
