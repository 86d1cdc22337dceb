from __future__ import annotations

from django import forms

from iroscope.web.audit.models import Action
from iroscope.web.forms import GovukDateField, GovukForm


class AuditSearchForm(GovukForm):
    child_id = forms.CharField(required=False, label="Child identifier", max_length=64)
    username = forms.CharField(
        required=False,
        label="User name",
        max_length=150,
        help_text="What the person did, and what was done to their account or sign-in",
    )
    action = forms.ChoiceField(required=False, choices=[("", "Any"), *Action.choices])
    since = GovukDateField(label="From", required=False)
    until = GovukDateField(label="To", required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "To must be the same as or after From")
        return cleaned
