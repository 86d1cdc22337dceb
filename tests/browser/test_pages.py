"""The pages on a phone and on paper: the service navigation folds behind "Menu" at 320 px and marks the
page shown, a child is found from the header's form, and the child's record prints without the menus
and buttons, its tables whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from iroscope.web import clock
from tests.browser.conftest import assert_accessible, sign_in
from tests.web.conftest import AS_AT, PASSWORD


@pytest.fixture(autouse=True)
def today_is_the_hand_made_authoritys_last_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "workspace_today", lambda: AS_AT)


def test_on_a_phone_the_menu_folds_behind_a_button_and_marks_the_page_shown(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server.url, "manager", PASSWORD)
    menu = page.get_by_role("navigation", name="Menu")
    toggle = menu.get_by_role("button", name="Menu")
    lists = menu.get_by_role("link", name="Lists", exact=True)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(lists).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(lists).to_be_visible()
    lists.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lists")
    expect(page.get_by_role("navigation", name="Menu").locator('[aria-current="page"]')).to_have_text("Lists")
    assert_accessible(page)
    # On a desktop the links show without the button.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("navigation", name="Menu").get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard")).to_be_visible()


def test_an_iro_finds_a_child_by_identifier_from_the_header(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "colleague_iro", PASSWORD)
    page.get_by_label("Find a child by identifier").fill("C")
    page.get_by_role("button", name="Find").press("Enter")
    page.wait_for_url(f"{live_server.url}/children/C/")
    expect(page.get_by_role("heading", level=1)).to_have_text("C")
    page.get_by_label("Find a child by identifier").fill("Z99")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No child found")
    assert_accessible(page)
    page.get_by_role("button", name="Find").click()  # with nothing typed
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child")
    expect(page.locator("#find-child-id-error")).to_have_text("Error: Enter a child's identifier")
    assert_accessible(page)


def test_the_childs_record_prints_without_menus_or_buttons_and_with_its_tables_whole(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    page.set_viewport_size({"width": 320, "height": 640})
    reviews = page.get_by_role("region", name="Reviews", exact=True)
    assert reviews.evaluate("element => getComputedStyle(element).overflowX") == "auto"
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Menu")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(page.get_by_role("link", name="Record a review")).to_be_hidden()
    expect(page.get_by_label("Find a child by identifier")).to_be_hidden()
    assert reviews.evaluate("element => getComputedStyle(element).overflowX") == "visible"
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()
