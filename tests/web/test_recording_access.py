"""Every recording page as every person, like tests/web/test_access.py does for the pages it lists."""

from __future__ import annotations

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.casework.urls import urlpatterns
from iroscope.web.records.models import DATASET_MODELS
from tests.metrics.helpers import D
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

URLS = {
    "review-record": "/children/A/reviews/new/",
    "review-edit": "/children/A/reviews/2024-08-15/",
    "review-dates": "/children/A/reviews/2024-08-15/dates/",
    "midway-record": "/children/A/midway-reviews/new/",
    "contact-record": "/children/A/visits/new/",
    "tracking-record": "/children/A/case-tracking/new/",
    "meeting-add": "/children/A/reviews/2024-08-15/meetings/new/",
    "good-practice-record": "/children/A/good-practice/new/",
    "alert-record": "/children/A/practice-alerts/new/",
    "alert-resolve": "/children/A/practice-alerts/PA-0A1E0001/resolve/",
    "booking-new": "/children/A/bookings/new/",
    "booking-edit": "/children/A/bookings/2025-04-01/",
    "booking-cancel": "/children/A/bookings/2025-04-01/cancel/",
    "consultations-record": "/children/A/reviews/2024-08-15/consultations/",
}
BOOKING_PAGES = ("booking-new", "booking-edit", "booking-cancel", "consultations-record")
EVERY: dict[str, int | str] = dict.fromkeys(URLS, DENY)
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": dict.fromkeys(URLS, SIGN_IN),
    "allocated_iro": {**EVERY, **dict.fromkeys(URLS, ALLOW)},
    "colleague_iro": EVERY,
    "manager": {**EVERY, **dict.fromkeys(URLS, ALLOW)},
    "business_support": {**EVERY, "review-dates": ALLOW, **dict.fromkeys(BOOKING_PAGES, ALLOW)},
    "analyst": EVERY,
    "administrator": EVERY,
    "no_role": EVERY,
}


@pytest.fixture
def open_alert(authority: Dataset) -> None:
    """An open practice alert on A, so that its resolve page exists."""
    DATASET_MODELS["practice_alerts"]._default_manager.create(
        alert_id="PA-0A1E0001", raised_date=D(2025, 2, 10), reasons=["NO_PLAN"], service="FOSTERING", child_id="A"
    )
    # and a booking, so that its change and cancel pages exist
    DATASET_MODELS["scheduled_reviews"]._default_manager.create(
        child_id="A", scheduled_date=D(2025, 4, 1), format="VIRTUAL", booked_date=D(2025, 3, 3)
    )


def test_the_walk_covers_every_recording_url() -> None:
    assert {pattern.name for pattern in urlpatterns} == set(URLS)


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_recording_page(
    person: str, url_name: str, open_alert: None, signed_in: dict[str, Client]
) -> None:
    client = client_for(person, signed_in)
    response = client.get(URLS[url_name])
    expected = EXPECTED[person][url_name]
    assert_allowed_or_refused(response, expected)


def test_an_unknown_child_or_review_is_not_found(authority: Dataset, signed_in: dict[str, Client]) -> None:
    manager = signed_in["manager"]
    assert manager.get("/children/NOPE/reviews/new/").status_code == 404
    assert manager.get("/children/A/reviews/2024-08-16/").status_code == 404
    assert manager.get("/children/A/reviews/not-a-date/").status_code == 404
    assert manager.get("/children/A/reviews/2024-08-16/meetings/new/").status_code == 404
    assert manager.get("/children/A/practice-alerts/PA-NOTHERE/resolve/").status_code == 404
    assert manager.get("/children/NOPE/practice-alerts/new/").status_code == 404
    assert manager.get("/children/A/bookings/2025-04-02/").status_code == 404
    assert manager.get("/children/A/bookings/2025-04-02/cancel/").status_code == 404
    assert manager.get("/children/A/reviews/2024-08-16/consultations/").status_code == 404
    assert manager.get("/children/NOPE/bookings/new/").status_code == 404
