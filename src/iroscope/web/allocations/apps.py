from __future__ import annotations

from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "iroscope.web.allocations"
    label = "allocations"
    verbose_name = "IRO allocations"
