"""The operational lists in the workspace: who may see them, the rows of two lists counted by hand, the
IRO filter, sorting by a column, and the downloads.

The hand-made authority (tests/web/conftest.py) is seen at the end of 31 March 2025, the last day its
data covers (England's bank holidays in the span: 6 and 27 May, 26 August, 25 and 26 December 2024,
1 January 2025):
- reviews overdue, longest first: D (I2), reviewed 1 May 2024, second review due 3 months later on
  1 August 2024: 242 days and 168 working days overdue; C (I1), reviewed 20 June 2024, second due 20
  September 2024: 192 days, 133 working days; A (I1), reviewed 20 May and 15 August 2024, third due 6
  months later on Saturday 15 February 2025: 44 days, 31 working days (10 in February from the 17th,
  21 in March);
- reviews due in the next 28 days (to 28 April): only B (I1), in care from Monday 10 March 2025, whose
  first review is due 20 working days later, Monday 7 April: 7 days to go;
- records of review not yet distributed: no review has a record date, so all four, oldest first: D's
  of 1 May 2024 (deadline 20 working days later, 31 May, with the two May bank holidays out), A's of
  20 May, C's of 20 June and A's of 15 August.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from iroscope.data.dataset import Dataset
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

URLS = {
    "worklists": "/lists/",
    "worklist": "/lists/reviews_overdue/",
    "worklist-download": "/lists/reviews_overdue/download.csv",
    "worklists-weekly": "/lists/weekly.xlsx",
}
LIST_READERS = {"allocated_iro", "colleague_iro", "manager", "business_support", "analyst"}
WEEKLY_READERS = {"manager", "analyst"}


def _expected(person: str, url_name: str) -> int | str:
    if person == "anonymous":
        return SIGN_IN
    readers = WEEKLY_READERS if url_name == "worklists-weekly" else LIST_READERS
    return ALLOW if person in readers else DENY


PERSONS = [*LIST_READERS, "administrator", "no_role", "anonymous"]


@pytest.mark.parametrize("person", PERSONS)
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_list_page(
    person: str, url_name: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = client_for(person, signed_in)
    response = client.get(URLS[url_name])
    expected = _expected(person, url_name)
    assert_allowed_or_refused(response, expected)


def test_only_managers_and_analysts_are_offered_the_weekly_summary(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    for person in LIST_READERS:
        html = signed_in[person].get("/lists/").content.decode()
        assert ('href="/lists/weekly.xlsx"' in html) == (person in WEEKLY_READERS), person


def _table(html: str) -> list[list[str]]:
    """The list's rows as a reader sees them: each cell's text, tags removed."""
    body = re.search(r'<table class="govuk-table" id="worklist">.*?<tbody[^>]*>(.*?)</tbody>', html, re.DOTALL)
    assert body
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.DOTALL)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        for row in rows
    ]


def _headers(html: str) -> list[tuple[str, str, str]]:
    """Each column heading's aria-sort, its link and its text."""
    return [
        (aria, href.replace("&amp;", "&"), text)
        for aria, href, text in re.findall(
            r'<th scope="col" class="[^"]*" aria-sort="([^"]+)"><a class="[^"]*" href="([^"]*)">([^<]*)</a></th>', html
        )
    ]


@pytest.mark.usefixtures("each_database")
def test_the_index_counts_each_list_as_at_the_end_of_the_data(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get("/lists/").content.decode()
    assert "at the end of 31 March 2025" in html

    def count(name: str) -> str:
        row = re.search(rf'<tr class="govuk-table__row" id="list-{name}">(.*?)</tr>', html, re.DOTALL)
        assert row, name
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.DOTALL)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cells[-1])).strip()

    # Four children are in care (A, B, C and D); three of them are overdue.
    assert count("reviews_overdue") == "3 of 4 children in care"
    assert count("reviews_due") == "1"
    assert count("records_not_distributed") == "4"
    assert count("sibling_groups_split") == "0 of 0 children in sibling groups with an IRO"
    assert 'href="/lists/reviews_overdue/">Reviews overdue</a>' in html


@pytest.mark.usefixtures("each_database")
def test_reviews_overdue_longest_first_with_dates_written_out(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get("/lists/reviews_overdue/").content.decode()
    assert _table(html) == [
        ["D", "I2", "Second IRO", "2", "1 May 2024", "1 August 2024", "242", "168", "Yes"],
        ["C", "I1", "First IRO", "2", "20 June 2024", "20 September 2024", "192", "133", "Yes"],
        ["A", "I1", "First IRO", "3", "15 August 2024", "15 February 2025", "44", "31", "Yes"],
    ]
    assert "3 of 4 children in care" in html
    assert 'href="/children/D/"' in html  # business support, IROs and managers may open the record


@pytest.mark.usefixtures("each_database")
def test_records_not_distributed_oldest_review_first(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["business_support"].get("/lists/records_not_distributed/").content.decode()
    assert [row[:5] for row in _table(html)] == [
        ["D", "I2", "Second IRO", "1 May 2024", "31 May 2024"],
        ["A", "I1", "First IRO", "20 May 2024", "18 June 2024"],
        ["C", "I1", "First IRO", "20 June 2024", "18 July 2024"],
        ["A", "I1", "First IRO", "15 August 2024", "13 September 2024"],
    ]


def test_reviews_due_in_the_next_28_days(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["allocated_iro"].get("/lists/reviews_due/").content.decode()
    assert _table(html) == [["B", "I1", "First IRO", "1", "", "7 April 2025", "7"]]


def test_analysts_see_the_children_without_links_to_their_records(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    html = signed_in["analyst"].get("/lists/reviews_overdue/").content.decode()
    assert [row[0] for row in _table(html)] == ["D", "C", "A"]
    assert 'href="/children/' not in html


@pytest.mark.usefixtures("each_database")
def test_the_iro_filter_keeps_that_iros_children(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get("/lists/reviews_overdue/?iro=I1").content.decode()
    assert [row[0] for row in _table(html)] == ["C", "A"]
    assert "2 of 3 children in care" in html  # A and C, of A, B and C
    assert '<option value="I1" selected>First IRO (I1)</option>' in html
    # The sorting links and the downloads keep the filter.
    assert 'href="/lists/reviews_overdue/download.csv?iro=I1"' in html
    assert _headers(html)[0][1] == "?iro=I1&sort=child_id&order=ascending"


def test_an_iro_the_data_does_not_hold_is_refused_by_name(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = signed_in["manager"].get("/lists/reviews_overdue/?iro=I9")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and '<a href="#id_iro">Choose an IRO from the list</a>' in html


@pytest.mark.usefixtures("each_database")
def test_sorting_by_a_column_and_reversing_it(authority: Dataset, signed_in: dict[str, Client]) -> None:
    client = signed_in["manager"]
    by_days = client.get("/lists/reviews_overdue/?sort=days_overdue&order=ascending").content.decode()
    assert [row[0] for row in _table(by_days)] == ["A", "C", "D"]  # 44, 192 and 242 days
    headers = {text: (aria, href) for aria, href, text in _headers(by_days)}
    assert headers["Days overdue"] == ("ascending", "?sort=days_overdue&order=descending")
    assert headers["Child"] == ("none", "?sort=child_id&order=ascending")

    by_child = client.get("/lists/reviews_overdue/?sort=child_id&order=descending").content.decode()
    assert [row[0] for row in _table(by_child)] == ["D", "C", "A"]
    assert {text: aria for aria, _, text in _headers(by_child)}["Child"] == "descending"
    # Dates sort as dates, not as their text: 1 May, then 15 August, then 20 June would be alphabetical.
    by_last = client.get("/lists/reviews_overdue/?sort=previous_review_date").content.decode()
    assert [row[4] for row in _table(by_last)] == ["1 May 2024", "20 June 2024", "15 August 2024"]
    # A column the list does not have keeps the list's own order.
    unknown = client.get("/lists/reviews_overdue/?sort=name").content.decode()
    assert [row[0] for row in _table(unknown)] == ["D", "C", "A"]


@pytest.mark.usefixtures("each_database")
def test_the_csv_download_is_the_list_filtered_as_on_the_page(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = signed_in["manager"].get("/lists/reviews_overdue/download.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reviews-overdue-2025-03-31.csv"'
    assert response.content.decode().splitlines() == [
        "Child,IRO,IRO name,Review number,Last review,Was due by,Days overdue,Working days overdue,Due date known",
        "D,I2,Second IRO,2,2024-05-01,2024-08-01,242,168,Yes",
        "C,I1,First IRO,2,2024-06-20,2024-09-20,192,133,Yes",
        "A,I1,First IRO,3,2024-08-15,2025-02-15,44,31,Yes",
    ]
    filtered = signed_in["manager"].get("/lists/reviews_due/download.csv?iro=I2")
    assert filtered["Content-Disposition"] == 'attachment; filename="reviews-due-i2-2025-03-31.csv"'
    assert list(csv.reader(io.StringIO(filtered.content.decode()))) == [
        ["Child", "IRO", "IRO name", "Review number", "Last review", "Due by", "Days to go"]
    ]


@pytest.mark.usefixtures("each_database")
def test_the_excel_download_opens_with_dates_stored_as_dates(authority: Dataset, signed_in: dict[str, Client]) -> None:
    import datetime as dt

    response = signed_in["analyst"].get("/lists/reviews_overdue/download.xlsx?iro=I1&sort=child_id")
    assert response["Content-Disposition"] == 'attachment; filename="reviews-overdue-i1-2025-03-31.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["Reviews overdue"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Child", "IRO", "IRO name")
    assert rows[1:] == [
        ("A", "I1", "First IRO", 3, dt.datetime(2024, 8, 15), dt.datetime(2025, 2, 15), 44, 31, "Yes"),
        ("C", "I1", "First IRO", 2, dt.datetime(2024, 6, 20), dt.datetime(2024, 9, 20), 192, 133, "Yes"),
    ]


def test_a_list_that_does_not_exist_or_an_unknown_format_is_not_found(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in["manager"].get("/lists/reviews_late/").status_code == 404
    assert signed_in["manager"].get("/lists/reviews_late/download.csv").status_code == 404
    assert signed_in["manager"].get("/lists/reviews_due/download.pdf").status_code == 404


@pytest.mark.usefixtures("each_database")
def test_the_weekly_summary_workbook_for_the_week_ending_on_the_as_at_day(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["manager"].get("/lists/weekly.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="weekly-summary-2025-03-31.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Summary", "Reviews due", "Reviews overdue"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, max_col=2, values_only=True)}
    assert summary["Reviews overdue"] == "3 of 4"
    assert summary["Reviews held this week within timescale"] == "0 of 0"  # none held 25 to 31 March


@pytest.mark.django_db
def test_with_no_data_loaded_the_lists_say_so(signed_in: dict[str, Client]) -> None:
    assert "No data has been loaded yet" in signed_in["manager"].get("/lists/").content.decode()
    assert "No data has been loaded yet" in signed_in["manager"].get("/lists/reviews_due/").content.decode()
    assert signed_in["manager"].get("/lists/reviews_due/download.csv").status_code == 404
