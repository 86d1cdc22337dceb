"""Other areas' figures on the dashboard in a real browser: the sixth area opens from "and 1 more",
and the page with comparators beside its headlines and beneath its trends passes axe at 320 px and
at desktop width."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.web.records.services import dataset_replace
from tests.browser.conftest import assert_accessible, sign_in
from tests.metrics.helpers import table
from tests.web.conftest import PASSWORD, hand_made_authority

AREAS = {
    "England": 88.1,
    "Halton": 84.0,
    "North West": 85.5,
    "Statistical neighbours": 86.4,
    "Wirral": 90.0,
    "North East Lincolnshire's statistical neighbours (published report)": 95.0,
}


def test_a_manager_opens_the_sixth_area_beside_a_headline(
    live_server: Any, page: Page, transactional_db: None, people: dict[str, User]
) -> None:
    data = hand_made_authority()
    rows = [
        {"kpi_id": kpi_id, "year": "2024-25", "area": area, "value": value}
        for area, value in AREAS.items()
        for kpi_id in ("participation_rate", "reviews_held")
    ]
    dataset_replace(
        dataset=dataclasses.replace(data, tables={**data.tables, "comparators": table("comparators", rows)})
    )
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?period=year-2024")
    cell = page.locator("#kpi-participation_rate td").first
    expect(cell.get_by_role("listitem")).to_have_count(5)  # the sixth is hidden until asked for
    sixth = cell.get_by_text("North East Lincolnshire's statistical neighbours (published report): 95.0%")
    expect(sixth).to_be_hidden()
    assert_accessible(page)
    cell.get_by_text("and 1 more").click()
    expect(sixth).to_be_visible()
    assert_accessible(page)
