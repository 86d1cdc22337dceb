"""The letter page's forms: the facts for a first draft, the letter itself, reopening a final letter, and the
day it was sent."""

from __future__ import annotations

from django import forms

from iroscope.web.forms import GovukDateField, GovukForm

FIRST_NAME_MAX_CHARACTERS = 40
TALKED_ABOUT_MAX_CHARACTERS = 3_000


class LetterDraftForm(GovukForm):
    first_name = forms.CharField(
        label="The child's first name, as they like to be called",
        help_text="Used only in this letter: iroscope does not keep children's names.",
        max_length=FIRST_NAME_MAX_CHARACTERS,
        error_messages={
            "required": "Enter the child's first name",
            "max_length": f"The child's first name must be {FIRST_NAME_MAX_CHARACTERS} characters or fewer",
        },
    )
    talked_about = forms.CharField(
        label="What was talked about at the review",
        help_text="A few lines in plain words. You can change everything in the draft afterwards.",
        required=False,
        max_length=TALKED_ABOUT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"What was talked about must be {TALKED_ABOUT_MAX_CHARACTERS:,} characters or fewer",
        },
    )


class LetterForm(GovukForm):
    # Not stripped or limited here: the service says what is wrong, and the text is kept as typed.
    letter = forms.CharField(
        label="The letter",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": "Enter the letter to the child"},
    )
    version = forms.CharField(widget=forms.HiddenInput)


class LetterReopenForm(GovukForm):
    version = forms.CharField(widget=forms.HiddenInput)


class LetterSentForm(GovukForm):
    sent_date = GovukDateField(label="Date sent", required_message="Enter the date the letter was sent")
    version = forms.CharField(widget=forms.HiddenInput)
