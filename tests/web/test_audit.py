from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.audit.selectors import event_details
from iroscope.web.logs import RedactChildIdentifiers


def test_viewing_a_childs_record_is_written_to_the_audit_trail(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["colleague_iro"].get("/children/A/")
    (event,) = AuditEvent.objects.filter(action=Action.VIEW_CHILD)
    assert (event.username, event.child_id) == ("colleague_iro", "A")


def test_a_refused_view_writes_nothing(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["analyst"].get("/children/A/").status_code == 403
    assert not AuditEvent.objects.filter(action=Action.VIEW_CHILD).exists()


def test_a_manager_finds_who_viewed_a_child(authority: Dataset, signed_in: dict[str, Client]) -> None:
    signed_in["allocated_iro"].get("/children/A/")
    signed_in["business_support"].get("/children/C/")
    page = signed_in["manager"].get("/audit/", {"child_id": "A"}).content.decode()
    assert "allocated_iro" in page and "business_support" not in page


@pytest.mark.django_db
def test_an_unknown_child_is_not_found_and_not_audited(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["manager"].get("/children/NOPE/").status_code == 404
    assert not AuditEvent.objects.exists()


def test_logs_do_not_carry_a_childs_identifier() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/children/A123/",), None
    )
    RedactChildIdentifiers().filter(record)
    assert record.getMessage() == "Not Found: /children/[redacted]/"


def _event(action: Action, before: dict[str, Any] | None, after: dict[str, Any] | None) -> AuditEvent:
    return AuditEvent(action=action, username="someone", before=before, after=after)


def test_a_changed_review_shows_only_what_changed_with_dates_written_out() -> None:
    held = {"child_id": "A", "review_date": "2024-08-15"}
    before = {"reviews": held | {"participation": "PN3"}, "review_details": None}
    after = {
        "reviews": held | {"participation": "PN2"},
        "review_details": held | {"format": "IN_PERSON", "decisions_date": "2024-08-20", "permanence_plan": None},
    }
    details = event_details(_event(Action.UPDATE, before, after))
    assert [(detail.field, detail.before, detail.after) for detail in details] == [
        ("reviews.participation", "PN3", "PN2"),
        ("review_details.child_id", "blank", "A"),
        ("review_details.review_date", "blank", "15 August 2024"),
        ("review_details.format", "blank", "IN_PERSON"),
        ("review_details.decisions_date", "blank", "20 August 2024"),
    ]


def test_something_added_or_viewed_shows_what_was_recorded_and_something_removed_what_it_held() -> None:
    added = event_details(_event(Action.CREATE, None, {"username": "jo", "roles": ["IRO", "Analyst"], "iro_id": None}))
    assert [(detail.field, detail.before, detail.after) for detail in added] == [
        ("username", None, "jo"),
        ("roles", None, "IRO; Analyst"),
    ]
    viewed = event_details(_event(Action.VIEW_CASELOAD, None, {"iro_id": "I1"}))
    assert [(detail.field, detail.after) for detail in viewed] == [("iro_id", "I1")]
    removed = event_details(_event(Action.DELETE, {"contact_date": "2025-01-09", "active": True}, None))
    assert [(detail.field, detail.before, detail.after) for detail in removed] == [
        ("contact_date", "9 January 2025", None),
        ("active", "yes", None),
    ]


def test_a_manager_reads_what_an_administrator_changed_on_the_audit_trail(
    authority: Dataset, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    person = people["business_support"]
    change = {"roles": ["Business support", "Analyst"], "iro_id": "", "active": "closed"}
    signed_in["administrator"].post(f"/accounts/{person.pk}/", change)
    page = signed_in["manager"].get("/audit/", {"username": "administrator"}).content.decode()
    row = page.split('<tr class="govuk-table__row" data-event="', 1)[1].split("</tr>", 1)[0]
    assert "Changed a record" in row and '<td class="govuk-table__cell">accounts</td>' in row
    items = re.findall(r"<li>(.*?)</li>", row)
    assert items == ["roles: Business support → Business support; Analyst", "active: yes → no"]


def test_the_trail_is_searched_between_two_dates_typed_in_the_date_boxes(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["allocated_iro"].get("/children/A/")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)

    def searched(since: dt.date, until: dt.date) -> str:
        boxes = {
            f"{name}-{part}": str(getattr(day, part))
            for name, day in (("since", since), ("until", until))
            for part in ("day", "month", "year")
        }
        return signed_in["manager"].get("/audit/", {"child_id": "A", **boxes}).content.decode()

    assert "allocated_iro" in searched(yesterday, today)
    assert "allocated_iro" not in searched(yesterday, yesterday)


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        ({"since-day": "31", "since-month": "2", "since-year": "2025"}, "From must be a real date", "#id_since-day"),
        (
            {"since-day": "2", "since-month": "3", "since-year": "2025", "until-day": "1", "until-month": "3",
             "until-year": "2025"},
            "To must be the same as or after From",
            "#id_until-day",
        ),
    ],
)  # fmt: skip
def test_a_wrong_search_date_is_named_in_the_error_summary(
    authority: Dataset, signed_in: dict[str, Client], query: dict[str, str], message: str, anchor: str
) -> None:
    page = signed_in["manager"].get("/audit/", query).content.decode()
    assert f'<a href="{anchor}">{message}</a>' in page
    assert "<title>Error: Audit trail" in page
