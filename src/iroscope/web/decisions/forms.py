"""Decision forms: the rows of decisions on the review form, and a decision's own form.

A row of the review form left wholly blank is ignored; a row partly filled in is an error naming the
row and what is missing ("Decision 2: enter who is responsible"). The first rows are shown open; the
rest sit in a GOV.UK details component, so more can be added without JavaScript or a second page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField

from iroscope.rules import codes
from iroscope.web.casework.forms import ReviewForm, code_choices
from iroscope.web.decisions.services import MAX_DECISION_LENGTH, MAX_DECISIONS, DecisionInput
from iroscope.web.forms import GovukDateField, GovukForm

ROWS_SHOWN_OPEN = 3
PARTS = ("decision", "responsible", "due_date")


def _text(*, label: str, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_DECISION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter what was decided",
            "max_length": f"What was decided must be {MAX_DECISION_LENGTH} characters or fewer",
        },
    )


def _responsible(*, required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who is responsible",
        choices=[("", "Select who is responsible"), *code_choices(codes.DECISION_RESPONSIBLE)],
        required=required,
        error_messages={"required": "Enter who is responsible", "invalid_choice": "Enter who is responsible"},
    )


def _due(*, required: bool) -> GovukDateField:
    return GovukDateField(label="Date due", required=required, required_message="Enter the date it is due by")


class DecisionRow:
    """One numbered row of the review form, as its template draws it."""

    def __init__(self, form: ReviewAndDecisionsForm, number: int) -> None:
        self.number = number
        self.fields: list[BoundField] = [form[f"decision_{number}_{part}"] for part in PARTS]
        self.filled = any(form.row_typed(number).values())
        self.has_errors = any(field.errors for field in self.fields)


class ReviewAndDecisionsForm(ReviewForm):
    """The review form with rows for the review's decisions after the review's own fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_DECISIONS + 1):
            self.fields[f"decision_{number}_decision"] = _text(label="What was decided", required=False)
            self.fields[f"decision_{number}_responsible"] = _responsible(required=False)
            self.fields[f"decision_{number}_due_date"] = _due(required=False)
            for part in PARTS:
                # Needed once anything in the row is filled in, so not labelled "(optional)".
                self.fields[f"decision_{number}_{part}"].needed_when = True  # type: ignore[attr-defined]

    def review_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if not name.startswith("decision_")]

    def decision_rows(self) -> list[DecisionRow]:
        return [DecisionRow(self, number) for number in range(1, MAX_DECISIONS + 1)]

    def rows_open(self) -> list[DecisionRow]:
        return self.decision_rows()[:ROWS_SHOWN_OPEN]

    def rows_more(self) -> list[DecisionRow]:
        return self.decision_rows()[ROWS_SHOWN_OPEN:]

    def more_rows_used(self) -> bool:
        return any(row.filled or row.has_errors for row in self.rows_more())

    def row_typed(self, number: int) -> dict[str, bool]:
        """Whether anything was typed into each part of row `number`."""
        if not self.is_bound:
            return dict.fromkeys(PARTS, False)
        typed = {}
        for part in PARTS:
            name = f"decision_{number}_{part}"
            value = self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            typed[part] = any(value) if isinstance(value, list) else bool(str(value or "").strip())
        return typed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decisions: list[tuple[int, DecisionInput]] = []
        for number in range(1, MAX_DECISIONS + 1):
            typed = self.row_typed(number)
            if not any(typed.values()):
                continue
            names = {part: f"decision_{number}_{part}" for part in PARTS}
            missing = {
                "decision": "enter what was decided",
                "responsible": "enter who is responsible",
                "due_date": "enter the date it is due by",
            }
            for part, text in missing.items():
                if not cleaned.get(names[part]) and names[part] not in self.errors:
                    self.add_error(names[part], f"Decision {number}: {text}")
            if all(cleaned.get(name) for name in names.values()):
                decisions.append(
                    (
                        number,
                        DecisionInput(
                            decision=cleaned[names["decision"]],
                            responsible=cleaned[names["responsible"]],
                            due_date=cleaned[names["due_date"]],
                        ),
                    )
                )
        self._name_the_rows()
        cleaned["decisions"] = decisions
        return cleaned

    def _name_the_rows(self) -> None:
        """Start each message a row's own field gave ("Date due must be a real date") with its row."""
        for name in list(self.errors):
            if not name.startswith("decision_"):
                continue
            number = name.split("_")[1]
            said = f"Decision {number}: "
            renamed = [
                error
                if str(error.message).startswith(said)
                else ValidationError(
                    said + str(error.message)[0].lower() + str(error.message)[1:], code=error.code, params=error.params
                )
                for error in self.errors.as_data()[name]
            ]
            self.errors[name] = self.error_class(renamed, renderer=self.renderer)


STATUS_OPEN = "OPEN"


class DecisionForm(GovukForm):
    decision = _text(label="What was decided", required=True)
    responsible = _responsible(required=True)
    due_date = _due(required=True)


class DecisionEditForm(DecisionForm):
    status = forms.ChoiceField(
        label="Where does the decision stand?",
        choices=[(STATUS_OPEN, "Still to be done"), *code_choices(codes.DECISION_STATUS)],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select where the decision stands",
            "invalid_choice": "Select where the decision stands",
        },
    )
    status_date = GovukDateField(
        label="Date marked",
        required=False,
        help_text="The date it was done, found not done or no longer needed. For example, 27 3 2025",
    )
    version = forms.CharField(widget=forms.HiddenInput)
