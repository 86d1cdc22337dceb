from __future__ import annotations

from django import forms

from iroscope.rules import codes

DATE_HINT = "For example, 2025-03-27"
DATE_FORMATS = ["%Y-%m-%d"]


class RaiseForm(forms.Form):
    formal = forms.ChoiceField(
        label="How is the concern raised?",
        choices=[("informal", "Informally"), ("formal", "Formally, at the first formal stage")],
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label="What is the concern about?",
        choices=list(codes.DISPUTE_CATEGORY.labels().items()),
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label="Date raised", help_text=DATE_HINT, input_formats=DATE_FORMATS)


class EscalateForm(forms.Form):
    stage = forms.ChoiceField(label="Escalate to", choices=(), widget=forms.RadioSelect)
    on = forms.DateField(label="Date escalated", help_text=DATE_HINT, input_formats=DATE_FORMATS)

    def __init__(self, *args: object, stages: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["stage"].choices = stages  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    on = forms.DateField(label="Date of the response", help_text=DATE_HINT, input_formats=DATE_FORMATS)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=list(codes.DISPUTE_OUTCOME.labels().items()), widget=forms.RadioSelect
    )
    on = forms.DateField(label="Date closed", help_text=DATE_HINT, input_formats=DATE_FORMATS)
