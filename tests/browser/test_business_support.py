"""Business support's journey: book a child's next review, then record the consultation forms sent
before it. Today is the real date here (the browser talks to a live server), so the booking is made
a month ahead; B's first review was due on 7 April 2025 (see tests/web/test_recording.py), so the page
warns that the booking is late."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from iroscope.web.records.models import DATASET_MODELS
from tests.browser.conftest import assert_accessible, fill_date, follow, sign_in
from tests.web.conftest import PASSWORD


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_business_support_books_a_review_and_records_two_consultation_forms(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    today = timezone.localdate()
    booked_for = today + dt.timedelta(days=30)
    sign_in(page, live_server.url, "business_support", PASSWORD)
    page.goto(f"{live_server.url}/children/B/")
    assert_accessible(page)
    page.get_by_role("link", name="Book the next review").click()
    expect(page.locator("#due-date")).to_contain_text("due by 7 April 2025")
    assert_accessible(page)
    fill_date(page, "scheduled_date", booked_for)
    page.get_by_role("radio", name="Virtual", exact=True).check()
    fill_date(page, "invitations_sent_date", today)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/children/B/")
    main = page.locator("main")
    expect(main).to_contain_text("Review booked.")
    expect(main).to_contain_text("after the date it is due, 7 April 2025")
    expect(main).to_contain_text(f"Booked for{long_date(booked_for)}")
    assert_accessible(page)

    follow(page.get_by_role("link", name="Record consultation forms"))
    assert_accessible(page)
    fill_date(page, "sent_CHILD", today)
    fill_date(page, "sent_SOCIAL_WORKER", today)
    fill_date(page, "returned_SOCIAL_WORKER", today)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/children/B/")
    expect(main).to_contain_text("Consultation forms saved.")
    expect(main).to_contain_text("2 sent, 1 returned")
    assert_accessible(page)
    forms = DATASET_MODELS["consultations"]._default_manager.filter(child_id="B", review_date=booked_for)
    assert sorted(forms.values_list("recipient", "returned_date")) == [("CHILD", None), ("SOCIAL_WORKER", today)]
