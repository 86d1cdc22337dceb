"""The letter to the child in a real browser: the IRO drafts it from the child's record, edits and makes it
final, downloads it as Word and reads it back; business support record the day it was sent. Every page
is checked with axe. A is 12 on the day of the review, 15 August 2024 (tests/web/conftest.py)."""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from iroscope.web.records.models import DATASET_MODELS
from tests.browser.conftest import assert_accessible, fill_date, follow, sign_in
from tests.metrics.helpers import D
from tests.web.conftest import PASSWORD


def test_an_iro_writes_the_letter_to_a_child_and_business_support_record_it_sent(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    DATASET_MODELS["review_decisions"]._default_manager.create(
        decision_id="DEC-1",
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Arrange for Sam to see their brother every month",
        responsible="SOCIAL_WORKER",
        due_date=D(2024, 9, 15),
    )
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    follow(page.get_by_role("link", name="Write a letter to the child about the review held on 15 August 2024"))
    assert_accessible(page)
    page.get_by_label("The child's first name, as they like to be called").fill("Sam")
    page.get_by_label("What was talked about at the review").fill("Your new school and your football team.")
    page.get_by_role("button", name="Draft the letter").click()
    letter = page.get_by_label("The letter")
    expect(letter).to_have_value(re.compile(r"Your social worker will do this by 15 September 2024\."))
    assert_accessible(page)
    letter.fill(letter.input_value() + "\n\nGood luck in the football final!")
    page.get_by_role("button", name="Save and make final").click()
    expect(page.locator("#letter-state")).to_contain_text("not sent yet")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the letter as Word (editable)").click()
    download = download_info.value
    assert download.suggested_filename == "letter-about-the-review-of-2024-08-15.docx"
    path = download.path()
    texts = [paragraph.text for paragraph in Document(io.BytesIO(path.read_bytes())).paragraphs]
    assert "Dear Sam," in texts
    assert "Good luck in the football final!" in texts

    page.context.clear_cookies()
    sign_in(page, live_server.url, "business_support", PASSWORD)
    page.goto(f"{live_server.url}/children/A/reviews/2024-08-15/letter/")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Record that the letter was sent"))
    assert_accessible(page)
    fill_date(page, "sent_date", D(2024, 8, 14))  # before the review: refused, by the field
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Date sent must be on or after the date of the review, 15 August 2024"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Date sent must be on or after the date of the review, 15 August 2024").click()
    expect(page.locator("#id_sent_date-day")).to_be_focused()
    fill_date(page, "sent_date", timezone.localdate())  # made final today
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#letter-state")).to_contain_text("Sent on")
