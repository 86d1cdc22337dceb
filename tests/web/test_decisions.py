"""The decisions of reviews, through the pages: recorded with the review, listed on the child's record,
added later, changed and marked, challenged in one step, and walked as every person. People as in
conftest: the allocated IRO (I1, child A), a colleague IRO (I2), a manager, business support, an analyst.
Today is 31 March 2025; A's reviews were held on 20 May 2024 and 15 August 2024."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.test import Client

from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.decisions.models import DecisionChallenge
from iroscope.web.decisions.services import DecisionInput, decision_add
from iroscope.web.decisions.urls import urlpatterns
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_load_folder
from tests.metrics.helpers import D
from tests.web.journey import REVIEW_DAY, TODAY, loaded_and_recorded
from tests.web.test_recording import date_fields, errors_of, review_post, version_in
from tests.web.test_system_of_record import _extract_with_review
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

DECISIONS = DATASET_MODELS["review_decisions"]._default_manager
OVERDUE_ID = "DEC-0000AAAA"


def decision_row(number: int, text: str, responsible: str, due: dt.date | None) -> dict[str, str]:
    return {
        f"decision_{number}_decision": text,
        f"decision_{number}_responsible": responsible,
        **date_fields(f"decision_{number}_due_date", due),
    }


def stored_decisions(child_id: str) -> list[tuple[Any, ...]]:
    rows = DECISIONS.filter(child_id=child_id).order_by("due_date")
    return list(rows.values_list("review_date", "decision", "responsible", "due_date", "status", "iro_id"))


@pytest.fixture
def overdue_decision(authority: Dataset) -> None:
    """A decision of A's review of 15 August 2024, due 1 March 2025 and still open: overdue on 31 March."""
    DECISIONS.create(
        decision_id=OVERDUE_ID,
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Make a referral to CAMHS",
        responsible="SOCIAL_WORKER",
        due_date=D(2025, 3, 1),
        iro_id="I1",
    )


# ---------------------------------------------------------------- with the review -----------------


@pytest.mark.usefixtures("each_database")
def test_a_review_is_recorded_with_its_decisions_and_blank_rows_are_ignored(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    data = {
        **review_post(D(2025, 3, 10)),
        **decision_row(1, "Arrange a dentist appointment", "CARER", D(2025, 4, 30)),
        **decision_row(2, "", "", None),
        **decision_row(3, "Apply for a passport", "SOCIAL_WORKER", D(2025, 6, 1)),
    }
    response = iro.post("/children/A/reviews/new/", data)
    assert response.status_code == 302
    assert stored_decisions("A") == [
        (D(2025, 3, 10), "Arrange a dentist appointment", "CARER", D(2025, 4, 30), None, "I1"),
        (D(2025, 3, 10), "Apply for a passport", "SOCIAL_WORKER", D(2025, 6, 1), None, "I1"),
    ]
    assert AuditEvent.objects.filter(action=Action.CREATE, table="review_decisions").count() == 2
    page = iro.get("/children/A/").content.decode()
    assert "Review held on 10 March 2025" in page
    assert "Arrange a dentist appointment" in page and "Carer" in page and "30 April 2025" in page


@pytest.mark.usefixtures("each_database")
def test_a_half_filled_decision_is_an_error_naming_its_row_and_nothing_is_stored(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    data = {
        **review_post(D(2025, 3, 10)),
        **decision_row(1, "Arrange a dentist appointment", "CARER", D(2025, 4, 30)),
        **decision_row(2, "Apply for a passport", "", D(2025, 6, 1)),
    }
    response = iro.post("/children/A/reviews/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert errors_of(page) == ["Decision 2: enter who is responsible"]
    assert "Apply for a passport</textarea>" in page  # what was typed is kept
    assert stored_decisions("A") == []
    assert not DATASET_MODELS["review_details"]._default_manager.filter(child_id="A", review_date=D(2025, 3, 10))


@pytest.mark.usefixtures("each_database")
def test_a_decision_due_before_the_review_is_refused_and_the_review_is_not_stored_without_it(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    data = {**review_post(D(2025, 3, 10)), **decision_row(1, "Apply for a passport", "SOCIAL_WORKER", D(2025, 3, 9))}
    response = iro.post("/children/A/reviews/new/", data)
    assert response.status_code == 400
    assert errors_of(response.content.decode()) == [
        "Decision 1: date due must be on or after the date of the review, 10 March 2025"
    ]
    # One transaction: the review the service had stored is undone with the refused decision.
    assert not DATASET_MODELS["reviews"]._default_manager.filter(child_id="A", review_date=D(2025, 3, 10)).exists()
    assert stored_decisions("A") == []


def test_a_date_due_that_is_not_a_real_date_names_its_row(authority: Dataset, signed_in: dict[str, Client]) -> None:
    data = {
        **review_post(D(2025, 3, 10)),
        **decision_row(4, "Apply for a passport", "SOCIAL_WORKER", None),
        "decision_4_due_date-day": "31",
        "decision_4_due_date-month": "2",
        "decision_4_due_date-year": "2025",
    }
    page = signed_in["allocated_iro"].post("/children/A/reviews/new/", data).content.decode()
    assert errors_of(page) == ["Decision 4: date due must be a real date"]
    assert '<details class="govuk-details" open>' in page  # the fourth row is behind "Add another decision"


# ---------------------------------------------------------------- on the child's record ---------


def test_the_childs_record_marks_an_open_decision_past_its_date_overdue(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    page = signed_in["colleague_iro"].get("/children/A/").content.decode()
    assert "Make a referral to CAMHS" in page and "Social worker" in page and "1 March 2025" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "/decisions/DEC-0000AAAA/" not in page  # a colleague may read the record but not change it


@pytest.mark.usefixtures("each_database")
def test_a_decision_is_added_to_a_held_review_and_marked_done_with_the_change_audited(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    added = {"decision": "Plan contact with grandparents", "responsible": "SOCIAL_WORKER"}
    added |= date_fields("due_date", D(2024, 10, 1))
    assert iro.post("/children/A/reviews/2024-08-15/decisions/new/", added).status_code == 302
    (decision_id,) = DECISIONS.filter(child_id="A").values_list("decision_id", flat=True)
    assert decision_id.startswith("DEC-")

    form = iro.get(f"/children/A/decisions/{decision_id}/").content.decode()
    marked = {**added, "status": "DONE", **date_fields("status_date", D(2024, 9, 20)), "version": version_in(form)}
    assert iro.post(f"/children/A/decisions/{decision_id}/", marked).status_code == 302
    assert stored_decisions("A")[0][4] == "DONE"
    (event,) = AuditEvent.objects.filter(action=Action.UPDATE, table="review_decisions")
    before, after = event.before or {}, event.after or {}
    assert (before["status"], after["status"], after["status_date"]) == (None, "DONE", "2024-09-20")
    page = iro.get("/children/A/").content.decode()
    assert "Done 20 September 2024" in page and "Overdue" not in page


@pytest.mark.usefixtures("each_database")
def test_a_stale_status_update_is_refused_and_keeps_what_was_typed(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    iro, manager = signed_in["allocated_iro"], signed_in["manager"]
    url = f"/children/A/decisions/{OVERDUE_ID}/"
    iro_version = version_in(iro.get(url).content.decode())
    manager_version = version_in(manager.get(url).content.decode())
    common = {
        "decision": "Make a referral to CAMHS",
        "responsible": "SOCIAL_WORKER",
        **date_fields("due_date", D(2025, 3, 1)),
    }
    no_longer = {**common, "status": "NO_LONGER_NEEDED", **date_fields("status_date", D(2025, 3, 20))}
    assert manager.post(url, {**no_longer, "version": manager_version}).status_code == 302

    typed = {**common, "decision": "Make a referral to CAMHS, and chase the GP", "status": "NOT_DONE"}
    typed |= date_fields("status_date", D(2025, 3, 28))
    stale = iro.post(url, {**typed, "version": iro_version})
    page = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else changed this decision after you opened it. Your changes have not been saved." in page
    assert "Make a referral to CAMHS, and chase the GP</textarea>" in page
    assert 'value="NOT_DONE" checked' in page
    assert 'name="status_date-day" type="text" inputmode="numeric" value="28"' in page
    assert stored_decisions("A")[0][4] == "NO_LONGER_NEEDED"  # the manager's save stands


def test_marking_a_decision_without_its_date_names_the_field(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    url = f"/children/A/decisions/{OVERDUE_ID}/"
    data = {
        "decision": "Make a referral to CAMHS",
        "responsible": "SOCIAL_WORKER",
        **date_fields("due_date", D(2025, 3, 1)),
        "status": "DONE",
        **date_fields("status_date", None),
        "version": version_in(iro.get(url).content.decode()),
    }
    response = iro.post(url, data)
    assert response.status_code == 400
    assert errors_of(response.content.decode()) == ["Enter the date it was marked done"]


# ---------------------------------------------------------------- challenge in one step ---------


@pytest.mark.usefixtures("each_database")
def test_a_practice_alert_raised_from_an_overdue_decision_is_linked_to_it(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    url = f"/children/A/decisions/{OVERDUE_ID}/practice-alert/"
    form = iro.get(url).content.decode()
    # Pre-filled: today (31 March 2025) and the reason about decisions not carried out; the decision named.
    assert 'name="raised_date-day" type="text" inputmode="numeric" value="31"' in form
    assert 'value="DECISIONS_NOT_IMPLEMENTED" checked' in form
    assert "Make a referral to CAMHS" in form
    data = {
        **date_fields("raised_date", D(2025, 3, 31)),
        "reasons": ["DECISIONS_NOT_IMPLEMENTED"],
        "service": "FOSTERING",
    }
    assert iro.post(url, data).status_code == 302
    (alert_id,) = (
        DATASET_MODELS["practice_alerts"]._default_manager.filter(child_id="A").values_list("alert_id", flat=True)
    )
    link = DecisionChallenge.objects.get()
    assert (link.decision_id, link.kind, link.challenge_id) == (OVERDUE_ID, "practice_alert", alert_id)
    assert "Practice alert raised 31 March 2025" in iro.get("/children/A/").content.decode()


@pytest.mark.usefixtures("each_database")
def test_an_informal_dispute_raised_from_an_overdue_decision_is_linked_to_it(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    url = f"/children/A/decisions/{OVERDUE_ID}/dispute/"
    assert 'value="DRIFT_AND_DELAY" checked' in manager.get(url).content.decode()
    data = {"category": "DRIFT_AND_DELAY", **date_fields("on", D(2025, 3, 31))}
    assert manager.post(url, data).status_code == 302
    (dispute_id,) = (
        DATASET_MODELS["disputes"]._default_manager.filter(child_id="A").values_list("dispute_id", flat=True)
    )
    assert DecisionChallenge.objects.get().challenge_id == dispute_id
    assert "Dispute raised 31 March 2025" in manager.get("/children/A/").content.decode()


def test_a_decision_neither_overdue_nor_not_done_cannot_be_challenged(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    DECISIONS.filter(decision_id=OVERDUE_ID).update(due_date=D(2025, 4, 30))
    assert signed_in["manager"].get(f"/children/A/decisions/{OVERDUE_ID}/dispute/").status_code == 404


# ---------------------------------------------------------------- lists, caseload, home ----------


def test_the_decisions_overdue_list_shows_the_open_decision_past_its_date(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/lists/decisions_overdue/").content.decode()
    assert OVERDUE_ID in page and "Make a referral to CAMHS" in page and "Social worker" in page
    csv = signed_in["manager"].get("/lists/decisions_overdue/download.csv").content.decode()
    assert OVERDUE_ID in csv and ",30" in csv  # 1 March to 31 March 2025: 30 days overdue


def test_the_caseload_shows_each_childs_overdue_decisions_and_the_home_page_links_to_the_list(
    overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    # A second overdue decision of A's, and one marked not done, which is no longer open.
    DECISIONS.create(
        decision_id="DEC-0000BBBB",
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Book a health assessment",
        responsible="HEALTH",
        due_date=D(2024, 12, 1),
        iro_id="I1",
    )
    DECISIONS.create(
        decision_id="DEC-0000CCCC",
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Find a tutor",
        responsible="EDUCATION",
        due_date=D(2024, 12, 1),
        status="NOT_DONE",
        status_date=D(2024, 12, 2),
        iro_id="I1",
    )
    for page in (signed_in["allocated_iro"].get("/caseload/"), signed_in["manager"].get("/caseloads/I1/")):
        row = page.content.decode().split('data-child="A"')[1].split("</tr>")[0]
        assert '#decisions">2<span class="govuk-visually-hidden"> decisions overdue for child A' in row
    home = signed_in["allocated_iro"].get("/").content.decode()
    assert '<a class="govuk-link" href="/lists/decisions_overdue/?iro=I1">2 decisions of reviews overdue</a>' in home
    assert "decisions of reviews overdue" not in signed_in["colleague_iro"].get("/").content.decode()


# ---------------------------------------------------------------- every person --------------------

URLS = {
    "decision-add": "/children/A/reviews/2024-08-15/decisions/new/",
    "decision-edit": f"/children/A/decisions/{OVERDUE_ID}/",
    "decision-alert": f"/children/A/decisions/{OVERDUE_ID}/practice-alert/",
    "decision-dispute": f"/children/A/decisions/{OVERDUE_ID}/dispute/",
}
EVERY: dict[str, int | str] = dict.fromkeys(URLS, DENY)
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": dict.fromkeys(URLS, SIGN_IN),
    "allocated_iro": dict.fromkeys(URLS, ALLOW),
    "colleague_iro": EVERY,
    "manager": dict.fromkeys(URLS, ALLOW),
    "business_support": EVERY,
    "analyst": EVERY,
    "administrator": EVERY,
    "no_role": EVERY,
}


def test_the_walk_covers_every_decision_url() -> None:
    assert {pattern.name for pattern in urlpatterns} == set(URLS)


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_decision_page(
    person: str, url_name: str, overdue_decision: None, signed_in: dict[str, Client]
) -> None:
    response = client_for(person, signed_in).get(URLS[url_name])
    assert_allowed_or_refused(response, EXPECTED[person][url_name])


def test_the_dashboard_gives_decisions_done_by_their_date_only_once_decisions_are_recorded(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    assert 'id="kpi-decisions_done_by_their_date"' not in manager.get("/dashboard/?period=year-2024").content.decode()
    for number, marked in enumerate((D(2024, 9, 30), D(2024, 10, 5), None)):
        DECISIONS.create(
            decision_id=f"DEC-0000000{number}",
            child_id="A",
            review_date=D(2024, 8, 15),
            decision="See the dentist",
            responsible="CARER",
            due_date=D(2024, 10, 1),
            status="DONE" if marked else None,
            status_date=marked,
        )
    page = manager.get("/dashboard/?period=year-2024").content.decode()
    row = page.split('id="kpi-decisions_done_by_their_date"')[1].split("</tr>")[0]
    # Due 1 October 2024: one done on 30 September, one on 5 October, one still open. 1 of 3 = 33.3%.
    assert "33.3%" in row and "1 of 3 decisions due" in row
    open_row = page.split('id="kpi-decisions_open_past_date"')[1].split("</tr>")[0]
    assert '/dashboard/decisions_open_past_date/?period=year-2024">1<span' in open_row  # the open one
    behind = manager.get("/dashboard/decisions_open_past_date/?period=year-2024").content.decode()
    assert "1 October 2024" in behind


# ---------------------------------------------------------------- survives imports ----------------


@pytest.mark.django_db
def test_decisions_recorded_with_a_review_survive_the_next_in_year_extract(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    recorded = loaded_and_recorded(authority_folder, as_manager)
    for text, due in (
        ("Arrange a dentist appointment", dt.date(2026, 7, 1)),
        ("Apply for a passport", dt.date(2026, 9, 1)),
    ):
        decision_add(
            user=as_manager,
            child_id=recorded.child_id,
            review_date=REVIEW_DAY,
            decision=DecisionInput(decision=text, responsible="SOCIAL_WORKER", due_date=due),
            today=TODAY,
        )
    before = dataset_from_database(provenance=True)["review_decisions"]
    extract = _extract_with_review(tmp_path, recorded, participation="PN1")
    loaded = dataset_load_folder(folder=extract, today=TODAY, added_by="analyst")
    assert not loaded.result.problems.has_errors, loaded.result.problems.frame
    assert loaded.stored is not None
    kept = dataset_from_database(provenance=True)["review_decisions"]
    recorded_here = kept.filter((pl.col("child_id") == recorded.child_id) & (pl.col(SOURCE_COLUMN) == Source.WORKSPACE))
    assert recorded_here.sort("due_date")["decision"].to_list() == [
        "Arrange a dentist appointment",
        "Apply for a passport",
    ]
    # The synthetic activity workbook's own decisions are untouched by a 903 extract too.
    assert kept.height == before.height
