"""Imports and their history; tests/web/test_imports.py walks each URL as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.imports import views

urlpatterns = [
    path("imports/", views.history, name="imports"),
    path("imports/new/", views.upload, name="import-new"),
    path("imports/export/", views.export, name="export"),
    path("imports/<uuid:token>/", views.report, name="import-report"),
    path("imports/<uuid:token>/confirm/", views.confirm, name="import-confirm"),
    path("imports/<uuid:token>/abandon/", views.abandon, name="import-abandon"),
]
