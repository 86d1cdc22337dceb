"""The service dashboard in a real browser: a manager chooses a year, sees the headline figures with
their definitions, opens the records behind one, and the page passes axe; keyboard only for the choice."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, follow, menu_link, sign_in
from tests.web.conftest import PASSWORD


def test_a_manager_reads_the_years_figures_and_the_reviews_behind_one(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    follow(menu_link(page, "Dashboard"))
    assert_accessible(page)
    page.get_by_label("Period").select_option("year-2024")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#kpi-reviews_held td").first).to_have_text("4: see the records behind reviews held")
    page.locator("#kpi-reviews_held").get_by_text("How this is measured").click()
    expect(page.locator("#kpi-reviews_held .govuk-details__text")).to_contain_text("regulation 33")
    expect(page.locator("img.iroscope-chart")).to_have_count(6)
    assert_accessible(page)

    page.locator("#kpi-reviews_held td a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews held")
    expect(page.locator("tbody tr")).to_have_count(4)
    assert_accessible(page)


def test_the_choice_of_months_works_with_the_keyboard_and_explains_a_mistake(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "analyst", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_label("Period").focus()
    page.get_by_label("Period").select_option("months")
    page.get_by_label("First month").select_option("2024-09")
    page.get_by_label("Last month").select_option("2024-06")
    page.get_by_role("button", name="Show figures").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last month must be the same as or after the first month"
    )
    assert_accessible(page)
