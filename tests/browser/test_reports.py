"""The report builder in a real browser: a manager chooses the year, writes the foreword, saves it
twice (version 2), previews the report in its own tab with the foreword in it, and restores version 1
from the history; axe on every workspace page; the year is chosen and the first save made with the
keyboard alone."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, follow, menu_link, sign_in
from tests.web.conftest import PASSWORD

FIRST = "The service welcomed two new IROs this year."
SECOND = "The service welcomed two new IROs this year and cleared its backlog of records."


def test_a_manager_writes_the_foreword_saves_it_twice_and_previews_the_report(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    follow(menu_link(page, "Annual report"))
    assert_accessible(page)
    page.get_by_label("2024-25 (1 April 2024 to 31 March 2025)").check()
    page.get_by_role("button", name="Continue").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("IRO service annual report 2024-25")
    assert_accessible(page)

    foreword = page.get_by_role("textbox", name="Foreword")
    foreword.fill(FIRST)
    page.get_by_role("button", name="Save foreword").press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Foreword saved as version 1.")
    page.get_by_role("textbox", name="Foreword").fill(SECOND)
    page.get_by_role("button", name="Save foreword").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Foreword saved as version 2.")
    expect(page.locator("#foreword")).to_contain_text("Version 2, saved by manager")
    expect(page.get_by_role("textbox", name="Foreword")).to_have_value(SECOND)
    assert_accessible(page)

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview the report to publish (opens in new tab)").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview).to_have_title(re.compile(r"^Independent Reviewing Officer service annual report: .*, 2024-25$"))
    expect(preview.locator("body")).to_contain_text(SECOND)
    # The report's own inline stylesheet applies under the preview's policy (the page is at most 960px wide).
    assert preview.locator("body").evaluate("body => getComputedStyle(body).maxWidth") == "960px"
    preview.close()

    page.get_by_role("link", name="Version history of foreword").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="See the text of version 1").click()
    expect(page.locator("#version-text")).to_have_text(FIRST)
    assert_accessible(page)
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Foreword: version 1 restored as version 3.")
    expect(page.get_by_role("textbox", name="Foreword")).to_have_value(FIRST)
