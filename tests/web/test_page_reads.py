"""Pages answered from what the worker holds: the child record's booking and sibling panels read the
dataset snapshot once it holds the whole tables, and a session in use is written at most once a
minute (docs/decisions/0006-workspace-caching.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from iroscope.data.dataset import Dataset
from iroscope.web.allocations.selectors import SIBLING_TABLES, Sibling, child_siblings
from iroscope.web.casework.bookings import BOOKING_TABLES, child_bookings
from iroscope.web.middleware import LAST_SEEN_KEY
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.selectors import DatasetSnapshot, dataset_snapshot
from iroscope.web.records.services import dataset_replace
from tests.metrics.helpers import D, table
from tests.web.conftest import AS_AT, hand_made_authority
from tests.web.test_recording import review_post

pytestmark = pytest.mark.usefixtures("each_database")


@pytest.fixture
def with_panels(each_database: str) -> Dataset:
    """The hand-made authority with A and B in one sibling group, C and D in another, and B's first
    review booked for 2 April 2025 with two consultation forms sent and one of them returned."""
    data = hand_made_authority()
    extra = {
        "sibling_groups": table(
            "sibling_groups",
            [
                {"child_id": "A", "sibling_group_id": "G1"},
                {"child_id": "B", "sibling_group_id": "G1"},
                {"child_id": "C", "sibling_group_id": "G2"},
                {"child_id": "D", "sibling_group_id": "G2"},
            ],
        ),
        "scheduled_reviews": table(
            "scheduled_reviews",
            [{"child_id": "B", "scheduled_date": D(2025, 4, 2), "format": "IN_PERSON", "booked_date": D(2025, 3, 20)}],
        ),
        "consultations": table(
            "consultations",
            [
                {"child_id": "B", "review_date": D(2025, 4, 2), "recipient": "CHILD", "sent_date": D(2025, 3, 21)},
                {
                    "child_id": "B",
                    "review_date": D(2025, 4, 2),
                    "recipient": "CARER",
                    "sent_date": D(2025, 3, 21),
                    "returned_date": D(2025, 3, 28),
                },
            ],
        ),
    }
    with_extra = dataclasses.replace(data, tables={**data.tables, **extra})
    dataset_replace(dataset=with_extra)
    return with_extra


def whole_snapshot() -> DatasetSnapshot:
    snapshot = dataset_snapshot()
    snapshot.dataset(SIBLING_TABLES | BOOKING_TABLES | {"consultations"})  # as after ten pages
    assert snapshot.whole
    return snapshot


def test_siblings_from_the_snapshot_are_those_read_from_the_database(with_panels: Dataset) -> None:
    snapshot = whole_snapshot()
    for child_id, on, expected in [
        ("C", AS_AT, [Sibling("D", "I2", "Second IRO")]),
        ("A", AS_AT, [Sibling("B", "I1", "First IRO")]),
        ("A", dt.date(2025, 3, 1), [Sibling("B", None, None)]),  # B allocated from 11 March
    ]:
        assert child_siblings(child_id=child_id, on=on) == expected
        with CaptureQueriesContext(connection) as queries:
            assert child_siblings(child_id=child_id, on=on, snapshot=snapshot) == expected
        assert len(queries) == 0


def test_the_booking_panel_reads_the_snapshot_and_counts_the_forms(with_panels: Dataset) -> None:
    whole_snapshot()
    user = User.objects.create(username="reader")
    with CaptureQueriesContext(connection) as queries:
        panel = child_bookings(user=user, child_id="B", today=AS_AT)
    assert panel.booking is not None and panel.booking["scheduled_date"] == dt.date(2025, 4, 2)
    assert panel.forms_returned == {"sent": 2, "returned": 1}
    read = " ".join(query["sql"] for query in queries.captured_queries)
    for stored in ("dataset_scheduled_reviews", "dataset_consultations", "dataset_reviews"):
        assert stored not in read
    assert child_bookings(user=user, child_id="A", today=AS_AT).booking is None


def test_the_booking_panel_follows_a_booking_moved_after_the_worker_read_them(with_panels: Dataset) -> None:
    whole_snapshot()
    user = User.objects.create(username="reader")
    assert child_bookings(user=user, child_id="B", today=AS_AT).booking is not None
    bookings = DATASET_MODELS["scheduled_reviews"]._default_manager
    bookings.filter(child_id="B").update(scheduled_date=dt.date(2025, 4, 3))
    moved = child_bookings(user=user, child_id="B", today=AS_AT).booking
    assert moved is not None and moved["scheduled_date"] == dt.date(2025, 4, 3)
    bookings.create(child_id="A", scheduled_date=dt.date(2025, 4, 9), booked_date=dt.date(2025, 3, 25))
    booked = child_bookings(user=user, child_id="A", today=AS_AT).booking
    assert booked is not None and booked["scheduled_date"] == dt.date(2025, 4, 9)


def dataset_version_reads(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sum('"dataset_info"' in query["sql"] for query in queries.captured_queries)


def test_a_page_reads_the_datasets_version_once_for_itself_and_its_panels(
    with_panels: Dataset, signed_in: dict[str, Client]
) -> None:
    client = signed_in["allocated_iro"]
    # Once the worker holds the whole tables (the first pages of a version, reading only their own
    # children's rows, read the version's details again with them).
    whole_snapshot()
    assert dataset_version_reads(client, "/caseload/") == 1
    assert dataset_version_reads(client, "/children/B/") == 1
    page = client.get("/children/B/").content.decode()
    assert "2 April 2025 (due by 7 April 2025)" in page and "2 sent, 1 returned" in page
    assert 'data-sibling="A"' in page


def review_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-review="([^"]*)">(.*?)</tr>', page, re.S))


def test_the_child_records_tables_kept_in_memory_follow_each_change_and_each_persons_links(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro, colleague = signed_in["allocated_iro"], signed_in["colleague_iro"]
    whole_snapshot()
    first = iro.get("/children/A/").content.decode()
    again = iro.get("/children/A/").content.decode()  # the tables from what the worker keeps
    assert review_rows(again) == review_rows(first) and len(review_rows(first)) == 2
    assert "Change<span" in review_rows(first)["2024-08-15"]
    # The colleague may not change A's reviews: the tables the allocated IRO saw are not theirs.
    assert "Change<span" not in review_rows(colleague.get("/children/A/").content.decode())["2024-08-15"]

    iro.post("/children/A/reviews/new/", review_post(dt.date(2025, 3, 10), "PN6", non_attendance_reason="CHOSE_NOT_TO"))
    after = review_rows(iro.get("/children/A/").content.decode())
    assert "10 March 2025" in after["2025-03-10"] and "PN6" in after["2025-03-10"]
    assert "2025-03-10" not in review_rows(first)


def session_expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.usefixtures("each_database", "authority")
def test_a_session_in_use_is_written_again_only_once_its_stamp_is_a_minute_old(
    signed_in: dict[str, Client],
) -> None:
    client = signed_in["allocated_iro"]
    client.get("/caseload/")  # the first page stamps the session
    stamped = session_expiry(client)
    with CaptureQueriesContext(connection) as queries:
        client.get("/caseload/")
    assert not [
        query for query in queries.captured_queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]
    ]
    assert session_expiry(client) == stamped

    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 61
    session.save()
    before = session_expiry(client)
    client.get("/caseload/")
    assert session_expiry(client) > before
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


@pytest.mark.usefixtures("each_database", "authority")
def test_a_visitor_not_signed_in_gets_no_stored_session() -> None:
    Client().get("/sign-in/")
    assert Session.objects.count() == 0
