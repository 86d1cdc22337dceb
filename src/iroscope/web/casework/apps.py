from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "iroscope.web.casework"
    label = "casework"
    verbose_name = "Casework"
