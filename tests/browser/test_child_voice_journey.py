"""Issue 16's journey in a real browser, every page checked with axe: an IRO records a late review with
three decisions and why it was late, writes the letter to a 10-year-old (Word and PDF opened and read),
and marks it sent; business support makes a feedback link; the child answers it in a browser with no
session, and the link then refuses a second use; the answer is counted on the dashboard, a manager
publishes the comment, and the annual report counts the answer and quotes it.

In the hand-made authority (tests/web/conftest.py) A's third review was due 15 February 2025, so a
review held on 10 March 2025 is 23 days late. A is made 10 on that day (born 1 June 2014)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from docx import Document
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from iroscope.data.dataset import Dataset
from iroscope.web import clock
from iroscope.web.records.models import DATASET_MODELS
from tests.browser.conftest import assert_accessible, fill_date, follow, sign_in
from tests.web.conftest import AS_AT, PASSWORD

HELD = dt.date(2025, 3, 10)
DECISIONS = (
    ("Arrange for Sam to see their brother every month", "SOCIAL_WORKER", dt.date(2025, 4, 30)),
    ("Book a dentist appointment", "CARER", dt.date(2025, 4, 15)),
    ("Ask the school for extra help with reading", "EDUCATION", dt.date(2025, 5, 30)),
)
# How the 8 to 12 letter says who will do each (report/letters.py), with the date in words.
IN_THE_LETTER = (
    "Arrange for Sam to see their brother every month. Your social worker will do this by 30 April 2025.",
    "Book a dentist appointment. Your carer will do this by 15 April 2025.",
    "Ask the school for extra help with reading. Your school will do this by 30 May 2025.",
)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_review_its_decisions_the_letter_to_the_child_and_the_childs_answer_by_link(
    live_server: Any,
    page: Page,
    browser: Browser,
    authority: Dataset,
    people: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "workspace_today", lambda: AS_AT)  # 31 March 2025
    DATASET_MODELS["children"]._default_manager.filter(child_id="A").update(date_of_birth=dt.date(2014, 6, 1))

    # The IRO records the review: late, so the form asks why; three decisions with who and by when.
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/reviews/new/")
    assert_accessible(page)
    fill_date(page, "review_date", HELD)
    page.check("input[name=participation][value=PN1]")
    page.check("input[name=review_format][value=IN_PERSON]")
    page.check("input[name=series_of_meetings][value=N]")
    page.check("input[name=permanence_plan][value=Y]")
    page.check("input[name=had_meeting][value=N]")
    for number, (decision, responsible, due) in enumerate(DECISIONS, start=1):
        page.fill(f"[name=decision_{number}_decision]", decision)
        page.select_option(f"[name=decision_{number}_responsible]", responsible)
        fill_date(page, f"decision_{number}_due_date", due)
    page.get_by_role("button", name=re.compile("Save|Record", re.IGNORECASE)).click()
    # Held 23 days after it was due: the reason is needed, and the form says so at its field.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why the review was late")
    assert_accessible(page)
    page.get_by_label("Why was the review late?").select_option(label="IRO unavailable (sickness or staffing)")
    page.get_by_role("button", name=re.compile("Save|Record", re.IGNORECASE)).click()
    page.wait_for_url(f"{live_server.url}/children/A/")
    main = page.locator("main")
    expect(main).to_contain_text("Review recorded")
    expect(main).to_contain_text("IRO unavailable (sickness or staffing)")
    for decision, _, _ in DECISIONS:
        expect(main).to_contain_text(decision)
    assert_accessible(page)
    stored = DATASET_MODELS["review_decisions"]._default_manager.filter(child_id="A", review_date=HELD)
    assert sorted(stored.values_list("decision", "responsible", "due_date")) == sorted(DECISIONS)
    details = DATASET_MODELS["review_details"]._default_manager.filter(child_id="A", review_date=HELD)
    assert list(details.values_list("late_reason", flat=True)) == ["IRO_UNAVAILABLE"]

    # The letter, in the words for a child of 8 to 12, from the decisions just recorded.
    follow(page.get_by_role("link", name="Write a letter to the child about the review held on 10 March 2025"))
    assert_accessible(page)
    page.get_by_label("The child's first name, as they like to be called").fill("Sam")
    page.get_by_label("What was talked about at the review").fill("Your new school and your football team.")
    page.get_by_role("button", name="Draft the letter").click()
    letter = page.get_by_label("The letter")
    for line in IN_THE_LETTER:
        expect(letter).to_have_value(re.compile(re.escape(line)))
    expect(letter).to_have_value(re.compile("An advocate is someone who"))  # explained from 8
    assert_accessible(page)
    letter.fill(letter.input_value() + "\n\nGood luck in the football final!")
    page.get_by_role("button", name="Save and make final").click()
    expect(page.locator("#letter-state")).to_contain_text("not sent yet")
    assert_accessible(page)
    with page.expect_download() as word:
        page.get_by_role("link", name="Download the letter as Word (editable)").click()
    assert word.value.suggested_filename == "letter-about-the-review-of-2025-03-10.docx"
    paragraphs = [p.text for p in Document(io.BytesIO(word.value.path().read_bytes())).paragraphs]
    assert "Dear Sam," in paragraphs and "Good luck in the football final!" in paragraphs
    assert all(any(line in paragraph for paragraph in paragraphs) for line in IN_THE_LETTER)
    with page.expect_download() as pdf:
        page.get_by_role("link", name=re.compile("Download the letter as PDF")).click()
    assert pdf.value.suggested_filename == "letter-about-the-review-of-2025-03-10.pdf"
    text = one_line(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.value.path().read_bytes())).pages))
    assert "Dear Sam," in text and "Good luck in the football final!" in text
    assert all(line in text for line in IN_THE_LETTER)
    assert "1 June 2014" not in text  # no date of birth

    follow(page.get_by_role("link", name="Record that the letter was sent"))
    assert_accessible(page)
    fill_date(page, "sent_date", AS_AT)  # the day it was made final
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#letter-state")).to_contain_text("Sent on 31 March 2025")
    assert_accessible(page)

    # Business support make a feedback link for the child, to print with the letter.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "business_support", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    follow(page.get_by_role("link", name="Feedback requests by link and QR code"))
    assert_accessible(page)
    page.get_by_label("Review").select_option(label="Held on 10 March 2025")
    page.get_by_label("For the child or young person").fill("1")
    page.get_by_role("button", name="Make requests and show their links").click()
    expect(page.locator("h1")).to_have_text("Feedback links to print")
    assert_accessible(page)
    link = page.locator(".iroscope-feedback-url").inner_text()

    # The child answers in a browser nobody is signed in to; the link then works no more.
    stranger = browser.new_context()
    public = stranger.new_page()
    public.goto(link)
    expect(public.locator("h1")).to_have_text("Tell us about your review")
    assert "Sam" not in public.content() and "10 March 2025" not in public.content()
    assert_accessible(public)
    public.get_by_role("group", name="Did your IRO listen to you?").get_by_label("Yes").check()
    public.get_by_role("group", name="Do you understand what was decided?").get_by_label("Yes").check()
    public.get_by_role("group", name="Could you have your say in the way you wanted?").get_by_label("Partly").check()
    public.get_by_label("5 – Really good").check()
    public.get_by_label("Is there anything else you want to tell us?").fill("My IRO wrote me a letter I understood.")
    public.get_by_role("button", name="Send your answers").click()
    expect(public.locator("h1")).to_have_text("Thank you")
    assert_accessible(public)
    public.goto(link)
    expect(public.locator("h1")).to_have_text("This link cannot be used")
    assert_accessible(public)
    stranger.close()

    # The dashboard counts the answer; a manager publishes the comment; the report counts and quotes it.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    child_row = page.locator("#feedback-by-respondent tbody tr").filter(has_text="Child or young person")
    expect(child_row.locator("td").nth(0)).to_have_text("1")
    expect(child_row).to_contain_text("Yes 1 of 1 (100.0%); partly 0; no 0")  # listened to
    expect(child_row).to_contain_text("Yes 0 of 1 (0.0%); partly 1; no 0")  # could take part
    assert_accessible(page)
    page.goto(f"{live_server.url}/feedback-comments/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_role("button", name=re.compile("^Stop publishing"))).to_be_visible()
    page.goto(f"{live_server.url}/reports/2024/preview/")
    report = page.locator("body")
    expect(report).to_contain_text("What people said about the review, 2024-25")
    expect(report).to_contain_text("\u201cMy IRO wrote me a letter I understood.\u201d")
