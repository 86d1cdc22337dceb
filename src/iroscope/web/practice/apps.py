from __future__ import annotations

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "iroscope.web.practice"
    label = "practice"
    verbose_name = "Local-practice settings"
