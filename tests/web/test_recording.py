"""Recording reviews and the work between them, through the pages, as the named people of conftest:
the allocated IRO (I1, children A, B, C, E, F), a colleague IRO (I2), a manager, business support
and an analyst. Today is frozen at 31 March 2025, the last day of the hand-made authority's data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.casework import bookings
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.selectors import dataset_from_database
from tests.metrics.helpers import D, child, compute, episode
from tests.web.conftest import AS_AT

TODAY = AS_AT  # 31 March 2025


@pytest.fixture(autouse=True)
def frozen_today(pin_today: Callable[[dt.date], None]) -> None:
    pin_today(TODAY)


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
    # A late reason is needed if the review was held after its due date, and dropped if not.
    data.update({"series_of_meetings": "N", "permanence_plan": "Y", "had_meeting": "N", "late_reason": "OTHER"})
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


@pytest.mark.usefixtures("each_database")
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
    post = review_post(D(2025, 3, 10), "PN6", non_attendance_reason="CHOSE_NOT_TO")
    signed_in["allocated_iro"].post("/children/A/reviews/new/", post)
    page = signed_in["allocated_iro"].get("/children/A/").content.decode()
    row = re.search(r'data-review="2025-03-10">(.*?)</tr>', page, re.S)
    assert row is not None and "PN6" in row.group(1) and ">No<" in row.group(1)


@pytest.mark.usefixtures("each_database")
def test_recording_a_review_writes_an_audit_row_with_the_values_after(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["allocated_iro"].post("/children/A/reviews/new/", review_post(D(2025, 3, 10)))
    event, _, after = audited(action=Action.CREATE, table="reviews")
    assert (event.username, event.child_id, event.before) == ("allocated_iro", "A", None)
    assert after["reviews"] == {"child_id": "A", "review_date": "2025-03-10", "participation": "PN1"}
    assert after["review_details"]["permanence_plan"] == "Y"


@pytest.mark.usefixtures("each_database")
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
    ("data", "box", "message"),
    [
        (review_post(None), "review_date-day", "Enter the date the review was held"),
        (
            {**review_post(None), **{"review_date-day": "31", "review_date-month": "2", "review_date-year": "2025"}},
            "review_date-day",
            "Date held must be a real date",
        ),
        (
            {**review_post(None), **{"review_date-day": "3", "review_date-year": "2025"}},
            "review_date-month",
            "Date held must include a month",
        ),
        (review_post(D(2025, 4, 2)), "review_date-day", "Date held must be today or in the past"),
        (
            review_post(D(2024, 4, 1)),
            "review_date-day",
            "Date held must be on or after the day the child came into care, 1 May 2024",
        ),
        (
            review_post(D(2024, 8, 15)),
            "review_date-day",
            "A review held on 15 August 2024 is already recorded for this child",
        ),
        (
            review_post(D(2025, 3, 10), participation=""),
            "participation",
            "Select how the child took part in the review",
        ),
        (
            review_post(D(2025, 3, 10), **date_fields("decisions_date", D(2025, 3, 1))),
            "decisions_date-day",
            "Decisions date must be on or after the date the review was held, 10 March 2025",
        ),
        (
            review_post(D(2025, 3, 10), **date_fields("record_distributed_date", D(2025, 4, 10))),
            "record_distributed_date-day",
            "Record distributed date must be today or in the past",
        ),
        (
            review_post(D(2025, 3, 10), had_meeting="Y"),
            "meeting_outcome",
            "Select whether the meeting was adjourned or stood down",
        ),
        (
            review_post(
                D(2025, 3, 10),
                had_meeting="Y",
                meeting_outcome="STOOD_DOWN",
                meeting_reason="VENUE_OR_WEATHER",
                **date_fields("meeting_date", D(2024, 8, 1)),
            ),
            "meeting_date-day",
            "Meeting date must be after the review before this one, held on 15 August 2024",
        ),
    ],
)
def test_each_mistake_in_a_review_is_shown_in_the_error_summary_naming_the_field(
    data: dict[str, str], box: str, message: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post("/children/A/reviews/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert message in errors_of(page)
    # The summary links to the box to correct: a date's first box in error, a radio group's first option.
    assert f'<a href="#id_{box}">{message}</a>' in page
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


@pytest.mark.usefixtures("each_database")
def test_a_manager_may_record_a_review_for_any_child(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["manager"].post("/children/D/reviews/new/", review_post(D(2025, 3, 10))).status_code == 302
    details = stored("review_details", child_id="D", review_date=D(2025, 3, 10))
    assert details.iro_id == "I2"  # the child's allocated IRO, not the manager


@pytest.mark.usefixtures("each_database")
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


@pytest.mark.usefixtures("each_database")
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


@pytest.mark.usefixtures("each_database")
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


@pytest.mark.usefixtures("each_database")
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


@pytest.mark.usefixtures("each_database")
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


@pytest.mark.usefixtures("each_database")
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


# ---------------------------------------------------------------- a series of meetings ------------


def meeting_post(
    day: dt.date | None, outcome: str = "ADJOURNED", reason: str = "CHILD_OR_FAMILY_NOT_READY"
) -> dict[str, str]:
    return {**date_fields("meeting_date", day), "meeting_outcome": outcome, "meeting_reason": reason}


def meetings_of(child_id: str) -> list[tuple[dt.date, str, dt.date | None]]:
    rows = DATASET_MODELS["review_meetings"]._default_manager.filter(child_id=child_id).order_by("meeting_date")
    return list(rows.values_list("meeting_date", "outcome", "reconvened_date"))


@pytest.mark.usefixtures("each_database")
def test_a_review_adjourned_twice_is_stored_as_two_meetings_and_the_kpi_counts_two(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    first = review_post(
        D(2025, 1, 28),
        had_meeting="Y",
        meeting_outcome="ADJOURNED",
        meeting_reason="CHILD_OR_FAMILY_NOT_READY",
        **date_fields("meeting_date", D(2025, 1, 6)),
    )
    assert iro.post("/children/A/reviews/new/", first).status_code == 302
    page = iro.get("/children/A/reviews/2025-01-28/meetings/new/").content.decode()
    assert "6 January 2025" in page  # the meeting already in the series
    assert iro.post("/children/A/reviews/2025-01-28/meetings/new/", meeting_post(D(2025, 1, 14))).status_code == 302

    # The 6 January meeting reconvened on 14 January, which was adjourned again; the review was held on
    # 28 January, when the 14 January meeting reconvened.
    assert meetings_of("A") == [
        (D(2025, 1, 6), "ADJOURNED", D(2025, 1, 14)),
        (D(2025, 1, 14), "ADJOURNED", D(2025, 1, 28)),
    ]
    adjourned = compute("reviews_adjourned", dataset_from_database())
    assert adjourned.value == 2
    assert adjourned.details == {"stood_down": 0}
    assert AuditEvent.objects.filter(table="review_meetings", action=Action.CREATE).count() == 2
    _, before, after = audited(table="review_meetings", action=Action.UPDATE)
    assert (before["meeting_date"], before["reconvened_date"]) == ("2025-01-06", "2025-01-28")
    assert (after["meeting_date"], after["reconvened_date"]) == ("2025-01-06", "2025-01-14")


def test_meetings_added_latest_first_reconvene_at_the_next_meeting(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    assert iro.post("/children/A/reviews/new/", review_post(D(2025, 1, 28))).status_code == 302
    iro.post("/children/A/reviews/2025-01-28/meetings/new/", meeting_post(D(2025, 1, 14), "STOOD_DOWN"))
    iro.post("/children/A/reviews/2025-01-28/meetings/new/", meeting_post(D(2025, 1, 6)))
    assert meetings_of("A") == [
        (D(2025, 1, 6), "ADJOURNED", D(2025, 1, 14)),
        (D(2025, 1, 14), "STOOD_DOWN", D(2025, 1, 28)),
    ]
    assert not AuditEvent.objects.filter(table="review_meetings", action=Action.UPDATE).exists()
    page = iro.get("/children/A/").content.decode()
    assert "/children/A/reviews/2025-01-28/meetings/new/" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (meeting_post(None), "Enter the meeting date"),
        (
            meeting_post(D(2024, 8, 16)),
            "Meeting date must be on or before the date the review was held, 15 August 2024",
        ),
        (meeting_post(D(2024, 5, 20)), "Meeting date must be after the review before this one, held on 20 May 2024"),
        (meeting_post(D(2024, 8, 1), reason=""), "Select why the meeting was adjourned or stood down"),
        (meeting_post(D(2024, 8, 1), outcome=""), "Select whether the meeting was adjourned or stood down"),
    ],
)
def test_each_mistake_in_a_meeting_is_named(
    data: dict[str, str], message: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    # A's reviews were held on 20 May and 15 August 2024: a meeting before the second falls between them.
    response = signed_in["allocated_iro"].post("/children/A/reviews/2024-08-15/meetings/new/", data)
    assert response.status_code == 400
    assert message in errors_of(response.content.decode())
    assert meetings_of("A") == []


def test_the_same_meeting_cannot_be_added_twice(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    assert iro.post("/children/A/reviews/2024-08-15/meetings/new/", meeting_post(D(2024, 8, 1))).status_code == 302
    again = iro.post("/children/A/reviews/2024-08-15/meetings/new/", meeting_post(D(2024, 8, 1)))
    assert "A meeting on 1 August 2024 is already recorded for this child" in errors_of(again.content.decode())


# ---------------------------------------------------------------- good practice -------------------


def good_practice_post(
    day: dt.date | None, theme: str = "RELATIONSHIP_WITH_CHILD", service: str = "FOSTERING"
) -> dict[str, str]:
    return {**date_fields("notification_date", day), "theme": theme, "service": service}


@pytest.mark.usefixtures("each_database")
def test_a_good_practice_notification_gets_an_identifier_is_audited_and_shows_on_the_child_record(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    assert iro.post("/children/A/good-practice/new/", good_practice_post(D(2025, 2, 3))).status_code == 302
    row = stored("good_practice", child_id="A")
    assert re.fullmatch(r"GP-[0-9A-F]{8}", row.notification_id)
    assert (row.notification_date, row.theme, row.service, row.iro_id) == (
        D(2025, 2, 3),
        "RELATIONSHIP_WITH_CHILD",
        "FOSTERING",
        "I1",
    )
    _, _, after = audited(table="good_practice", action=Action.CREATE)
    assert after == {
        "notification_id": row.notification_id,
        "notification_date": "2025-02-03",
        "theme": "RELATIONSHIP_WITH_CHILD",
        "service": "FOSTERING",
        "child_id": "A",
        "iro_id": "I1",
    }
    page = iro.get("/children/A/").content.decode()
    notification = re.search(rf'data-notification="{row.notification_id}">(.*?)</tr>', page, re.S)
    assert notification is not None
    assert "3 February 2025" in notification.group(1)
    assert "Good working relationship with the child" in notification.group(1)
    assert "Fostering service" in notification.group(1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (good_practice_post(None), "Enter the date the notification was sent"),
        (good_practice_post(D(2025, 4, 1)), "Date sent must be today or in the past"),
        (
            good_practice_post(D(2024, 4, 30)),
            "Date sent must be on or after the day the child came into care, 1 May 2024",
        ),
        (good_practice_post(D(2025, 2, 3), theme=""), "Select what the notification recognised"),
        (good_practice_post(D(2025, 2, 3), service="NOT_A_TEAM"), "Select the team or service recognised"),
    ],
)
def test_each_mistake_in_a_good_practice_notification_is_named(
    data: dict[str, str], message: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post("/children/A/good-practice/new/", data)
    assert response.status_code == 400
    assert message in errors_of(response.content.decode())
    assert not DATASET_MODELS["good_practice"]._default_manager.exists()


def test_good_practice_may_be_recognised_between_periods_of_care(
    more_children: None, signed_in: dict[str, Client]
) -> None:
    # F was not looked after between 1 August and 1 October 2024; feedback on the work still counts.
    response = signed_in["allocated_iro"].post("/children/F/good-practice/new/", good_practice_post(D(2024, 9, 2)))
    assert response.status_code == 302
    assert stored("good_practice", child_id="F").notification_date == D(2024, 9, 2)


def test_a_manager_records_good_practice_for_the_childs_iro(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert (
        signed_in["manager"].post("/children/D/good-practice/new/", good_practice_post(D(2025, 2, 3))).status_code
        == 302
    )
    assert stored("good_practice", child_id="D").iro_id == "I2"


# ---------------------------------------------------------------- practice alerts -----------------


def alert_post(
    day: dt.date | None, reasons: tuple[str, ...] = ("PLACEMENT", "NO_PLAN"), service: str = "CHILDREN_IN_CARE"
) -> dict[str, Any]:
    return {**date_fields("raised_date", day), "reasons": list(reasons), "service": service}


def raise_alert(client: Client, child_id: str, day: dt.date, **extra: Any) -> str:
    assert client.post(f"/children/{child_id}/practice-alerts/new/", alert_post(day, **extra)).status_code == 302
    alerts = DATASET_MODELS["practice_alerts"]._default_manager.filter(child_id=child_id, raised_date=day)
    return str(alerts.values_list("alert_id", flat=True).get())


@pytest.mark.usefixtures("each_database")
def test_a_practice_alert_with_two_reasons_is_stored_in_the_code_lists_order_and_audited(
    authority: Dataset, signed_in: dict[str, Client], each_database: str
) -> None:
    assert connection.vendor == {"default": "sqlite", "postgres": "postgresql"}[each_database]
    alert_id = raise_alert(signed_in["allocated_iro"], "A", D(2025, 2, 10))
    row = stored("practice_alerts", alert_id=alert_id)
    assert re.fullmatch(r"PA-[0-9A-F]{8}", alert_id)
    # Posted as PLACEMENT then NO_PLAN; the code list puts NO_PLAN first.
    assert (row.raised_date, row.reasons, row.service, row.iro_id, row.resolved_date) == (
        D(2025, 2, 10),
        ["NO_PLAN", "PLACEMENT"],
        "CHILDREN_IN_CARE",
        "I1",
        None,
    )
    _, _, after = audited(table="practice_alerts", action=Action.CREATE)
    assert after["reasons"] == ["NO_PLAN", "PLACEMENT"] and after["raised_date"] == "2025-02-10"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (alert_post(D(2025, 2, 10), reasons=()), "reasons", "Select at least one reason for the alert"),
        (alert_post(D(2025, 2, 10), reasons=("NOT_A_REASON",)), "reasons", "Select at least one reason for the alert"),
        (alert_post(None), "raised_date", "Enter the date the alert was raised"),
        (alert_post(D(2025, 4, 1)), "raised_date", "Date raised must be today or in the past"),
        (alert_post(D(2025, 2, 10), service=""), "service", "Select the team or service the alert is about"),
    ],
)
def test_each_mistake_in_a_practice_alert_is_named_and_linked_to_its_field(
    data: dict[str, Any], field: str, message: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post("/children/A/practice-alerts/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    anchor = f"id_{field}-day" if field.endswith("date") else f"id_{field}"
    assert f'<a href="#{anchor}">{message}</a>' in page
    assert f'id="{anchor}"' in page  # the link lands on the field (the first box, for the reasons)
    assert not DATASET_MODELS["practice_alerts"]._default_manager.exists()


@pytest.mark.usefixtures("each_database")
def test_resolving_an_alert_checks_the_date_and_is_audited(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    alert_id = raise_alert(iro, "A", D(2025, 2, 10))
    url = f"/children/A/practice-alerts/{alert_id}/resolve/"
    assert "raised on 10 February 2025" in iro.get(url).content.decode()
    early = iro.post(url, {**date_fields("resolved_date", D(2025, 2, 9)), "impact": "PLAN_CHANGED"})
    assert early.status_code == 400
    assert "Date resolved must be on or after the date the alert was raised, 10 February 2025" in errors_of(
        early.content.decode()
    )
    future = iro.post(url, {**date_fields("resolved_date", D(2025, 4, 1)), "impact": "PLAN_CHANGED"})
    assert "Date resolved must be today or in the past" in errors_of(future.content.decode())
    assert stored("practice_alerts", alert_id=alert_id).resolved_date is None

    assert (
        iro.post(url, {**date_fields("resolved_date", D(2025, 3, 20)), "impact": "ACTION_COMPLETED"}).status_code == 302
    )
    assert stored("practice_alerts", alert_id=alert_id).resolved_date == D(2025, 3, 20)
    assert stored("practice_alerts", alert_id=alert_id).impact == "ACTION_COMPLETED"
    assert "The action asked for was completed" in iro.get("/children/A/").content.decode()
    _, before, after = audited(table="practice_alerts", action=Action.UPDATE)
    assert (before["resolved_date"], after["resolved_date"]) == (None, "2025-03-20")
    again = iro.post(url, {**date_fields("resolved_date", D(2025, 3, 21)), "impact": "ACTION_COMPLETED"})
    assert "This alert was already resolved on 20 March 2025" in errors_of(again.content.decode())
    assert stored("practice_alerts", alert_id=alert_id).resolved_date == D(2025, 3, 20)


def test_resolving_an_alert_needs_what_it_achieved(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    alert_id = raise_alert(iro, "A", D(2025, 2, 10))
    url = f"/children/A/practice-alerts/{alert_id}/resolve/"
    response = iro.post(url, date_fields("resolved_date", D(2025, 3, 20)))
    assert response.status_code == 400
    assert '<a href="#id_impact">Select what the alert achieved for the child</a>' in response.content.decode()
    alert = stored("practice_alerts", alert_id=alert_id)
    assert (alert.resolved_date, alert.impact) == (None, None)


def test_the_child_record_lists_open_alerts_before_resolved_ones(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    raise_alert(iro, "A", D(2025, 1, 6))
    resolved = raise_alert(iro, "A", D(2025, 2, 10))
    raise_alert(iro, "A", D(2025, 3, 3))
    iro.post(
        f"/children/A/practice-alerts/{resolved}/resolve/",
        {**date_fields("resolved_date", D(2025, 3, 20)), "impact": "ACTION_COMPLETED"},
    )
    page = iro.get("/children/A/").content.decode()
    rows = re.findall(r'data-alert="[^"]+"><td class="govuk-table__cell">([^<]+)</td>', page)
    # Open ones newest first, then the one resolved, although it was raised between them.
    assert rows == ["3 March 2025", "6 January 2025", "10 February 2025"]
    assert "No plan, or plan not updated: review stood down" in page and "Placement issues" in page
    assert page.count(">Open</strong>") == 2 and page.count(">Resolved</strong>") == 1


def test_an_alert_is_resolved_only_from_its_own_childs_record(authority: Dataset, signed_in: dict[str, Client]) -> None:
    alert_id = raise_alert(signed_in["allocated_iro"], "A", D(2025, 2, 10))
    resolve = {**date_fields("resolved_date", D(2025, 3, 20)), "impact": "ACTION_COMPLETED"}
    assert signed_in["manager"].post(f"/children/C/practice-alerts/{alert_id}/resolve/", resolve).status_code == 404
    assert (
        signed_in["colleague_iro"].post(f"/children/A/practice-alerts/{alert_id}/resolve/", resolve).status_code == 403
    )
    assert stored("practice_alerts", alert_id=alert_id).resolved_date is None


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/children/A/good-practice/new/", good_practice_post(D(2025, 2, 3))),
        ("/children/A/practice-alerts/new/", alert_post(D(2025, 2, 10))),
        ("/children/A/reviews/2024-08-15/meetings/new/", meeting_post(D(2024, 8, 1))),
    ],
)
@pytest.mark.parametrize("person", ["colleague_iro", "business_support", "analyst"])
def test_others_cannot_record_feedback_alerts_or_meetings(
    person: str, path: str, data: dict[str, Any], authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in[person].post(path, data).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


# ---------------------------------------------------------------- booking reviews ------------------
# B came into care on Monday 10 March 2025; the first review is due 20 working days later. Counting on
# the calendar: 11–14 March (4), 17–21 (9), 24–28 (14), 31 March (15), 1–4 April (19), Monday 7 April
# 2025 (20) — no bank holiday in between (Good Friday is 18 April).


def booking_post(day: dt.date | None, sent: dt.date | None = None, **extra: str) -> dict[str, str]:
    data = {
        **date_fields("scheduled_date", day),
        **date_fields("invitations_sent_date", sent),
        "review_format": "VIRTUAL",
    }
    data.update(extra)
    return data


@pytest.mark.usefixtures("each_database")
def test_business_support_book_a_review_and_see_the_due_date_beside_it(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    support = signed_in["business_support"]
    form = support.get("/children/B/bookings/new/").content.decode()
    assert "The next review is due by <strong>7 April 2025</strong>" in form
    response = support.post("/children/B/bookings/new/", booking_post(D(2025, 4, 4), sent=TODAY), follow=True)
    booking = stored("scheduled_reviews", child_id="B")
    assert (booking.scheduled_date, booking.booked_date, booking.invitations_sent_date, booking.format) == (
        D(2025, 4, 4),
        TODAY,
        TODAY,
        "VIRTUAL",
    )
    assert "after the date it is due" not in response.content.decode()
    _, before, after = audited(action=Action.CREATE, table="scheduled_reviews")
    assert before == {} and after["scheduled_date"] == "2025-04-04"


@pytest.mark.usefixtures("each_database")
def test_a_booking_after_the_due_date_is_saved_with_a_warning_naming_the_due_date(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["business_support"].post("/children/B/bookings/new/", booking_post(D(2025, 4, 9)), follow=True)
    page = response.content.decode()
    assert "This review is booked for 9 April 2025, after the date it is due, 7 April 2025." in page
    assert stored("scheduled_reviews", child_id="B").scheduled_date == D(2025, 4, 9)


@pytest.mark.usefixtures("each_database")
def test_invitations_cannot_be_sent_before_the_review_was_booked(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["business_support"].post(
        "/children/B/bookings/new/", booking_post(D(2025, 4, 4), sent=D(2025, 3, 28))
    )
    assert response.status_code == 400
    assert (
        "Invitations sent date must be on or after the date the review was booked, 31 March 2025"
        in response.content.decode()
    )
    assert not DATASET_MODELS["scheduled_reviews"]._default_manager.exists()


@pytest.mark.usefixtures("each_database")
def test_a_second_booking_is_refused_and_the_first_can_be_moved_then_cancelled(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    assert manager.post("/children/B/bookings/new/", booking_post(D(2025, 4, 4))).status_code == 302
    again = manager.post("/children/B/bookings/new/", booking_post(D(2025, 4, 7)))
    assert "The next review is already booked for 4 April 2025: change that booking instead" in again.content.decode()
    version = version_in(manager.get("/children/B/bookings/2025-04-04/").content.decode())
    moved = manager.post("/children/B/bookings/2025-04-04/", booking_post(D(2025, 4, 7), version=version))
    assert moved.status_code == 302
    assert stored("scheduled_reviews", child_id="B").scheduled_date == D(2025, 4, 7)
    stale = manager.post("/children/B/bookings/2025-04-07/cancel/", {"version": version})
    assert "Someone else changed this booking" in stale.content.decode()
    fresh = version_in(manager.get("/children/B/bookings/2025-04-07/cancel/").content.decode())
    assert manager.post("/children/B/bookings/2025-04-07/cancel/", {"version": fresh}).status_code == 302
    assert not DATASET_MODELS["scheduled_reviews"]._default_manager.filter(child_id="B").exists()
    _, before, after = audited(action=Action.DELETE, table="scheduled_reviews")
    assert before["scheduled_date"] == "2025-04-07" and after == {}


@pytest.mark.usefixtures("each_database")
def test_a_colleague_iro_may_not_book_a_review_for_another_iros_child(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in["colleague_iro"].post("/children/B/bookings/new/", booking_post(D(2025, 4, 4))).status_code == 403
    assert not DATASET_MODELS["scheduled_reviews"]._default_manager.exists()


def consultations_post(version: str, **dates: tuple[dt.date | None, dt.date | None]) -> dict[str, str]:
    data = {"version": version}
    for code in ("CHILD", "PARENT", "CARER", "SOCIAL_WORKER", "HEALTH", "EDUCATION", "OTHER_PROFESSIONAL"):
        sent, returned = dates.get(code, (None, None))
        data.update(date_fields(f"sent_{code}", sent))
        data.update(date_fields(f"returned_{code}", returned))
    return data


@pytest.mark.usefixtures("each_database")
def test_business_support_record_consultation_forms_for_a_held_review(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    support = signed_in["business_support"]
    url = "/children/A/reviews/2024-08-15/consultations/"
    version = version_in(support.get(url).content.decode())
    sent = D(2024, 7, 25)
    data = consultations_post(version, CHILD=(sent, D(2024, 8, 1)), SOCIAL_WORKER=(sent, None))
    assert support.post(url, data).status_code == 302
    rows = DATASET_MODELS["consultations"]._default_manager.filter(child_id="A").order_by("recipient")
    assert list(rows.values_list("recipient", "sent_date", "returned_date")) == [
        ("CHILD", sent, D(2024, 8, 1)),
        ("SOCIAL_WORKER", sent, None),
    ]
    _, before, after = audited(action=Action.UPDATE, table="consultations")
    assert before["forms"] == [] and len(after["forms"]) == 2


@pytest.mark.usefixtures("each_database")
def test_a_consultation_form_returned_before_it_was_sent_is_refused(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    support = signed_in["business_support"]
    url = "/children/A/reviews/2024-08-15/consultations/"
    version = version_in(support.get(url).content.decode())
    response = support.post(url, consultations_post(version, CARER=(D(2024, 7, 25), D(2024, 7, 24))))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Foster carer or residential worker: date returned must be on or after the date sent, 25 July 2024" in page
    assert not DATASET_MODELS["consultations"]._default_manager.exists()


@pytest.mark.usefixtures("each_database")
def test_business_support_record_when_the_invitations_to_a_held_review_went_out(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    support = signed_in["business_support"]
    url = "/children/A/reviews/2024-08-15/dates/"
    data = {
        "version": version_in(support.get(url).content.decode()),
        **date_fields("invitations_sent_date", D(2024, 8, 16)),
    }
    late = support.post(url, data)
    assert (
        "Invitations sent date must be on or before the date the review was held, 15 August 2024"
        in late.content.decode()
    )
    data.update(date_fields("invitations_sent_date", D(2024, 7, 25)))
    assert support.post(url, data).status_code == 302
    assert stored("review_details", child_id="A", review_date=D(2024, 8, 15)).invitations_sent_date == D(2024, 7, 25)


@pytest.mark.usefixtures("each_database")
def test_the_caseload_reads_each_child_s_booking_still_to_be_held(authority: Dataset) -> None:
    """A: reviews held 20 May and 15 August 2024. A booking for the 15 August review (held) is not
    the next one; the one for 1 April 2025 is. B, never reviewed, booked for 4 April 2025. C: none."""
    create = DATASET_MODELS["scheduled_reviews"]._default_manager.create
    create(child_id="A", scheduled_date=D(2024, 8, 15), booked_date=D(2024, 7, 1))
    create(child_id="A", scheduled_date=D(2025, 4, 1), booked_date=D(2025, 3, 3))
    create(child_id="B", scheduled_date=D(2025, 4, 4), booked_date=D(2025, 3, 20))
    booked = bookings.booked_reviews(child_ids=["A", "B", "C"])
    assert {child_id: row["scheduled_date"] for child_id, row in booked.items()} == {
        "A": D(2025, 4, 1),
        "B": D(2025, 4, 4),
    }
