"""Every recording page as every person, like tests/web/test_access.py does for the pages it lists."""

from __future__ import annotations

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.casework.urls import urlpatterns

ALLOW, DENY, SIGN_IN = 200, 403, "sign-in"

URLS = {
    "review-record": "/children/A/reviews/new/",
    "review-edit": "/children/A/reviews/2024-08-15/",
    "review-dates": "/children/A/reviews/2024-08-15/dates/",
    "midway-record": "/children/A/midway-reviews/new/",
    "contact-record": "/children/A/visits/new/",
    "tracking-record": "/children/A/case-tracking/new/",
}
EVERY: dict[str, int | str] = dict.fromkeys(URLS, DENY)
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": dict.fromkeys(URLS, SIGN_IN),
    "allocated_iro": {**EVERY, **dict.fromkeys(URLS, ALLOW)},
    "colleague_iro": EVERY,
    "manager": {**EVERY, **dict.fromkeys(URLS, ALLOW)},
    "business_support": {**EVERY, "review-dates": ALLOW},
    "analyst": EVERY,
    "administrator": EVERY,
    "no_role": EVERY,
}


def test_the_walk_covers_every_recording_url() -> None:
    assert {pattern.name for pattern in urlpatterns} == set(URLS)


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_recording_page(
    person: str, url_name: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = Client() if person == "anonymous" else signed_in[person]
    response = client.get(URLS[url_name])
    expected = EXPECTED[person][url_name]
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
    else:
        assert response.status_code == expected


def test_an_unknown_child_or_review_is_not_found(authority: Dataset, signed_in: dict[str, Client]) -> None:
    manager = signed_in["manager"]
    assert manager.get("/children/NOPE/reviews/new/").status_code == 404
    assert manager.get("/children/A/reviews/2024-08-16/").status_code == 404
    assert manager.get("/children/A/reviews/not-a-date/").status_code == 404
