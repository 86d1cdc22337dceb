"""Form pieces every area of the workspace shares: the GOV.UK date input, a form that lists its
errors for the GOV.UK error summary, and the choice of an IRO.

The date input is three boxes, `<name>-day`, `<name>-month` and `<name>-year`, each with
`inputmode="numeric"` (and `autocomplete="bday-day"` and so on only for a date of birth, as the
Design System says). Its messages name the field in the Design System's words: "Enter the date the
dispute was raised", "Date raised must include a month", "Date raised must be a real date", "Year in
date raised must include 4 numbers", "Date raised must be today or in the past". Only the boxes at
fault are marked in error, and the field's `id_for_label` is the first of them, so an error summary
that links to `id_for_label` takes the person to the box to correct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from iroscope.data.dataset import Dataset
from iroscope.web import clock

DATE_PARTS = ("day", "month", "year")
DATE_PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
DATE_PART_WIDTHS = {"day": 2, "month": 2, "year": 4}
DATE_HINT = "For example, 27 3 2025"


class GovukDateWidget(forms.Widget):
    """Reads the three boxes into `[day, month, year]` strings, as typed."""

    def value_from_datadict(self, data: Any, files: MultiValueDict[str, Any], name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in DATE_PARTS]

    def value_omitted_from_data(self, data: Any, files: MultiValueDict[str, Any], name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in DATE_PARTS)


def _joined(parts: list[str]) -> str:
    """At most two boxes are missing when any is filled in: "month", "day and year"."""
    return " and ".join(parts)


@dataclass(frozen=True)
class DateBox:
    """One of the three boxes, as the template draws it."""

    part: str
    label: str
    id: str
    name: str
    value: str
    width: int
    in_error: bool
    autocomplete: str


class GovukDateBoundField(forms.BoundField):
    field: GovukDateField

    @property
    def parts_in_error(self) -> tuple[str, ...]:
        """The boxes at fault: those named by the field's own check, or all three for any other error
        (a date the service refused, say)."""
        if not self.errors:
            return ()
        for error in self.form.errors.as_data().get(self.name, []):
            params = error.params or {}
            if "parts" in params:
                return tuple(params["parts"])
        return DATE_PARTS

    @property
    def id_for_label(self) -> str:
        first = (self.parts_in_error or DATE_PARTS)[0]
        return f"{self.auto_id}-{first}"

    @property
    def boxes(self) -> list[DateBox]:
        value = self.value()
        if isinstance(value, dt.date):
            typed = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        elif isinstance(value, list | tuple) and len(value) == len(DATE_PARTS):
            typed = dict(zip(DATE_PARTS, (str(part) for part in value), strict=True))
        else:
            typed = dict.fromkeys(DATE_PARTS, "")
        in_error = self.parts_in_error
        prefix = self.field.autocomplete
        return [
            DateBox(
                part=part,
                label=DATE_PART_LABELS[part],
                id=f"{self.auto_id}-{part}",
                name=f"{self.html_name}-{part}",
                value=typed[part],
                width=DATE_PART_WIDTHS[part],
                in_error=part in in_error,
                autocomplete=f"{prefix}-{part}" if prefix else "",
            )
            for part in DATE_PARTS
        ]


class GovukDateField(forms.Field):
    """A date from the GOV.UK date input.

    `required_message` is the "Enter …" message for an empty input; `today_or_past` refuses a date
    after today, for something that has already happened; `autocomplete="bday"` is for a date of
    birth only.
    """

    widget = GovukDateWidget
    bound_field_class = GovukDateBoundField

    def __init__(
        self,
        *,
        label: str,
        required_message: str | None = None,
        today_or_past: bool = False,
        autocomplete: str = "",
        help_text: str = DATE_HINT,
        **kwargs: Any,
    ) -> None:
        messages = {"required": required_message or f"Enter the {label.lower()}"}
        super().__init__(label=label, error_messages=messages, help_text=help_text, **kwargs)
        self.today_or_past = today_or_past
        self.autocomplete = autocomplete

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        parts = dict(zip(DATE_PARTS, value, strict=True))
        if not any(parts.values()):
            return None
        label = str(self.label)
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            raise ValidationError(
                f"{label} must include a {_joined(missing)}", code="incomplete", params={"parts": tuple(missing)}
            )
        not_numbers = [part for part in DATE_PARTS if not parts[part].isdigit()]
        if not_numbers:
            raise ValidationError(f"{label} must be a real date", code="invalid", params={"parts": tuple(not_numbers)})
        day, month, year = (int(parts[part]) for part in DATE_PARTS)
        if len(parts["year"]) != 4:
            raise ValidationError(
                f"Year in {label.lower()} must include 4 numbers", code="invalid", params={"parts": ("year",)}
            )
        if not 1 <= month <= 12:
            raise ValidationError(f"{label} must be a real date", code="invalid", params={"parts": ("month",)})
        try:
            return dt.date(year, month, day)
        except ValueError as error:
            # The month is real, so the day is what cannot be (31 February, 0 March).
            raise ValidationError(f"{label} must be a real date", code="invalid", params={"parts": ("day",)}) from error

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.today_or_past and isinstance(value, dt.date) and value > clock.workspace_today():
            raise ValidationError(f"{self.label} must be today or in the past", code="future")


class GovukForm(forms.Form):
    """A form that can list its errors for the GOV.UK error summary, each linking to the box to correct."""

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)

    # Where a message about the whole form links to.
    non_field_anchor = "main-form"

    def field_anchor(self, name: str) -> str:
        """The id of the box an error in field `name` links to. A date links to its first box in error;
        anything else to its first control (a radio group's first option has the field's id, as the
        casework templates give it)."""
        return self[name].id_for_label if isinstance(self.fields[name], GovukDateField) else f"id_{name}"

    def error_links(self) -> list[tuple[str, str]]:
        links = [(f"#{self.non_field_anchor}", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            links.extend((f"#{self.field_anchor(name)}", str(message)) for message in self.errors.get(name, []))
        return links


class DjangoIdsForm(GovukForm):
    """A form drawn by disputes/_field.html, which keeps Django's own ids: a radio group's first option
    is the field's id with `_0`, and a prefixed form's ids carry the prefix. Its checkbox groups are
    drawn by casework/_checkboxes.html."""

    def field_anchor(self, name: str) -> str:
        field = self[name]
        if field.widget_type == "radioselect":
            return f"{field.auto_id}_0"
        if field.widget_type == "checkboxselectmultiple":
            return field.auto_id  # casework/_checkboxes.html gives the first box the field's own id
        return field.id_for_label


def iro_choices(dataset: Dataset) -> list[tuple[str, str]]:
    """Every IRO on the staff list, after a first choice of all of them."""
    staff = dataset["iro_staff"].unique("iro_id").sort("iro_id")
    return iro_choices_of(staff.select("iro_id", "name").iter_rows(), first="All IROs")


def iro_choices_of(staff: Iterable[tuple[str, str | None]], *, first: str) -> list[tuple[str, str]]:
    """A choice of IRO from (identifier, name) rows, each "Name (identifier)" (the identifier alone when
    the name is not recorded), after a first choice of none in particular, `first`."""
    return [("", first), *((iro_id, f"{name} ({iro_id})" if name else iro_id) for iro_id, name in staff)]
