"""The workspace is the system of record: what people record in it survives every import and load.

The journey that lost data before (issue 13): a three-year authority is loaded; a manager records a
review, a dispute with its escalation, a reallocation, a visit, a midway review, a case-tracking
check and a booking; then the activity workbook is imported again, a one-year folder is loaded, and
the next year's in-year extract arrives. Every recorded item is still there afterwards.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.data.writers import write_data_folder, write_ssda903_year
from iroscope.synth.generator import SynthConfig, generate
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create
from iroscope.web.allocations.services import allocation_change
from iroscope.web.casework.services import (
    case_tracking_record,
    iro_contact_record,
    midway_review_record,
    review_booking_record,
    review_record,
)
from iroscope.web.disputes.services import dispute_create, dispute_stage_escalate
from iroscope.web.imports.models import ImportKind, Outcome
from iroscope.web.imports.services import ConfirmRefusedError, UploadedFile, import_check, import_confirm
from iroscope.web.records.models import recording_person
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_load_folder
from tests.web.conftest import PASSWORD

MADE_ON = dt.date(2026, 5, 1)  # the synthetic returns run 2023-24 to 2025-26
TODAY = dt.date(2026, 6, 15)  # well after the latest return's 31 March
REVIEW_DAY = dt.date(2026, 6, 1)


@dataclass(frozen=True)
class Recorded:
    """What the manager recorded, each as (table, key)."""

    child_id: str
    new_iro: str
    dispute_id: str

    def rows(self) -> dict[str, dict[str, object]]:
        return {
            "reviews": {"child_id": self.child_id, "review_date": REVIEW_DAY},
            "review_details": {"child_id": self.child_id, "review_date": REVIEW_DAY},
            "disputes": {"dispute_id": self.dispute_id},
            "dispute_stages": {"dispute_id": self.dispute_id, "stage": "STAGE_1"},
            "iro_allocations": {"child_id": self.child_id, "start_date": dt.date(2026, 6, 2)},
            "iro_contacts": {"child_id": self.child_id, "contact_date": dt.date(2026, 6, 3), "kind": "VISIT"},
            "midway_reviews": {"child_id": self.child_id, "midway_date": dt.date(2026, 6, 4)},
            "case_tracking": {"child_id": self.child_id, "check_date": dt.date(2026, 6, 5)},
            "scheduled_reviews": {"child_id": self.child_id, "scheduled_date": dt.date(2026, 11, 20)},
        }


def _stored(table: str, key: dict[str, object]) -> pl.DataFrame:
    frame = dataset_from_database(provenance=True)[table]
    return frame.filter(pl.all_horizontal([pl.col(name) == value for name, value in key.items()]))


def assert_all_still_recorded(recorded: Recorded) -> None:
    for table, key in recorded.rows().items():
        rows = _stored(table, key)
        assert rows.height == 1, (table, key)
        assert rows[SOURCE_COLUMN].item() == Source.WORKSPACE, (table, key)
        assert rows["_added_by"].item() == "manager", (table, key)


@pytest.fixture
def authority_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "authority"
    write_data_folder(generate(SynthConfig(children=60, years=3, seed=1), today=MADE_ON), folder)
    return folder


@pytest.fixture
def manager(db: None) -> User:
    return user_create(username="manager", password=PASSWORD, roles=frozenset({Role.MANAGER}), iro_id=None)


@pytest.fixture
def as_manager(manager: User) -> Iterator[User]:
    """Writes made by the manager, as the workspace's middleware names them for each request."""
    token = recording_person.set(lambda: manager.get_username())
    yield manager
    recording_person.reset(token)


def _record_everything(manager: User, stored: Dataset) -> Recorded:
    episodes = stored["episodes"]
    open_children = episodes.filter(pl.col("end_date").is_null())["child_id"].unique().sort()
    allocations = stored["iro_allocations"].filter(pl.col("end_date").is_null())
    child_id, old_iro = (
        allocations.filter(pl.col("child_id").is_in(open_children.implode())).sort("child_id").row(0)[:2]
    )
    staff = stored["iro_staff"].filter(pl.col("end_date").is_null())
    new_iro = staff.filter(pl.col("iro_id") != old_iro)["iro_id"].sort()[0]
    review_record(user=manager, child_id=child_id, review_date=REVIEW_DAY, participation="PN1", today=TODAY)
    practice = stored.practice
    dispute_id = dispute_create(
        user=manager,
        child_id=child_id,
        iro_id=old_iro,
        category="DRIFT_AND_DELAY",
        formal=False,
        on=REVIEW_DAY,
        practice=practice,
    )
    dispute_stage_escalate(user=manager, dispute_id=dispute_id, stage_code="STAGE_1", on=REVIEW_DAY, practice=practice)
    allocation_change(user=manager, child_id=child_id, iro_id=new_iro, on=dt.date(2026, 6, 2), reason="Test")
    iro_contact_record(
        user=manager,
        child_id=child_id,
        contact_date=dt.date(2026, 6, 3),
        kind="VISIT",
        method="IN_PERSON",
        outcome="COMPLETED",
        today=TODAY,
    )
    midway_review_record(
        user=manager, child_id=child_id, midway_date=dt.date(2026, 6, 4), concerns_identified=False, today=TODAY
    )
    case_tracking_record(
        user=manager, child_id=child_id, check_date=dt.date(2026, 6, 5), rag_level="GREEN", today=TODAY
    )
    review_booking_record(
        user=manager,
        child_id=child_id,
        scheduled_date=dt.date(2026, 11, 20),
        review_format=None,
        invitations_sent_date=None,
        today=TODAY,
    )
    return Recorded(child_id=child_id, new_iro=new_iro, dispute_id=dispute_id)


@pytest.mark.django_db
def test_nothing_recorded_in_the_workspace_is_lost_by_an_activity_import_or_a_903_load(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    first = dataset_load_folder(folder=authority_folder, today=MADE_ON)
    assert first.stored is not None
    recorded = _record_everything(as_manager, dataset_from_database())
    assert_all_still_recorded(recorded)
    stored_before = dataset_from_database()

    # The activity workbook imported again, as it was before anything was recorded.
    workbook = (authority_folder / "activity.xlsx").read_bytes()
    checked = import_check(
        user=as_manager,
        kind=ImportKind.ACTIVITY,
        year=None,
        files=[UploadedFile("activity.xlsx", workbook)],
        today=TODAY,
    )
    assert checked.outcome == Outcome.CHECKED, checked.reason
    # The reallocation closed the imported allocation: the workbook's open row differs from the workspace's.
    assert [conflict["table"] for conflict in checked.conflicts] == [TABLES_BY_NAME["iro_allocations"].title]
    assert checked.changes["iro_allocations"]["kept_recorded"] == 2
    import_confirm(user=as_manager, data_import=checked, today=TODAY)
    assert_all_still_recorded(recorded)

    # A folder of one year's return loaded over the three: the other years and everything else stay.
    one_year = tmp_path / "one-year"
    shutil.copytree(authority_folder / "ssda903" / "2025-26", one_year / "ssda903" / "2025-26")
    loaded = CliRunner().invoke(app, ["load", str(one_year), "--today", TODAY.isoformat()])
    assert loaded.exit_code == 0, loaded.output
    assert "0 removed" in loaded.output
    assert_all_still_recorded(recorded)
    after = dataset_from_database()
    assert after.years == (2023, 2024, 2025)
    for table in ("children", "episodes", "iro_contacts", "disputes", "review_details", "iro_allocations"):
        assert after[table].height == stored_before[table].height, table


def _extract_with_review(tmp_path: Path, recorded: Recorded, *, participation: str) -> Path:
    """The 2026-27 extract taken on 10 June 2026: the stored children still in care, and the review
    the workspace recorded, with the participation code given."""
    stored = dataset_from_database(provenance=True)
    extract = tmp_path / "extract"
    year_folder = extract / "ssda903" / "2026-27"
    write_ssda903_year(stored, 2026, year_folder)
    (year_folder / "return.toml").write_text("extract_date = 2026-06-10\n", encoding="utf-8")
    born = stored["children"].filter(pl.col("child_id") == recorded.child_id)["date_of_birth"].item()
    with (year_folder / "reviews.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{recorded.child_id},{born:%d/%m/%Y},{REVIEW_DAY:%d/%m/%Y},{participation}\n")
    return extract


@pytest.mark.django_db
def test_the_next_in_year_extract_keeps_a_review_recorded_in_the_workspace_over_a_different_one(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    recorded = _record_everything(as_manager, dataset_from_database())
    # The case-management system's extract of 2026-27, taken on 10 June 2026, holds the same review
    # with another participation code than the one the IRO recorded.
    extract = _extract_with_review(tmp_path, recorded, participation="PN3")

    loaded = dataset_load_folder(folder=extract, today=TODAY, added_by="analyst")
    assert not loaded.result.problems.has_errors, loaded.result.problems.frame
    assert loaded.merge is not None and loaded.stored is not None
    (conflict,) = loaded.merge.conflicts
    assert (conflict.table, conflict.differing) == ("reviews", ["participation"])
    assert (conflict.kept["participation"], conflict.incoming["participation"]) == ("PN1", "PN3")
    assert_all_still_recorded(recorded)
    after = dataset_from_database()
    assert after.years == (2023, 2024, 2025, 2026)
    assert after.data_end == dt.date(2026, 6, 10)
    assert _stored("reviews", recorded.rows()["reviews"])["participation"].item() == "PN1"


@pytest.mark.django_db
def test_a_choice_that_would_leave_two_iros_allocated_at_once_is_refused_and_nothing_is_stored(
    authority_folder: Path, as_manager: User
) -> None:
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    recorded = _record_everything(as_manager, dataset_from_database())
    workbook = (authority_folder / "activity.xlsx").read_bytes()
    checked = import_check(
        user=as_manager,
        kind=ImportKind.ACTIVITY,
        year=None,
        files=[UploadedFile("activity.xlsx", workbook)],
        today=TODAY,
    )
    (conflict,) = checked.conflicts
    # The workbook's allocation, still open, would overlap the one the reallocation started.
    with pytest.raises(ConfirmRefusedError, match="recorded in the workspace: The child already has an IRO allocated"):
        import_confirm(user=as_manager, data_import=checked, today=TODAY, take_incoming={conflict["id"]})
    assert_all_still_recorded(recorded)


@pytest.mark.django_db
def test_choosing_the_extracts_review_replaces_the_one_recorded_in_the_workspace(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    recorded = _record_everything(as_manager, dataset_from_database())
    extract = _extract_with_review(tmp_path, recorded, participation="PN3")
    planned = dataset_load_folder(folder=extract, today=TODAY, replace_stored=False, take_incoming=())
    assert planned.merge is not None
    (conflict,) = planned.merge.conflicts
    dataset_load_folder(folder=extract, today=TODAY, take_incoming={conflict.id}, added_by="analyst")
    review = _stored("reviews", recorded.rows()["reviews"])
    assert review.select("participation", SOURCE_COLUMN, "_added_by").row(0) == ("PN3", Source.SSDA903, "analyst")
