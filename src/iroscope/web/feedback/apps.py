from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "iroscope.web.feedback"
    label = "feedback_requests"
    verbose_name = "Feedback by link and QR code"
