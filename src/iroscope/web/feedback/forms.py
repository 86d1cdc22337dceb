"""The workspace's form to make feedback requests, and the public form in its two wordings: one for
adults (parents, carers, professionals) and one written for children."""

from __future__ import annotations

import datetime as dt

from django import forms

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.feedback.services import COMMENT_MOST_CHARACTERS, MOST_OF_EACH
from iroscope.web.forms import GovukForm

RECIPIENT_FIELDS = {"CHILD": "child", "PARENT": "parent", "CARER": "carer", "PROFESSIONAL": "professional"}
RECIPIENT_QUESTIONS = {
    "child": "For the child or young person",
    "parent": "For parents",
    "carer": "For carers",
    "professional": "For professionals",
}


class RequestsForm(GovukForm):
    review_date = forms.ChoiceField(
        label="Review", error_messages={"required": "Select the review the feedback is about"}
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, reviews: list[dt.date], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(held.isoformat(), f"Held on {long_date(held)}") for held in sorted(reviews, reverse=True)]
        self.fields["review_date"].choices = [("", "Select a review"), *choices]  # type: ignore[attr-defined]
        for name, label in RECIPIENT_QUESTIONS.items():
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MOST_OF_EACH,
                required=False,
                error_messages={
                    "invalid": f"{label} must be a whole number, like 2",
                    "min_value": f"{label} must be 0 or more",
                    "max_value": f"{label} must be {MOST_OF_EACH} or fewer",
                },
            )

    def clean_review_date(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["review_date"])

    def how_many(self) -> dict[str, int]:
        return {code: self.cleaned_data.get(name) or 0 for code, name in RECIPIENT_FIELDS.items()}


ANSWERS = list(codes.FEEDBACK_ANSWER.labels().items())
RATING_WORDS = {"5": "Excellent", "4": "Good", "3": "OK", "2": "Poor", "1": "Very poor"}
CHILD_RATING_WORDS = {"5": "Really good", "4": "Good", "3": "OK", "2": "Not good", "1": "Really bad"}

# (field, the question for adults, the question for children)
QUESTIONS = (
    ("listened_to", "Did you feel listened to?", "Did your IRO listen to you?"),
    ("understood_decisions", "Did you understand what was decided?", "Do you understand what was decided?"),
    ("could_take_part", "Could you take part as you wanted to?", "Could you have your say in the way you wanted?"),
)


class PublicFeedbackForm(GovukForm):
    """One form, worded for a child or for an adult. Every question must be answered except the comment."""

    non_field_anchor = "feedback-form"

    def __init__(self, *args: object, for_child: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, adult, child in QUESTIONS:
            question = child if for_child else adult
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=ANSWERS,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer to: {question}"},
            )
        rating_question = (
            "How good was your review, from 5 (really good) to 1 (really bad)?"
            if for_child
            else "Overall, how would you rate the IRO service, from 5 (excellent) to 1 (very poor)?"
        )
        words = CHILD_RATING_WORDS if for_child else RATING_WORDS
        self.fields["rating"] = forms.ChoiceField(
            label=rating_question,
            choices=[(value, f"{value} – {word}") for value, word in words.items()],
            widget=forms.RadioSelect,
            error_messages={"required": "Select a rating from 1 to 5"},
        )
        comment_label = (
            "Is there anything else you want to tell us?" if for_child else "Anything else you want to tell us"
        )
        self.fields["comment"] = forms.CharField(
            label=comment_label,
            required=False,
            max_length=COMMENT_MOST_CHARACTERS,
            widget=forms.Textarea,
            strip=True,
            help_text=(
                f"You can write up to {COMMENT_MOST_CHARACTERS:,} characters. Please do not write your name or "
                "anyone else's. Nobody outside the IRO service will see what you write unless a manager agrees "
                "it can be quoted without naming anyone."
            ),
            error_messages={"max_length": f"{comment_label} must be {COMMENT_MOST_CHARACTERS:,} characters or fewer"},
        )
