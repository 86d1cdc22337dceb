"""Dispute resolution pages: raising, escalating, answering and closing a dispute; deadlines in
working days; who may do what; the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.records.models import DATASET_MODELS

DISPUTES: Any = DATASET_MODELS["disputes"]._default_manager
STAGES: Any = DATASET_MODELS["dispute_stages"]._default_manager
RED = "govuk-tag--red"


def raise_dispute(client: Client, *, child_id: str = "A", on: str = "2025-04-16", formal: str = "informal") -> Any:
    return client.post(f"/children/{child_id}/disputes/", {"formal": formal, "category": "DRIFT_AND_DELAY", "on": on})


def only_dispute() -> Any:
    (dispute,) = DISPUTES.all()
    return dispute


def test_the_allocated_iro_raises_an_informal_dispute(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = raise_dispute(signed_in["allocated_iro"])
    dispute = only_dispute()
    assert response.status_code == 302 and response["Location"] == f"/disputes/{dispute.dispute_id}/"
    assert (dispute.child_id, dispute.iro_id, dispute.category) == ("A", "I1", "DRIFT_AND_DELAY")
    (stage,) = STAGES.all()
    assert (stage.stage, stage.escalated_date, stage.escalated_to) == (
        "INFORMAL",
        dt.date(2025, 4, 16),
        "Social worker or team manager",
    )


def test_a_dispute_raised_formally_starts_at_stage_1(authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["manager"], formal="formal")
    assert list(STAGES.values_list("stage", flat=True)) == ["STAGE_1"]


def test_a_stage_deadline_is_counted_in_working_days_past_easter(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    # Reached on Wednesday 16 April 2025; the stage allows 5 working days:
    #   Thu 17 April = 1; Fri 18 (Good Friday), Sat 19, Sun 20, Mon 21 (Easter Monday) do not count;
    #   Tue 22 = 2, Wed 23 = 3, Thu 24 = 4, Fri 25 April = 5: the response is due Friday 25 April 2025.
    raise_dispute(signed_in["allocated_iro"], on="2025-04-16")
    page = signed_in["allocated_iro"].get(f"/disputes/{only_dispute().dispute_id}/").content.decode()
    assert "25 April 2025" in page and "(5 working days)" in page


def test_a_stage_past_its_deadline_without_a_response_is_red(authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["allocated_iro"], on="2025-04-16")
    page = signed_in["allocated_iro"].get(f"/disputes/{only_dispute().dispute_id}/").content.decode()
    assert RED in page and "Deadline passed" in page


def test_a_stage_reached_today_is_not_red(authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["allocated_iro"], on=timezone.localdate().isoformat())
    page = signed_in["allocated_iro"].get(f"/disputes/{only_dispute().dispute_id}/").content.decode()
    assert RED not in page


def test_escalating_answering_and_resolving_a_dispute(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    assert (
        iro.post(url, {"action": "escalate", "escalate-stage": "STAGE_2", "escalate-on": "2025-04-28"}).status_code
        == 302
    )
    assert iro.post(url, {"action": "respond", "respond-on": "2025-04-30"}).status_code == 302
    assert (
        iro.post(url, {"action": "resolve", "resolve-outcome": "RESOLVED", "resolve-on": "2025-05-01"}).status_code
        == 302
    )
    stages = dict(STAGES.values_list("stage", "response_date"))
    assert stages == {"INFORMAL": None, "STAGE_2": dt.date(2025, 4, 30)}
    dispute = only_dispute()
    assert (dispute.outcome, dispute.resolved_date) == ("RESOLVED", dt.date(2025, 5, 1))
    assert "Resolved" in iro.get(url).content.decode()


def test_an_illegal_transition_is_refused_with_a_plain_message(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, formal="formal", on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    iro.post(url, {"action": "resolve", "resolve-outcome": "CAFCASS", "resolve-on": "2025-05-01"})
    response = iro.post(url, {"action": "respond", "respond-on": "2025-05-02"})
    assert response.status_code == 400
    assert "The dispute is already closed (referred to Cafcass)" in response.content.decode()
    assert STAGES.get().response_date is None


def test_open_disputes_past_their_deadline_are_listed(authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["allocated_iro"], child_id="A", on="2025-04-16")
    late = only_dispute().dispute_id
    raise_dispute(signed_in["allocated_iro"], child_id="B", on=timezone.localdate().isoformat())
    page = signed_in["manager"].get("/disputes/overdue/").content.decode()
    assert late in page
    assert [late] == [d for d in DISPUTES.values_list("dispute_id", flat=True) if d in page]


def test_each_change_is_audited_with_before_and_after(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    iro.post(url, {"action": "escalate", "escalate-stage": "STAGE_1", "escalate-on": "2025-04-25"})
    created, escalated = AuditEvent.objects.filter(table="disputes").order_by("id")
    before: Any = escalated.before
    after: Any = escalated.after
    assert (created.action, created.before, created.child_id) == (Action.CREATE, None, "A")
    assert escalated.action == Action.UPDATE
    assert [stage["stage"] for stage in before["stages"]] == ["INFORMAL"]
    assert [stage["stage"] for stage in after["stages"]] == ["INFORMAL", "STAGE_1"]


@pytest.mark.parametrize("person", ["analyst", "business_support", "colleague_iro", "administrator", "no_role"])
def test_only_managers_and_the_allocated_iro_raise_disputes(
    person: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert raise_dispute(signed_in[person]).status_code == 403
    assert not DISPUTES.exists()


def test_a_colleague_iro_cannot_move_another_iros_dispute_on(authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["allocated_iro"])
    url = f"/disputes/{only_dispute().dispute_id}/"
    assert signed_in["colleague_iro"].post(url, {"action": "respond", "respond-on": "2025-04-17"}).status_code == 403
    assert signed_in["colleague_iro"].get(url).status_code == 200


ALLOW, DENY = 200, 403
READERS = {"allocated_iro", "colleague_iro", "manager", "business_support"}


@pytest.mark.parametrize(
    "person", ["allocated_iro", "colleague_iro", "manager", "business_support", "analyst", "administrator", "no_role"]
)
def test_every_dispute_page_as_every_person(person: str, authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["manager"])
    expected = ALLOW if person in READERS else DENY
    for url in ("/disputes/overdue/", "/children/A/disputes/", f"/disputes/{only_dispute().dispute_id}/"):
        assert signed_in[person].get(url).status_code == expected, url


def test_signed_out_people_are_sent_to_sign_in_from_dispute_pages(authority: Dataset) -> None:
    for url in ("/disputes/overdue/", "/children/A/disputes/", "/disputes/DR-1/"):
        assert Client().get(url)["Location"].startswith("/sign-in/?next=")
