"""An administrator's journey: create an account for a new IRO, correcting a mistake on the way, then
close another account; every page checked with axe."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, follow, menu_link, sign_in
from tests.web.conftest import PASSWORD


def test_an_administrator_creates_an_iros_account_and_closes_another(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    people["colleague_iro"].staff_profile.delete()  # I2 is free for the new IRO
    sign_in(page, live_server.url, "administrator", PASSWORD)
    follow(menu_link(page, "Accounts"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Create an account"))
    assert_accessible(page)

    page.get_by_label("User name").fill("jo.smith@council.gov.uk")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select at least one role")
    assert_accessible(page)
    # The summary's link takes the person to the first role's box.
    summary.get_by_role("link", name="Select at least one role").click()
    assert page.evaluate("document.activeElement.id") == "id_roles"

    page.get_by_label("IRO: Records on the children allocated to them").check()
    page.get_by_label("IRO staff record").select_option("I2")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/accounts/")
    main = page.locator("main")
    expect(main).to_contain_text("Account jo.smith@council.gov.uk created. It signs in with single sign-on only.")
    row = page.locator('tr[data-account="jo.smith@council.gov.uk"]')
    expect(row).to_contain_text("Second IRO (I2)")
    expect(row).to_contain_text("Open")
    assert_accessible(page)

    follow(page.get_by_role("link", name="Change the account analyst"))
    assert_accessible(page)
    page.get_by_label("Closed: the person cannot sign in").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/accounts/")
    expect(page.locator('tr[data-account="analyst"]')).to_contain_text("Closed")
    assert_accessible(page)
