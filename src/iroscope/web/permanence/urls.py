"""Recording permanence plans; tests/web/test_access.py walks each URL as every role."""

from __future__ import annotations

from django.urls import path

from iroscope.web.permanence import views

urlpatterns = [
    path("children/<str:child_id>/permanence-plans/new/", views.plan_record, name="permanence-plan-record"),
    path(
        "children/<str:child_id>/permanence-plans/<str:plan_date>/achieved/",
        views.plan_achieved,
        name="permanence-plan-achieved",
    ),
]
