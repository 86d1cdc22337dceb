"""The settings page: the local-practice configuration, validated, stored, audited and used."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.rules.practice import LocalPractice
from iroscope.web.audit.models import AuditEvent
from iroscope.web.practice.forms import inputs_from_practice
from iroscope.web.practice.models import PracticeSettings
from iroscope.web.practice.selectors import practice_current
from iroscope.web.practice.services import PracticeSettingsInvalidError, practice_settings_validate
from iroscope.web.records.models import DATASET_MODELS, DatasetInfo
from iroscope.web.records.selectors import dataset_from_database
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def today_is_after_every_date_these_tests_write(pin_today: Callable[[dt.date], None]) -> None:
    """Shown as at 22 November 2026 (the suite's TODAY), after every day recorded here; the hand-made
    authority's children are all still in care then (decision 0014)."""
    pin_today(TODAY)


def default_form(**changes: Any) -> dict[str, Any]:
    form = {key: str(value) for key, value in inputs_from_practice(practice=LocalPractice()).items()}
    form.update({f"dispute_stages.4.{part}": "" for part in ("code", "name", "escalated_to", "response_working_days")})
    form.update(changes)
    return form


def test_the_page_shows_the_stages_deadlines_bands_and_code_lists(db: None, signed_in: dict[str, Client]) -> None:
    page = signed_in["manager"].get("/settings/").content.decode()
    for expected in ("Head of service", "STAGE_3", "caseload_band.high", "rag_oversight_days.AMBER", "DRIFT_AND_DELAY"):
        assert expected in page
    assert "CAFCASS" in page  # the outcomes code list


def test_a_manager_changes_a_stage_timescale_and_the_deadlines_follow(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    response = manager.post("/settings/", default_form(**{"dispute_stages.0.response_working_days": "10"}))
    assert response.status_code == 302
    assert practice_current().dispute_stage("INFORMAL").response_working_days == 10
    # Reached Wednesday 16 April 2025; 10 working days, Good Friday and Easter Monday not counted:
    # 17, 22, 23, 24, 25, 28, 29, 30 April, 1 May, 2 May (the 10th): due Friday 2 May 2025.
    raised = {"on-day": "16", "on-month": "4", "on-year": "2025"}
    manager.post("/children/A/disputes/", {"formal": "informal", "category": "OTHER", **raised})
    (dispute_id,) = DATASET_MODELS["disputes"]._default_manager.values_list("dispute_id", flat=True)
    assert "2 May 2025" in manager.get(f"/disputes/{dispute_id}/").content.decode()


def test_a_changed_setting_reaches_every_page_worked_out_from_the_stored_data(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    """A was reviewed on 15 August 2024 and the next review is due 15 February 2025, 184 days later.
    Halfway (the default) the midway review is due 92 days on, 15 November 2024; a quarter of the way,
    round(46.0) = 46 days on, 30 September 2024. The caseload is worked out once per state of the
    stored data, so the change must reach the data the pages read, not just the settings page."""
    caseload = signed_in["allocated_iro"]
    assert "Due 15 November 2024" in caseload.get("/caseload/").content.decode()
    response = signed_in["manager"].post("/settings/", default_form(midway_review_fraction="0.25"))
    assert response.status_code == 302
    page = caseload.get("/caseload/").content.decode()
    assert "Due 30 September 2024" in page and "Due 15 November 2024" not in page
    assert dataset_from_database().practice.midway_review_fraction == 0.25


def test_a_change_is_audited_with_before_and_after(db: None, signed_in: dict[str, Client]) -> None:
    signed_in["manager"].post("/settings/", default_form(**{"caseload_band.high": "65"}))
    (event,) = AuditEvent.objects.filter(table="practice_settings")
    before: Any = event.before
    after: Any = event.after
    assert (before["caseload_band"], after["caseload_band"]) == ([50, 70], [50, 65])


def test_a_stage_can_be_added_in_the_spare_row(db: None, signed_in: dict[str, Client]) -> None:
    new_stage = {
        "dispute_stages.4.code": "STAGE_4",
        "dispute_stages.4.name": "Stage 4",
        "dispute_stages.4.escalated_to": "Director",
        "dispute_stages.4.response_working_days": "10",
    }
    signed_in["manager"].post("/settings/", default_form(**new_stage))
    assert practice_current().dispute_stages[-1].escalated_to == "Director"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("caseload_band.high", "40", "Caseload band, highest must be at least the lowest"),
        ("dispute_stages.1.response_working_days", "five", "Dispute stage 2, response time (working days) must be"),
        ("dispute_stages.2.code", "STAGE_1", "Dispute stage 3, code STAGE_1 is used by an earlier stage"),
        ("dispute_stages.0.name", "", "Dispute stage 1, name must not be blank"),
        ("rag_oversight_days.RED", "0", "Red tracking: longest gap between checks (days) must be"),
        ("midway_review_fraction", "2", "Midway review fraction must be a number between 0 and 1"),
        ("decisions_working_days", "", "Decisions sent within (working days) must be a whole number"),
    ],
)
def test_an_invalid_setting_is_refused_naming_the_field(
    field: str, value: str, message: str, db: None, signed_in: dict[str, Client]
) -> None:
    response = signed_in["manager"].post("/settings/", default_form(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="#{field}"' in page and message in page and "govuk-error-summary" in page
    assert not AuditEvent.objects.filter(table="practice_settings").exists()


def test_the_error_summary_lists_mistakes_in_the_order_of_the_page(db: None, signed_in: dict[str, Client]) -> None:
    # Checked caseload band before stages and deadlines, but shown stages, deadlines, then the band.
    mistakes = {
        "caseload_band.high": "40",
        "decisions_working_days": "",
        "dispute_stages.1.name": "",
    }
    page = signed_in["manager"].post("/settings/", default_form(**mistakes)).content.decode()
    summary = page[
        page.index("govuk-error-summary__list") : page.index("</ul>", page.index("govuk-error-summary__list"))
    ]
    links = [part.split('"')[0] for part in summary.split('href="#')[1:]]
    assert links == ["dispute_stages.1.name", "decisions_working_days", "caseload_band.high"]


def test_a_hint_and_an_error_both_describe_their_input(db: None, signed_in: dict[str, Client]) -> None:
    page = signed_in["manager"].post("/settings/", default_form(midway_review_fraction="2")).content.decode()
    assert 'id="midway_review_fraction-hint">A number between 0 and 1, for example 0.5 for halfway<' in page
    assert 'aria-describedby="midway_review_fraction-hint midway_review_fraction-error"' in page
    assert 'value="2"' in page  # the entry is kept to correct


def test_the_caseload_band_and_tracking_gaps_are_grouped_under_their_headings(
    db: None, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/settings/").content.decode()
    legends = [part.split("</h2>")[0] for part in page.split('<h2 class="govuk-fieldset__heading">')[1:]]
    assert legends == [
        "Case tracking (RAG): longest gap between the IRO's checks",
        "Caseload band (children per full-time IRO)",
    ]


def test_validation_errors_are_keyed_by_the_setting(db: None) -> None:
    with pytest.raises(PracticeSettingsInvalidError) as refused:
        practice_settings_validate(raw={"caseload_band": [80, 70], "colour": "red"})
    assert set(refused.value.errors) == {"caseload_band.high", "settings"}
    assert "Unknown practice setting: colour" in refused.value.errors["settings"]


def test_a_stage_that_recorded_disputes_use_cannot_be_removed(authority: Dataset, signed_in: dict[str, Client]) -> None:
    manager = signed_in["manager"]
    raised = {"on-day": "16", "on-month": "4", "on-year": "2025"}
    manager.post("/children/A/disputes/", {"formal": "formal", "category": "OTHER", **raised})
    cleared = {f"dispute_stages.1.{part}": "" for part in ("code", "name", "escalated_to", "response_working_days")}
    response = manager.post("/settings/", default_form(**cleared))
    assert response.status_code == 400
    assert "STAGE_1 is used by recorded disputes" in response.content.decode()


@pytest.mark.parametrize(
    "person", ["allocated_iro", "colleague_iro", "business_support", "analyst", "administrator", "no_role"]
)
def test_only_managers_see_or_change_settings(person: str, db: None, signed_in: dict[str, Client]) -> None:
    assert signed_in[person].get("/settings/").status_code == 403
    assert signed_in[person].post("/settings/", default_form(**{"caseload_band.high": "65"})).status_code == 403
    assert practice_current().caseload_band == (50, 70)


def test_signed_out_people_are_sent_to_sign_in_from_settings(db: None) -> None:
    assert Client().get("/settings/")["Location"].startswith("/sign-in/?next=")


def test_iro_allocated_within_reaches_the_stored_data_the_figure_and_list_read(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["manager"].post("/settings/", default_form(iro_allocated_working_days="10"))
    assert response.status_code == 302
    assert dataset_from_database().practice.iro_allocated_working_days == 10


def test_the_placement_move_setting_that_did_nothing_is_gone_from_the_page(
    db: None, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/settings/").content.decode()
    assert "placement move" not in page.lower() and "review_after_placement_move_working_days" not in page


def test_the_migration_forgets_the_retired_setting_wherever_it_was_stored(db: None) -> None:
    migration = importlib.import_module("iroscope.web.practice.migrations.0002_retire_review_after_placement_move")
    stored = {"caseload_band": [40, 60], "review_after_placement_move_working_days": 5}
    PracticeSettings.objects.create(values=dict(stored))
    DatasetInfo.objects.create(practice=dict(stored), loaded_at=timezone.now())
    migration.forget_the_setting(django_apps, SimpleNamespace(connection=connection))  # as a schema editor is
    assert PracticeSettings.objects.get().values == {"caseload_band": [40, 60]}
    assert DatasetInfo.objects.get().practice == {"caseload_band": [40, 60]}
    assert practice_current().caseload_band == (40, 60)


def test_a_stage_name_too_long_and_a_number_too_long_get_messages_not_a_failure(
    db: None, signed_in: dict[str, Client]
) -> None:
    form = default_form(**{"dispute_stages.0.name": "N" * 101, "decisions_working_days": "9" * 10_000})
    response = signed_in["manager"].post("/settings/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#dispute_stages.0.name">Dispute stage 1, name must be 100 characters or fewer</a>' in page
    assert "Decisions sent within (working days) must be a whole number of at least 1" in page
    assert practice_current() == LocalPractice()  # nothing stored
