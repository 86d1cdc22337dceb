"""A manager moves a child who has a brother: shown the sibling first, moves both by default, or only
the child with a plain warning; each page checked with axe."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from iroscope.web.records.services import dataset_replace
from tests.browser.conftest import assert_accessible, fill_date, menu_link, sign_in
from tests.metrics.helpers import table
from tests.web.conftest import PASSWORD, hand_made_authority


@pytest.fixture
def siblings(transactional_db: None) -> Dataset:
    """The hand-made authority with A and B (both with First IRO, I1) in sibling group G1."""
    data = hand_made_authority()
    groups = table(
        "sibling_groups", [{"child_id": "A", "sibling_group_id": "G1"}, {"child_id": "B", "sibling_group_id": "G1"}]
    )
    with_groups = dataclasses.replace(data, tables={**data.tables, "sibling_groups": groups})
    dataset_replace(dataset=with_groups)
    return with_groups


def start_moving_a_to_the_second_iro(page: Page, base_url: str) -> None:
    sign_in(page, base_url, "manager", PASSWORD)
    menu_link(page, "Allocations").click()
    expect(page.get_by_text("No sibling group is split across IROs")).to_be_visible()
    page.get_by_label("Child identifier").fill("A")
    page.get_by_label("IRO", exact=True).select_option("I2")
    fill_date(page, "on", dt.date(2025, 4, 1))
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("heading", name="Child A has siblings in sibling group G1")).to_be_visible()
    expect(page.get_by_role("row", name="B First IRO (I1)")).to_be_visible()
    assert_accessible(page)


def test_a_manager_moves_a_child_and_their_brother_together_by_default(
    live_server: Any, page: Page, siblings: Dataset, people: dict[str, User]
) -> None:
    start_moving_a_to_the_second_iro(page, live_server.url)
    expect(page.get_by_label("Child A and their siblings (B)")).to_be_checked()
    page.get_by_role("button", name="Confirm allocation").click()
    expect(page.get_by_text("Child A and their sibling B allocated to I2.")).to_be_visible()
    caseloads = page.locator("table").first
    expect(caseloads.locator("tr", has_text="I2").locator("td").nth(2)).to_have_text("3")
    expect(page.get_by_text("No sibling group is split across IROs")).to_be_visible()
    assert_accessible(page)


def test_moving_only_the_child_with_the_keyboard_warns_that_the_group_is_split(
    live_server: Any, page: Page, siblings: Dataset, people: dict[str, User]
) -> None:
    start_moving_a_to_the_second_iro(page, live_server.url)
    page.get_by_label("Child A and their siblings (B)").focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(page.get_by_label("Only child A")).to_be_checked()
    page.get_by_label("Only child A").press("Enter")  # Enter submits the form
    expect(page.get_by_text("Sibling group G1 is now split across IROs: B stays with First IRO.")).to_be_visible()
    expect(page.get_by_role("row", name="G1")).to_contain_text("A: Second IRO (I2)")
    assert_accessible(page)
    page.get_by_role("link", name="A", exact=True).click()
    expect(page.get_by_role("heading", name="Brothers and sisters in care")).to_be_visible()
    assert_accessible(page)
