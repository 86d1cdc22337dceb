from __future__ import annotations

from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "iroscope.web.disputes"
    label = "disputes"
    verbose_name = "Dispute resolution"
