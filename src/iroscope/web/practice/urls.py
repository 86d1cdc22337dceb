from __future__ import annotations

from django.urls import path

from iroscope.web.practice.views import practice_settings

urlpatterns = [path("settings/", practice_settings, name="practice-settings")]
