"""The upload form: what is being imported, for which year, and the files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.utils.datastructures import MultiValueDict

from iroscope.data.dataset import collection_year_label, collection_year_of, year_end, year_start
from iroscope.rules.calendar import long_date
from iroscope.web.forms import GovukDateField, GovukForm
from iroscope.web.imports.models import ImportKind
from iroscope.web.imports.services import MEGABYTE, UploadedFile, UploadError, upload_contents

YEARS_OFFERED = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[DjangoUploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


class ImportForm(GovukForm):
    kind = forms.ChoiceField(
        label="What are you uploading?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you are uploading"},
    )
    year = forms.ChoiceField(
        label="Collection year of a 903 return",
        required=False,
    )
    extract_date = GovukDateField(
        label="Date the return was extracted",
        required=False,
        today_or_past=True,
        help_text="For an in-year extract taken from the case-management system before the year ended, the day it "
        "was taken, for example 31 10 2026. Leave blank for a full year's return.",
    )
    upload = MultipleFileField(label="Files", required=False)

    def __init__(
        self, data: Any = None, files: MultiValueDict[str, Any] | None = None, *, today: dt.date, limit: int
    ) -> None:
        super().__init__(data, files)
        self.limit = limit
        self.today = today
        latest = collection_year_of(today)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", "Choose a year")] + [
            (str(first), collection_year_label(first)) for first in range(latest, latest - YEARS_OFFERED, -1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == ImportKind.SSDA903 and not cleaned.get("year"):
            self.add_error("year", "Select the collection year of the 903 return")
        extract, year = cleaned.get("extract_date"), cleaned.get("year")
        if kind == ImportKind.SSDA903 and extract is not None and year:
            first = int(year)
            if not year_start(first) <= extract <= year_end(first):
                self.add_error(
                    "extract_date",
                    f"Date the return was extracted must be in {collection_year_label(first)}, between "
                    f"{long_date(year_start(first))} and {long_date(year_end(first))}",
                )
        asked = extract is None and "extract_date" not in self.errors
        if kind == ImportKind.SSDA903 and asked and year and year_end(int(year)) >= self.today:
            self.add_error(
                "extract_date",
                f"{collection_year_label(int(year))} is not over yet: enter the date this extract was taken",
            )
        if kind and "upload" not in self.errors:
            chosen: list[DjangoUploadedFile] = cleaned.get("upload", [])
            try:
                # Refuse an oversized upload before reading it: Django has it on disk, not in memory.
                if sum(file.size or 0 for file in chosen) > self.limit:
                    raise UploadError(f"The selected files must be smaller than {self.limit // MEGABYTE}MB in all")
                sent = [UploadedFile(file.name or "", file.read()) for file in chosen]
                cleaned["contents"] = upload_contents(kind=kind, files=sent, limit=self.limit)
            except UploadError as error:
                self.add_error("upload", str(error))
        return cleaned

    def chosen_extract_date(self) -> dt.date | None:
        return self.cleaned_data.get("extract_date") if self.chosen_year() is not None else None

    def chosen_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        return int(year) if year and self.cleaned_data.get("kind") == ImportKind.SSDA903 else None
