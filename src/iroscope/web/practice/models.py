from __future__ import annotations

from django.conf import settings
from django.db import models


class PracticeSettings(models.Model):
    """The authority's local-practice configuration, one row, as the JSON `LocalPractice.from_mapping`
    reads. Written only by `practice_settings_update`, which validates and audits it."""

    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "practice_settings"
