"""Saving a review reads the child and the review no more often than the checks need (GitHub issue 4,
docs/decisions/0006-workspace-caching.md): the page reads the child's facts from the database once and
hands them to the service, which checks the person against them again; the review's rows are read once
for the page, once locked for the stale-edit check and once after the write for the audit trail. Opening
the form reads the facts from what the worker holds, as the child's page does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.casework import recording, review_recording
from iroscope.web.casework.selectors import child_facts
from iroscope.web.records.selectors import dataset_snapshot
from tests.metrics.helpers import D
from tests.web.test_recording import TODAY, audited, edit_post, frozen_today, review_codes, version_in

__all__ = ["frozen_today"]  # the autouse fixture that freezes today at 31 March 2025

pytestmark = pytest.mark.usefixtures("each_database")

REVIEW = "/children/A/reviews/2024-08-15/"


def selects_from(queries: CaptureQueriesContext, table: str) -> int:
    """Reads of the table's rows (not the children an update touches, which the change log reads, nor
    the lock a save takes on the child's row on PostgreSQL, `iroscope.web.saving.children_lock`)."""
    return sum(
        1
        for query in queries.captured_queries
        if re.match(rf'SELECT "{table}"\.', query["sql"])
        and not (table == "dataset_children" and query["sql"].endswith("FOR UPDATE"))
    )


def test_saving_a_review_reads_the_child_once_and_the_review_three_times(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    with CaptureQueriesContext(connection) as opening:
        version = version_in(iro.get(REVIEW).content.decode())
    # The form's version comes from the rows the page read to fill the form, not from a second read; the
    # child's reviews are read once more to say whether this one was held late (decision 0021), until the
    # worker holds the tables whole (the test below).
    assert selects_from(opening, "dataset_reviews") == 2
    assert selects_from(opening, "dataset_review_details") == 1

    with CaptureQueriesContext(connection) as saving:
        response = iro.post(REVIEW, edit_post(version, participation="PN3"))

    assert response.status_code == 302
    for table in ("dataset_children", "dataset_iro_allocations"):
        assert selects_from(saving, table) == 1, table  # was 2: the page and the service each read them
    # The page's facts, and the service working out the review's due date to say whether it was late.
    assert selects_from(saving, "dataset_episodes") == 2
    # The page (no such review: 404), the child's reviews for the due date, the locked read for the
    # stale-edit check, and after the write; was 5 (the page twice more for the form's version, and the
    # upsert looking for the row again).
    assert selects_from(saving, "dataset_reviews") == 4
    # The same three, and the stored late reason, which may be kept though the settings dropped it.
    assert selects_from(saving, "dataset_review_details") == 4
    # Was 38, then 24 before the person was read with their roles in one query, then 22 before the
    # session was read from the cache the workers share.
    # On PostgreSQL two more: the save's lock timeout and its lock on the child's row (`iroscope.web.saving`).
    # 29 since a save also works out whether the review was held late (its due date from the child's
    # episodes and reviews, the stored late reason and the settings' reasons: decision 0021).
    assert len(saving) == 29 + (2 if connection.vendor == "postgresql" else 0)
    assert review_codes("A")[D(2024, 8, 15)] == "PN3"
    _, before, after = audited(action=Action.UPDATE, table="reviews")
    assert before == {
        "reviews": {"child_id": "A", "review_date": "2024-08-15", "participation": "PN1"},
        "review_details": None,
    }
    assert after["reviews"] == {"child_id": "A", "review_date": "2024-08-15", "participation": "PN3"}
    assert after["review_details"]["format"] == "VIRTUAL"
    assert after["review_details"]["permanence_plan"] == "Y"


def test_opening_the_form_reads_the_childs_facts_from_what_the_worker_holds(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    snapshot = dataset_snapshot()
    snapshot.dataset({"children", "episodes", "iro_allocations"})  # as after ten pages
    assert snapshot.whole
    with CaptureQueriesContext(connection) as opening:
        assert signed_in["allocated_iro"].get(REVIEW).status_code == 200
        # Not for someone who may not record for A: the check is the same, on the same facts.
        assert signed_in["colleague_iro"].get(REVIEW).status_code == 403
    for table in ("dataset_children", "dataset_episodes", "dataset_iro_allocations"):
        assert selects_from(opening, table) == 0, table


def test_a_second_save_updates_the_details_the_first_one_created(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    first = version_in(manager.get(REVIEW).content.decode())
    assert manager.post(REVIEW, edit_post(first, participation="PN2")).status_code == 302
    second = version_in(manager.get(REVIEW).content.decode())
    assert second != first
    assert manager.post(REVIEW, edit_post(second, participation="PN4", review_format="IN_PERSON")).status_code == 302

    events = audited_updates()
    assert [event["after"]["review_details"]["format"] for event in events] == ["VIRTUAL", "IN_PERSON"]
    assert events[1]["before"]["review_details"]["format"] == "VIRTUAL"
    assert review_codes("A")[D(2024, 8, 15)] == "PN4"


def audited_updates() -> list[dict[str, Any]]:
    return [
        {"before": event.before, "after": event.after}
        for event in AuditEvent.objects.filter(action=Action.UPDATE, table="reviews").order_by("at", "id")
    ]


def test_facts_handed_to_the_service_are_checked_against_the_person_again(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    colleague = User.objects.get(username="colleague_iro")  # I2: A is allocated to I1
    facts = child_facts(child_id="A", today=TODAY)

    def change(user: User, child_id: str) -> object:
        return review_recording.review_update(
            user=user,
            child_id=child_id,
            facts=facts,
            review_date=D(2024, 8, 15),
            version=review_recording.review_version(child_id="A", review_date=D(2024, 8, 15)),
            participation="PN3",
            review_format=None,
            series_of_meetings=None,
            decisions_date=None,
            record_distributed_date=None,
            permanence_plan=None,
            today=TODAY,
        )

    with pytest.raises(recording.RecordingRefusedError):
        change(colleague, "A")
    with pytest.raises(ValueError, match="another child's, not C's"):
        change(User.objects.get(username="manager"), "C")
    assert review_codes("A")[D(2024, 8, 15)] == "PN1"
