"""Dispute resolution pages: raising, escalating, answering and closing a dispute; deadlines in
working days; who may do what; the audit trail; the GOV.UK date input's messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client, override_settings

from iroscope.data.dataset import Dataset
from iroscope.rules import codes
from iroscope.web import clock
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.services import dataset_replace
from tests.conftest import TODAY
from tests.web.conftest import hand_made_authority


@pytest.fixture(autouse=True)
def today_is_after_every_date_these_tests_write(pin_today: Callable[[dt.date], None]) -> None:
    """Shown as at 22 November 2026 (the suite's TODAY), after every day recorded here; the hand-made
    authority's children are all still in care then (decision 0014)."""
    pin_today(TODAY)


DISPUTES: Any = DATASET_MODELS["disputes"]._default_manager
STAGES: Any = DATASET_MODELS["dispute_stages"]._default_manager
RED = "govuk-tag--red"


def date_boxes(name: str, day: str) -> dict[str, str]:
    """The three boxes of a GOV.UK date input filled with an ISO date, "2025-04-16"."""
    year, month, date = day.split("-")
    return {f"{name}-day": date, f"{name}-month": month, f"{name}-year": year}


def raise_dispute(client: Client, *, child_id: str = "A", on: str = "2025-04-16", formal: str = "informal") -> Any:
    return client.post(
        f"/children/{child_id}/disputes/", {"formal": formal, "category": "DRIFT_AND_DELAY", **date_boxes("on", on)}
    )


def only_dispute() -> Any:
    (dispute,) = DISPUTES.all()
    return dispute


class EverythingOn:
    """A database router sending every read and write to one alias, so that a page's whole journey
    (sign-in session, dataset, dispute rows, audit) runs on that database."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return self.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return self.alias

    def allow_relation(self, *objects: Any, **hints: Any) -> bool:
        return True


ON_EACH_DATABASE = pytest.mark.parametrize(
    "database",
    [
        pytest.param("default", marks=pytest.mark.django_db(databases=["default"]), id="sqlite"),
        pytest.param(
            "postgres",
            marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["default", "postgres"])],
            id="postgresql",
        ),
    ],
    indirect=True,
)


@pytest.fixture
def database(request: pytest.FixtureRequest, db: None) -> Iterator[str]:
    """The hand-made authority on the alias given, with every page's reads and writes sent there.
    Ask for it before `signed_in`, so that the people are created on the same database."""
    alias: str = request.param
    with override_settings(DATABASE_ROUTERS=[EverythingOn(alias)]):
        dataset_replace(dataset=hand_made_authority(), using=alias)
        yield alias


@ON_EACH_DATABASE
def test_the_allocated_iro_raises_an_informal_dispute(database: str, signed_in: dict[str, Client]) -> None:
    response = raise_dispute(signed_in["allocated_iro"])
    dispute = only_dispute()
    assert DISPUTES.using(database).count() == 1  # stored on the database under test
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
    raise_dispute(signed_in["allocated_iro"], on=clock.workspace_today().isoformat())
    page = signed_in["allocated_iro"].get(f"/disputes/{only_dispute().dispute_id}/").content.decode()
    assert RED not in page


@ON_EACH_DATABASE
def test_escalating_answering_and_resolving_a_dispute(database: str, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    assert (
        iro.post(
            url, {"action": "escalate", "escalate-stage": "STAGE_2", **date_boxes("escalate-on", "2025-04-28")}
        ).status_code
        == 302
    )
    assert iro.post(url, {"action": "respond", **date_boxes("respond-on", "2025-04-30")}).status_code == 302
    assert (
        iro.post(
            url,
            {
                "action": "resolve",
                "resolve-outcome": "RESOLVED",
                "resolve-impact": "RESOURCE_FOUND",
                **date_boxes("resolve-on", "2025-05-01"),
            },
        ).status_code
        == 302
    )
    stages = dict(STAGES.values_list("stage", "response_date"))
    assert stages == {"INFORMAL": None, "STAGE_2": dt.date(2025, 4, 30)}
    dispute = only_dispute()
    assert (dispute.outcome, dispute.resolved_date, dispute.impact) == (
        "RESOLVED",
        dt.date(2025, 5, 1),
        "RESOURCE_FOUND",
    )
    page = iro.get(url).content.decode()
    assert "Resolved" in page and "What it achieved: a service or resource was found" in page


def test_closing_a_dispute_needs_what_the_challenge_achieved(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    response = iro.post(
        url, {"action": "resolve", "resolve-outcome": "RESOLVED", **date_boxes("resolve-on", "2025-05-01")}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_resolve-impact_0">Select what the challenge achieved for the child</a>' in page
    assert (only_dispute().outcome, only_dispute().impact) == (None, None)


def test_an_illegal_transition_is_refused_with_a_plain_message(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, formal="formal", on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    iro.post(
        url,
        {
            "action": "resolve",
            "resolve-outcome": "CAFCASS",
            "resolve-impact": "NOT_RESOLVED",
            **date_boxes("resolve-on", "2025-05-01"),
        },
    )
    response = iro.post(url, {"action": "respond", **date_boxes("respond-on", "2025-05-02")})
    assert response.status_code == 400
    assert "The dispute is already closed (referred to Cafcass)" in response.content.decode()
    assert STAGES.get().response_date is None


def test_open_disputes_past_their_deadline_are_listed(authority: Dataset, signed_in: dict[str, Client]) -> None:
    raise_dispute(signed_in["allocated_iro"], child_id="A", on="2025-04-16")
    late = only_dispute().dispute_id
    raise_dispute(signed_in["allocated_iro"], child_id="B", on=clock.workspace_today().isoformat())
    page = signed_in["manager"].get("/disputes/overdue/").content.decode()
    assert late in page
    assert [late] == [d for d in DISPUTES.values_list("dispute_id", flat=True) if d in page]


@ON_EACH_DATABASE
def test_each_change_is_audited_with_before_and_after(database: str, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    iro.post(url, {"action": "escalate", "escalate-stage": "STAGE_1", **date_boxes("escalate-on", "2025-04-25")})
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
    assert (
        signed_in["colleague_iro"]
        .post(url, {"action": "respond", **date_boxes("respond-on", "2025-04-17")})
        .status_code
        == 403
    )
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


# ---------------------------------------------------------------- the GOV.UK date input ----------


class FormReader(HTMLParser):
    """The inputs of a page as the browser would send them back, and the error summary's links."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}
        self.summary_links: list[str] = []
        self._in_summary = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "ul" and "govuk-error-summary__list" in found.get("class", "").split():
            self._in_summary = True
        elif tag == "a" and self._in_summary:
            self.summary_links.append(found["href"])
        elif tag == "input" and "id" in found:
            self.inputs[found["id"]] = found

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self._in_summary = False

    def value(self, input_id: str) -> str:
        return self.inputs[input_id].get("value", "")

    def checked(self, input_id: str) -> bool:
        return "checked" in self.inputs[input_id]

    def in_error(self, input_id: str) -> bool:
        return "govuk-input--error" in self.inputs[input_id]["class"]


def raise_with_boxes(client: Client, *, day: str, month: str, year: str) -> Any:
    form = {"formal": "formal", "category": "PLACEMENT", "on-day": day, "on-month": month, "on-year": year}
    return client.post("/children/A/disputes/", form)


def assert_refused_keeping_the_entries(response: Any, *, message: str, day: str, month: str, year: str) -> FormReader:
    page = response.content.decode()
    assert response.status_code == 400
    assert not DISPUTES.exists()
    assert page.count(message) == 2  # in the error summary and above the boxes
    assert "<title>Error: " in page
    reader = FormReader(page)
    assert (reader.value("id_on-day"), reader.value("id_on-month"), reader.value("id_on-year")) == (day, month, year)
    assert reader.checked("id_formal_1")  # "Formally", the second choice
    placement = [*codes.DISPUTE_CATEGORY.labels()].index("PLACEMENT")
    category_ids = [input_id for input_id in reader.inputs if input_id.startswith("id_category_")]
    assert [input_id for input_id in category_ids if reader.checked(input_id)] == [f"id_category_{placement}"]
    return reader


def test_31_february_is_not_a_real_date(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = raise_with_boxes(signed_in["allocated_iro"], day="31", month="2", year="2025")
    reader = assert_refused_keeping_the_entries(
        response, message="Date raised must be a real date", day="31", month="2", year="2025"
    )
    assert reader.summary_links == ["#id_on-day"]
    assert [reader.in_error(f"id_on-{part}") for part in ("day", "month", "year")] == [True, False, False]


def test_a_date_without_a_month_says_so_and_links_to_the_month(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = raise_with_boxes(signed_in["allocated_iro"], day="16", month="", year="2025")
    reader = assert_refused_keeping_the_entries(
        response, message="Date raised must include a month", day="16", month="", year="2025"
    )
    assert reader.summary_links == ["#id_on-month"]
    assert [reader.in_error(f"id_on-{part}") for part in ("day", "month", "year")] == [False, True, False]


def test_a_date_with_only_a_month_asks_for_the_day_and_year(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = raise_with_boxes(signed_in["allocated_iro"], day="", month="4", year="")
    reader = assert_refused_keeping_the_entries(
        response, message="Date raised must include a day and year", day="", month="4", year=""
    )
    assert reader.summary_links == ["#id_on-day"]
    assert [reader.in_error(f"id_on-{part}") for part in ("day", "month", "year")] == [True, False, True]


def test_a_dispute_cannot_be_raised_tomorrow(authority: Dataset, signed_in: dict[str, Client]) -> None:
    tomorrow = clock.workspace_today() + dt.timedelta(days=1)
    day, month, year = str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)
    response = raise_with_boxes(signed_in["allocated_iro"], day=day, month=month, year=year)
    reader = assert_refused_keeping_the_entries(
        response, message="Date raised must be today or in the past", day=day, month=month, year=year
    )
    assert reader.summary_links == ["#id_on-day"]
    assert all(reader.in_error(f"id_on-{part}") for part in ("day", "month", "year"))


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "link"),
    [
        ("", "", "", "Enter the date the dispute was raised", "#id_on-day"),
        ("16", "13", "2025", "Date raised must be a real date", "#id_on-month"),
        ("16", "4", "25", "Year in date raised must include 4 numbers", "#id_on-year"),
        ("sixteen", "4", "2025", "Date raised must be a real date", "#id_on-day"),
    ],
)
def test_other_mistakes_in_the_date_raised(
    day: str, month: str, year: str, message: str, link: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = raise_with_boxes(signed_in["allocated_iro"], day=day, month=month, year=year)
    reader = assert_refused_keeping_the_entries(response, message=message, day=day, month=month, year=year)
    assert reader.summary_links == [link]


def test_a_missing_stage_and_escalation_date_are_both_named(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    response = iro.post(url, {"action": "escalate", "escalate-on-day": "28", "escalate-on-year": "2025"})
    page = response.content.decode()
    reader = FormReader(page)
    assert response.status_code == 400
    assert "Select the stage to escalate to" in page and "Date escalated must include a month" in page
    assert reader.summary_links == ["#id_escalate-stage_0", "#id_escalate-on-month"]
    assert (reader.value("id_escalate-on-day"), reader.value("id_escalate-on-year")) == ("28", "2025")
    assert list(STAGES.values_list("stage", flat=True)) == ["INFORMAL"]


def test_the_date_boxes_start_at_today_and_ask_for_numbers(authority: Dataset, signed_in: dict[str, Client]) -> None:
    today = clock.workspace_today()
    reader = FormReader(signed_in["allocated_iro"].get("/children/A/disputes/").content.decode())
    boxes = [reader.inputs[f"id_on-{part}"] for part in ("day", "month", "year")]
    assert [box["value"] for box in boxes] == [str(today.day), str(today.month), str(today.year)]
    assert [box["inputmode"] for box in boxes] == ["numeric"] * 3
    assert not any("autocomplete" in box for box in boxes)  # bday-day and so on are for dates of birth only


def test_a_refused_transition_links_to_the_dispute_it_concerns(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    raise_dispute(iro, formal="formal", on="2025-04-16")
    url = f"/disputes/{only_dispute().dispute_id}/"
    iro.post(
        url,
        {
            "action": "resolve",
            "resolve-outcome": "CAFCASS",
            "resolve-impact": "NOT_RESOLVED",
            **date_boxes("resolve-on", "2025-05-01"),
        },
    )
    response = iro.post(url, {"action": "respond", **date_boxes("respond-on", "2025-05-02")})
    page = response.content.decode()
    assert FormReader(page).summary_links == ["#dispute-summary"] and 'id="dispute-summary"' in page
