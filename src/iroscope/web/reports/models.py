"""The narrative of the annual report, kept per reporting year and part, one row for every save."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NarrativeVersion(models.Model):
    """One saved text of one part of one year's narrative. Rows are never changed or removed: a save
    or a restore adds the next number, so the history is the table itself."""

    year = models.PositiveSmallIntegerField()  # the collection year's first calendar year: 2024 for 2024-25
    part = models.TextField()  # a `NarrativePart.id` from iroscope.report.narrative
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_by_name = models.TextField()  # kept if the account is later removed
    restored_from = models.PositiveIntegerField(null=True)

    class Meta:
        db_table = "report_narrative_version"
        ordering = ("year", "part", "-number")
        constraints = (
            # Two saves made from the same page cannot both become the next version.
            models.UniqueConstraint(fields=("year", "part", "number"), name="one_narrative_version_per_number"),
        )
