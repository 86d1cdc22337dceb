import datetime as dt
from pathlib import Path

import pytest

from iroscope.data.docs import _FIELD_DOCS
from iroscope.rules.calendar import england_calendar
from iroscope.rules.practice import (
    LateReason,
    LocalPractice,
    decisions_due,
    dispute_resolution_due,
    dispute_stage_response_due,
    invitations_due,
    midway_review_due,
    record_distributed_due,
)

D = dt.date
CALENDAR = england_calendar()
DEFAULTS = LocalPractice()


def test_after_review_deadlines_count_working_days() -> None:
    # Review on Thursday 19 December 2024: Christmas, Boxing Day and New Year's Day are skipped.
    assert decisions_due(review_date=D(2024, 12, 19), practice=DEFAULTS, calendar=CALENDAR) == D(2024, 12, 30)
    assert record_distributed_due(review_date=D(2024, 12, 19), practice=DEFAULTS, calendar=CALENDAR) == D(2025, 1, 21)
    # Ten working days before Monday 6 January 2025: 3, 2 January; 31, 30, 27, 24, 23, 20, 19, 18 December.
    assert invitations_due(review_date=D(2025, 1, 6), practice=DEFAULTS, calendar=CALENDAR) == D(2024, 12, 18)


def test_dispute_deadlines_follow_the_configured_stages() -> None:
    # Raised Friday 16 May 2025: 5 working days is Friday 23 May; 20 is Monday 16 June (26 May skipped).
    assert dispute_stage_response_due(
        escalated=D(2025, 5, 16), stage_code="STAGE_1", practice=DEFAULTS, calendar=CALENDAR
    ) == D(2025, 5, 23)
    assert dispute_resolution_due(formal_start=D(2025, 5, 16), practice=DEFAULTS, calendar=CALENDAR) == D(2025, 6, 16)
    with pytest.raises(KeyError, match="'STAGE_9' is not a dispute stage"):
        DEFAULTS.dispute_stage("STAGE_9")


def test_the_midway_review_falls_halfway_to_the_next_due_date() -> None:
    # 181 days from 10 January to 10 July 2025; half is 90.5, rounded to 90 days: 10 April.
    assert midway_review_due(previous_review=D(2025, 1, 10), next_review_due=D(2025, 7, 10), practice=DEFAULTS) == D(
        2025, 4, 10
    )


def test_an_authority_changes_its_practice_in_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "practice.toml"
    path.write_text(
        "record_distributed_working_days = 15\ncaseload_band = [55, 65]\n"
        '[[dispute_stages]]\ncode = "INFORMAL"\nname = "Informal"\n'
        'escalated_to = "Practice supervisor"\nresponse_working_days = 3\n',
        encoding="utf-8",
    )
    practice = LocalPractice.from_toml(path)
    assert practice.record_distributed_working_days == 15
    assert practice.caseload_band == (55, 65)
    assert [stage.code for stage in practice.dispute_stages] == ["INFORMAL"]
    assert practice.decisions_working_days == 5


def test_an_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="Unknown practice setting: record_days"):
        LocalPractice.from_mapping({"record_days": 3})


def test_every_setting_is_documented() -> None:
    assert set(_FIELD_DOCS) == set(LocalPractice.__dataclass_fields__)


def test_a_settings_file_with_the_retired_placement_move_setting_is_refused_with_why() -> None:
    with pytest.raises(ValueError, match=r"review_after_placement_move_working_days is no longer a setting: a "):
        LocalPractice.from_mapping({"review_after_placement_move_working_days": 10})


def test_an_authority_sets_its_own_late_reasons_in_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "practice.toml"
    path.write_text(
        '[[late_reasons]]\ncode = "IRO_UNAVAILABLE"\nname = "IRO off sick"\n'
        '[[late_reasons]]\ncode = "COURT"\nname = "Moved for a court hearing"\n',
        encoding="utf-8",
    )
    practice = LocalPractice.from_toml(path)
    assert practice.late_reasons == (
        LateReason("IRO_UNAVAILABLE", "IRO off sick"),
        LateReason("COURT", "Moved for a court hearing"),
    )
