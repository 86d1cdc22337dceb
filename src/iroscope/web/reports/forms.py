"""The report builder's forms: the choice of year, and one form for each part of the narrative."""

from __future__ import annotations

from typing import Any

from django import forms

from iroscope.data.dataset import collection_year_label
from iroscope.report.narrative import YES, NarrativePart, read_target_lines
from iroscope.web.forms import GovukForm

MAX_LENGTH = 20_000


class YearForm(GovukForm):
    year = forms.TypedChoiceField(
        label="Which year is the report for?", coerce=int, error_messages={"required": "Choose the year of the report"}
    )

    def __init__(self, data: Any, *, years: list[int]) -> None:
        super().__init__(data)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (year, f"{collection_year_label(year)} (1 April {year} to 31 March {year + 1})") for year in years
        ]
        field.error_messages["invalid_choice"] = "Choose one of the years held in the data"


def part_slug(part_id: str) -> str:
    """An HTML id and form prefix for a part: "commentary.timeliness" becomes "commentary-timeliness"."""
    return part_id.replace(".", "-").replace("_", "-")


class NarrativeForm(GovukForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        strip=False,
        max_length=MAX_LENGTH,
        error_messages={"max_length": f"Text must be {MAX_LENGTH:,} characters or fewer"},
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, data: Any = None, *, part: NarrativePart, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial, prefix=part_slug(part.id))
        self.part = part
        self.fields["text"].label = part.title
        self.fields["text"].help_text = part.prompt

    def error_links(self) -> list[tuple[str, str]]:
        anchor = f"#{self['text'].auto_id}"
        return [(anchor, str(message)) for message in [*self.non_field_errors(), *self.errors.get("text", [])]]


class TargetsForm(NarrativeForm):
    """The targets box: every line must name a figure and a target, or nothing is saved."""

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        problems = read_target_lines(text).problems
        if problems:
            raise forms.ValidationError(list(problems))
        return text


NO = "no"


class ReplaceForm(GovukForm):
    """Whether the manager's key message replaces the computed one: stored as "yes", or as nothing for
    no, so a page that was never changed saves nothing."""

    text = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[(YES, "Yes, print only my words"), (NO, "No, print my words after the computed message")],
        required=False,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, data: Any = None, *, part: NarrativePart, initial: dict[str, Any] | None = None) -> None:
        if initial is not None:
            initial = {**initial, "text": YES if initial.get("text") == YES else NO}
        super().__init__(data, initial=initial, prefix=part_slug(part.id))
        self.part = part
        self.fields["text"].label = part.prompt

    def clean_text(self) -> str:
        return YES if self.cleaned_data["text"] == YES else ""

    def error_links(self) -> list[tuple[str, str]]:
        anchor = f"#{self['text'].auto_id}_0"
        return [(anchor, str(message)) for message in [*self.non_field_errors(), *self.errors.get("text", [])]]


PartForm = NarrativeForm | ReplaceForm


def part_form(data: Any = None, *, part: NarrativePart, initial: dict[str, Any] | None = None) -> PartForm:
    if part.kind == "yes_no":
        return ReplaceForm(data, part=part, initial=initial)
    if part.kind == "targets":
        return TargetsForm(data, part=part, initial=initial)
    return NarrativeForm(data, part=part, initial=initial)
