"""Feedback by link: business support makes a request for a child's review and reads its link on the
page to print; the link, opened in a browser with no session, shows the form written for children,
takes an answer, and then refuses a second use. axe passes on each page at 320 px and 1280 px."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from iroscope.data.dataset import Dataset
from iroscope.web.records.models import DATASET_MODELS
from tests.browser.conftest import assert_accessible, follow, sign_in
from tests.web.conftest import PASSWORD


def test_a_child_answers_by_link_once_with_no_session(
    live_server: Any, page: Page, browser: Browser, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "business_support", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    follow(page.get_by_role("link", name="Feedback requests by link and QR code"))
    assert_accessible(page)
    page.get_by_label("Review").select_option(label="Held on 15 August 2024")
    page.get_by_label("For the child or young person").fill("1")
    page.get_by_role("button", name="Make requests and show their links").click()
    expect(page.locator("h1")).to_have_text("Feedback links to print")
    assert_accessible(page)
    link = page.locator(".iroscope-feedback-url").inner_text()
    expect(page.get_by_role("img", name="QR code for the link 1")).to_be_visible()

    stranger = browser.new_context()  # no cookies: nobody signed in
    public = stranger.new_page()
    public.goto(link)
    expect(public.locator("h1")).to_have_text("Tell us about your review")
    assert_accessible(public)
    public.get_by_role("button", name="Send your answers").click()
    expect(public.locator(".govuk-error-summary")).to_contain_text("Select a rating from 1 to 5")
    assert_accessible(public)
    public.get_by_role("group", name="Did your IRO listen to you?").get_by_label("Yes").check()
    public.get_by_role("group", name="Do you understand what was decided?").get_by_label("Partly").check()
    public.get_by_role("group", name="Could you have your say in the way you wanted?").get_by_label("Yes").check()
    public.get_by_label("5 – Really good").check()
    public.get_by_label("Is there anything else you want to tell us?").fill("I liked choosing where we met.")
    public.get_by_role("button", name="Send your answers").click()
    expect(public.locator("h1")).to_have_text("Thank you")
    assert_accessible(public)
    public.goto(link)
    expect(public.locator("h1")).to_have_text("This link cannot be used")
    assert_accessible(public)
    stranger.close()

    (row,) = DATASET_MODELS["feedback"]._default_manager.values("respondent", "rating", "listened_to", "comment")
    assert row == {
        "respondent": "CHILD",
        "rating": 5,
        "listened_to": "YES",
        "comment": "I liked choosing where we met.",
    }
    page.goto(f"{live_server.url}/children/A/feedback-requests/")
    expect(page.locator("main table")).to_contain_text("Answered")
