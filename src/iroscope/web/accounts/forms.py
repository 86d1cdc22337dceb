"""The administrator's account form: what was typed, checked for shape. Whether the user name is free,
the IRO staff record exists and the password is strong enough is the service's to say."""

from __future__ import annotations

from typing import Any

from django import forms

from iroscope.web.accounts.roles import Role
from iroscope.web.forms import DjangoIdsForm

ROLE_CHOICES = [(role.value, f"{role.value}: {role.description}") for role in Role]
OPEN, CLOSED = "open", "closed"


class AccountForm(DjangoIdsForm):
    non_field_anchor = "main-form"
    username = forms.CharField(
        label="User name",
        required=False,  # the service says what is wrong with it, empty or taken
        help_text="With single sign-on, the person's council sign-in name, for example jo.smith@council.gov.uk",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # "Select at least one role" comes from the service
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select roles from the list"},
    )
    iro_id = forms.ChoiceField(
        label="IRO staff record",
        required=False,
        choices=[],
        help_text="For an IRO only: their record on the IRO staff list, which decides which children are theirs",
    )
    active = forms.ChoiceField(
        label="Account",
        choices=[(OPEN, "Open: the person can sign in"), (CLOSED, "Closed: the person cannot sign in")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the account is open or closed"},
    )
    password = forms.CharField(label="Password", required=False, strip=False, widget=forms.PasswordInput)
    password_again = forms.CharField(
        label="Confirm the password", required=False, strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, iro_choices: list[tuple[str, str]], new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iro_id"].choices = iro_choices  # type: ignore[attr-defined]
        if len(iro_choices) == 1:
            self.fields[
                "iro_id"
            ].help_text = (
                "No IRO staff list has been loaded yet: an IRO's account can be linked once the data is loaded"
            )
        if new:
            del self.fields["active"]
            self.fields[
                "password"
            ].help_text = "Leave blank for an account that signs in by single sign-on only. At least 12 characters."
        else:
            del self.fields["username"]
            self.fields["password"].label = "New password"
            self.fields["password"].help_text = "Leave blank to keep the password as it is. At least 12 characters."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password", "") != cleaned.get("password_again", ""):
            self.add_error("password_again", "The two passwords do not match")
        return cleaned

    @property
    def chosen_roles(self) -> list[Role]:
        return [Role(value) for value in self.cleaned_data.get("roles", [])]
