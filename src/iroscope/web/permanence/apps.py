from __future__ import annotations

from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "iroscope.web.permanence"
    label = "permanence"
    verbose_name = "Permanence plans"
