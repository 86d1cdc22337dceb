"""The settings page's list of why a review was late (decision 0021): a manager renames, removes and
adds reasons; codes are unique and at least one is kept; a reason removed after reviews used it stays
readable on the child's record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.rules.practice import DEFAULT_LATE_REASONS, LateReason
from iroscope.web.practice.selectors import practice_current
from tests.metrics.helpers import D
from tests.web.conftest import AS_AT
from tests.web.test_practice_settings import default_form
from tests.web.test_recording import review_post

SPARE = len(DEFAULT_LATE_REASONS)  # the index of the empty row for a new reason
BOOKING_ERROR = [reason.code for reason in DEFAULT_LATE_REASONS].index("BOOKING_ERROR")


@pytest.fixture(autouse=True)
def frozen_today(pin_today: Callable[[dt.date], None]) -> None:
    pin_today(AS_AT)  # 31 March 2025: A's review held on 10 March 2025 was late (due 15 February)


def form(**changes: str) -> dict[str, Any]:
    return default_form(**{f"late_reasons.{SPARE}.code": "", f"late_reasons.{SPARE}.name": "", **changes})


def summary_links(page: str) -> list[str]:
    summary = page[page.index("govuk-error-summary__list") : page.index("</ul>", page.index("govuk-error-summary"))]
    return [part.split('"')[0] for part in summary.split('href="#')[1:]]


def test_a_manager_renames_removes_and_adds_late_reasons(db: None, signed_in: dict[str, Client]) -> None:
    manager = signed_in["manager"]
    page = manager.get("/settings/").content.decode()
    assert 'name="late_reasons.1.name" type="text" value="IRO unavailable (sickness or staffing)"' in page
    changes = {
        "late_reasons.1.name": "IRO off sick or on leave",
        f"late_reasons.{BOOKING_ERROR}.code": "",
        f"late_reasons.{BOOKING_ERROR}.name": "",
        f"late_reasons.{SPARE}.code": "court_hearing",
        f"late_reasons.{SPARE}.name": "Moved for a court hearing",
    }
    assert manager.post("/settings/", form(**changes)).status_code == 302
    reasons = practice_current().late_reasons
    assert len(reasons) == len(DEFAULT_LATE_REASONS)  # one removed, one added
    assert reasons[1] == LateReason("IRO_UNAVAILABLE", "IRO off sick or on leave")
    assert "BOOKING_ERROR" not in {reason.code for reason in reasons}
    assert reasons[-1] == LateReason("COURT_HEARING", "Moved for a court hearing")  # codes are capitals


def test_each_mistake_in_the_late_reasons_is_named_and_nothing_is_saved(db: None, signed_in: dict[str, Client]) -> None:
    mistakes = {"late_reasons.2.code": "IRO_UNAVAILABLE", "late_reasons.3.name": ""}
    response = signed_in["manager"].post("/settings/", form(**mistakes))
    page = response.content.decode()
    assert response.status_code == 400
    assert summary_links(page) == ["late_reasons.2.code", "late_reasons.3.name"]
    assert "Late reason 3, code IRO_UNAVAILABLE is used by an earlier reason" in page
    assert "Late reason 4, name must not be blank" in page
    assert 'name="late_reasons.3.name" type="text" value=""' in page
    assert (
        'name="late_reasons.2.code" type="text" spellcheck="false" autocomplete="off" value="IRO_UNAVAILABLE"' in page
    )
    assert practice_current().late_reasons == DEFAULT_LATE_REASONS


def test_at_least_one_late_reason_is_kept(db: None, signed_in: dict[str, Client]) -> None:
    cleared = {f"late_reasons.{index}.{part}": "" for index in range(SPARE) for part in ("code", "name")}
    page = signed_in["manager"].post("/settings/", form(**cleared)).content.decode()
    assert "Late reasons: at least one reason is needed" in page
    assert practice_current().late_reasons == DEFAULT_LATE_REASONS


def test_a_reason_removed_after_a_review_used_it_is_shown_by_its_code(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    recorded = signed_in["allocated_iro"].post(
        "/children/A/reviews/new/", review_post(D(2025, 3, 10), late_reason="BOOKING_ERROR")
    )
    assert recorded.status_code == 302
    removed = {f"late_reasons.{BOOKING_ERROR}.code": "", f"late_reasons.{BOOKING_ERROR}.name": ""}
    assert signed_in["manager"].post("/settings/", form(**removed)).status_code == 302
    page = signed_in["allocated_iro"].get("/children/A/").content.decode()
    assert "BOOKING_ERROR (no longer in the settings)" in page
