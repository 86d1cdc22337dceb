"""Journeys through the workspace in a real browser, each page checked with axe."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, sign_in
from tests.web.conftest import PASSWORD


def test_an_iro_signs_in_and_finds_the_most_overdue_child_first(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.get_by_role("link", name="My caseload").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("caseload")
    assert_accessible(page)
    rows = page.locator("table tbody tr")
    # C's second review was due 20 September 2024 and A's third 15 February 2025: C comes first.
    expect(rows.first).to_contain_text("C")
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C")
    assert_accessible(page)


def test_the_sign_in_page_works_with_the_keyboard_alone(live_server: Any, page: Page, people: dict[str, User]) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(10):  # tab on until the user name field has the focus
        if page.evaluate("document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("manager")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_an_accessible_error(
    live_server: Any, page: Page, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", "not the password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
