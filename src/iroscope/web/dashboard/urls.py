"""The service dashboard and the records behind its figures; tests/web/test_dashboard.py walks each
as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<str:kpi_id>/", views.kpi_records, name="dashboard-records"),
    path("dashboard/<str:kpi_id>/chart.svg", views.trend_chart, name="dashboard-chart"),
]
