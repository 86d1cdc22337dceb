"""Journeys through the workspace in a real browser, each page checked with axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from iroscope.data.dataset import Dataset
from tests.browser.conftest import assert_accessible, fill_date, follow, menu_link, sign_in
from tests.web.conftest import PASSWORD


def test_an_iro_signs_in_and_finds_the_most_overdue_child_first(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    menu_link(page, "My caseload").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("caseload")
    assert_accessible(page)
    rows = page.locator("table tbody tr")
    # C's second review was due 20 September 2024 and A's third 15 February 2025: C comes first.
    expect(rows.first).to_contain_text("C")
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C")
    assert_accessible(page)


def test_the_sign_in_page_works_with_the_keyboard_alone(live_server: Any, page: Page, people: dict[str, User]) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(10):  # tab on until the user name field has the focus
        if page.evaluate("document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("manager")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_an_accessible_error(
    live_server: Any, page: Page, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", "not the password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_an_iro_records_a_late_review_and_sees_the_next_due_date_move(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    # A's third review was due 15 February 2025 (6 months after 15 August 2024): overdue.
    expect(page.locator("main")).to_contain_text("15 February 2025")
    page.goto(f"{live_server.url}/children/A/reviews/new/")
    assert_accessible(page)
    fill_date(page, "review_date", dt.date(2025, 3, 10))
    page.check("input[name=participation][value=PN1]")
    page.check("input[name=review_format][value=IN_PERSON]")
    page.check("input[name=series_of_meetings][value=N]")
    page.check("input[name=permanence_plan][value=Y]")
    page.check("input[name=had_meeting][value=N]")
    page.select_option("select[name=late_reason]", "IRO_UNAVAILABLE")  # held after 15 February 2025
    page.get_by_role("button", name=re.compile("Save|Record", re.IGNORECASE)).click()
    page.wait_for_url(f"{live_server.url}/children/A/")
    # Held 10 March 2025, so the next is due 6 months after it: 10 September 2025.
    expect(page.locator("main")).to_contain_text("Review recorded")
    expect(page.locator("main")).to_contain_text("10 September 2025")
    assert_accessible(page)


def test_a_review_form_with_mistakes_shows_the_error_summary(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/reviews/new/")
    page.get_by_role("button", name=re.compile("Save|Record", re.IGNORECASE)).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter the date the review was held")
    assert_accessible(page)


def test_a_manager_reallocates_a_child_and_sees_both_caseloads_change(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    follow(menu_link(page, "Allocations"))
    assert_accessible(page)
    table = page.locator("table").first
    # First IRO has A, B and C; Second IRO has D.
    expect(table.locator("tr", has_text="I1")).to_contain_text("3")
    page.get_by_label("Child identifier").fill("C")
    page.get_by_label("IRO", exact=True).select_option("I2")
    fill_date(page, "on", dt.date(2025, 3, 20))
    page.get_by_role("button", name="Allocate").click()
    expect(table.locator("tr", has_text="I1").locator("td").nth(2)).to_have_text("2")
    expect(table.locator("tr", has_text="I2").locator("td").nth(2)).to_have_text("2")
    assert_accessible(page)
    # The audit trail shows the change: C's allocation to I1 ended and one to I2 began.
    follow(menu_link(page, "Audit trail"))
    # The latest change, past the entries for the pages the manager viewed since (decision 0015).
    latest = page.locator("tbody tr", has_text="Changed a record").first
    expect(latest).to_contain_text("iro_allocations")
    expect(latest).to_contain_text("end_date 20 March 2025")
    expect(latest).to_contain_text("iro_id I2, start_date 20 March 2025")
    assert_accessible(page)


def test_business_support_records_when_the_record_of_a_review_went_out(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "business_support", PASSWORD)
    page.goto(f"{live_server.url}/children/A/reviews/2024-08-15/dates/")
    assert_accessible(page)
    fill_date(page, "record_distributed_date", dt.date(2024, 9, 2))
    page.get_by_role("button", name=re.compile("Save|Record", re.IGNORECASE)).click()
    page.wait_for_url(f"{live_server.url}/children/A/")
    expect(page.locator("main")).to_contain_text("Decisions and record dates saved.")
    assert_accessible(page)


@pytest.mark.parametrize("person", ["analyst", "administrator"])
def test_people_without_casework_roles_are_refused_a_childs_record_politely(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User], person: str
) -> None:
    sign_in(page, live_server.url, person, PASSWORD)
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/children/A/")
    assert response is not None and response.status == 403
    assert_accessible(page)


def test_an_iro_raises_a_practice_alert_with_two_reasons_and_sees_it_open_on_the_childs_record(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    page.get_by_role("link", name="Raise a practice alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a practice alert")
    assert_accessible(page)

    fill_date(page, "raised_date", dt.date(2025, 2, 10))
    page.get_by_label("Children in care team").check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select at least one reason for the alert")
    assert_accessible(page)
    summary.get_by_role("link", name="Select at least one reason for the alert").click()
    assert page.evaluate("document.activeElement.id") == "id_reasons"  # the first reason's box

    page.get_by_label("Placement issues").check()
    page.get_by_label("Deficiencies in care planning").check()
    page.get_by_role("button", name="Save").click()
    # The browser keeps the error link's #id_reasons through the redirect.
    page.wait_for_url(re.compile(r"/children/A/(#id_reasons)?$"))
    expect(page.locator("main")).to_contain_text("Practice alert raised.")
    alert = page.locator("tr[data-alert]")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("10 February 2025")
    expect(alert).to_contain_text("Deficiencies in care planning")
    expect(alert).to_contain_text("Placement issues")
    expect(alert).to_contain_text("Children in care team")
    expect(alert).to_contain_text("Open")
    assert_accessible(page)

    follow(alert.get_by_role("link", name=re.compile("Mark resolved")))
    assert_accessible(page)
    fill_date(page, "resolved_date", dt.date(2025, 3, 20))
    page.get_by_label("The child's plan changed").check()  # what the alert achieved (decision 0021)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/A/(#.*)?$"))
    expect(alert).to_contain_text("Resolved 20 March 2025")
    expect(alert).to_contain_text("The child's plan changed")
    assert_accessible(page)


def test_a_dispute_raised_on_31_february_is_refused_accessibly_and_the_link_finds_the_day(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/disputes/")
    assert_accessible(page)
    page.get_by_label("Formally, at the first formal stage").check()
    page.get_by_label("Placement not meeting the child's needs, or unassessed").check()
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("2")
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_role("button", name="Raise the dispute").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date raised must be a real date")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    summary.get_by_role("link", name="Date raised must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_on-day"
    expect(page.get_by_label("Month", exact=True)).to_have_value("2")  # the entries are kept to correct
    expect(page.get_by_label("Placement not meeting the child's needs, or unassessed")).to_be_checked()


def test_a_settings_mistake_is_refused_accessibly_and_the_link_finds_the_box(
    live_server: Any, page: Page, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    assert_accessible(page)
    page.get_by_label("Midway review falls this far between reviews").fill("2")
    page.get_by_role("button", name="Save settings").click()
    summary = page.locator(".govuk-error-summary")
    message = "Midway review fraction must be a number between 0 and 1, such as 0.5"
    expect(summary).to_contain_text(message)
    assert_accessible(page)
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.id") == "midway_review_fraction"


def test_an_iro_adds_a_second_adjourned_meeting_and_records_good_practice_with_the_pages_accessible(
    live_server: Any, page: Page, authority: Dataset, people: dict[str, User]
) -> None:
    sign_in(page, live_server.url, "allocated_iro", PASSWORD)
    page.goto(f"{live_server.url}/children/A/")
    follow(
        page.get_by_role("link", name="Add a meeting adjourned or stood down before the review held on 15 August 2024")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the meeting date")
    assert_accessible(page)
    fill_date(page, "meeting_date", dt.date(2024, 8, 1))
    page.get_by_label("Stood down: the meeting did not go ahead and was rearranged").check()
    page.get_by_label("Reason").select_option("VENUE_OR_WEATHER")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/A/(#.*)?$"))
    expect(page.locator("main")).to_contain_text("Adjourned or stood-down meeting added.")
    expect(page.locator("main")).to_contain_text("1 August 2024")

    follow(page.get_by_role("link", name="Record a good practice notification"))
    assert_accessible(page)
    fill_date(page, "notification_date", dt.date(2025, 2, 3))
    page.get_by_label("Good working relationship with the child").check()
    page.get_by_label("Fostering service").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/A/(#.*)?$"))
    expect(page.locator("tr[data-notification]")).to_contain_text("Good working relationship with the child")
    assert_accessible(page)
