"""A person changes their own password (decision 0015): checked by the configured validators, refused
for an account that signs in by single sign-on only, and written to the audit trail (never the
password itself)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.forms import GovukForm

SINGLE_SIGN_ON_ONLY = (
    "Your account signs in with single sign-on only, so it has no password here to change. "
    "Change your password with your organisation's sign-in service."
)


class OwnPasswordForm(GovukForm):
    current_password = forms.CharField(
        label="Current password", strip=False, error_messages={"required": "Enter your current password"}
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters. A few unrelated words together are easy to remember and hard to guess.",
        error_messages={"required": "Enter a new password"},
    )
    new_password_again = forms.CharField(
        label="Confirm the new password", strip=False, error_messages={"required": "Confirm the new password"}
    )

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_current_password(self) -> str:
        given: str = self.cleaned_data["current_password"]
        if not self.account.check_password(given):
            raise ValidationError("Your current password is not right: enter the password you signed in with")
        return given

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again is not None and new != again:
            self.add_error("new_password_again", "The two new passwords do not match")
        elif new:
            try:
                validate_password(new, user=self.account)
            except ValidationError as error:
                self.add_error("new_password", " ".join(error.messages))
        return cleaned


def password_change_own(*, account: User, new_password: str) -> None:
    """Set the person's own new password (already checked by `OwnPasswordForm`), audited."""
    with transaction.atomic():
        account.set_password(new_password)
        account.save(update_fields=["password"])
        audit_record(
            user=account,
            action=Action.PASSWORD_CHANGE,
            subject=f"the account {account.username}",
            after={"password": "changed"},
        )
