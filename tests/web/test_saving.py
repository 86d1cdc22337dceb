"""Saves made at the same moment (`iroscope.web.saving`), as real requests in parallel: each on a thread
of its own with a database connection of its own, all started together, on a SQLite file and on
PostgreSQL. One save wins; the other is refused in words above its form, with the entries still in it;
never a 500, never a deadlock, nothing stored twice, and nothing about the child in the log.

Two kinds of test. The "at the same moment" ones hold each request at the door of its save until every
request has made its checks, so the race they test happens every time. The "rounds" ones start the
requests together and let them run as they will, as a double-click does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.allocations import services as allocation_services
from iroscope.web.allocations.services import ALLOCATIONS_CHANGED_MEANWHILE
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.casework import recording, review_recording
from iroscope.web.decisions import services as decision_services
from iroscope.web.disputes import services as dispute_services
from iroscope.web.disputes.services import DISPUTE_RAISED_MEANWHILE, child_disputes_version
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.services import dataset_replace
from tests.metrics.helpers import D, child, episode, table
from tests.web.conftest import default_pointed_at, hand_made_authority

REVIEWS: Any = DATASET_MODELS["reviews"]._default_manager
REVIEW_DETAILS: Any = DATASET_MODELS["review_details"]._default_manager
CONTACTS: Any = DATASET_MODELS["iro_contacts"]._default_manager
DISPUTES: Any = DATASET_MODELS["disputes"]._default_manager
ALLOCATIONS: Any = DATASET_MODELS["iro_allocations"]._default_manager
ROUNDS = 6

REVIEW_RECORDED_MEANWHILE = recording.recorded_meanwhile("review")
REVIEW_ALREADY_RECORDED = "A review held on {day} is already recorded for this child"


@pytest.fixture(
    params=[
        pytest.param(
            "sqlite_file", marks=pytest.mark.django_db(databases=["sqlite_file"], transaction=True), id="sqlite"
        ),
        pytest.param(
            "postgres",
            marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["postgres"], transaction=True)],
            id="postgresql",
        ),
    ]
)
def parallel_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The database the parallel requests share, committed to for real (each request's connection must
    see what the others committed). The pages and services write to the `default` alias: for the length
    of the test it is pointed, on each thread, at that thread's own connection to this database (see
    `each_database` in conftest). Request it before `authority` and `signed_in`."""
    alias: str = request.param
    request.getfixturevalue("transactional_db")
    with default_pointed_at(alias):
        yield alias


def together(alias: str, *requests: Callable[[], HttpResponse]) -> list[HttpResponse]:
    """Send each request from a thread of its own, each with its own connection to `alias`, released
    at the same instant; their responses, in the order given."""
    start = threading.Barrier(len(requests), timeout=30)
    responses: list[HttpResponse | BaseException | None] = [None] * len(requests)

    def send(index: int, request: Callable[[], HttpResponse]) -> None:
        setattr(connections._connections, DEFAULT_DB_ALIAS, connections[alias])  # type: ignore[attr-defined]
        try:
            start.wait()
            responses[index] = request()
        except BaseException as error:  # handed to the test below, on its own thread
            responses[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a request was still waiting after a minute: a deadlock"
    for response in responses:
        if isinstance(response, BaseException):
            raise response
    return [response for response in responses if isinstance(response, HttpResponse)]


def saves_meet_at_the_lock(monkeypatch: pytest.MonkeyPatch, module: ModuleType, *, saves: int = 2) -> None:
    """Hold each of `saves` saves through `module`'s `child_records_saved` until all of them have made
    their checks and reached it: the moment two people press the button together."""
    everyone_checked = threading.Barrier(saves, timeout=30)
    locked_save: Callable[..., AbstractContextManager[None]] = module.child_records_saved

    @contextmanager
    def save_once_everyone_checked(**arguments: Any) -> Iterator[None]:
        everyone_checked.wait()
        with locked_save(**arguments):
            yield

    monkeypatch.setattr(module, "child_records_saved", save_once_everyone_checked)


def signed_in_twice(user: User) -> tuple[Client, Client]:
    """Two browsers signed in as the same person (the second press of a button is a second request)."""
    clients = (Client(raise_request_exception=False), Client(raise_request_exception=False))
    for client in clients:
        client.force_login(user)
    return clients


def error_summary(response: HttpResponse) -> str:
    page = response.content.decode()
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    return html.unescape(found.group(0)) if found else ""


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def review_post(held: dt.date) -> dict[str, str]:
    return {
        **date_fields("review_date", held),
        "participation": "PN1",
        "review_format": "IN_PERSON",
        "series_of_meetings": "N",
        "permanence_plan": "Y",
        "had_meeting": "N",
        "late_reason": "OTHER",  # needed if held after its due date, dropped if not
    }


def record_review(client: Client, held: dt.date, child_id: str = "A") -> Callable[[], HttpResponse]:
    return lambda: client.post(f"/children/{child_id}/reviews/new/", review_post(held))  # type: ignore[return-value]


# ---------------------------------------------------------------- reviews and visits --------------


def test_two_people_recording_the_same_new_review_at_the_same_moment_store_it_once_and_the_second_is_told_why(
    parallel_database: str, authority: Dataset, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A review and its decisions are saved under one lock, taken before the review's own checks.
    saves_meet_at_the_lock(monkeypatch, decision_services)
    iro, _ = signed_in_twice(people["allocated_iro"])
    manager, _ = signed_in_twice(people["manager"])
    held = D(2025, 3, 10)
    responses = together(parallel_database, record_review(iro, held), record_review(manager, held))
    assert sorted(response.status_code for response in responses) == [302, 400]
    (refused,) = [response for response in responses if response.status_code == 400]
    # Refused at the lock (SQLite: the other held it) or by the check made under it (PostgreSQL waits).
    said = error_summary(refused)
    assert REVIEW_RECORDED_MEANWHILE in said or REVIEW_ALREADY_RECORDED.format(day="10 March 2025") in said
    entries = refused.content.decode()  # still on the form
    assert re.search(r'name="review_date-day"[^>]*value="10"', entries) and 'value="PN1" checked' in entries
    assert REVIEWS.filter(child_id="A", review_date=held).count() == 1
    assert REVIEW_DETAILS.filter(child_id="A", review_date=held).count() == 1
    assert AuditEvent.objects.filter(table="reviews", action=Action.CREATE).count() == 1


def test_double_clicks_on_record_review_store_each_review_once_and_never_fail(
    parallel_database: str, authority: Dataset, people: dict[str, User]
) -> None:
    first_click, second_click = signed_in_twice(people["allocated_iro"])
    for round_number in range(ROUNDS):
        held = D(2025, 3, 10) + dt.timedelta(days=round_number)
        responses = together(parallel_database, record_review(first_click, held), record_review(second_click, held))
        assert sorted(response.status_code for response in responses) == [302, 400], f"round {round_number}"
        (refused,) = [response for response in responses if response.status_code == 400]
        # Refused by the lock (both checked before either saved) or by the check (the first had saved).
        said = error_summary(refused)
        assert REVIEW_RECORDED_MEANWHILE in said or REVIEW_ALREADY_RECORDED.format(day=f"{held.day} March 2025") in said
        assert REVIEWS.filter(child_id="A", review_date=held).count() == 1
    assert REVIEWS.filter(child_id="A").count() == 2 + ROUNDS


def test_a_visit_recorded_twice_at_the_same_moment_is_stored_once(
    parallel_database: str, authority: Dataset, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    saves_meet_at_the_lock(monkeypatch, recording)
    first_click, second_click = signed_in_twice(people["allocated_iro"])
    visit = {**date_fields("contact_date", D(2025, 1, 6)), "kind": "VISIT", "outcome": "COMPLETED"}
    visit["method"] = "IN_PERSON"

    def record_visit(client: Client) -> Callable[[], HttpResponse]:
        return lambda: client.post("/children/A/visits/new/", visit)  # type: ignore[return-value]

    responses = together(parallel_database, record_visit(first_click), record_visit(second_click))
    assert sorted(response.status_code for response in responses) == [302, 400]
    (refused,) = [response for response in responses if response.status_code == 400]
    assert recording.recorded_meanwhile("visit") in error_summary(refused)
    assert CONTACTS.filter(child_id="A").count() == 1


@pytest.mark.parametrize(
    ("path", "form", "table", "what", "already"),
    [
        (
            "/children/A/good-practice/new/",
            {**date_fields("notification_date", D(2025, 2, 3)), "theme": "RELATIONSHIP_WITH_CHILD"},
            "good_practice",
            "notification",
            "A notification sent on 3 February 2025 for the same practice and team is already recorded for this child",
        ),
        (
            "/children/A/practice-alerts/new/",
            {**date_fields("raised_date", D(2025, 2, 10)), "reasons": ["NO_PLAN", "PLACEMENT"]},
            "practice_alerts",
            "practice alert",
            "An alert raised on 10 February 2025 for the same reasons and team is already recorded for this child",
        ),
    ],
    ids=["good practice", "practice alert"],
)
def test_a_notification_or_alert_sent_twice_is_stored_once_whether_together_or_one_after_the_other(
    parallel_database: str,
    authority: Dataset,
    people: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    form: dict[str, Any],
    table: str,
    what: str,
    already: str,
) -> None:
    form = {**form, "service": "FOSTERING"}
    saves_meet_at_the_lock(monkeypatch, recording)
    first_click, second_click = signed_in_twice(people["allocated_iro"])

    def send(client: Client) -> Callable[[], HttpResponse]:
        return lambda: client.post(path, form)  # type: ignore[return-value]

    responses = together(parallel_database, send(first_click), send(second_click))
    assert sorted(response.status_code for response in responses) == [302, 400]
    (refused,) = [response for response in responses if response.status_code == 400]
    assert recording.recorded_meanwhile(what) in error_summary(refused)
    monkeypatch.undo()  # the lock as it is: the same form sent again later meets the stored row
    again: Any = first_click.post(path, form)
    assert again.status_code == 400 and already in error_summary(again)
    assert DATASET_MODELS[table]._default_manager.filter(child_id="A").count() == 1
    # Another alert or notification on the same day, for something else, is a new one.
    other = {**form, "service": "CHILDREN_IN_CARE"}
    assert first_click.post(path, other).status_code == 302
    assert DATASET_MODELS[table]._default_manager.filter(child_id="A").count() == 2


# ---------------------------------------------------------------- disputes --------------------------

RAISED_ON = D(2025, 4, 16)  # after the hand-made authority's last day: today is pinned to it


def test_the_same_dispute_raised_twice_at_the_same_moment_is_stored_once(
    parallel_database: str,
    authority: Dataset,
    people: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
    pin_today: Callable[[dt.date], None],
) -> None:
    pin_today(RAISED_ON)
    saves_meet_at_the_lock(monkeypatch, dispute_services)
    iro, _ = signed_in_twice(people["allocated_iro"])
    manager, _ = signed_in_twice(people["manager"])
    # Both opened the child's disputes page before either raised one: the same version.
    form = {"formal": "informal", "category": "DRIFT_AND_DELAY", "version": child_disputes_version(child_id="A")}
    form.update({"on-day": "16", "on-month": "4", "on-year": "2025"})

    def raise_dispute(client: Client) -> Callable[[], HttpResponse]:
        return lambda: client.post("/children/A/disputes/", form)  # type: ignore[return-value]

    responses = together(parallel_database, raise_dispute(iro), raise_dispute(manager))
    assert sorted(response.status_code for response in responses) == [302, 400]
    (refused,) = [response for response in responses if response.status_code == 400]
    assert DISPUTE_RAISED_MEANWHILE in error_summary(refused)
    assert 'value="DRIFT_AND_DELAY" checked' in refused.content.decode()
    assert DISPUTES.filter(child_id="A").count() == 1


def test_a_dispute_page_sent_again_after_a_dispute_was_raised_from_it_is_refused(
    parallel_database: str, authority: Dataset, people: dict[str, User], pin_today: Callable[[dt.date], None]
) -> None:
    pin_today(RAISED_ON)
    first_click, second_click = signed_in_twice(people["allocated_iro"])
    form = {"formal": "informal", "category": "DRIFT_AND_DELAY", "version": child_disputes_version(child_id="A")}
    form.update({"on-day": "16", "on-month": "4", "on-year": "2025"})
    assert first_click.post("/children/A/disputes/", form).status_code == 302
    refused: Any = second_click.post("/children/A/disputes/", form)
    assert refused.status_code == 400 and DISPUTE_RAISED_MEANWHILE in error_summary(refused)
    # Once refused, the page carries the version it now shows: raising it again is a choice, and is allowed.
    again = re.search(r'name="version" value="([0-9a-f]+)"', refused.content.decode())
    assert again and second_click.post("/children/A/disputes/", {**form, "version": again[1]}).status_code == 302
    assert DISPUTES.filter(child_id="A").count() == 2


# ---------------------------------------------------------------- allocations -----------------------


def with_sibling_group(alias: str) -> None:
    """The hand-made authority with A and B (both First IRO, I1) in sibling group G1."""
    data = hand_made_authority()
    groups = table(
        "sibling_groups", [{"child_id": "A", "sibling_group_id": "G1"}, {"child_id": "B", "sibling_group_id": "G1"}]
    )
    dataset_replace(dataset=dataclasses.replace(data, tables={**data.tables, "sibling_groups": groups}), using=alias)


def move(client: Client, child_id: str, who: str, on: dt.date) -> Callable[[], HttpResponse]:
    """A manager moving `child_id` to Second IRO (I2) from `on`: with their sibling group, or alone."""
    form = {"child_id": child_id, "iro_id": "I2", **date_fields("on", on), "reason": "", "move": who}
    form["siblings_shown_for"] = f"{child_id} I2 {on.isoformat()}"
    return lambda: client.post("/allocations/", form)  # type: ignore[return-value]


def open_allocations(child_id: str) -> list[str]:
    return list(ALLOCATIONS.filter(child_id=child_id, end_date__isnull=True).values_list("iro_id", flat=True))


def test_two_managers_moving_overlapping_sibling_groups_at_the_same_moment_never_deadlock(
    parallel_database: str, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    saves_meet_at_the_lock(monkeypatch, allocation_services)
    first_manager, _ = signed_in_twice(people["manager"])
    second_manager, _ = signed_in_twice(people["manager"])
    on = D(2025, 4, 1)
    for round_number in range(ROUNDS):
        with_sibling_group(parallel_database)
        # One moves A with their sibling B; the other, at the same moment, moves B alone.
        responses = together(
            parallel_database, move(first_manager, "A", "group", on), move(second_manager, "B", "child", on)
        )
        assert sorted(response.status_code for response in responses) == [302, 400], f"round {round_number}"
        (refused,) = [response for response in responses if response.status_code == 400]
        assert ALLOCATIONS_CHANGED_MEANWHILE in error_summary(refused)
        assert open_allocations("B") == ["I2"]
        assert open_allocations("A") == (["I2"] if responses[0].status_code == 302 else ["I1"])


def test_overlapping_sibling_moves_started_together_leave_each_child_one_allocation(
    parallel_database: str, people: dict[str, User]
) -> None:
    first_manager, _ = signed_in_twice(people["manager"])
    second_manager, _ = signed_in_twice(people["manager"])
    on = D(2025, 4, 1)
    for round_number in range(ROUNDS):
        with_sibling_group(parallel_database)
        responses = together(
            parallel_database, move(first_manager, "A", "group", on), move(second_manager, "B", "child", on)
        )
        statuses = sorted(response.status_code for response in responses)
        # Run one after the other, the second may still succeed (A joins B at I2, the group mended).
        assert statuses in ([302, 302], [302, 400]), f"round {round_number}: {statuses}"
        assert open_allocations("A") in (["I1"], ["I2"]) and open_allocations("B") == ["I2"]


# ---------------------------------------------------------------- the log ---------------------------

IDENTIFIER = "QX-4711-ZEBRA"  # made up, and unlike anything else the log could hold
BORN = D(2012, 7, 19)


@contextmanager
def workspace_log() -> Iterator[io.StringIO]:
    """What the workspace's log handler (with its filter, as configured) writes, while it runs."""
    (handler,) = [handler for handler in logging.getLogger().handlers if type(handler) is logging.StreamHandler]
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        yield written
    finally:
        handler.setStream(previous)


@pytest.fixture
def child_with_an_identifier(authority: Dataset) -> str:
    DATASET_MODELS["children"]._default_manager.create(**child(IDENTIFIER, born=BORN))
    DATASET_MODELS["episodes"]._default_manager.create(**episode(IDENTIFIER, D(2024, 5, 1)))
    ALLOCATIONS.create(child_id=IDENTIFIER, iro_id="I1", start_date=D(2024, 5, 2))
    return IDENTIFIER


def review_recorded_then_checked_as_if_not(
    child_id: str, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> Callable[[], HttpResponse]:
    """The IRO records a review; the second click on the same form then runs as if its checks had run
    before the first click's review was stored: its insert meets the stored row's key, and the
    database's error quotes that key."""
    iro, _ = signed_in_twice(people["allocated_iro"])
    held = D(2025, 3, 10)
    assert record_review(iro, held, child_id)().status_code == 302
    monkeypatch.setattr(review_recording, "review_exists", lambda **_: False)
    return record_review(iro, held, child_id)


def nothing_about_the_child_in(log: str) -> None:
    for detail in (IDENTIFIER, BORN.isoformat(), f"{BORN:%d/%m/%Y}", "2012"):
        assert detail not in log


@pytest.mark.usefixtures("each_database")
def test_a_save_the_database_refuses_logs_the_errors_kind_and_nothing_about_the_child(
    child_with_an_identifier: str, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    second_click = review_recorded_then_checked_as_if_not(child_with_an_identifier, people, monkeypatch)
    with workspace_log() as log:
        refused = second_click()
    assert refused.status_code == 400 and REVIEW_RECORDED_MEANWHILE in error_summary(refused)
    assert "A save was refused because another save came first: IntegrityError" in log.getvalue()
    nothing_about_the_child_in(log.getvalue())


@pytest.mark.usefixtures("each_database")
def test_a_database_error_that_fails_a_page_is_logged_without_its_values(
    child_with_an_identifier: str, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    second_click = review_recorded_then_checked_as_if_not(child_with_an_identifier, people, monkeypatch)
    monkeypatch.setattr("iroscope.web.saving._is_contention", lambda error: False)  # not taken for a race
    with workspace_log() as log:
        failed = second_click()
    assert failed.status_code == 500
    written = log.getvalue()
    assert "Internal Server Error: /children/[redacted]/reviews/new/" in written
    assert "IntegrityError" in written and "Traceback" in written  # where it happened, and what kind
    nothing_about_the_child_in(written)
