"""The import history: one row for every upload that was checked, kept after its staged files are gone."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from iroscope.data.dataset import collection_year_label
from iroscope.data.schema import TABLES_BY_NAME


class ImportKind(models.TextChoices):
    SSDA903 = "ssda903", "SSDA903 return"
    ACTIVITY = "activity", "Activity workbook"
    SSD = "ssd", "Standard Safeguarding Dataset export"


class Outcome(models.TextChoices):
    CHECKED = "checked", "Checked, waiting to be confirmed"
    LOADED = "loaded", "Loaded"
    REFUSED = "refused", "Refused"
    ABANDONED = "abandoned", "Abandoned"


class DataImport(models.Model):
    """An upload, what checking it found, and what became of it. Written only by the imports services."""

    # The staged files live in a folder named by this random token, never by anything the browser sends.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.TextField()  # kept if the account is later removed
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True)
    kind = models.TextField(choices=ImportKind.choices)
    year = models.IntegerField(null=True)  # the collection year's first calendar year, for a 903 return
    file_names = models.JSONField(default=list)
    outcome = models.TextField(choices=Outcome.choices)
    error_count = models.IntegerField(default=0)
    warning_count = models.IntegerField(default=0)
    # Rows per table that would be stored (and, once loaded, were), and the change on what was stored.
    counts = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)
    # Where the upload and a row recorded in the workspace differ, each side by side (decision 0012).
    conflicts = models.JSONField(default=list)
    # The problems checking found, the first `PROBLEMS_KEPT` of each severity, errors first; they may
    # quote values from the files, so they are cleared (None) a day after the upload.
    problems = models.JSONField(null=True)
    # The stored dataset's version when the upload was checked: confirming is refused if it has moved on.
    dataset_version = models.BigIntegerField(null=True)
    reason = models.TextField(default="")  # why it was refused or abandoned, in a sentence

    class Meta:
        db_table = "data_import"
        ordering = ("-started_at", "-id")

    @property
    def rows_shown(self) -> list[tuple[str, int]]:
        """The tables with rows, by their titles, for the history: ("Children (SSDA903 Header)", 1130)."""
        return [
            (TABLES_BY_NAME[name].title, rows) for name, rows in self.counts.items() if rows and name in TABLES_BY_NAME
        ]

    @property
    def year_label(self) -> str:
        """ "2024-25" for a 903 return; blank for the activity workbook."""
        return collection_year_label(self.year) if self.year is not None else ""
