"""Feedback by link: the workspace's pages and the public form. tests/web/test_feedback.py walks each
as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.feedback import public_views, views

urlpatterns = [
    path("children/<str:child_id>/feedback-requests/", views.child_feedback_requests, name="child-feedback-requests"),
    path("feedback-comments/", views.feedback_comments, name="feedback-comments"),
    # Public, with no sign-in: "sent" comes first, so that it is never taken for a token.
    path("feedback/sent/", public_views.feedback_sent, name="feedback-sent"),
    path("feedback/<str:token>/", public_views.feedback_public, name="feedback-public"),
]
