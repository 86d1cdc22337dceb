"""Allocations: caseloads against the band, allocating and reallocating a child (with their sibling
group, or alone and warned), sibling groups split across IROs, who may do it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections, router
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.rules.practice import LocalPractice
from iroscope.web import clock
from iroscope.web.allocations.selectors import (
    Band,
    Sibling,
    SiblingGroup,
    child_siblings,
    iro_caseloads,
    sibling_groups_split,
)
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.services import dataset_replace
from tests.conftest import TODAY
from tests.metrics.helpers import table
from tests.web.conftest import AS_AT, hand_made_authority


@pytest.fixture(autouse=True)
def today_is_after_every_date_these_tests_write(pin_today: Callable[[dt.date], None]) -> None:
    """Shown as at 22 November 2026 (the suite's TODAY), after every day recorded here; the hand-made
    authority's children are all still in care then (decision 0014)."""
    pin_today(TODAY)


ALLOCATIONS: Any = DATASET_MODELS["iro_allocations"]._default_manager


def on_date(on: str) -> dict[str, str]:
    """The three boxes of the date the allocation starts, for an ISO date."""
    day = dt.date.fromisoformat(on)
    return {"on-day": str(day.day), "on-month": str(day.month), "on-year": str(day.year)}


def reallocate(client: Client, *, child_id: str = "A", iro_id: str = "I2", on: str | None = None) -> object:
    on = on or clock.workspace_today().isoformat()
    return client.post("/allocations/", {"child_id": child_id, "iro_id": iro_id, **on_date(on), "reason": "IRO left"})


def test_each_iros_caseload_per_fte_is_set_against_the_band(authority: Dataset) -> None:
    # I1 holds A, B and C, I2 holds D; both full time. With a band of 2 to 2, I1 is over and I2 under.
    caseloads = iro_caseloads(on=dt.date(2025, 3, 31), practice=LocalPractice(caseload_band=(2, 2)))
    assert [(iro.iro_id, iro.children, iro.per_fte, iro.band) for iro in caseloads] == [
        ("I1", 3, 3.0, Band.OVER),
        ("I2", 1, 1.0, Band.UNDER),
    ]


def test_the_page_highlights_iros_outside_the_band(authority: Dataset, signed_in: dict[str, Client]) -> None:
    page = signed_in["manager"].get("/allocations/").content.decode()
    assert "band of 50 to 70" in page and "govuk-tag--yellow" in page and "Under" in page


def test_reallocating_closes_the_old_allocation_and_opens_the_new_one_the_same_day(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = reallocate(signed_in["manager"], on="2025-04-01")
    assert response.status_code == 302  # type: ignore[attr-defined]
    rows = list(ALLOCATIONS.filter(child_id="A").order_by("start_date").values_list("iro_id", "start_date", "end_date"))
    assert rows == [("I1", dt.date(2024, 5, 2), dt.date(2025, 4, 1)), ("I2", dt.date(2025, 4, 1), None)]


def test_a_reallocation_is_audited_with_before_and_after(authority: Dataset, signed_in: dict[str, Client]) -> None:
    reallocate(signed_in["manager"], on="2025-04-01")
    (event,) = AuditEvent.objects.filter(table="iro_allocations")
    assert (event.action, event.child_id, event.username) == (Action.UPDATE, "A", "manager")
    after: Any = event.after
    assert event.before == {
        "allocations": [{"child_id": "A", "iro_id": "I1", "start_date": "2024-05-02", "end_date": None, "reason": None}]
    }
    assert [row["end_date"] for row in after["allocations"]] == ["2025-04-01", None]


def test_allocating_to_the_same_iro_is_refused_and_changes_nothing(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = reallocate(signed_in["manager"], iro_id="I1")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "already allocated to I1" in response.content.decode()  # type: ignore[attr-defined]
    assert ALLOCATIONS.filter(child_id="A").count() == 1
    assert not AuditEvent.objects.filter(table="iro_allocations").exists()


def test_an_unknown_child_is_refused_naming_the_field(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = reallocate(signed_in["manager"], child_id="NOPE")
    assert 'href="#id_child_id"' in response.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("boxes", "message", "anchor"),
    [
        (("", "", ""), "Enter the date the new allocation starts", "#id_on-day"),
        (("31", "2", "2025"), "Allocated from must be a real date", "#id_on-day"),
        (("1", "4", "25"), "Year in allocated from must include 4 numbers", "#id_on-year"),
    ],
)
def test_a_wrong_start_date_is_refused_in_the_date_boxes_and_changes_nothing(
    authority: Dataset, signed_in: dict[str, Client], boxes: tuple[str, str, str], message: str, anchor: str
) -> None:
    day, month, year = boxes
    form = {"child_id": "A", "iro_id": "I2", "on-day": day, "on-month": month, "on-year": year, "reason": ""}
    response = signed_in["manager"].post("/allocations/", form)
    assert response.status_code == 400
    assert f'<a href="{anchor}">{message}</a>' in response.content.decode()
    assert ALLOCATIONS.filter(child_id="A").count() == 1


@pytest.mark.parametrize(
    "person", ["allocated_iro", "colleague_iro", "business_support", "analyst", "administrator", "no_role"]
)
def test_only_managers_allocate(person: str, authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in[person].get("/allocations/").status_code == 403
    assert reallocate(signed_in[person]).status_code == 403  # type: ignore[attr-defined]
    assert ALLOCATIONS.filter(child_id="A").count() == 1


def test_signed_out_people_are_sent_to_sign_in_from_allocations(authority: Dataset) -> None:
    assert Client().get("/allocations/")["Location"].startswith("/sign-in/?next=")


# ---------------------------------------------------------------- sibling groups
# The hand-made authority (A, B and C with I1; D with I2) with two sibling groups: G1 is A and B,
# both with First IRO (I1); G2 is C (I1) and D (I2), already split.


class EverythingTo:
    """A database router sending every read and write to one alias, so that the same views and
    services run on PostgreSQL as on SQLite."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: object, **hints: object) -> str:
        return self.alias

    def db_for_write(self, model: object, **hints: object) -> str:
        return self.alias


@pytest.fixture(
    params=[
        pytest.param("default", marks=pytest.mark.django_db(databases=["default"]), id="sqlite"),
        pytest.param(
            "postgres",
            marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["default", "postgres"])],
            id="postgresql",
        ),
    ]
)
def database(request: pytest.FixtureRequest, settings: Any) -> str:
    alias: str = request.param
    settings.DATABASE_ROUTERS = [EverythingTo(alias)]
    return alias


@pytest.fixture
def siblings(database: str) -> Dataset:
    data = hand_made_authority()
    with_groups = dataclasses.replace(
        data,
        tables={
            **data.tables,
            "sibling_groups": table(
                "sibling_groups",
                [
                    {"child_id": "A", "sibling_group_id": "G1"},
                    {"child_id": "B", "sibling_group_id": "G1"},
                    {"child_id": "C", "sibling_group_id": "G2"},
                    {"child_id": "D", "sibling_group_id": "G2"},
                ],
            ),
        },
    )
    dataset_replace(dataset=with_groups, using=database)
    return with_groups


def allocate(client: Client, child_id: str, iro_id: str, on: str, **extra: str) -> Any:
    return client.post("/allocations/", {"child_id": child_id, "iro_id": iro_id, **on_date(on), "reason": "", **extra})


def allocation_rows(child_id: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return list(
        ALLOCATIONS.filter(child_id=child_id).order_by("start_date").values_list("iro_id", "start_date", "end_date")
    )


def test_moving_a_child_away_from_their_siblings_iro_first_shows_the_siblings_and_changes_nothing(
    siblings: Dataset, signed_in: dict[str, Client]
) -> None:
    response = allocate(signed_in["manager"], "A", "I2", "2025-04-01")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Child A has siblings in sibling group G1" in page
    assert '<tr class="govuk-table__row" data-sibling="B">' in page and "First IRO (I1)" in page
    assert "Who should move to Second IRO (I2)?" in page
    # Moving the whole group is the default; moving only A says plainly what it does.
    assert 'value="group" checked' in page
    assert "This splits the sibling group: B stays with First IRO (I1)." in page
    assert allocation_rows("A") == [("I1", dt.date(2024, 5, 2), None)]
    assert not AuditEvent.objects.filter(table="iro_allocations").exists()


def test_confirming_the_default_moves_the_whole_group_to_the_new_iro(
    siblings: Dataset, signed_in: dict[str, Client]
) -> None:
    response = allocate(
        signed_in["manager"], "A", "I2", "2025-04-01", move="group", siblings_shown_for="A I2 2025-04-01"
    )
    assert response.status_code == 302
    assert allocation_rows("A") == [("I1", dt.date(2024, 5, 2), dt.date(2025, 4, 1)), ("I2", dt.date(2025, 4, 1), None)]
    assert allocation_rows("B") == [
        ("I1", dt.date(2025, 3, 11), dt.date(2025, 4, 1)),
        ("I2", dt.date(2025, 4, 1), None),
    ]
    assert ALLOCATIONS.get(child_id="B", start_date=dt.date(2025, 4, 1)).reason == "Moved with their sibling group"
    audited = AuditEvent.objects.filter(table="iro_allocations").order_by("child_id")
    assert [event.child_id for event in audited] == ["A", "B"]
    page = signed_in["manager"].get("/allocations/").content.decode()
    assert "Child A and their sibling B allocated to I2." in page


def test_moving_only_the_child_splits_the_group_and_says_so(siblings: Dataset, signed_in: dict[str, Client]) -> None:
    response = allocate(
        signed_in["manager"], "A", "I2", "2025-04-01", move="child", siblings_shown_for="A I2 2025-04-01"
    )
    assert response.status_code == 302
    assert allocation_rows("B") == [("I1", dt.date(2025, 3, 11), None)]
    page = signed_in["manager"].get("/allocations/").content.decode()
    assert "Sibling group G1 is now split across IROs: B stays with First IRO." in page
    assert 'data-sibling-group="G1"' in page


def test_a_choice_made_for_another_child_is_not_applied_to_this_one(
    siblings: Dataset, signed_in: dict[str, Client]
) -> None:
    # The siblings were shown for C; the manager then typed A: A's siblings are shown first.
    response = allocate(
        signed_in["manager"], "A", "I2", "2025-04-01", move="child", siblings_shown_for="C I2 2025-04-01"
    )
    assert response.status_code == 200
    assert "Child A has siblings in sibling group G1" in response.content.decode()
    assert allocation_rows("A") == [("I1", dt.date(2024, 5, 2), None)]


def test_a_choice_made_for_another_iro_or_day_is_asked_again(siblings: Dataset, signed_in: dict[str, Client]) -> None:
    for shown_for in ("A I3 2025-04-01", "A I2 2025-04-02"):
        response = allocate(signed_in["manager"], "A", "I2", "2025-04-01", move="child", siblings_shown_for=shown_for)
        assert response.status_code == 200
        assert 'name="siblings_shown_for" value="A I2 2025-04-01"' in response.content.decode()
    assert allocation_rows("A") == [("I1", dt.date(2024, 5, 2), None)]


def test_the_overview_lists_groups_split_across_iros(siblings: Dataset, signed_in: dict[str, Client]) -> None:
    page = signed_in["manager"].get("/allocations/").content.decode()
    assert 'data-sibling-group="G2"' in page and 'data-sibling-group="G1"' not in page
    assert sibling_groups_split(on=AS_AT) == [
        SiblingGroup("G2", [Sibling("C", "I1", "First IRO"), Sibling("D", "I2", "Second IRO")])
    ]


def test_joining_a_siblings_iro_needs_no_question_and_mends_the_split(
    siblings: Dataset, signed_in: dict[str, Client]
) -> None:
    response = allocate(signed_in["manager"], "C", "I2", "2025-04-01")
    assert response.status_code == 302
    assert allocation_rows("D") == [("I2", dt.date(2024, 4, 11), None)]
    assert sibling_groups_split(on=dt.date(2025, 4, 1)) == []


def test_if_one_sibling_cannot_move_nobody_moves(siblings: Dataset, signed_in: dict[str, Client]) -> None:
    # B's allocation to I1 started on 11 March 2025, so B cannot be reallocated that same day.
    response = allocate(
        signed_in["manager"], "A", "I2", "2025-03-11", move="group", siblings_shown_for="A I2 2025-03-11"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nobody was moved because sibling B cannot be" in page and 'href="#id_move_0"' in page
    assert allocation_rows("A") == [("I1", dt.date(2024, 5, 2), None)]
    assert allocation_rows("B") == [("I1", dt.date(2025, 3, 11), None)]
    assert not AuditEvent.objects.filter(table="iro_allocations").exists()


def test_a_childs_siblings_are_listed_with_their_iros(siblings: Dataset) -> None:
    assert child_siblings(child_id="C", on=AS_AT) == [Sibling("D", "I2", "Second IRO")]
    assert child_siblings(child_id="A", on=dt.date(2025, 3, 1)) == [Sibling("B", None, None)]  # B allocated 11 March


@pytest.mark.django_db
def test_the_child_record_shows_siblings_and_their_iros(signed_in: dict[str, Client]) -> None:
    data = hand_made_authority()
    groups = table(
        "sibling_groups", [{"child_id": "A", "sibling_group_id": "G1"}, {"child_id": "B", "sibling_group_id": "G1"}]
    )
    dataset_replace(dataset=dataclasses.replace(data, tables={**data.tables, "sibling_groups": groups}))
    page = signed_in["colleague_iro"].get("/children/A/").content.decode()
    assert "Brothers and sisters in care" in page
    assert '<a class="govuk-link" href="/children/B/">B</a>' in page and "First IRO (I1)" in page
    assert "Brothers and sisters in care" not in signed_in["colleague_iro"].get("/children/C/").content.decode()


def test_each_run_of_the_sibling_tests_uses_its_own_database(database: str, siblings: Dataset) -> None:
    vendor = connections[router.db_for_write(DATASET_MODELS["sibling_groups"])].vendor
    assert vendor == {"default": "sqlite", "postgres": "postgresql"}[database]
    assert DATASET_MODELS["sibling_groups"]._default_manager.count() == 4
