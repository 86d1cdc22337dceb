from __future__ import annotations

import datetime as dt

from django import forms

from iroscope.web.forms import DjangoIdsForm, GovukDateField

MOVE_GROUP = "group"
MOVE_CHILD = "child"


class AllocationForm(DjangoIdsForm):
    non_field_anchor = "allocation-form"
    child_id = forms.CharField(label="Child identifier", max_length=64)
    iro_id = forms.ChoiceField(label="IRO", choices=())
    on = GovukDateField(label="Allocated from", required_message="Enter the date the new allocation starts")
    reason = forms.CharField(label="Reason for the change (optional)", required=False, max_length=200)
    # Asked only once the page has shown the child's siblings: `siblings_shown_for` names the child,
    # IRO and date they were shown for, so that changing any of them shows the siblings again first.
    move = forms.ChoiceField(
        label="Who should move",
        required=False,
        choices=[(MOVE_GROUP, "The whole sibling group"), (MOVE_CHILD, "Only this child")],
        widget=forms.RadioSelect,
    )
    siblings_shown_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, iros: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["iro_id"].choices = [("", "Choose an IRO"), *iros]  # type: ignore[attr-defined]

    def sibling_choice_made(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("move")) and data.get("siblings_shown_for") == sibling_check_key(
            child_id=data["child_id"], iro_id=data["iro_id"], on=data["on"]
        )


def sibling_check_key(*, child_id: str, iro_id: str, on: dt.date) -> str:
    return f"{child_id} {iro_id} {on.isoformat()}"
