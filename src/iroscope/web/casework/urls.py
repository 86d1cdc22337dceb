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
    path(
        "children/<str:child_id>/reviews/<str:review_date>/meetings/new/",
        recording_views.review_meeting_add,
        name="meeting-add",
    ),
    path("children/<str:child_id>/bookings/new/", recording_views.review_booking_new, name="booking-new"),
    path(
        "children/<str:child_id>/bookings/<str:scheduled_date>/",
        recording_views.review_booking_edit,
        name="booking-edit",
    ),
    path(
        "children/<str:child_id>/bookings/<str:scheduled_date>/cancel/",
        recording_views.review_booking_cancel,
        name="booking-cancel",
    ),
    path(
        "children/<str:child_id>/reviews/<str:review_date>/consultations/",
        recording_views.consultations_record,
        name="consultations-record",
    ),
    path("children/<str:child_id>/midway-reviews/new/", recording_views.midway_review_record, name="midway-record"),
    path("children/<str:child_id>/visits/new/", recording_views.iro_contact_record, name="contact-record"),
    path("children/<str:child_id>/case-tracking/new/", recording_views.case_tracking_record, name="tracking-record"),
    path(
        "children/<str:child_id>/good-practice/new/", recording_views.good_practice_record, name="good-practice-record"
    ),
    path("children/<str:child_id>/practice-alerts/new/", recording_views.practice_alert_record, name="alert-record"),
    path(
        "children/<str:child_id>/practice-alerts/<str:alert_id>/resolve/",
        recording_views.practice_alert_resolve,
        name="alert-resolve",
    ),
]
