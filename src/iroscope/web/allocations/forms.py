from __future__ import annotations

from django import forms


class AllocationForm(forms.Form):
    child_id = forms.CharField(label="Child identifier", max_length=64)
    iro_id = forms.ChoiceField(label="IRO", choices=())
    on = forms.DateField(label="Allocated from", help_text="For example, 2025-03-27", input_formats=["%Y-%m-%d"])
    reason = forms.CharField(label="Reason for the change (optional)", required=False, max_length=200)

    def __init__(self, *args: object, iros: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["iro_id"].choices = [("", "Choose an IRO"), *iros]  # type: ignore[attr-defined]
