"""Allocations: caseloads against the band, allocating and reallocating a child, who may do it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.rules.practice import LocalPractice
from iroscope.web.allocations.selectors import Band, iro_caseloads
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.records.models import DATASET_MODELS

ALLOCATIONS: Any = DATASET_MODELS["iro_allocations"]._default_manager


def reallocate(client: Client, *, child_id: str = "A", iro_id: str = "I2", on: str | None = None) -> object:
    on = on or timezone.localdate().isoformat()
    return client.post("/allocations/", {"child_id": child_id, "iro_id": iro_id, "on": on, "reason": "IRO left"})


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
    "person", ["allocated_iro", "colleague_iro", "business_support", "analyst", "administrator", "no_role"]
)
def test_only_managers_allocate(person: str, authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in[person].get("/allocations/").status_code == 403
    assert reallocate(signed_in[person]).status_code == 403  # type: ignore[attr-defined]
    assert ALLOCATIONS.filter(child_id="A").count() == 1


def test_signed_out_people_are_sent_to_sign_in_from_allocations(authority: Dataset) -> None:
    assert Client().get("/allocations/")["Location"].startswith("/sign-in/?next=")
