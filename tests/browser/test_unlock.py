"""An administrator finds a locked sign-in on the accounts page and unlocks it; the person then signs in."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.web.conftest import PASSWORD


def test_an_administrator_unlocks_a_locked_sign_in(live_server: Any, page: Page, people: dict[str, User]) -> None:
    AccessAttempt.objects.create(
        username="manager",
        ip_address="127.0.0.1",
        user_agent="",
        http_accept="",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    sign_in(page, live_server.url, "administrator", PASSWORD)
    page.goto(f"{live_server.url}/accounts/")
    expect(page.locator('[data-account="manager"]')).to_contain_text("Sign-in locked")
    assert_accessible(page)
    page.get_by_role("button", name="Unlock manager").click()
    expect(page.get_by_text("Sign-in unlocked for manager.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "manager", PASSWORD)
    expect(page.get_by_text("Signed in as manager")).to_be_visible()
