from __future__ import annotations

from django.urls import path

from iroscope.web.disputes.views import child_disputes, dispute, overdue_disputes

urlpatterns = [
    path("disputes/overdue/", overdue_disputes, name="disputes-overdue"),
    path("children/<str:child_id>/disputes/", child_disputes, name="child-disputes"),
    path("disputes/<str:dispute_id>/", dispute, name="dispute"),
]
