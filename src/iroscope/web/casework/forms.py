"""Recording forms. They only read what was entered (dates from the GOV.UK date input's three boxes,
codes from radios); the rules about dates, ages and who may record live in `services`.

Every message names its field, in the GOV.UK Design System's words ("Date held must be a real date").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.rules.codes import CodeList
from iroscope.web.forms import GovukDateField, GovukForm


def code_choices(code_list: CodeList) -> list[tuple[str, str]]:
    return [(code.code, code.label) for code in code_list.codes]


def _radios(code_list: CodeList, *, label: str, required: bool = True, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=code_choices(code_list),
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


def _yes_no(*, label: str, message: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("Y", "Yes"), ("N", "No")],
        coerce=lambda value: value == "Y",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


PARTICIPATION_HINTS = {
    code: "Counts as attended" if code in codes.ATTENDED else "Counts as not attended"
    for code in codes.PARTICIPATION.valid_codes()
}


def _needed_if_a_meeting(field: forms.Field) -> forms.Field:
    """A field the form requires only when a meeting was adjourned or stood down (`ReviewForm.clean`):
    not labelled "(optional)", which it is not, but with a hint saying when it is needed."""
    field.needed_when = True  # type: ignore[attr-defined]
    field.help_text = "Needed if a meeting was adjourned or stood down."
    return field


class ReviewDetailsFields(GovukForm):
    """What a review form and a review edit form share."""

    participation = _radios(
        codes.PARTICIPATION, label="Participation", message="Select how the child took part in the review"
    )
    review_format = _radios(
        codes.REVIEW_FORMAT, label="Format", required=False, message="Select how the review was held"
    )
    series_of_meetings = _yes_no(label="Was the review held as a series of meetings?", message="Select yes or no")
    decisions_date = GovukDateField(label="Decisions date", required=False)
    record_distributed_date = GovukDateField(label="Record distributed date", required=False)
    permanence_plan = _yes_no(
        label="Did the child have a permanence plan?",
        message="Select yes or no",
        help_text="Whether a plan was in place at this review. Record the plan itself, with its type and target "
        "date, under Permanence plan on the child's record.",
    )


class ReviewReasonsFields(GovukForm):
    """Why the review was late, why the child did not attend, and whether the child chaired it
    (decision 0021). Each is needed only in its case, which the service decides (`review_reasons`):
    the form cannot know the due date or the settings' reasons until the view tells it."""

    late_reason = forms.ChoiceField(
        label="Why was the review late?",
        choices=[("", "Select a reason")],
        required=False,
        error_messages={"invalid_choice": "Select why the review was late"},
    )
    non_attendance_reason = _radios(
        codes.NON_ATTENDANCE_REASON,
        label="Why did the child not attend?",
        required=False,
        message="Select why the child did not attend their review",
    )
    child_chaired = _yes_no(label="Did the child chair or co-chair their review?", message="Select yes or no")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["late_reason"].needed_when = True  # type: ignore[attr-defined]
        self.fields["non_attendance_reason"].needed_when = True  # type: ignore[attr-defined]
        self.fields[
            "non_attendance_reason"
        ].help_text = "Needed if participation is PN5, PN6 or PN7 (a child aged 4 or over who did not attend)."

    def offer_late_reasons(
        self, choices: list[tuple[str, str]], *, due_date: dt.date | None, held: dt.date | None = None
    ) -> None:
        """The authority's late reasons, and a hint saying whether one is needed: for a review already
        held (`held`), whether it was late; for a new one, after which date it would be."""
        field = self.fields["late_reason"]
        field.choices = [("", "Select a reason"), *choices]  # type: ignore[attr-defined]
        if due_date is None:
            field.help_text = "Needed only if the review was held after the date it was due."
        elif held is None:
            field.help_text = (
                f"Needed only if the date held is after the date the review was due, {long_date(due_date)}."
            )
        elif held > due_date:
            field.help_text = f"Needed: the review was due by {long_date(due_date)} and held after it."
        else:
            field.help_text = f"Not needed: the review was held by its due date, {long_date(due_date)}."


REASON_FIELDS = ("late_reason", "non_attendance_reason", "child_chaired")


class ReviewForm(ReviewDetailsFields, ReviewReasonsFields):
    review_date = GovukDateField(label="Date held", required_message="Enter the date the review was held")
    had_meeting = _yes_no(
        label="Was a meeting adjourned or stood down before the review was held?",
        message="Select yes or no",
        help_text="Give one meeting here. If there were more, add each of them from the child's record once the "
        "review is saved.",
    )
    meeting_outcome = _needed_if_a_meeting(
        _radios(
            codes.MEETING_OUTCOME,
            label="Adjourned or stood down",
            required=False,
            message="Select whether the meeting was adjourned or stood down",
        )
    )
    meeting_date = GovukDateField(label="Meeting date", required=False)
    meeting_reason = _needed_if_a_meeting(
        forms.ChoiceField(
            label="Reason",
            choices=[("", "Select a reason"), *code_choices(codes.ADJOURNMENT_REASON)],
            required=False,
            error_messages={"invalid_choice": "Select why the meeting was adjourned or stood down"},
        )
    )
    reconvened_date = GovukDateField(label="Reconvened date", required=False)

    field_order = (
        "review_date",
        "review_format",
        "participation",
        "had_meeting",
        "meeting_outcome",
        "meeting_date",
        "meeting_reason",
        "reconvened_date",
        "series_of_meetings",
        "decisions_date",
        "record_distributed_date",
        "permanence_plan",
        *REASON_FIELDS,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("had_meeting"):
            if not cleaned.get("meeting_outcome") and "meeting_outcome" not in self.errors:
                self.add_error("meeting_outcome", "Select whether the meeting was adjourned or stood down")
            if not cleaned.get("meeting_date") and "meeting_date" not in self.errors:
                self.add_error("meeting_date", "Enter the meeting date")
            if not cleaned.get("meeting_reason") and "meeting_reason" not in self.errors:
                self.add_error("meeting_reason", "Select why the meeting was adjourned or stood down")
        return cleaned


class ReviewEditForm(ReviewDetailsFields, ReviewReasonsFields):
    version = forms.CharField(widget=forms.HiddenInput)

    field_order = (*ReviewDetailsFields.base_fields, *REASON_FIELDS, "version")


class ReviewDatesForm(GovukForm):
    invitations_sent_date = GovukDateField(label="Invitations sent date", required=False)
    decisions_date = GovukDateField(label="Decisions date", required=False)
    record_distributed_date = GovukDateField(label="Record distributed date", required=False)
    version = forms.CharField(widget=forms.HiddenInput)


class MidwayReviewForm(GovukForm):
    midway_date = GovukDateField(
        label="Date of the midway review", required_message="Enter the date of the midway review"
    )
    concerns_identified = _yes_no(label="Did you find drift or concerns?", message="Select yes or no")


class IroContactForm(GovukForm):
    contact_date = GovukDateField(
        label="Date of the visit or consultation", required_message="Enter the date of the visit or consultation"
    )
    kind = _radios(
        codes.CONTACT_KIND, label="Visit or consultation", message="Select whether this was a visit or a consultation"
    )
    outcome = _radios(
        codes.CONTACT_OUTCOME, label="Outcome", message="Select whether it was completed, failed or declined"
    )
    method = _radios(codes.CONTACT_METHOD, label="How it happened", required=False, message="Select how it happened")


class CaseTrackingForm(GovukForm):
    check_date = GovukDateField(label="Date of the check", required_message="Enter the date of the check")
    rag_level = _radios(codes.RAG_LEVEL, label="RAG level", message="Select the RAG level")


def _reason_select(*, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Reason",
        choices=[("", "Select a reason"), *code_choices(codes.ADJOURNMENT_REASON)],
        error_messages={"required": message, "invalid_choice": message},
    )


class ReviewMeetingForm(GovukForm):
    """One more meeting adjourned or stood down before a review already recorded. The field names are
    the review form's, so the service's messages land on the same fields."""

    meeting_date = GovukDateField(label="Meeting date", required_message="Enter the meeting date")
    meeting_outcome = _radios(
        codes.MEETING_OUTCOME,
        label="Adjourned or stood down",
        message="Select whether the meeting was adjourned or stood down",
    )
    meeting_reason = _reason_select(message="Select why the meeting was adjourned or stood down")


class GoodPracticeForm(GovukForm):
    notification_date = GovukDateField(label="Date sent", required_message="Enter the date the notification was sent")
    theme = _radios(
        codes.GOOD_PRACTICE_THEME, label="What did you recognise?", message="Select what the notification recognised"
    )
    service = _radios(codes.SERVICE, label="Team or service", message="Select the team or service recognised")


class PracticeAlertForm(GovukForm):
    raised_date = GovukDateField(label="Date raised", required_message="Enter the date the alert was raised")
    reasons = forms.MultipleChoiceField(
        label="Reasons for the alert",
        help_text="Select all that apply.",
        choices=code_choices(codes.PRACTICE_ALERT_REASON),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one reason for the alert",
            "invalid_choice": "Select at least one reason for the alert",
        },
    )
    service = _radios(codes.SERVICE, label="Team or service", message="Select the team or service the alert is about")


class PracticeAlertResolveForm(GovukForm):
    resolved_date = GovukDateField(label="Date resolved", required_message="Enter the date the alert was resolved")
    impact = _radios(
        codes.CHALLENGE_IMPACT,
        label="What did the alert achieve for the child?",
        message="Select what the alert achieved for the child",
    )


class BookingForm(GovukForm):
    """Book the next review. Whether the date is after the review is due is the service's to say."""

    scheduled_date = GovukDateField(label="Date of the review", required_message="Enter the date of the review")
    review_format = _radios(
        codes.REVIEW_FORMAT,
        label="How will the review be held?",
        required=False,
        message="Select how the review will be held",
    )
    invitations_sent_date = GovukDateField(
        label="Invitations sent date",
        required=False,
        help_text="Leave this blank until the invitations have gone out. For example, 27 3 2025",
    )


class BookingEditForm(BookingForm):
    version = forms.CharField(widget=forms.HiddenInput)


class BookingCancelForm(GovukForm):
    version = forms.CharField(widget=forms.HiddenInput)


class ConsultationsForm(GovukForm):
    """A sent date and a returned date for each recipient on the code list, in its order."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in codes.CONSULTATION_RECIPIENT.codes:
            self.fields[f"sent_{code.code}"] = GovukDateField(label=f"{code.label}: date sent", required=False)
            self.fields[f"returned_{code.code}"] = GovukDateField(
                label=f"{code.label}: date returned", required=False, help_text="Leave blank if not returned yet."
            )
