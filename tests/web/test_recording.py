"""Recording reviews and the work between them, through the pages, as the named people of conftest:
the allocated IRO (I1, children A, B, C, E, F), a colleague IRO (I2), a manager, business support
and an analyst. Today is frozen at 31 March 2025, the last day of the hand-made authority's data."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.casework import recording_views, views
from iroscope.web.records.models import DATASET_MODELS
from tests.metrics.helpers import D, child, episode
from tests.web.conftest import AS_AT

TODAY = AS_AT  # 31 March 2025


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recording_views, "_today", lambda: TODAY)
    monkeypatch.setattr(views, "_today", lambda: TODAY)


@pytest.fixture
def more_children(authority: Dataset) -> None:
    """E: born 10 January 2021, so 3 until 9 January 2025 and 4 from then; in care from 1 May 2024.
    F: in care 1 May to 1 August 2024, then again from 1 October 2024 (not looked after in between).
    Both allocated to I1."""
    create = {
        name: DATASET_MODELS[name]._default_manager.create for name in ("children", "episodes", "iro_allocations")
    }
    create["children"](**child("E", born=D(2021, 1, 10)))
    create["episodes"](**episode("E", D(2024, 5, 1)))
    create["children"](**child("F"))
    create["episodes"](**episode("F", D(2024, 5, 1), end=D(2024, 8, 1), reason_ceased="E13"))
    create["episodes"](**episode("F", D(2024, 10, 1)))
    for child_id in ("E", "F"):
        create["iro_allocations"](child_id=child_id, iro_id="I1", start_date=D(2024, 5, 2))


def date_fields(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def review_post(held: dt.date | None, participation: str = "PN1", **extra: Any) -> dict[str, str]:
    data = {**date_fields("review_date", held), "participation": participation, "review_format": "IN_PERSON"}
    data.update({"series_of_meetings": "N", "permanence_plan": "Y", "had_meeting": "N"})
    data.update(extra)
    return data


def review_codes(child_id: str) -> dict[dt.date, str]:
    rows = (
        DATASET_MODELS["reviews"]._default_manager.filter(child_id=child_id).values_list("review_date", "participation")
    )
    return dict(rows)


def stored(table: str, **key: Any) -> Any:
    """One stored row, as an object with the table's columns as attributes."""
    return SimpleNamespace(**DATASET_MODELS[table]._default_manager.filter(**key).values().get())


def audited(**filters: Any) -> tuple[Any, Any, Any]:
    """The one audit event matching `filters`: (event, before, after)."""
    (event,) = AuditEvent.objects.filter(**filters)
    return event, event.before or {}, event.after or {}


def errors_of(page: str) -> list[str]:
    return re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', page)


# ---------------------------------------------------------------- record a review -----------------


def test_recording_a_late_review_moves_the_next_due_date(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    before = iro.get("/children/A/").content.decode()
    # A's reviews: 20 May 2024 (1st), 15 August 2024 (2nd). The 3rd is due 6 months after the 2nd:
    # 15 August + 6 months = 15 February 2025, so on 31 March 2025 it is 13 + 31 = 44 days overdue.
    assert "15 February 2025" in before and "44 days overdue" in before

    response = iro.post("/children/A/reviews/new/", review_post(D(2025, 3, 10)))
    assert response.status_code == 302 and response["Location"] == "/children/A/"

    after = iro.get("/children/A/").content.decode()
    # Held late on 10 March 2025. The 4th review runs 6 months from the day the 3rd was actually held,
    # not from when it was due: 10 March + 6 months = 10 September 2025, which is
    # 30 (April) + 31 + 30 + 31 + 31 (August) + 10 = 163 days after 31 March 2025.
    assert "Review recorded" in after
    assert "10 September 2025" in after and "163 days to go" in after
    assert "days overdue" not in after
    assert review_codes("A")[D(2025, 3, 10)] == "PN1"
    details = stored("review_details", child_id="A", review_date=D(2025, 3, 10))
    assert (details.format, details.permanence_plan, details.series_of_meetings, details.iro_id) == (
        "IN_PERSON",
        "Y",
        "N",
        "I1",
    )


def test_the_child_page_shows_whether_the_child_attended_from_the_participation_code(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["allocated_iro"].post("/children/A/reviews/new/", review_post(D(2025, 3, 10), "PN6"))
    page = signed_in["allocated_iro"].get("/children/A/").content.decode()
    row = re.search(r'data-review="2025-03-10">(.*?)</tr>', page, re.S)
    assert row is not None and "PN6" in row.group(1) and ">No<" in row.group(1)


def test_recording_a_review_writes_an_audit_row_with_the_values_after(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["allocated_iro"].post("/children/A/reviews/new/", review_post(D(2025, 3, 10)))
    event, _, after = audited(action=Action.CREATE, table="reviews")
    assert (event.username, event.child_id, event.before) == ("allocated_iro", "A", None)
    assert after["reviews"] == {"child_id": "A", "review_date": "2025-03-10", "participation": "PN1"}
    assert after["review_details"]["permanence_plan"] == "Y"


def test_a_review_adjourned_before_it_was_held_records_the_meeting(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    data = review_post(
        D(2025, 3, 10),
        had_meeting="Y",
        meeting_outcome="ADJOURNED",
        meeting_reason="DOCUMENTS_NOT_READY",
        **date_fields("meeting_date", D(2025, 2, 14)),
    )
    assert signed_in["allocated_iro"].post("/children/A/reviews/new/", data).status_code == 302
    meeting = stored("review_meetings", child_id="A")
    assert (meeting.meeting_date, meeting.outcome, meeting.reason, meeting.reconvened_date) == (
        D(2025, 2, 14),
        "ADJOURNED",
        "DOCUMENTS_NOT_READY",
        D(2025, 3, 10),  # reconvened on the day the review was held, when not given
    )
    assert AuditEvent.objects.filter(table="review_meetings", action=Action.CREATE).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (review_post(None), "review_date", "Enter the date the review was held"),
        (
            {**review_post(None), **{"review_date-day": "31", "review_date-month": "2", "review_date-year": "2025"}},
            "review_date",
            "Date held must be a real date",
        ),
        (
            {**review_post(None), **{"review_date-day": "3", "review_date-year": "2025"}},
            "review_date",
            "Date held must include a month",
        ),
        (review_post(D(2025, 4, 2)), "review_date", "Date held must be today or in the past"),
        (
            review_post(D(2024, 4, 1)),
            "review_date",
            "Date held must be on or after the day the child came into care, 1 May 2024",
        ),
        (
            review_post(D(2024, 8, 15)),
            "review_date",
            "A review held on 15 August 2024 is already recorded for this child",
        ),
        (
            review_post(D(2025, 3, 10), participation=""),
            "participation",
            "Select how the child took part in the review",
        ),
        (
            review_post(D(2025, 3, 10), **date_fields("decisions_date", D(2025, 3, 1))),
            "decisions_date",
            "Decisions date must be on or after the date the review was held, 10 March 2025",
        ),
        (
            review_post(D(2025, 3, 10), **date_fields("record_distributed_date", D(2025, 4, 10))),
            "record_distributed_date",
            "Record distributed date must be today or in the past",
        ),
        (
            review_post(D(2025, 3, 10), had_meeting="Y"),
            "meeting_outcome",
            "Select whether the meeting was adjourned or stood down",
        ),
    ],
)
def test_each_mistake_in_a_review_is_shown_in_the_error_summary_naming_the_field(
    data: dict[str, str], field: str, message: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post("/children/A/reviews/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert message in errors_of(page)
    anchor = f"#id_{field}-day" if field.endswith("date") else f"#id_{field}"
    assert f'<a href="{anchor}">{message}</a>' in page
    assert 'class="govuk-form-group govuk-form-group--error"' in page
    assert len(review_codes("A")) == 2  # nothing saved


def test_a_review_outside_every_period_of_care_is_refused(more_children: None, signed_in: dict[str, Client]) -> None:
    page = signed_in["allocated_iro"].post("/children/F/reviews/new/", review_post(D(2024, 9, 1))).content.decode()
    assert "Date held must be during a period of care: the child was not looked after on 1 September 2024" in page


def test_pn0_is_offered_and_accepted_at_3_and_refused_at_4(more_children: None, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    # E came into care on 1 May 2024 aged 3, so the blank form offers PN0.
    assert 'value="PN0"' in iro.get("/children/E/reviews/new/").content.decode()
    # 20 May 2024: E is 3 (4th birthday 10 January 2025).
    assert iro.post("/children/E/reviews/new/", review_post(D(2024, 5, 20), "PN0")).status_code == 302
    # 10 February 2025: E is 4.
    refused = iro.post("/children/E/reviews/new/", review_post(D(2025, 2, 10), "PN0"))
    assert refused.status_code == 400
    assert "Participation cannot be PN0 (child under 4): the child was 4 on 10 February 2025" in errors_of(
        refused.content.decode()
    )
    assert review_codes("E") == {D(2024, 5, 20): "PN0"}
    # The edit form of the review held at 3 offers PN0; a child over 4 throughout is never offered it.
    assert 'value="PN0"' in iro.get("/children/E/reviews/2024-05-20/").content.decode()
    assert 'value="PN0"' not in iro.get("/children/A/reviews/new/").content.decode()
    assert 'value="PN0"' not in iro.post("/children/E/reviews/new/", review_post(D(2025, 2, 10), "")).content.decode()


# ---------------------------------------------------------------- who may record ------------------


@pytest.mark.parametrize("person", ["colleague_iro", "business_support", "analyst", "administrator"])
def test_only_the_allocated_iro_and_managers_may_record_a_review(
    person: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in[person].post("/children/A/reviews/new/", review_post(D(2025, 3, 10))).status_code == 403
    assert len(review_codes("A")) == 2


def test_a_manager_may_record_a_review_for_any_child(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["manager"].post("/children/D/reviews/new/", review_post(D(2025, 3, 10))).status_code == 302
    details = stored("review_details", child_id="D", review_date=D(2025, 3, 10))
    assert details.iro_id == "I2"  # the child's allocated IRO, not the manager


def test_business_support_records_the_decisions_and_record_dates_but_not_the_review(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    support = signed_in["business_support"]
    form = support.get("/children/A/reviews/2024-08-15/dates/")
    assert form.status_code == 200
    assert support.get("/children/A/reviews/2024-08-15/").status_code == 403  # the review itself
    data = {
        "version": version_in(form.content.decode()),
        **date_fields("decisions_date", D(2024, 8, 20)),
        **date_fields("record_distributed_date", D(2024, 9, 5)),
    }
    assert support.post("/children/A/reviews/2024-08-15/dates/", data).status_code == 302
    details = stored("review_details", child_id="A", review_date=D(2024, 8, 15))
    assert (details.decisions_date, details.record_distributed_date) == (D(2024, 8, 20), D(2024, 9, 5))
    _, before, after = audited(action=Action.UPDATE)
    assert before["review_details"] is None
    assert after["review_details"]["record_distributed_date"] == "2024-09-05"
    assert support.get("/children/A/").status_code == 200
    assert "Record a review" not in support.get("/children/A/").content.decode()


# ---------------------------------------------------------------- changing a review ---------------


def version_in(page: str) -> str:
    found = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert found is not None
    return found.group(1)


def edit_post(version: str, **extra: str) -> dict[str, str]:
    data = {"version": version, "participation": "PN1", "review_format": "VIRTUAL", "permanence_plan": "Y"}
    data.update(date_fields("decisions_date", None))
    data.update(date_fields("record_distributed_date", None))
    data.update(extra)
    return data


def test_changing_a_review_is_audited_with_the_values_before_and_after(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    version = version_in(iro.get("/children/A/reviews/2024-08-15/").content.decode())
    response = iro.post("/children/A/reviews/2024-08-15/", edit_post(version, participation="PN3"))
    assert response.status_code == 302
    assert review_codes("A")[D(2024, 8, 15)] == "PN3"
    _, before, after = audited(action=Action.UPDATE, table="reviews")
    assert before["reviews"]["participation"] == "PN1"
    assert after["reviews"]["participation"] == "PN3"
    assert after["review_details"]["format"] == "VIRTUAL"


def test_the_second_of_two_people_saving_the_same_review_is_refused_and_keeps_what_they_entered(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro, manager = signed_in["allocated_iro"], signed_in["manager"]
    iro_version = version_in(iro.get("/children/A/reviews/2024-08-15/").content.decode())
    manager_version = version_in(manager.get("/children/A/reviews/2024-08-15/").content.decode())
    assert iro_version == manager_version

    assert (
        manager.post("/children/A/reviews/2024-08-15/", edit_post(manager_version, participation="PN2")).status_code
        == 302
    )

    stale = iro.post(
        "/children/A/reviews/2024-08-15/",
        edit_post(iro_version, participation="PN4", **date_fields("decisions_date", D(2024, 8, 21))),
    )
    page = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else changed this review after you opened it. Your changes have not been saved." in page
    assert 'value="PN4" checked' in page  # what the IRO chose is still in the form
    assert 'name="decisions_date-day" type="text" inputmode="numeric" value="21"' in page
    assert review_codes("A")[D(2024, 8, 15)] == "PN2"  # the manager's save stands
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1


# ---------------------------------------------------------------- between reviews -----------------


def test_a_midway_review_is_recorded_and_audited(authority: Dataset, signed_in: dict[str, Client]) -> None:
    data = {**date_fields("midway_date", D(2024, 11, 15)), "concerns_identified": "Y"}
    assert signed_in["allocated_iro"].post("/children/A/midway-reviews/new/", data).status_code == 302
    row = stored("midway_reviews", child_id="A")
    assert (row.midway_date, row.concerns_identified, row.iro_id) == (D(2024, 11, 15), "Y", "I1")
    _, _, after = audited(table="midway_reviews")
    assert after == {"child_id": "A", "midway_date": "2024-11-15", "concerns_identified": "Y", "iro_id": "I1"}
    assert "15 November 2024" in signed_in["allocated_iro"].get("/children/A/").content.decode()


def test_a_midway_review_needs_its_date(authority: Dataset, signed_in: dict[str, Client]) -> None:
    page = signed_in["allocated_iro"].post("/children/A/midway-reviews/new/", date_fields("midway_date", None))
    assert "Enter the date of the midway review" in errors_of(page.content.decode())


@pytest.mark.parametrize("outcome", ["COMPLETED", "FAILED", "DECLINED"])
def test_a_visit_is_recorded_whether_completed_failed_or_declined(
    outcome: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    data = {**date_fields("contact_date", D(2025, 1, 6)), "kind": "VISIT", "outcome": outcome, "method": "IN_PERSON"}
    assert signed_in["allocated_iro"].post("/children/A/visits/new/", data).status_code == 302
    row = stored("iro_contacts", child_id="A")
    assert (row.kind, row.outcome) == ("VISIT", outcome)
    assert AuditEvent.objects.filter(table="iro_contacts", action=Action.CREATE).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "VISIT", "outcome": "FAILED"}, "Enter the date of the visit or consultation"),
        (
            {**date_fields("contact_date", D(2025, 1, 6)), "outcome": "FAILED"},
            "Select whether this was a visit or a consultation",
        ),
        (
            {**date_fields("contact_date", D(2025, 1, 6)), "kind": "VISIT"},
            "Select whether it was completed, failed or declined",
        ),
        (
            {**date_fields("contact_date", D(2025, 1, 6)), "kind": "VISIT", "outcome": "COMPLETED"},
            "Select how the visit or consultation happened",
        ),
        (
            {**date_fields("contact_date", D(2025, 5, 6)), "kind": "VISIT", "outcome": "FAILED"},
            "Date of the visit or consultation must be today or in the past",
        ),
    ],
)
def test_each_mistake_in_a_visit_is_named(
    data: dict[str, str], message: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post("/children/A/visits/new/", data)
    assert response.status_code == 400
    assert message in errors_of(response.content.decode())


def test_the_same_visit_cannot_be_recorded_twice(authority: Dataset, signed_in: dict[str, Client]) -> None:
    data = {**date_fields("contact_date", D(2025, 1, 6)), "kind": "CONSULTATION", "outcome": "DECLINED"}
    signed_in["allocated_iro"].post("/children/A/visits/new/", data)
    again = signed_in["allocated_iro"].post("/children/A/visits/new/", data).content.decode()
    assert "A consultation on 6 January 2025 is already recorded for this child" in errors_of(again)


def test_a_case_tracking_check_is_recorded_and_a_missing_level_is_named(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    missing = iro.post("/children/C/case-tracking/new/", date_fields("check_date", D(2025, 2, 3)))
    assert "Select the RAG level" in errors_of(missing.content.decode())
    data = {**date_fields("check_date", D(2025, 2, 3)), "rag_level": "AMBER"}
    assert iro.post("/children/C/case-tracking/new/", data).status_code == 302
    assert stored("case_tracking", child_id="C").rag_level == "AMBER"
    assert AuditEvent.objects.filter(table="case_tracking", action=Action.CREATE).count() == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/children/A/midway-reviews/new/", {**date_fields("midway_date", D(2024, 11, 15))}),
        (
            "/children/A/visits/new/",
            {**date_fields("contact_date", D(2025, 1, 6)), "kind": "VISIT", "outcome": "FAILED"},
        ),
        ("/children/A/case-tracking/new/", {**date_fields("check_date", D(2025, 2, 3)), "rag_level": "RED"}),
    ],
)
@pytest.mark.parametrize("person", ["colleague_iro", "business_support", "analyst"])
def test_others_cannot_record_between_reviews(
    person: str, path: str, data: dict[str, str], authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in[person].post(path, data).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()
