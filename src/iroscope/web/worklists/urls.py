"""The operational lists, their downloads and the weekly summary workbook; tests/web/test_worklists_views.py
walks each URL as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.worklists import views

urlpatterns = [
    path("lists/", views.worklist_index, name="worklists"),
    path("lists/weekly.xlsx", views.weekly_download, name="worklists-weekly"),
    path("lists/<str:name>/", views.worklist_page, name="worklist"),
    path("lists/<str:name>/download.<str:file_format>", views.worklist_download, name="worklist-download"),
]
