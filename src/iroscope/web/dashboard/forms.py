"""The dashboard's choice of period and of IRO or team, read from the query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from iroscope.data.dataset import Dataset
from iroscope.metrics.dashboard import teams
from iroscope.web.dashboard.selectors import Choice, month_choices, period_for, year_choices
from iroscope.web.forms import GovukForm, iro_choices

YEAR_TO_DATE = "year-to-date"
MONTHS = "months"


class DashboardForm(GovukForm):
    period = forms.ChoiceField(label="Period", error_messages={"required": "Choose a period"})
    first_month = forms.ChoiceField(label="First month", required=False)
    last_month = forms.ChoiceField(label="Last month", required=False)
    iro = forms.ChoiceField(label="IRO", required=False)
    team = forms.ChoiceField(label="Team or service", required=False)

    def __init__(self, data: Any, *, choices: dict[str, list[tuple[str, str]]], as_at: dt.date) -> None:
        super().__init__(data)
        self.as_at = as_at
        for name, field_choices in choices.items():
            self._choose(name, field_choices)

    @staticmethod
    def choices_for(dataset: Dataset, as_at: dt.date) -> dict[str, list[tuple[str, str]]]:
        """Each field's choices: the same for every request on the same data and day, so a caller
        may work them out once and keep them."""
        months = [("", "Choose a month"), *month_choices(dataset, as_at)]
        return {
            "period": [
                (YEAR_TO_DATE, f"This year to date (to {as_at.day} {as_at:%B %Y})"),
                *year_choices(dataset),
                (MONTHS, "Choose months"),
            ],
            "first_month": months,
            "last_month": months,
            "iro": iro_choices(dataset),
            "team": [("", "All teams"), *((team, team) for team in teams(dataset))],
        }

    def _choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @staticmethod
    def _month(value: str) -> dt.date | None:
        return dt.date.fromisoformat(f"{value}-01") if value else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == MONTHS:
            first, last = self._month(cleaned.get("first_month", "")), self._month(cleaned.get("last_month", ""))
            if first is None:
                self.add_error("first_month", "Choose the first month")
            if last is None:
                self.add_error("last_month", "Choose the last month")
            if first and last and last < first:
                self.add_error("last_month", "The last month must be the same as or after the first month")
        if cleaned.get("iro") and cleaned.get("team"):
            self.add_error("team", "Choose an IRO or a team, not both")
        return cleaned

    def choice(self) -> Choice:
        """The choice made, or this year to date for the whole service when nothing valid was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = period_for(
            kind=data.get("period") or YEAR_TO_DATE,
            as_at=self.as_at,
            first_month=self._month(data.get("first_month", "")),
            last_month=self._month(data.get("last_month", "")),
        )
        return Choice(period, data.get("iro") or None, data.get("team") or None)
