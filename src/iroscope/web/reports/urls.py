"""The annual report builder; tests/web/test_reports_views.py walks every URL as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.reports import views

urlpatterns = [
    path("reports/", views.report_years_page, name="reports"),
    path("reports/<int:year>/", views.report_builder, name="report-builder"),
    path("reports/<int:year>/preview/", views.report_preview, name="report-preview"),
    path("reports/<int:year>/download/<str:format_name>/", views.report_download, name="report-download"),
    path("reports/<int:year>/narrative/<str:part_id>/", views.narrative_save_page, name="narrative-save"),
    path(
        "reports/<int:year>/narrative/<str:part_id>/versions/", views.narrative_history_page, name="narrative-history"
    ),
    path(
        "reports/<int:year>/narrative/<str:part_id>/versions/<int:number>/",
        views.narrative_version_page,
        name="narrative-version",
    ),
    path(
        "reports/<int:year>/narrative/<str:part_id>/versions/<int:number>/restore/",
        views.narrative_restore_page,
        name="narrative-restore",
    ),
]
