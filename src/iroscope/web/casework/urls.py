"""The recording pages, included from the workspace's URLs. tests/web/test_recording_access.py walks
each one as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.casework import recording_views

urlpatterns = [
    path("children/<str:child_id>/reviews/new/", recording_views.review_record, name="review-record"),
    path("children/<str:child_id>/reviews/<str:review_date>/", recording_views.review_edit, name="review-edit"),
    path(
        "children/<str:child_id>/reviews/<str:review_date>/dates/",
        recording_views.review_dates,
        name="review-dates",
    ),
    path("children/<str:child_id>/midway-reviews/new/", recording_views.midway_review_record, name="midway-record"),
    path("children/<str:child_id>/visits/new/", recording_views.iro_contact_record, name="contact-record"),
    path("children/<str:child_id>/case-tracking/new/", recording_views.case_tracking_record, name="tracking-record"),
]
