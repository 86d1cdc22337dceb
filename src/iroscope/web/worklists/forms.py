"""The choice of IRO for a list, read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms

from iroscope.data.dataset import Dataset
from iroscope.web.forms import GovukForm


class WorklistFilterForm(GovukForm):
    iro = forms.ChoiceField(
        label="IRO", required=False, error_messages={"invalid_choice": "Choose an IRO from the list"}
    )

    def __init__(self, data: Any, *, dataset: Dataset) -> None:
        super().__init__(data)
        staff = dataset["iro_staff"].unique("iro_id").sort("iro_id")
        field = self.fields["iro"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "All IROs"),
            *(
                (iro_id, f"{name} ({iro_id})" if name else iro_id)
                for iro_id, name in staff.select("iro_id", "name").iter_rows()
            ),
        ]

    def iro_id(self) -> str | None:
        """The IRO chosen, or None for every IRO (also when the choice was not valid)."""
        return (self.cleaned_data.get("iro") or None) if self.is_bound and self.is_valid() else None
