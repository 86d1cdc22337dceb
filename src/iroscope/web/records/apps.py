from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "iroscope.web.records"
    label = "records"
    verbose_name = "Canonical dataset"
