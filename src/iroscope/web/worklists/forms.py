"""The choice of IRO for a list, read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms

from iroscope.data.dataset import Dataset
from iroscope.web.forms import GovukForm, iro_choices


class WorklistFilterForm(GovukForm):
    iro = forms.ChoiceField(
        label="IRO", required=False, error_messages={"invalid_choice": "Choose an IRO from the list"}
    )

    def __init__(self, data: Any, *, dataset: Dataset) -> None:
        super().__init__(data)
        field = self.fields["iro"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = iro_choices(dataset)

    def iro_id(self) -> str | None:
        """The IRO chosen, or None for every IRO (also when the choice was not valid)."""
        return (self.cleaned_data.get("iro") or None) if self.is_bound and self.is_valid() else None
