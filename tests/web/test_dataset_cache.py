"""Each worker process keeps what it has read of the stored dataset until the dataset's version
changes, and after a write about some children reads only their rows again; every write must be
recorded. Run on SQLite and on PostgreSQL, and both with pages read from
the whole tables kept in memory and with pages reading only their own children's rows (as the first
few pages after a write do: `WHOLE_AFTER_PAGES`). The hand-made authority of
conftest: I1's children are A, B and C; A was reviewed on 20 May and 15 August 2024, so on 31 March
2025 A's third review, due 15 February 2025 (15 August + 6 months), is 13 + 31 = 44 days overdue."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from iroscope.data.dataset import Dataset
from iroscope.metrics.next_review import next_reviews_at
from iroscope.web.casework import selectors as casework_selectors
from iroscope.web.casework.review_recording import review_record
from iroscope.web.casework.selectors import NextReview, caseload_for_iro, child_facts, child_record
from iroscope.web.records import models as records_models
from iroscope.web.records import selectors as records_selectors
from iroscope.web.records.models import DATASET_MODELS, DatasetChange, DatasetInfo, DatasetQuerySet
from iroscope.web.records.services import dataset_replace
from tests.metrics.helpers import D
from tests.web.conftest import AS_AT, hand_made_authority

REVIEWS = DATASET_MODELS["reviews"]._default_manager
# A's third review held late on 10 March 2025: the fourth is due 6 months later, 10 September 2025,
# which is 30 (April) + 31 + 30 + 31 + 31 (August) + 10 = 163 days after 31 March 2025.
HELD_LATE = D(2025, 3, 10)


@pytest.fixture(params=["whole tables", "own children"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(records_selectors, "WHOLE_AFTER_PAGES", 0 if request.param == "whole tables" else 10**9)
    return str(request.param)


@pytest.fixture
def whole_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_selectors, "WHOLE_AFTER_PAGES", 0)


def next_review_of_a() -> NextReview:
    rows = {row.child_id: row for row in caseload_for_iro(iro_id="I1", today=AS_AT).rows}
    return rows["A"].next_review


def version() -> int:
    return DatasetInfo.objects.get().version


def calls_to(monkeypatch: pytest.MonkeyPatch, name: str, argument: str) -> list[str]:
    """Each call to `casework.selectors.<name>` from now on, by the value of one keyword argument."""
    calls: list[str] = []
    original = getattr(casework_selectors, name)

    def counted(**arguments: Any) -> Any:
        calls.append(arguments[argument])
        return original(**arguments)

    monkeypatch.setattr(casework_selectors, name, counted)
    return calls


@pytest.mark.usefixtures("each_database", "reading")
def test_a_review_recorded_through_the_service_moves_the_next_due_date_on_the_caseload(
    authority: Dataset, people: dict[str, User]
) -> None:
    assert (next_review_of_a().due_date, next_review_of_a().days_to_go) == (D(2025, 2, 15), -44)
    review_record(
        user=people["allocated_iro"],
        child_id="A",
        review_date=HELD_LATE,
        participation="PN1",
        review_format="IN_PERSON",
        series_of_meetings=False,
        permanence_plan=True,
        today=AS_AT,
    )
    assert (next_review_of_a().due_date, next_review_of_a().days_to_go) == (D(2025, 9, 10), 163)
    assert child_record(child_id="A", today=AS_AT).next_review == next_review_of_a()


@pytest.mark.usefixtures("each_database", "reading")
def test_replacing_the_dataset_is_seen_at_once(authority: Dataset) -> None:
    assert [row.child_id for row in caseload_for_iro(iro_id="I1", today=AS_AT, sort="child").rows] == ["A", "C", "B"]
    replacement = hand_made_authority()
    replacement.tables["iro_allocations"] = replacement["iro_allocations"].with_columns(
        iro_id=pl.when(pl.col("child_id") == "C").then(pl.lit("I2")).otherwise(pl.col("iro_id"))
    )
    dataset_replace(dataset=replacement)
    # Overdue first (A and C before), then the rest by child; C has gone to I2.
    assert [row.child_id for row in caseload_for_iro(iro_id="I1", today=AS_AT, sort="child").rows] == ["A", "B"]


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_write_by_another_process_is_seen_once_the_version_it_set_is_read(authority: Dataset) -> None:
    assert next_review_of_a().due_date == D(2025, 2, 15)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dataset_reviews (child_id, review_date, participation) VALUES (%s, %s, %s)",
            ["A", HELD_LATE, "PN1"],
        )
        # Until the version changes this process answers from what it has already read: the proof
        # that pages are served from memory, and the reason every write must change the version.
        assert next_review_of_a().due_date == D(2025, 2, 15)
        cursor.execute("UPDATE dataset_info SET version = %s", [version() + 7])
    assert next_review_of_a().due_date == D(2025, 9, 10)


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_what_was_read_inside_a_rolled_back_write_is_never_served_afterwards(authority: Dataset) -> None:
    assert next_review_of_a().due_date == D(2025, 2, 15)
    with pytest.raises(RuntimeError), transaction.atomic():
        REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
        assert next_review_of_a().due_date == D(2025, 9, 10)
        raise RuntimeError("roll back")
    # Another write after the rollback: a version that counted up would now repeat the rolled-back
    # one, and the caseload would show A's review of 10 March that was never stored.
    REVIEWS.create(child_id="B", review_date=D(2025, 3, 20), participation="PN1")
    assert next_review_of_a().due_date == D(2025, 2, 15)


@pytest.mark.usefixtures("each_database")
def test_pages_show_the_same_whether_read_whole_or_for_their_own_children(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_selectors, "WHOLE_AFTER_PAGES", 10**9)
    own_caseload, own_record = caseload_for_iro(iro_id="I1", today=AS_AT), child_record(child_id="C", today=AS_AT)
    monkeypatch.setattr(records_selectors, "WHOLE_AFTER_PAGES", 0)
    whole_caseload, whole_record = caseload_for_iro(iro_id="I1", today=AS_AT), child_record(child_id="C", today=AS_AT)
    assert whole_caseload.rows == own_caseload.rows
    # The engine numbers periods of care across the children it is given: not shown on the page.
    assert dataclasses.replace(whole_record, reviews=without_period_ids(whole_record.reviews)) == dataclasses.replace(
        own_record, reviews=without_period_ids(own_record.reviews)
    )
    # Overdue first by due date: A (15 February 2025), then C (second review due 3 months after
    # 20 June 2024: 20 September 2024), then B (first review due 20 working days after 10 March 2025).
    assert [row.child_id for row in whole_caseload.rows] == ["C", "A", "B"]
    assert whole_record.next_review is not None and whole_record.next_review.due_date == D(2024, 9, 20)


def test_a_version_is_read_whole_only_after_it_has_served_a_few_pages(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_selectors, "WHOLE_AFTER_PAGES", 2)
    assert [records_selectors.dataset_snapshot().whole for _ in range(4)] == [False, False, True, True]
    # A write about one child keeps the version: only that child's rows are read again.
    REVIEWS.create(child_id="B", review_date=D(2025, 3, 20), participation="PN1")
    assert [records_selectors.dataset_snapshot().whole for _ in range(2)] == [True, True]
    dataset_replace(dataset=hand_made_authority())
    assert [records_selectors.dataset_snapshot().whole for _ in range(3)] == [False, False, True]


def _position(dataset: Dataset) -> tuple[Any, ...]:
    """Everything the caseload and the child records work out, for every child of I1 and I2."""
    caseloads = [caseload_for_iro(iro_id=iro, today=AS_AT, dataset=dataset).rows for iro in ("I1", "I2")]
    records = [child_record(child_id=child, today=AS_AT, dataset=dataset) for child in ("A", "B", "C", "D")]
    return caseloads, [dataclasses.replace(record, reviews=without_period_ids(record.reviews)) for record in records]


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_after_writes_about_several_children_the_spliced_results_equal_working_everything_out_again(
    authority: Dataset,
) -> None:
    """Pages read whole once, then four writes about three children: the worker works out again only
    A's, B's and D's results and splices them in. What it shows must be what a worker that read
    everything afresh shows, and must have moved: A's review held late, B's first review held, D's
    episode gone, C untouched."""
    caseloads = {iro: caseload_for_iro(iro_id=iro, today=AS_AT).rows for iro in ("I1", "I2")}
    before = {child: child_record(child_id=child, today=AS_AT) for child in ("A", "B", "C", "D")}
    kept = list(records_selectors._read.values())
    REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
    REVIEWS.create(child_id="B", review_date=D(2025, 3, 20), participation="PN1")
    DATASET_MODELS["episodes"]._default_manager.filter(child_id="D").delete()
    REVIEWS.filter(child_id="A", review_date=HELD_LATE).update(participation="PN2")
    snapshot = records_selectors.dataset_snapshot()
    spliced_caseloads = [caseload_for_iro(iro_id=iro, today=AS_AT).rows for iro in ("I1", "I2")]
    spliced_records = [child_record(child_id=child, today=AS_AT, snapshot=snapshot) for child in "ABCD"]
    # Brought up to date, not read again from the start.
    assert [entry is kept_entry for entry, kept_entry in zip(records_selectors._read.values(), kept, strict=True)] == [
        True
    ]
    fresh = records_selectors.dataset_from_database()
    assert (
        spliced_caseloads,
        [dataclasses.replace(r, reviews=without_period_ids(r.reviews)) for r in spliced_records],
    ) == (_position(fresh))
    a = spliced_records[0].next_review
    assert a is not None and (a.due_date, a.days_to_go) == (D(2025, 9, 10), 163)
    assert spliced_records[0].reviews[-1]["participation"] == "PN2"
    b = spliced_records[1].next_review
    # B came into care on 10 March 2025, first review on 20 March: the second is due 3 months later.
    assert b is not None and b.due_date == D(2025, 6, 20)
    assert spliced_records[3].next_review is None and before["D"].placements != []
    assert spliced_records[3].placements == []
    assert spliced_records[2] == before["C"]
    assert caseloads["I1"] != spliced_caseloads[0]


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_what_one_worker_works_out_again_for_a_changed_child_the_others_read(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers have worked out I1's caseload; a review is recorded for A. The first to show the
    caseload again works out A's next review (A's rows alone); the second reads what it kept."""
    first: dict[str, Any] = {}
    second: dict[str, Any] = {}
    for worker in (first, second):
        monkeypatch.setattr(records_selectors, "_read", worker)
        caseload_for_iro(iro_id="I1", today=AS_AT)
    REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
    children_worked_out: list[list[str]] = []

    def counted(*, dataset: Dataset, as_at: Any) -> pl.DataFrame:
        children_worked_out.append(sorted(set(dataset["episodes"]["child_id"])))
        return next_reviews_at(dataset=dataset, as_at=as_at)

    monkeypatch.setattr(casework_selectors, "next_reviews_at", counted)
    monkeypatch.setattr(records_selectors, "_read", first)
    by_first = next_review_of_a()
    assert children_worked_out == [["A"]]
    monkeypatch.setattr(records_selectors, "_read", second)
    by_second = next_review_of_a()
    assert children_worked_out == [["A"]]  # not worked out again
    assert by_second == by_first and (by_second.due_date, by_second.days_to_go) == (D(2025, 9, 10), 163)


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_caseload_is_kept_until_one_of_its_children_or_an_allocation_changes(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """I1's caseload (A, B, C) is worked out once and served as it was until a write touches one of
    those children or any allocation; a review recorded for I2's child D leaves it alone."""
    worked_out = calls_to(monkeypatch, "_caseload", "iro_id")
    first = caseload_for_iro(iro_id="I1", today=AS_AT)
    assert caseload_for_iro(iro_id="I1", today=AS_AT) is first and worked_out == ["I1"]
    REVIEWS.create(child_id="D", review_date=D(2025, 3, 1), participation="PN1")
    assert caseload_for_iro(iro_id="I1", today=AS_AT) is first and worked_out == ["I1"]
    REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
    assert next_review_of_a().due_date == D(2025, 9, 10) and worked_out == ["I1", "I1"]
    DATASET_MODELS["iro_allocations"]._default_manager.filter(child_id="D").update(iro_id="I1")
    moved = caseload_for_iro(iro_id="I1", today=AS_AT)
    assert [row.child_id for row in sorted(moved.rows, key=lambda row: row.child_id)] == ["A", "B", "C", "D"]
    assert worked_out == ["I1", "I1", "I1"]


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_child_s_facts_come_from_their_record_while_the_worker_holds_it(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's page works out the record; the booking panel and the page's permissions then take
    the facts from it. After a write about A the record is no longer held, and the facts are worked
    out on their own (a recording form needs no more)."""
    worked_out = calls_to(monkeypatch, "_child_facts", "child_id")
    record = child_record(child_id="A", today=AS_AT)
    facts = child_facts(child_id="A", today=AS_AT, snapshot=records_selectors.dataset_snapshot())
    assert worked_out == [] and facts == record.facts and facts.allocated_iro_id == "I1"
    REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
    again = child_facts(child_id="A", today=AS_AT, snapshot=records_selectors.dataset_snapshot())
    assert worked_out == ["A"] and again == facts


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_result_kept_by_child_and_shared_is_worked_out_whole_by_one_worker_for_all(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of two workers asks for the reviews held by child: the first works them out over every
    child's rows, the second reads what it kept. A has two reviews, C and D one each."""
    worked_out: list[list[str]] = []

    def reviews_by_child(dataset: Dataset) -> pl.DataFrame:
        worked_out.append(sorted(set(dataset["reviews"]["child_id"])))
        return dataset["reviews"].group_by("child_id").agg(reviews=pl.len()).sort("child_id")

    results = []
    workers: list[dict[str, Any]] = [{}, {}]
    for worker in workers:
        monkeypatch.setattr(records_selectors, "_read", worker)
        snapshot = records_selectors.dataset_snapshot()
        results.append(snapshot.by_child("reviews held", tables={"reviews"}, compute=reviews_by_child, shared=True))
    assert worked_out == [["A", "C", "D"]]
    assert [frame.rows() for frame in results] == [[("A", 2), ("C", 1), ("D", 1)]] * 2


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_changed_child_s_record_is_worked_out_again_by_one_worker_for_all(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    first: dict[str, Any] = {}
    second: dict[str, Any] = {}
    for worker in (first, second):
        monkeypatch.setattr(records_selectors, "_read", worker)
        child_record(child_id="A", today=AS_AT)
    REVIEWS.filter(child_id="A", review_date=D(2024, 8, 15)).update(participation="PN5")
    worked_out = calls_to(monkeypatch, "_child_record", "child_id")
    records = []
    for worker in (first, second):
        monkeypatch.setattr(records_selectors, "_read", worker)
        records.append(child_record(child_id="A", today=AS_AT))
    assert worked_out == ["A"]
    assert records[0] == records[1] and records[1].reviews[-1]["participation"] == "PN5"


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_worker_behind_the_changes_kept_reads_everything_again(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_models, "CHANGES_KEPT", 2)
    monkeypatch.setattr(records_models, "_PRUNE_EVERY", 1)
    assert next_review_of_a().due_date == D(2025, 2, 15)
    kept = list(records_selectors._read.values())
    REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
    REVIEWS.create(child_id="B", review_date=D(2025, 3, 20), participation="PN1")
    REVIEWS.create(child_id="C", review_date=D(2025, 3, 21), participation="PN1")
    # Only the latest two changes are kept: the change this worker last read has gone.
    assert [children for _, children in changes_recorded()] == [["B"], ["C"]]
    assert next_review_of_a().due_date == D(2025, 9, 10)
    assert [entry is kept_entry for entry, kept_entry in zip(records_selectors._read.values(), kept, strict=True)] == [
        False
    ]


def without_period_ids(reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in review.items() if key != "period_id"} for review in reviews]


def _save(row: Any) -> None:
    row.participation = "PN2"
    row.save()


def _bulk_update(row: Any) -> None:
    row.participation = "PN2"
    DATASET_MODELS["reviews"]._default_manager.bulk_update([row], ["participation"])


WRITES: dict[str, Callable[[Any], object]] = {
    "create": lambda row: REVIEWS.create(child_id="B", review_date=D(2025, 3, 20), participation="PN1"),
    "bulk_create": lambda row: REVIEWS.bulk_create(
        [DATASET_MODELS["reviews"](child_id="B", review_date=D(2025, 3, 20), participation="PN1")]
    ),
    "save": _save,
    "update_or_create": lambda row: REVIEWS.update_or_create(
        child_id="A", review_date=D(2024, 8, 15), defaults={"participation": "PN3"}
    ),
    "queryset update": lambda row: REVIEWS.filter(child_id="A").update(participation="PN4"),
    "bulk_update": _bulk_update,
    "delete": lambda row: row.delete(),
    "queryset delete": lambda row: REVIEWS.filter(child_id="A").delete(),
}


def changes_recorded() -> list[tuple[str, list[str]]]:
    return list(DatasetChange.objects.exclude(table="").order_by("id").values_list("table", "child_ids"))


# The children each write touches: row is A's review of 15 August 2024.
WRITTEN_CHILDREN = {
    "create": ["B"],
    "bulk_create": ["B"],
    "save": ["A"],
    "update_or_create": ["A"],
    "queryset update": ["A"],
    "bulk_update": ["A"],
    "delete": ["A"],
    "queryset delete": ["A"],
}


@pytest.mark.usefixtures("each_database")
@pytest.mark.parametrize("write", WRITES.keys())
def test_every_kind_of_write_records_the_children_it_changed(authority: Dataset, write: str) -> None:
    row = REVIEWS.get(child_id="A", review_date=D(2024, 8, 15))
    before, change = version(), DatasetInfo.objects.get().change
    WRITES[write](row)
    assert changes_recorded() == [("reviews", WRITTEN_CHILDREN[write])]
    assert (version(), DatasetInfo.objects.get().change != change) == (before, True)


# The columns each write changed, when it changed rows already stored and said which.
WRITTEN_COLUMNS = {
    "create": None,
    "bulk_create": None,
    "save": None,  # a row saved whole writes every column, child_id among them
    # Django also writes every date column again (date fields may set themselves as they are saved).
    "update_or_create": ["participation", "review_date"],
    "queryset update": ["participation"],
    "bulk_update": ["participation"],
    "delete": None,
    "queryset delete": None,
}


@pytest.mark.usefixtures("each_database")
@pytest.mark.parametrize("write", WRITES.keys())
def test_every_kind_of_write_records_the_columns_it_changed(authority: Dataset, write: str) -> None:
    WRITES[write](REVIEWS.get(child_id="A", review_date=D(2024, 8, 15)))
    assert list(DatasetChange.objects.exclude(table="").values_list("columns", flat=True)) == [WRITTEN_COLUMNS[write]]


@pytest.mark.usefixtures("each_database")
def test_moving_a_row_to_another_child_records_both_children(authority: Dataset) -> None:
    REVIEWS.filter(child_id="A", review_date=D(2024, 8, 15)).update(child_id="C")
    assert changes_recorded() == [("reviews", ["A", "C"])]
    assert list(DatasetChange.objects.exclude(table="").values_list("columns", flat=True)) == [
        None
    ]  # rows moved: changed whole


@pytest.mark.usefixtures("each_database", "whole_tables")
def test_a_change_to_a_review_s_participation_keeps_the_next_review_worked_out(
    authority: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schedule reads only the reviews' dates: a participation code recorded leaves A's next review
    as it was worked out, while A's record shows the new code; a review held changes it."""
    children_worked_out: list[list[str]] = []

    def counted(*, dataset: Dataset, as_at: Any) -> pl.DataFrame:
        children_worked_out.append(sorted(set(dataset["episodes"]["child_id"])))
        return next_reviews_at(dataset=dataset, as_at=as_at)

    assert next_review_of_a().due_date == D(2025, 2, 15)
    monkeypatch.setattr(casework_selectors, "next_reviews_at", counted)
    REVIEWS.filter(child_id="A", review_date=D(2024, 8, 15)).update(participation="PN5")
    assert (next_review_of_a().due_date, children_worked_out) == (D(2025, 2, 15), [])
    assert child_record(child_id="A", today=AS_AT).reviews[-1]["participation"] == "PN5"
    REVIEWS.create(child_id="A", review_date=HELD_LATE, participation="PN1")
    assert (next_review_of_a().due_date, children_worked_out) == (D(2025, 9, 10), [["A"]])


@pytest.mark.usefixtures("each_database")
def test_a_write_to_a_table_without_children_changes_the_version(authority: Dataset) -> None:
    before = version()
    DATASET_MODELS["iro_staff"]._default_manager.filter(iro_id="I1").update(name="Ann Other")
    assert version() != before and changes_recorded() == []


def test_every_dataset_table_writes_through_the_manager_that_changes_the_version() -> None:
    for name, model in DATASET_MODELS.items():
        for manager in (model._default_manager, model._base_manager):
            assert isinstance(manager.all(), DatasetQuerySet), f"{name} writes through {type(manager).__name__}"


@pytest.mark.usefixtures("each_database")
def test_each_new_dataset_gets_a_new_version(authority: Dataset) -> None:
    first = version()
    dataset_replace(dataset=hand_made_authority())
    assert version() != first
