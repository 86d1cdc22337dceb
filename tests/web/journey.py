"""The journey that lost data before (issue 13), shared by the tests of loads, imports and exports:
a three-year synthetic authority as a data folder, and a manager recording in the workspace a review,
a dispute with its escalation, a reallocation, a visit, a midway review, a case-tracking check and a
booking, all after the latest return's 31 March."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.contrib.auth.models import User

from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.web.allocations.services import allocation_change
from iroscope.web.casework.between_reviews import case_tracking_record, iro_contact_record, midway_review_record
from iroscope.web.casework.booking_recording import review_booking_record
from iroscope.web.casework.review_recording import review_record
from iroscope.web.disputes.services import dispute_create, dispute_stage_escalate
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_load_folder

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


def stored_row(table: str, key: dict[str, object]) -> pl.DataFrame:
    frame = dataset_from_database(provenance=True)[table]
    return frame.filter(pl.all_horizontal([pl.col(name) == value for name, value in key.items()]))


def assert_all_still_recorded(recorded: Recorded) -> None:
    for table, key in recorded.rows().items():
        rows = stored_row(table, key)
        assert rows.height == 1, (table, key)
        assert rows[SOURCE_COLUMN].item() == Source.WORKSPACE, (table, key)
        assert rows["_added_by"].item() == "manager", (table, key)


def record_everything(manager: User, stored: Dataset) -> Recorded:
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


def loaded_and_recorded(authority_folder: Path, manager: User) -> Recorded:
    """The three-year authority loaded, and the manager's recordings made after its last 31 March."""
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    return record_everything(manager, dataset_from_database())
