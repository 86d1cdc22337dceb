"""The letter to the child; tests/web/test_letters.py walks each URL as every person."""

from __future__ import annotations

from django.urls import path

from iroscope.web.letters import views

urlpatterns = [
    path("children/<str:child_id>/reviews/<str:review_date>/letter/", views.letter, name="letter"),
    path("children/<str:child_id>/reviews/<str:review_date>/letter/sent/", views.letter_sent, name="letter-sent"),
    path(
        "children/<str:child_id>/reviews/<str:review_date>/letter/letter.<str:file_format>",
        views.letter_download,
        name="letter-download",
    ),
]
