"""Dispute resolution forms. Every date is a GOV.UK date input and records something that has
already happened, so none may be after today; whether a date fits the dispute's history (a stage
escalated before the dispute was raised, say) is the lifecycle's rule, not the form's."""

from __future__ import annotations

from django import forms

from iroscope.rules import codes
from iroscope.web.forms import DjangoIdsForm, GovukDateField


def _radios(*, label: str, choices: list[tuple[str, str]], message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


def _date_happened(*, label: str, required_message: str) -> GovukDateField:
    """A date something already happened on: today or in the past."""
    return GovukDateField(label=label, required_message=required_message, today_or_past=True)


class RaiseForm(DjangoIdsForm):
    non_field_anchor = "raise-form"
    formal = _radios(
        label="How is the concern raised?",
        choices=[("informal", "Informally"), ("formal", "Formally, at the first formal stage")],
        message="Select whether the concern is raised informally or formally",
    )
    category = _radios(
        label="What is the concern about?",
        choices=list(codes.DISPUTE_CATEGORY.labels().items()),
        message="Select what the concern is about",
    )
    on = _date_happened(label="Date raised", required_message="Enter the date the dispute was raised")
    # The child's disputes as the page showed them (`child_disputes_version`): a second raise from the
    # same page is refused rather than stored twice.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class EscalateForm(DjangoIdsForm):
    non_field_anchor = "dispute-summary"
    stage = _radios(label="Escalate to", choices=[], message="Select the stage to escalate to")
    on = _date_happened(label="Date escalated", required_message="Enter the date the dispute was escalated")

    def __init__(self, *args: object, stages: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["stage"].choices = stages  # type: ignore[attr-defined]


class RespondForm(DjangoIdsForm):
    non_field_anchor = "dispute-summary"
    on = _date_happened(label="Date of the response", required_message="Enter the date of the response")


class ResolveForm(DjangoIdsForm):
    non_field_anchor = "dispute-summary"
    outcome = _radios(
        label="Outcome",
        choices=list(codes.DISPUTE_OUTCOME.labels().items()),
        message="Select the outcome of the dispute",
    )
    impact = _radios(
        label="What did the challenge achieve for the child?",
        choices=list(codes.CHALLENGE_IMPACT.labels().items()),
        message="Select what the challenge achieved for the child",
    )
    on = _date_happened(label="Date closed", required_message="Enter the date the dispute was closed")
