"""The decision pages, included from the workspace's URLs; tests/web/test_decisions.py walks each one as
every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.decisions import views

urlpatterns = [
    path("children/<str:child_id>/reviews/<str:review_date>/decisions/new/", views.decision_add, name="decision-add"),
    path("children/<str:child_id>/decisions/<str:decision_id>/", views.decision_edit, name="decision-edit"),
    path(
        "children/<str:child_id>/decisions/<str:decision_id>/practice-alert/",
        views.decision_alert,
        name="decision-alert",
    ),
    path(
        "children/<str:child_id>/decisions/<str:decision_id>/dispute/", views.decision_dispute, name="decision-dispute"
    ),
]
