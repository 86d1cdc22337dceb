from __future__ import annotations

from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    """Links a person's account to the IRO staff table, for IROs."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    iro_id = models.TextField(null=True, blank=True, unique=True)

    class Meta:
        db_table = "accounts_staff_profile"

    def __str__(self) -> str:
        return f"Staff profile {self.pk}"
