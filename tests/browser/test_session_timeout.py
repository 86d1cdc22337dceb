"""The idle sign-out loses nothing: the GOV.UK timeout warning opens before it, "Stay signed in" keeps
the session, and text typed but not saved when the sign-out comes is back in its box, with a notice,
after signing in again. The idle limit is made short (66 seconds: the page counts on 6 of them, and
warns 3 seconds before the end) so the test waits seconds, not minutes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, sign_in
from tests.web.conftest import PASSWORD

TYPED = "Two reviews were late in August because the IRO was ill; both were held within a week."


@pytest.fixture
def short_idle_limit(settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 66


@pytest.mark.usefixtures("short_idle_limit")
def test_the_timeout_warning_opens_before_the_sign_out_and_stay_signed_in_keeps_the_session(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/reports/2024/")
    warning = page.get_by_role("dialog", name="You're about to be signed out")
    expect(warning).to_be_visible(timeout=6000)
    expect(warning).to_contain_text("You will be signed out in")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)
    with page.expect_response(lambda response: response.url.endswith("/session/keep/")) as kept:
        page.get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 200
    expect(warning).to_be_hidden()
    expect(page).to_have_url(f"{live_server.url}/reports/2024/")


@pytest.mark.usefixtures("short_idle_limit")
def test_text_typed_before_the_idle_sign_out_is_back_after_signing_in_again(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/reports/2024/")
    page.get_by_role("textbox", name="Foreword").fill(TYPED)
    # Nobody answers the warning: the page signs the person out and asks to come back here.
    page.wait_for_url(f"{live_server.url}/sign-in/?next=/reports/2024/", timeout=10000)
    page.get_by_label("User name").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/reports/2024/")
    expect(page.locator("#typed-kept")).to_contain_text("We kept what you had typed")
    expect(page.get_by_role("textbox", name="Foreword")).to_have_value(TYPED)
    assert_accessible(page)

    # Saved: the copy kept in the browser is let go, so the page opens as saved next time. With a 6-second
    # session the warning opens again while the page is checked: answered, it leaves the page usable.
    warning = page.get_by_role("dialog", name="You're about to be signed out")
    expect(warning).to_be_visible(timeout=6000)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    page.get_by_role("button", name="Save foreword").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Foreword saved as version 1.")
    page.goto(f"{live_server.url}/reports/2024/")
    expect(page.locator("#typed-kept")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Foreword")).to_have_value(TYPED)
