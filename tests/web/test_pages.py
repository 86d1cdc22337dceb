"""The pages themselves (issue 15): words for codes, labels that say what is true, times as GOV.UK
writes them, the service navigation marking the page shown, finding a child from any page, a manager
opening any IRO's caseload, and help and accessibility pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.rules import codes
from iroscope.synth.generator import SynthConfig, generate
from iroscope.web.casework.templatetags.words import clock_time, code_meaning
from iroscope.web.records.services import dataset_replace
from tests.metrics.helpers import D, child, dataset, episode
from tests.web.journey import MADE_ON
from tests.web.test_links import links_on


def _text(response: object) -> str:
    """The page's words without its markup, spaces run together."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def coded_authority(db: None) -> Dataset:
    """Child A of the hand-made authority with a code in every column the child's record shows."""
    data = dataset(
        children=[child("A", sex="M")],
        episodes=[episode("A", D(2024, 5, 1), legal_status="V2", placement_type="U6", placement_provider="PR4")],
        reviews=[{"child_id": "A", "review_date": D(2024, 5, 20), "participation": "PN6"}],
        review_meetings=[
            {"child_id": "A", "meeting_date": D(2024, 5, 13), "outcome": "ADJOURNED", "reason": "VENUE_OR_WEATHER"}
        ],
        iro_contacts=[
            {
                "child_id": "A",
                "contact_date": D(2024, 7, 1),
                "kind": "VISIT",
                "method": "IN_PERSON",
                "outcome": "COMPLETED",
            }
        ],
        case_tracking=[{"child_id": "A", "check_date": D(2024, 7, 2), "rag_level": "GREEN"}],
        iro_staff=[{"iro_id": "I1", "name": "First IRO", "fte": 1.0, "start_date": D(2020, 1, 1)}],
        iro_allocations=[{"child_id": "A", "iro_id": "I1", "start_date": D(2024, 5, 2)}],
    )
    dataset_replace(dataset=data)
    return data


def test_the_childs_record_gives_every_code_its_meaning(coded_authority: Dataset, signed_in: dict[str, Client]) -> None:
    page = _text(signed_in["manager"].get("/children/A/"))
    for shown in (
        "Single period of accommodation under section 20 (V2)",
        "Child does not attend but conveys their views by another method (PN6)",
        "Adjourned: the meeting started and was reconvened later",
        "Venue or weather",
        "Visit by the IRO",
        "In person",
        "Completed",
        "Green: living in a stable home",
        "Male",
    ):
        assert shown in page, shown
    assert "(U6)" in page and "(PR4)" in page
    # No code stands on its own in a cell.
    for raw in ("ADJOURNED", "VISIT", "GREEN", "IN_PERSON", "VENUE_OR_WEATHER", "COMPLETED"):
        assert f"> {raw} <" not in page and raw not in page, raw


def test_a_code_is_followed_by_its_code_only_where_people_quote_it() -> None:
    assert code_meaning("PN0", "participation") == "Child under 4 at the time of the review (PN0)"
    assert code_meaning("STOOD_DOWN", "meeting_outcome").startswith("Stood down")
    assert code_meaning("", "participation") == ""
    assert code_meaning("PN9", "participation") == "PN9"  # not in the list: shown as it is, never dropped


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (dt.time(23, 40), "11:40pm"),
        (dt.time(11, 40), "11:40am"),
        (dt.time(9, 0), "9am"),
        (dt.time(12, 0), "12pm"),
        (dt.time(0, 5), "12:05am"),
        (dt.datetime(2025, 3, 3, 14, 30), "2:30pm"),
    ],
)
def test_times_are_written_as_gov_uk_writes_them(moment: dt.time | dt.datetime, written: str) -> None:
    assert clock_time(moment) == written


def test_no_page_writes_a_time_with_full_stops(authority: Dataset, signed_in: dict[str, Client]) -> None:
    manager = signed_in["manager"]
    saved = manager.post("/reports/2024/narrative/foreword/", {"foreword-text": "A year.", "foreword-based_on": "0"})
    assert saved.status_code == 302
    for address in ("/reports/2024/", "/reports/2024/narrative/foreword/versions/", "/audit/"):
        page = _text(manager.get(address))
        assert "a.m." not in page and "p.m." not in page, address
        assert re.search(r"\d{1,2}(:\d\d)?(am|pm)", page), address


def test_the_save_button_names_its_section_as_written_not_lowercased(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = _text(signed_in["manager"].get("/reports/2024/"))
    assert "Save Commentary: The IRO service and team" in page
    assert "the iro service" not in page


def test_the_fields_needed_when_a_meeting_was_adjourned_are_not_labelled_optional(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = _text(signed_in["allocated_iro"].get("/children/A/reviews/new/"))
    assert "Adjourned or stood down (optional)" not in page
    assert "Reason (optional)" not in page
    assert "Needed if a meeting was adjourned or stood down." in page
    assert "Format (optional)" in page  # a field that is optional still says so


def test_the_service_navigation_marks_the_page_shown_and_the_section_of_a_page_within_it(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    lists = signed_in["manager"].get("/lists/").content.decode()
    assert re.search(r'href="/lists/" aria-current="page"', lists)
    one_list = signed_in["manager"].get("/lists/reviews_overdue/").content.decode()
    assert re.search(r'href="/lists/" aria-current="true"', one_list)
    home = signed_in["manager"].get("/").content.decode()
    assert "aria-current" not in home
    assert 'class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"' in home


def test_someone_who_may_read_records_finds_a_child_from_any_page(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    assert 'action="/find-a-child/"' in iro.get("/lists/").content.decode()
    found = iro.get("/find-a-child/", {"child_id": " D "})
    assert found.status_code == 302 and found["Location"] == "/children/D/"
    missing = iro.get("/find-a-child/", {"child_id": "Z"})
    assert missing.status_code == 200 and "No child found" in _text(missing)
    hostile = iro.get("/find-a-child/", {"child_id": "A/../audit"})
    assert hostile.status_code == 200 and "No child found" in _text(hostile)
    empty = iro.get("/find-a-child/", {"child_id": ""})
    assert "Error: Enter a child's identifier" in _text(empty)
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error" id="find-child-id"' in empty.content.decode()


def test_finding_a_child_never_tells_someone_who_may_not_read_records_whether_it_exists(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    analyst = signed_in["analyst"]
    assert 'action="/find-a-child/"' not in analyst.get("/lists/").content.decode()
    existing = analyst.get("/find-a-child/", {"child_id": "A"})
    unknown = analyst.get("/find-a-child/", {"child_id": "Q"})
    assert existing.status_code == unknown.status_code == 200
    assert _text(existing).replace(" A ", " Q ") == _text(unknown)


def test_a_manager_opens_any_iros_caseload_from_the_allocations_page(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    assert 'href="/caseloads/I2/"' in manager.get("/allocations/").content.decode()
    page = manager.get("/caseloads/I1/")
    assert page.status_code == 200
    text = _text(page)
    assert "Caseload of First IRO" in text and "3 children allocated to this IRO" in text
    assert re.findall(r'data-child="([^"]+)"', page.content.decode()) == ["C", "A", "B"]
    assert manager.get("/caseloads/I9/").status_code == 404


def test_help_and_the_accessibility_statement_are_linked_from_every_footer(
    authority: Dataset, signed_in: dict[str, Client], client: Client
) -> None:
    sign_in_page = client.get("/sign-in/").content.decode()
    assert 'href="/help/"' in sign_in_page and 'href="/accessibility/"' in sign_in_page
    statement = _text(client.get("/accessibility/"))
    for heading in (
        "Compliance status",
        "Non-accessible content",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "How we tested this service",
    ):
        assert heading in statement, heading
    assert "axe" in statement and "320 CSS pixels" in statement
    help_page = _text(signed_in["analyst"].get("/help/"))
    assert "Imports, figures and reports; no case records." in help_page


def test_the_demo_says_what_each_account_can_do() -> None:
    from iroscope.web.accounts.roles import Role
    from iroscope.web.commands import demo_account_does

    assert demo_account_does(Role.ANALYST, iro_id=None) == "Imports, figures and reports; no case records."
    assert "Linked to IRO I3" in demo_account_does(Role.IRO, iro_id="I3")


@pytest.mark.django_db
def test_the_demo_workspace_holds_the_seed_reports_published_figures_as_comparators() -> None:
    from iroscope.metrics.benchmark import seed_report_comparators
    from iroscope.web.commands import _demo
    from iroscope.web.records.selectors import dataset_from_database

    accounts = _demo(40)
    assert [role for _, role, _, _ in accounts][:2] == ["IRO", "IRO manager"]
    stored = dataset_from_database()["comparators"]
    published = seed_report_comparators()
    assert stored.height == len(published) > 0
    first = published[0]
    row = stored.filter(kpi_id=first.kpi_id, year=first.year, area=first.area).to_dicts()
    assert row and row[0]["value"] == first.value and first.area.endswith("(published report)")


@pytest.fixture
def many_overdue(db: None) -> Dataset:
    """120 children in care since 10 April 2024 with no review: every first review is overdue."""
    ids = [f"K{number:03d}" for number in range(1, 121)]
    data = dataset(
        children=[child(child_id) for child_id in ids],
        episodes=[episode(child_id, D(2024, 4, 10)) for child_id in ids],
        iro_staff=[{"iro_id": "I1", "name": "First IRO", "fte": 1.0, "start_date": D(2020, 1, 1)}],
        iro_allocations=[{"child_id": child_id, "iro_id": "I1", "start_date": D(2024, 4, 11)} for child_id in ids],
    )
    dataset_replace(dataset=data)
    return data


def _list_rows(html: str) -> int:
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return body.count('<tr class="govuk-table__row">')


def test_a_long_list_is_shown_fifty_rows_a_page_with_the_gov_uk_pagination(
    many_overdue: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    first = manager.get("/lists/reviews_overdue/").content.decode()
    assert _list_rows(first) == 50
    assert "Showing 1 to 50 of 120" in first
    assert '<nav class="govuk-pagination" aria-label="Pages of reviews overdue">' in first
    second = manager.get("/lists/reviews_overdue/", {"iro": "I1", "page": "2"}).content.decode()
    assert _list_rows(second) == 50 and "Showing 51 to 100 of 120" in second
    assert 'href="?iro=I1&amp;page=3"' in second and 'aria-current="page">2<' in second
    assert 'href="?iro=I1" rel="prev"' in second  # page 1 has no page number in its address
    past_the_end = manager.get("/lists/reviews_overdue/", {"page": "99"}).content.decode()
    assert _list_rows(past_the_end) == 20 and "Showing 101 to 120 of 120" in past_the_end
    not_a_number = manager.get("/lists/reviews_overdue/", {"page": "x"}).content.decode()
    assert "Showing 1 to 50 of 120" in not_a_number
    # The download still holds every row.
    csv = manager.get("/lists/reviews_overdue/download.csv").content.decode()
    assert csv.count("\nK") == 120


def test_a_short_list_has_no_pagination(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get("/lists/reviews_overdue/").content.decode()
    assert "govuk-pagination" not in html and "Showing" not in html


# The code lists whose codes reach the workspace's pages from the data.
SHOWN_CODE_LISTS = (
    "sex",
    "legal_status",
    "placement_type",
    "placement_provider",
    "participation",
    "meeting_outcome",
    "adjournment_reason",
    "contact_kind",
    "contact_method",
    "contact_outcome",
    "rag_level",
)


def test_no_page_a_manager_reaches_shows_a_code_without_its_meaning(
    db: None, signed_in: dict[str, Client], pin_today: Callable[[dt.date], None]
) -> None:
    """Over a synthetic authority, every page reached from the home page (the settings page's reference
    tables of codes and meanings aside): a code appears only in brackets after its meaning."""
    pin_today(MADE_ON)
    dataset_replace(dataset=generate(SynthConfig(children=60, years=3, seed=1), today=MADE_ON))
    lists = {code_list.name: code_list for code_list in codes.ALL_CODE_LISTS}
    raw = re.compile(
        r"(?<![\w(])("
        + "|".join(sorted({re.escape(c.code) for name in SHOWN_CODE_LISTS for c in lists[name].codes}, key=len)[::-1])
        + r")(?![\w)])"
    )
    manager = signed_in["manager"]
    seen, queue = {"/"}, ["/"]
    found: dict[str, str] = {}  # code → the first page showing it bare
    while queue and len(seen) < 200:
        address = queue.pop(0)
        response = manager.get(address)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        main = html.split('id="main-content"', 1)[-1]
        if address != "/settings/":
            for code in raw.findall(_text_of(main)):
                found.setdefault(code, address)
        for link in links_on(html):
            if link not in seen and "sort=" not in link and "download" not in link:
                seen.add(link)
                queue.append(link)
    assert any(address.startswith("/children/") for address in seen)
    assert found == {}


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_records_behind_a_dashboard_figure_are_shown_fifty_a_page(
    db: None, signed_in: dict[str, Client], pin_today: Callable[[dt.date], None]
) -> None:
    pin_today(MADE_ON)
    dataset_replace(dataset=generate(SynthConfig(children=60, years=3, seed=1), today=MADE_ON))
    manager = signed_in["manager"]
    first = manager.get("/dashboard/reviews_held/", {"period": "year-2024"}).content.decode()
    total = int(re.search(r"Reviews: ([\d,]+)", first).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert total > 50
    assert _list_rows(first) == 50 and f"Showing 1 to 50 of {total}" in first
    second = manager.get("/dashboard/reviews_held/", {"period": "year-2024", "page": "2"}).content.decode()
    assert f"Showing 51 to {min(100, total)} of {total}" in second
    assert 'href="/dashboard/?period=year-2024"' in second  # back to the dashboard, without the page
