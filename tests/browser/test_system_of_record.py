"""The workspace as the system of record, in a real browser: an IRO records a midway review; a
manager then imports an activity workbook that says otherwise about it, sees the two side by side
on the import report, confirms, and the IRO's record is still what the child's page shows. Axe on
each page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.data.writers import write_activity_workbook
from iroscope.web import clock
from iroscope.web.records.selectors import dataset_from_database
from tests.browser.conftest import assert_accessible, fill_date, follow, menu_link, sign_in
from tests.web.conftest import AS_AT, PASSWORD

MIDWAY_DAY = dt.date(2024, 11, 15)


@pytest.fixture(autouse=True)
def today_is_the_hand_made_authoritys_last_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "workspace_today", lambda: AS_AT)


def test_an_import_that_differs_from_the_workspace_shows_both_and_keeps_what_the_iro_recorded(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User], tmp_path: Path
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/midway-reviews/new/")
    assert_accessible(page)
    fill_date(page, "midway_date", MIDWAY_DAY)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A")

    # The service's workbook says the same midway review found no concerns.
    midway = pl.DataFrame(
        {"child_id": ["A"], "midway_date": [MIDWAY_DAY], "iro_id": ["I1"], "concerns_identified": ["N"]}
    )
    tables = dict(authority.tables) | {"midway_reviews": midway}
    workbook = write_activity_workbook(dataclasses.replace(authority, tables=tables), tmp_path / "activity.xlsx")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "manager", PASSWORD)
    follow(menu_link(page, "Imports"))
    follow(page.get_by_role("button", name="Upload a file"))
    page.get_by_label("Activity workbook").check()
    page.get_by_label("Files").set_input_files(str(workbook))
    page.get_by_role("button", name="Check the files").click()
    expect(page.locator("#conflicts")).to_have_text(
        "1 row in the upload differs from what was recorded in the workspace"
    )
    side_by_side = page.locator("fieldset").filter(has_text="Midway reviews: child A, midway date 15 November 2024")
    expect(side_by_side.locator("tbody tr")).to_have_text("Concerns identifiedYes (Y)No (N)")
    expect(side_by_side.get_by_label("Keep the workspace's")).to_be_checked()
    expect(page.locator("#change-summary")).to_contain_text("1 row recorded in the workspace kept")
    assert_accessible(page)

    page.get_by_role("button", name="Confirm and load").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Loaded")
    assert_accessible(page)

    stored = dataset_from_database(provenance=True)["midway_reviews"].filter(pl.col("child_id") == "A")
    assert stored.select("midway_date", "concerns_identified", SOURCE_COLUMN).rows() == [
        (MIDWAY_DAY, "Y", Source.WORKSPACE)
    ]
    page.goto(f"{live_server.url}/children/A/")
    expect(page.locator("main")).to_contain_text("15 November 2024")
    assert_accessible(page)
