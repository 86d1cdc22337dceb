"""The operational lists in a real browser: a manager opens Lists, opens "Reviews overdue", narrows it
to one IRO's children with the keyboard and sorts it by a column; axe on each page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from iroscope.web import clock
from tests.browser.conftest import assert_accessible, menu_link, sign_in
from tests.web.conftest import AS_AT, PASSWORD


@pytest.fixture(autouse=True)
def today_is_the_hand_made_authoritys_last_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists as at 31 March 2025, so that each count can be checked by hand (decision 0014)."""
    monkeypatch.setattr(clock, "workspace_today", lambda: AS_AT)


def test_a_manager_opens_reviews_overdue_and_narrows_it_to_one_iro(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    menu_link(page, "Lists").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lists")
    # D, C and A overdue on 31 March 2025, of the four children in care.
    expect(page.locator("#list-reviews_overdue td").last).to_have_text("3 of 4 children in care")
    assert_accessible(page)

    page.get_by_role("link", name="Reviews overdue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews overdue")
    expect(page.locator("#worklist tbody tr td:first-child")).to_have_text(["D", "C", "A"])
    assert_accessible(page)

    page.get_by_label("IRO").select_option("I1")
    page.get_by_role("button", name="Show list").press("Enter")
    expect(page.locator("#worklist tbody tr td:first-child")).to_have_text(["C", "A"])
    expect(page.locator("#list-count")).to_have_text("2 of 3 children in care")
    expect(page.get_by_label("IRO")).to_have_value("I1")
    assert_accessible(page)

    page.locator("#worklist thead").get_by_role("link", name="Days overdue", exact=True).click()
    expect(page.locator("#worklist tbody tr td:first-child")).to_have_text(["A", "C"])
    expect(page.locator("#worklist th[aria-sort=ascending]")).to_have_text("Days overdue")
    assert_accessible(page)


def test_on_a_phone_a_wide_list_scrolls_in_its_own_region_and_the_page_does_not(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/lists/reviews_overdue/")
    region = page.get_by_role("region", name="Reviews overdue")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    region.focus()  # reachable with the keyboard, so its arrow keys scroll it
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert_accessible(page)
