from __future__ import annotations

from django import forms

from iroscope.web.audit.models import Action


class AuditSearchForm(forms.Form):
    child_id = forms.CharField(required=False, label="Child identifier", max_length=64)
    username = forms.CharField(required=False, label="User name", max_length=150)
    action = forms.ChoiceField(required=False, choices=[("", "Any"), *Action.choices])
    since = forms.DateField(required=False, label="From (YYYY-MM-DD)")
    until = forms.DateField(required=False, label="To (YYYY-MM-DD)")
