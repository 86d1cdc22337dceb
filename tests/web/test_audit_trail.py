"""The audit trail page: every search is itself recorded with its filters; the trail pages past its
first entries instead of stopping; what a search finds downloads as CSV, formula-neutralised and
recorded."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.audit.services import audit_record
from iroscope.web.paging import PAGE_SIZE
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

PERSONS = ["anonymous", "allocated_iro", "manager", "business_support", "analyst", "administrator", "no_role"]


def _downloaded(response: object) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content)))


@pytest.mark.parametrize("person", PERSONS)
def test_only_managers_download_the_audit_trail(person: str, signed_in: dict[str, Client]) -> None:
    response = client_for(person, signed_in).get("/audit/download.csv")
    expected = SIGN_IN if person == "anonymous" else ALLOW if person == "manager" else DENY
    assert_allowed_or_refused(response, expected)


def test_each_search_of_the_trail_is_recorded_with_its_filters(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["allocated_iro"].get("/children/A/")
    page = signed_in["manager"].get("/audit/", {"child_id": "A", "username": "allocated_iro", "action": "view_child"})
    assert page.status_code == 200
    search = AuditEvent.objects.get(action=Action.SEARCH_AUDIT)
    assert (search.username, search.child_id, search.subject) == ("manager", "A", "the audit trail")
    assert search.after == {
        "user name": "allocated_iro",
        "action": "Viewed a child's record",
        "child": "A",
        "page": 1,
        "entries found": 1,
    }


def test_the_trail_pages_past_its_first_two_hundred_entries(
    people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(username="analyst", action=Action.VIEW_LIST, subject=f"the list number {n}") for n in range(230)
    )
    first = signed_in["manager"].get("/audit/", {"username": "analyst"}).content.decode()
    assert "Entries 1 to 50 of 230, newest first" in first
    assert first.count("data-event=") == PAGE_SIZE
    last = signed_in["manager"].get("/audit/", {"username": "analyst", "page": "5"}).content.decode()
    assert "Entries 201 to 230 of 230" in last
    assert ">the list number 0<" in last  # the oldest, which a limit of 200 never showed
    assert 'href="?username=analyst&amp;page=4" rel="prev"' in last


def test_the_trail_downloads_as_csv_formula_neutralised_and_the_download_is_recorded(
    people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    audit_record(user=None, action=Action.SIGN_IN_FAILED, subject='the user name =HYPERLINK("http://x")')
    audit_record(user=people["allocated_iro"], action=Action.VIEW_CHILD, child_id="A", subject="the child's record")
    response = signed_in["manager"].get("/audit/download.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    headings, *rows = _downloaded(response)
    assert headings == ["When", "Who", "What", "Subject", "Child", "Table", "Details"]
    assert [row[1:5] for row in rows] == [
        ["allocated_iro", "Viewed a child's record", "the child's record", "A"],
        ["(system)", "Failed sign-in (wrong user name or password)", """the user name =HYPERLINK("http://x")""", ""],
    ]
    download = AuditEvent.objects.get(action=Action.EXPORT_AUDIT)
    assert (download.username, download.subject, download.after) == ("manager", "the audit trail, as CSV", {"rows": 2})


def test_a_value_starting_with_a_formula_character_is_neutralised_in_the_csv(
    people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    audit_record(user=None, action=Action.SIGN_IN_FAILED, unnamed='=HYPERLINK("http://x")', subject="-1+1")
    (_, row) = _downloaded(signed_in["manager"].get("/audit/download.csv"))
    assert row[1] == """'=HYPERLINK("http://x")""" and row[3] == "'-1+1"


def test_the_download_takes_the_searchs_filters(authority: Dataset, signed_in: dict[str, Client]) -> None:
    signed_in["allocated_iro"].get("/children/A/")
    signed_in["business_support"].get("/children/C/")
    _, *rows = _downloaded(signed_in["manager"].get("/audit/download.csv", {"child_id": "C"}))
    assert [(row[1], row[4]) for row in rows] == [("business_support", "C")]
