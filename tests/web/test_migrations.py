"""Migrating a database that holds what people recorded keeps every row and every value.

The database is taken back to `0007_provenance`, the last state before the optional review fields
(0008), the pathway plan and establishment tables (0009) and the decisions, letters, permanence and
feedback columns (0010), filled there with rows recorded in the workspace and loaded from a return,
then migrated forward to today's models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from iroscope.web.records.models import DATASET_MODELS

BEFORE_THE_OPTIONAL_FIELDS = [("records", "0007_provenance")]
RECORDED_AT = dt.datetime(2025, 3, 11, 9, 30, tzinfo=dt.UTC)

REVIEW = {
    "child_id": "A",
    "review_date": dt.date(2025, 3, 10),
    "iro_id": "I1",
    "format": "IN_PERSON",
    "series_of_meetings": "N",
    "decisions_date": dt.date(2025, 3, 14),
    "record_distributed_date": dt.date(2025, 4, 2),
    "permanence_plan": "Y",
}
WORKSPACE = {"source": "workspace", "added_by": "iro1", "added_at": RECORDED_AT}
DISPUTE = {
    "dispute_id": "D-1",
    "child_id": "A",
    "iro_id": "I1",
    "raised_date": dt.date(2025, 1, 6),
    "category": "DRIFT_AND_DELAY",
    "outcome": "RESOLVED",
    "resolved_date": dt.date(2025, 2, 3),
}
ALERT = {
    "alert_id": "PA-1",
    "raised_date": dt.date(2025, 1, 20),
    "reasons": ["NO_PLAN"],
    "service": "CHILDREN_IN_CARE",
    "child_id": "A",
    "iro_id": "I1",
}
FEEDBACK = {"feedback_id": "F-1", "feedback_date": dt.date(2025, 3, 12), "respondent": "CHILD", "rating": 4}
LOADED = {"source": "return", "source_file": "2024-25/activity.xlsx", "added_at": RECORDED_AT}


def migrate(alias: str, targets: list[tuple[str, str]]) -> Any:
    """Take the database to `targets` and give back the models as they were there."""
    executor = MigrationExecutor(connections[alias])
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest(alias: str) -> list[tuple[str, str]]:
    leaves: list[tuple[str, str]] = MigrationExecutor(connections[alias]).loader.graph.leaf_nodes()
    return leaves


def without_ids(rows: Any) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key != "id"} for row in rows.values()]


@pytest.mark.parametrize(
    "alias",
    [
        pytest.param("default", marks=pytest.mark.django_db(databases=["default"], transaction=True), id="sqlite"),
        pytest.param(
            "postgres",
            marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["postgres"], transaction=True)],
            id="postgresql",
        ),
    ],
)
def test_migrating_a_filled_database_keeps_every_recorded_row_and_value_and_leaves_new_columns_blank(
    alias: str,
) -> None:
    try:
        then = migrate(alias, BEFORE_THE_OPTIONAL_FIELDS)
        then.get_model("records", "ReviewDetailsRow").objects.using(alias).create(**REVIEW, **WORKSPACE)
        then.get_model("records", "DisputesRow").objects.using(alias).create(**DISPUTE, **WORKSPACE)
        then.get_model("records", "PracticeAlertsRow").objects.using(alias).create(**ALERT, **WORKSPACE)
        then.get_model("records", "FeedbackRow").objects.using(alias).create(**FEEDBACK, **LOADED)
        then.get_model("records", "IroStaffRow").objects.using(alias).create(
            iro_id="I1", name="Iro One", fte=1.0, start_date=dt.date(2020, 1, 6), **WORKSPACE
        )
    finally:
        migrate(alias, latest(alias))

    def stored(table: str) -> list[dict[str, Any]]:
        return without_ids(DATASET_MODELS[table]._default_manager.using(alias).all())

    blank_review_fields = dict.fromkeys(
        [
            "participation",
            "invitations_sent_date",
            "non_attendance_reason",
            "child_chaired",
            "parents_participated",
            "carers_participated",
            "late_reason",
        ]
    )
    assert stored("review_details") == [{**REVIEW, **blank_review_fields, **WORKSPACE, "source_file": None}]
    assert stored("disputes") == [{**DISPUTE, "impact": None, **WORKSPACE, "source_file": None}]
    assert stored("practice_alerts") == [
        {**ALERT, "resolved_date": None, "impact": None, **WORKSPACE, "source_file": None}
    ]
    new_feedback_fields = dict.fromkeys(
        ["iro_id", "listened_to", "understood_decisions", "could_take_part", "comment", "publish_comment", "channel"]
    )
    assert stored("feedback") == [{**FEEDBACK, **new_feedback_fields, **LOADED, "added_by": None}]
    (staff,) = stored("iro_staff")
    assert (staff["iro_id"], staff["name"], staff["agency"], staff["added_by"]) == ("I1", "Iro One", None, "iro1")
    for table in ("review_decisions", "review_letters", "permanence_plans", "pathway_plan_reviews"):
        assert stored(table) == []
    assert timezone.is_aware(staff["added_at"])
