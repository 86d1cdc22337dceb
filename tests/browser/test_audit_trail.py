"""A manager searches the audit trail for a child and pages through a list filtered to an IRO: the
request lines name the child and the IRO in their query strings, and the log of the run must not
(tests/browser/conftest.py searches it at the end of the run)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, sign_in
from tests.web.conftest import PASSWORD


def test_a_manager_searches_the_audit_trail_for_a_child_and_downloads_what_it_finds(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "manager", PASSWORD)
    assert page.get_by_text("Signed in as manager").is_visible()
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Child identifier").fill("A")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/audit/?child_id=A*")
    assert_accessible(page)
    row = page.locator("tbody tr", has_text="Viewed a child's record")
    assert row.count() == 1 and "allocated_iro" in row.inner_text() and "the child's record" in row.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the").click()
    assert download.value.suggested_filename.startswith("audit-trail-")
    page.goto(f"{live_server.url}/lists/reviews_overdue/?iro=I1&sort=child_id")
    assert_accessible(page)
