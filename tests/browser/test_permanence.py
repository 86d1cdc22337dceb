"""An IRO records a child's permanence plan in a real browser, makes a mistake, corrects it, and marks
the plan achieved; the permanence tracker lists the child until then. Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, fill_date, follow, sign_in
from tests.web.conftest import PASSWORD


def test_an_iro_records_a_permanence_plan_past_its_target_and_marks_it_achieved(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/lists/permanence_tracker/")
    expect(page.locator("main")).to_contain_text("No permanence plan since the second review")
    assert_accessible(page)

    page.goto(f"{live_server.url}/children/A/")
    expect(page.locator("#permanence ~ p").first).to_contain_text("No permanence plan is recorded")
    page.get_by_role("link", name="Record a permanence plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a permanence plan")
    assert_accessible(page)

    page.get_by_label("Long-term fostering").check()
    fill_date(page, "plan_date", dt.date(2024, 8, 15))
    fill_date(page, "target_date", dt.date(2024, 8, 1))
    page.get_by_role("button", name="Save").click()
    message = "Target date must be after the date agreed, 15 August 2024"
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    assert_accessible(page)
    expect(page.get_by_label("Long-term fostering")).to_be_checked()  # what was chosen is kept

    fill_date(page, "target_date", dt.date(2025, 2, 28))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/A/(#.*)?$"))
    expect(page.locator("main")).to_contain_text("Permanence plan recorded.")
    expect(page.locator(".govuk-tag", has_text="Past its target date")).to_have_count(1)
    assert_accessible(page)

    follow(page.locator("tr[data-plan]").get_by_role("link", name=re.compile("Mark achieved")))
    assert_accessible(page)
    fill_date(page, "achieved_date", dt.date(2025, 3, 28))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/A/(#.*)?$"))
    expect(page.locator("tr[data-plan]")).to_contain_text("28 March 2025")
    expect(page.locator(".govuk-tag", has_text="Past its target date")).to_have_count(0)
    page.goto(f"{live_server.url}/lists/permanence_tracker/")
    expect(page.locator("main")).to_contain_text("There is nothing on this list.")
