"""Why a review was late, why the child did not attend, and whether the child chaired it (decision 0021).

Child A (hand-made authority): reviews held 20 May 2024 (the first) and 15 August 2024 (the second), so
the third is due 6 months after the second: 15 February 2025. Held on 15 February it is on time; held
on 16 February it is one day late."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.rules.practice import LateReason, LocalPractice
from iroscope.web.casework.review_reasons import review_due_date
from iroscope.web.practice.models import PracticeSettings
from iroscope.web.practice.selectors import practice_as_mapping
from tests.metrics.helpers import D
from tests.web.conftest import AS_AT
from tests.web.test_recording import errors_of, review_codes, review_post, stored, version_in

DUE = D(2025, 2, 15)
DAY_AFTER = D(2025, 2, 16)


@pytest.fixture(autouse=True)
def frozen_today(pin_today: Callable[[dt.date], None]) -> None:
    pin_today(AS_AT)  # 31 March 2025


def details(held: dt.date) -> tuple[str | None, str | None, str | None]:
    row = stored("review_details", child_id="A", review_date=held)
    return row.late_reason, row.non_attendance_reason, row.child_chaired


def reasons_row(page: str, held: dt.date) -> str:
    found = re.search(rf'data-review-reasons="{held.isoformat()}">(.*?)</tr>', page, re.S)
    assert found is not None
    return found.group(1)


def test_the_third_review_of_child_a_is_due_on_15_february_2025(authority: Dataset) -> None:
    assert review_due_date(child_id="A", review_date=DAY_AFTER) == DUE
    assert review_due_date(child_id="A", review_date=DUE) == DUE


def test_a_review_held_on_its_due_date_is_on_time_and_a_late_reason_sent_with_it_is_not_kept(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post(
        "/children/A/reviews/new/", review_post(DUE, late_reason="BOOKING_ERROR")
    )
    assert response.status_code == 302
    assert details(DUE)[0] is None


def test_a_review_held_the_day_after_its_due_date_needs_a_reason_from_the_settings(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    form = iro.get("/children/A/reviews/new/").content.decode()
    assert "Needed only if the date held is after the date the review was due, 15 February 2025." in form
    assert '<option value="IRO_UNAVAILABLE">IRO unavailable (sickness or staffing)</option>' in form

    missing = iro.post("/children/A/reviews/new/", review_post(DAY_AFTER, late_reason=""))
    assert missing.status_code == 400
    assert '<a href="#id_late_reason">Select why the review was late</a>' in missing.content.decode()
    made_up = iro.post("/children/A/reviews/new/", review_post(DAY_AFTER, late_reason="ASTROLOGY"))
    assert "Select why the review was late" in errors_of(made_up.content.decode())
    assert DAY_AFTER not in review_codes("A")

    assert (
        iro.post("/children/A/reviews/new/", review_post(DAY_AFTER, late_reason="IRO_UNAVAILABLE")).status_code == 302
    )
    assert details(DAY_AFTER)[0] == "IRO_UNAVAILABLE"
    page = iro.get("/children/A/").content.decode()
    assert "IRO unavailable (sickness or staffing)" in reasons_row(page, DAY_AFTER)


def test_a_child_of_4_or_over_who_did_not_attend_needs_a_reason_and_chairing_is_kept_in_words(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    missing = iro.post("/children/A/reviews/new/", review_post(DUE, "PN6", child_chaired="N"))
    assert missing.status_code == 400
    assert '<a href="#id_non_attendance_reason">Select why the child did not attend their review</a>' in (
        missing.content.decode()
    )
    saved = iro.post("/children/A/reviews/new/", review_post(DUE, "PN6", non_attendance_reason="CHOSE_NOT_TO"))
    assert saved.status_code == 302
    assert details(DUE) == (None, "CHOSE_NOT_TO", None)
    assert "Chose not to attend" in reasons_row(iro.get("/children/A/").content.decode(), DUE)


def test_a_reason_for_not_attending_is_dropped_when_the_child_attended(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    post = review_post(DUE, "PN1", non_attendance_reason="UNWELL_OR_UNAVAILABLE", child_chaired="Y")
    assert signed_in["allocated_iro"].post("/children/A/reviews/new/", post).status_code == 302
    assert details(DUE) == (None, None, "Y")
    page = signed_in["allocated_iro"].get("/children/A/").content.decode()
    assert '<td class="govuk-table__cell">Yes</td>' in reasons_row(page, DUE)


def edit(version: str, **extra: str) -> dict[str, str]:
    data = {"version": version, "participation": "PN1", "review_format": "IN_PERSON", "permanence_plan": "Y"}
    for name in ("decisions_date", "record_distributed_date"):
        data.update({f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""})
    data.update(extra)
    return data


@pytest.mark.usefixtures("each_database")
def test_a_stale_change_to_the_late_reason_is_refused_and_keeps_what_was_chosen(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro, manager = signed_in["allocated_iro"], signed_in["manager"]
    iro.post("/children/A/reviews/new/", review_post(DAY_AFTER, late_reason="IRO_UNAVAILABLE"))
    url = f"/children/A/reviews/{DAY_AFTER.isoformat()}/"
    iro_version = version_in(iro.get(url).content.decode())
    manager_version = version_in(manager.get(url).content.decode())
    assert manager.post(url, edit(manager_version, late_reason="FAMILY_REQUEST")).status_code == 302

    stale = iro.post(url, edit(iro_version, late_reason="REPORTS_NOT_READY", child_chaired="Y"))
    page = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else changed this review after you opened it. Your changes have not been saved." in page
    assert '<option value="REPORTS_NOT_READY" selected>' in page
    assert 'name="child_chaired" type="radio" value="Y" checked' in page
    assert details(DAY_AFTER) == ("FAMILY_REQUEST", None, None)  # the manager's save stands


def test_a_reason_removed_from_the_settings_stays_readable_and_can_be_kept(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    iro.post("/children/A/reviews/new/", review_post(DAY_AFTER, late_reason="VENUE_OR_WEATHER"))
    fewer = LocalPractice(late_reasons=(LateReason("IRO_UNAVAILABLE", "IRO off sick"), LateReason("OTHER", "Other")))
    PracticeSettings.objects.create(values=practice_as_mapping(practice=fewer))

    page = iro.get("/children/A/").content.decode()
    assert "VENUE_OR_WEATHER (no longer in the settings)" in reasons_row(page, DAY_AFTER)
    url = f"/children/A/reviews/{DAY_AFTER.isoformat()}/"
    form = iro.get(url).content.decode()
    assert "Needed: the review was due by 15 February 2025 and held after it." in form
    assert '<option value="VENUE_OR_WEATHER" selected>VENUE_OR_WEATHER (no longer in the settings)</option>' in form
    assert '<option value="IRO_UNAVAILABLE">IRO off sick</option>' in form
    assert iro.post(url, edit(version_in(form), late_reason="VENUE_OR_WEATHER")).status_code == 302
    assert details(DAY_AFTER)[0] == "VENUE_OR_WEATHER"
    # Another reason gone from the settings cannot be chosen afresh.
    again = iro.post(url, edit(version_in(iro.get(url).content.decode()), late_reason="BOOKING_ERROR"))
    assert "Select why the review was late" in errors_of(again.content.decode())
