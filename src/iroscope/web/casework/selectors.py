"""What the casework pages show, computed by the statutory engine over the stored dataset. Nothing
here works out a due date: a child's next review, the midway review before it and the IRO allocated
to them come from `iroscope.metrics.next_review`, as for the operational lists, so a child's page, the
caseload and a list cannot disagree; the review schedule comes from `MetricContext`, as for the report.
Everything is worked out as at the day given (the workspace's today, `web.clock`), never capped at the
end of the data: a child in care at the extract date stays in care and their schedule rolls forward.

Reading the stored dataset, the results for the whole authority are kept per version (`dataset_snapshot`)
and, after a write about some children, worked out again for those children only: each child's next
review, midway review, allocation and schedule depend only on that child's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

import polars as pl

from iroscope.data.dataset import PROVENANCE_COLUMNS, Dataset
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.next_review import (
    allocated_iro_on,
    current_allocations,
    current_allocations_at,
    midway_reviews_at,
    next_reviews_at,
    reviews_booked,
)
from iroscope.rules.codes import ATTENDED
from iroscope.rules.periods import periods_of_care
from iroscope.web.records.selectors import (
    DatasetSnapshot,
    Reads,
    dataset_children_of_iro,
    dataset_from_database,
    dataset_snapshot,
)

CASELOAD_TABLES = frozenset(
    {
        "children",
        "episodes",
        "reviews",
        "iro_allocations",
        "midway_reviews",
        "iro_contacts",
        "case_tracking",
        "disputes",
        "scheduled_reviews",
        "review_details",
    }
)
CHILD_TABLES = frozenset({"children", "episodes", "reviews", "iro_allocations", "iro_staff"})
NEXT_REVIEW_TABLES = frozenset({"episodes", "reviews"})  # all the engine reads for the review schedule
# Of the reviews held, the schedule, the caseload and the bookings read only which child and which day:
# recording a review's participation, format or record distribution leaves them as they were
# (tests/web/test_reads.py changes every other column to check).
REVIEW_DAYS: Reads = {
    "reviews": frozenset({"child_id", "review_date"}),
    "review_details": frozenset({"child_id", "review_date"}),
}
ALLOCATION_TABLES = frozenset({"iro_allocations"})


class ReviewState(StrEnum):
    """The words of `iroscope.metrics.next_review`'s status, and one for a child not looked after."""

    OVERDUE = "overdue"
    DUE = "due"
    UNKNOWN = "due date unknown"
    OVERDUE_UNKNOWN = "overdue, due date unknown"
    NONE = "no review due"  # not looked after now


@dataclass(frozen=True)
class NextReview:
    child_id: str
    due_date: dt.date | None
    state: ReviewState
    days_to_go: int | None  # negative when overdue; 0 when due today, which is not yet overdue
    sequence: int | None
    previous_review: dt.date | None = None

    @property
    def days_overdue(self) -> int | None:
        return -self.days_to_go if self.days_to_go is not None and self.days_to_go < 0 else None


def _next_review_by_child(next_reviews: pl.DataFrame) -> dict[str, NextReview]:
    """Each child's next review from `next_reviews_at`: the earliest due if the data holds two periods."""
    result: dict[str, NextReview] = {}
    for row in next_reviews.sort("due_date", "child_id", nulls_last=True).iter_rows(named=True):
        child_id = row["child_id"]
        if child_id not in result:
            result[child_id] = NextReview(
                child_id,
                row["due_date"],
                ReviewState(row["status"]),
                row["days_to_go"],
                row["review_sequence"],
                row["previous_review_date"],
            )
    return result


def _next_reviews_stored(*, snapshot: DatasetSnapshot, as_at: dt.date, child_ids: Collection[str]) -> pl.DataFrame:
    """`next_reviews_at` for the whole stored dataset, up to date for `child_ids` (read no others)."""
    return snapshot.by_child(
        ("next reviews", as_at),
        tables=NEXT_REVIEW_TABLES,
        compute=lambda dataset: next_reviews_at(dataset=dataset, as_at=as_at),
        child_ids=child_ids,
        reads=REVIEW_DAYS,
    )


def _current_allocations_stored(
    *, snapshot: DatasetSnapshot, as_at: dt.date, child_ids: Collection[str] | None = None
) -> pl.DataFrame:
    """`current_allocations_at` for the whole stored dataset (up to date for `child_ids`, if given)."""
    return snapshot.by_child(
        ("allocations", as_at),
        tables=ALLOCATION_TABLES,
        compute=lambda dataset: current_allocations_at(dataset=dataset, as_at=as_at),
        child_ids=child_ids,
    )


@dataclass(frozen=True)
class Midway:
    due: dt.date
    completed: dt.date | None


@dataclass(frozen=True)
class CaseloadRow:
    child_id: str
    date_of_birth: dt.date | None
    allocated_from: dt.date
    next_review: NextReview
    midway: Midway | None = None  # only between reviews on the 6-month cycle
    last_visit: dt.date | None = None
    rag_level: str | None = None
    open_disputes: int = 0
    booked_for: dt.date | None = None  # the review booked and not yet held


def _caseload_facts(*, dataset: Dataset, as_at: dt.date, next_reviews: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """What a caseload row shows about each child of `dataset`, apart from the allocation: their date of
    birth, next review, the midway review due since their last review (with the day it was done),
    their last completed IRO visit, current case-tracking level and open disputes, on `as_at`.
    `next_reviews` is `next_reviews_at` for at least the dataset's children."""
    facts: dict[str, dict[str, Any]] = {}
    for child_id, date_of_birth in dataset["children"].select("child_id", "date_of_birth").iter_rows():
        facts[child_id] = {"date_of_birth": date_of_birth}
    own = next_reviews.join(dataset["episodes"].select("child_id").unique(), on="child_id", how="semi")
    for child_id, review in _next_review_by_child(own).items():
        facts.setdefault(child_id, {})["next_review"] = review
    midways = midway_reviews_at(dataset=dataset, as_at=as_at, next_reviews=own)
    for child_id, due, completed in midways.select("child_id", "midway_due_date", "midway_completed_date").iter_rows():
        facts.setdefault(child_id, {}).setdefault("midway", Midway(due, completed))
    visits = dataset["iro_contacts"].filter(
        (pl.col("kind") == "VISIT") & (pl.col("outcome") == "COMPLETED") & (pl.col("contact_date") <= as_at)
    )
    for child_id, last in visits.group_by("child_id").agg(pl.col("contact_date").max()).iter_rows():
        facts.setdefault(child_id, {})["last_visit"] = last
    checks = dataset["case_tracking"].filter(pl.col("check_date") <= as_at).sort("check_date")
    for child_id, level in checks.group_by("child_id").agg(pl.col("rag_level").last()).iter_rows():
        facts.setdefault(child_id, {})["rag_level"] = level
    open_disputes = dataset["disputes"].filter(
        (pl.col("raised_date") <= as_at) & (pl.col("resolved_date").is_null() | (pl.col("resolved_date") > as_at))
    )
    for child_id, count in open_disputes.group_by("child_id").len().iter_rows():
        facts.setdefault(child_id, {})["open_disputes"] = count
    for child_id, booked_for in reviews_booked(dataset).select("child_id", "scheduled_date").iter_rows():
        facts.setdefault(child_id, {})["booked_for"] = booked_for
    return facts


@dataclass(frozen=True)
class Caseload:
    iro_id: str
    as_at: dt.date
    rows: list[CaseloadRow]
    sort: str = "due"
    version: int | None = None  # of the stored dataset the rows come from; None for a dataset given

    @property
    def rows_cache_seconds(self) -> int:
        """How long this process may reuse the rows as rendered: they are kept under what they show
        (`rows_fingerprint`), so they are never out of date (0 for a dataset given)."""
        return 0 if self.version is None else 24 * 60 * 60

    @cached_property
    def rows_fingerprint(self) -> str:
        """A digest of everything the rows show: a write about another IRO's child leaves it alone."""
        return hashlib.blake2b(repr(self.rows).encode(), digest_size=16).hexdigest()

    @cached_property
    def overdue_count(self) -> int:
        return sum(row.next_review.state in {ReviewState.OVERDUE, ReviewState.OVERDUE_UNKNOWN} for row in self.rows)


CASELOAD_SORTS = ("due", "child")


def _sort_key(row: CaseloadRow, sort: str) -> tuple[Any, ...]:
    review = row.next_review
    overdue_first = 0 if review.state in {ReviewState.OVERDUE, ReviewState.OVERDUE_UNKNOWN} else 1
    if sort == "child":
        return (overdue_first, row.child_id)
    return (overdue_first, review.due_date is None, review.due_date or dt.date.max, row.child_id)


def caseload_for_iro(
    *,
    iro_id: str,
    today: dt.date,
    sort: str = "due",
    dataset: Dataset | None = None,
    snapshot: DatasetSnapshot | None = None,
) -> Caseload:
    """An IRO's allocated children on `today` with their next review, overdue first: as at today
    whatever day the data was extracted, so that work recorded since counts. Reads the stored dataset
    (by the snapshot given, or a new one) unless a dataset is given: once a version of it is read
    whole, the whole authority's rows are worked out once for that version (and again for the
    children changed since); until then, only this IRO's children's."""
    sort = sort if sort in CASELOAD_SORTS else "due"
    if dataset is not None:
        snapshot = None
    elif snapshot is None:
        snapshot = dataset_snapshot()
    if snapshot is not None and snapshot.whole:
        whole = snapshot
        as_at = today

        def allocated() -> pl.DataFrame:
            allocations = _current_allocations_stored(snapshot=whole, as_at=as_at)
            return allocations.filter(pl.col("iro_id") == iro_id)

        own = snapshot.result_at(
            ("allocated", iro_id, as_at), state=snapshot.state_of(ALLOCATION_TABLES), compute=allocated
        )
        # After a write about another IRO's child, nothing of it is worked out again here.
        mine = own["child_id"].to_list()

        def worked_out() -> Caseload:
            next_reviews = _next_reviews_stored(snapshot=whole, as_at=as_at, child_ids=mine)
            facts = whole.by_child(
                ("caseload", as_at),
                tables=CASELOAD_TABLES,
                compute=lambda data: _caseload_facts(dataset=data, as_at=as_at, next_reviews=next_reviews),
                child_ids=mine,
                reads=REVIEW_DAYS,
            )
            return _caseload(iro_id=iro_id, as_at=as_at, own=own, facts=facts, sort=sort, version=whole.version)

        # Kept until one of these children's rows changes: until then the page is served as it was.
        state = (snapshot.state_of(ALLOCATION_TABLES), snapshot.state_of(CASELOAD_TABLES, child_ids=mine))
        return snapshot.result_at(("caseload", iro_id, as_at, sort), state=state, compute=worked_out)
    else:
        if snapshot is not None:
            dataset = snapshot.children(CASELOAD_TABLES, child_ids=dataset_children_of_iro(iro_id=iro_id))
        assert dataset is not None  # given, or read just above
        as_at = today
        next_reviews = next_reviews_at(dataset=dataset, as_at=as_at)
        facts = _caseload_facts(dataset=dataset, as_at=as_at, next_reviews=next_reviews)
        own = current_allocations_at(dataset=dataset, as_at=as_at).filter(pl.col("iro_id") == iro_id)
    version = None if snapshot is None else snapshot.version
    return _caseload(iro_id=iro_id, as_at=as_at, own=own, facts=facts, sort=sort, version=version)


def _caseload(
    *, iro_id: str, as_at: dt.date, own: pl.DataFrame, facts: dict[str, dict[str, Any]], sort: str, version: int | None
) -> Caseload:
    """The caseload's rows: each allocated child (`own`) with what is known of them (`facts`)."""
    rows = []
    for child_id, start in own.select("child_id", "allocated_from").iter_rows():
        shown = facts.get(child_id, {})
        rows.append(
            CaseloadRow(
                child_id=child_id,
                date_of_birth=shown.get("date_of_birth"),
                allocated_from=start,
                next_review=shown.get("next_review") or NextReview(child_id, None, ReviewState.NONE, None, None),
                midway=shown.get("midway"),
                last_visit=shown.get("last_visit"),
                rag_level=shown.get("rag_level"),
                open_disputes=shown.get("open_disputes", 0),
                booked_for=shown.get("booked_for"),
            )
        )
    rows.sort(key=lambda row: _sort_key(row, sort))
    return Caseload(iro_id=iro_id, as_at=as_at, rows=rows, sort=sort, version=version)


@dataclass(frozen=True)
class ChildRecord:
    child_id: str
    as_at: dt.date
    child: dict[str, Any]
    periods: list[dict[str, Any]] = field(default_factory=list)
    placements: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    next_review: NextReview | None = None
    allocations: list[dict[str, Any]] = field(default_factory=list)
    allocated_iro_id: str | None = None

    @property
    def facts(self) -> ChildFacts:
        """What recording needs to know about the child, as `child_facts` works it out."""
        return ChildFacts(
            child_id=self.child_id,
            date_of_birth=self.child["date_of_birth"],
            periods=[(period["period_start"], period["period_end"], period["short_break"]) for period in self.periods],
            allocated_iro_id=self.allocated_iro_id,
        )


class ChildNotFoundError(LookupError):
    pass


def child_record(
    *, child_id: str, today: dt.date, dataset: Dataset | None = None, snapshot: DatasetSnapshot | None = None
) -> ChildRecord:
    """Everything the child record page shows, for one child. Reads the stored dataset unless one is
    given; once a version is read whole, the whole authority's review schedule is worked out once for
    it (and again for the children changed since), and each child's record once until it changes
    (and then once for every worker)."""
    if dataset is not None:
        return _child_record(child_id=child_id, today=today, dataset=dataset, snapshot=None)
    snapshot = snapshot or dataset_snapshot()
    if not snapshot.whole:
        dataset = snapshot.children(CHILD_TABLES, child_ids=[child_id])
        return _child_record(child_id=child_id, today=today, dataset=dataset, snapshot=None)
    whole = snapshot
    return whole.result(
        _record_key(child_id, today),
        tables=CHILD_TABLES,
        child_id=child_id,
        shared=True,
        compute=lambda data: _child_record(child_id=child_id, today=today, dataset=data, snapshot=whole),
    )


def _record_key(child_id: str, today: dt.date) -> tuple[str, str, dt.date]:
    return ("child record", child_id, today)


def _child_record(*, child_id: str, today: dt.date, dataset: Dataset, snapshot: DatasetSnapshot | None) -> ChildRecord:
    children = dataset["children"].filter(pl.col("child_id") == child_id)
    if children.is_empty():
        raise ChildNotFoundError(child_id)
    as_at = today
    episodes = dataset["episodes"].filter(pl.col("child_id") == child_id).sort("start_date")
    # Numbered within whatever rows they were worked out over: nothing shows the numbers.
    if snapshot is not None:
        every_period = snapshot.by_child(
            "periods of care",
            tables={"episodes"},
            compute=lambda data: periods_of_care(data["episodes"]).drop("period_id"),
            child_ids=[child_id],
        )
        periods = every_period.filter(pl.col("child_id") == child_id).sort("period_start")
    else:
        periods = periods_of_care(episodes).drop("period_id").sort("period_start")
    if not dataset.years:
        schedule = pl.DataFrame()
    else:
        # The full schedule does not depend on the period asked about.
        full = (
            snapshot.by_child(
                "full schedule",
                tables=NEXT_REVIEW_TABLES,
                compute=lambda data: MetricContext(data, Period(as_at, as_at, "as at")).full_schedule,
                child_ids=[child_id],
                reads=REVIEW_DAYS,
            )
            if snapshot is not None
            else MetricContext(dataset.restricted(child_ids=[child_id]), Period(as_at, as_at, "as at")).full_schedule
        )
        schedule = full.filter(pl.col("child_id") == child_id).sort("review_date")
    next_reviews = (
        _next_reviews_stored(snapshot=snapshot, as_at=as_at, child_ids=[child_id]).filter(
            pl.col("child_id") == child_id
        )
        if snapshot is not None
        else next_reviews_at(dataset=dataset.restricted(child_ids=[child_id]), as_at=as_at)
    )
    staff = dict(dataset["iro_staff"].select("iro_id", "name").iter_rows()) if "iro_staff" in dataset.tables else {}
    own_allocations = dataset["iro_allocations"].filter(pl.col("child_id") == child_id)
    current = (
        _current_allocations_stored(snapshot=snapshot, as_at=as_at, child_ids=[child_id])
        if snapshot is not None
        else current_allocations(own_allocations, as_at=as_at)
    ).filter(pl.col("child_id") == child_id)
    allocations = own_allocations.sort("start_date").with_columns(
        iro_name=pl.col("iro_id").replace_strict(staff, default=None, return_dtype=pl.String)
    )
    return ChildRecord(
        child_id=child_id,
        as_at=as_at,
        child=children.row(0, named=True),
        periods=periods.to_dicts(),
        placements=episodes.drop(PROVENANCE_COLUMNS).to_dicts(),
        reviews=_with_participation(schedule.to_dicts(), dataset=dataset, child_id=child_id),
        next_review=_next_review_by_child(next_reviews).get(child_id),
        allocations=allocations.drop(PROVENANCE_COLUMNS).to_dicts(),
        allocated_iro_id=_iro_of(current),
    )


def _with_participation(reviews: list[dict[str, Any]], *, dataset: Dataset, child_id: str) -> list[dict[str, Any]]:
    """Each review on the schedule with the child's participation code and whether the child attended (PN1–PN4)."""
    codes_by_date = dict(
        dataset["reviews"].filter(pl.col("child_id") == child_id).select("review_date", "participation").iter_rows()
    )
    for review in reviews:
        code = codes_by_date.get(review.get("review_date"))
        review["participation"] = code
        review["attended"] = None if code is None else code in ATTENDED
    return reviews


def _iro_of(current: pl.DataFrame) -> str | None:
    """The IRO of one child's current allocation (`current_allocations`), if any."""
    return None if current.is_empty() else str(current["iro_id"][0])


@dataclass(frozen=True)
class ChildFacts:
    """What recording needs to know about a child: when they were looked after and who their IRO is."""

    child_id: str
    date_of_birth: dt.date
    periods: list[tuple[dt.date, dt.date | None, bool]]  # start, end (None while open), short break
    allocated_iro_id: str | None

    @property
    def first_in_care(self) -> dt.date | None:
        return self.periods[0][0] if self.periods else None

    def _period_on(self, day: dt.date) -> tuple[dt.date, dt.date | None, bool] | None:
        for period in self.periods:
            start, end, _ = period
            if start <= day and (end is None or day <= end):
                return period
        return None

    def looked_after_on(self, day: dt.date) -> bool:
        return self._period_on(day) is not None

    def short_break_on(self, day: dt.date) -> bool:
        period = self._period_on(day)
        return period is not None and period[2]


def child_facts(*, child_id: str, today: dt.date, snapshot: DatasetSnapshot | None = None) -> ChildFacts:
    """Raises `ChildNotFoundError` for an unknown child and `NoDatasetError` before any load. Without a
    snapshot (as the services check a write) it reads only this child's rows, afresh: a write is checked
    against the database, never against what a worker has kept, and does not make it read every table."""
    tables = frozenset({"children", "episodes", "iro_allocations"})
    if snapshot is None:
        return _child_facts(
            child_id=child_id, today=today, dataset=dataset_from_database(tables=tables, child_ids=[child_id])
        )
    if not snapshot.whole:
        return _child_facts(child_id=child_id, today=today, dataset=snapshot.children(tables, child_ids=[child_id]))
    record = snapshot.held(_record_key(child_id, today), tables=CHILD_TABLES)
    if isinstance(record, ChildRecord):  # the child's page has worked it out: the facts are in it
        return record.facts
    return snapshot.result(
        ("child facts", child_id, today),
        tables=tables,
        child_id=child_id,
        compute=lambda data: _child_facts(child_id=child_id, today=today, dataset=data),
    )


def _child_facts(*, child_id: str, today: dt.date, dataset: Dataset) -> ChildFacts:
    children = dataset["children"].filter(pl.col("child_id") == child_id)
    if children.is_empty():
        raise ChildNotFoundError(child_id)
    episodes = dataset["episodes"].filter(pl.col("child_id") == child_id)
    periods = periods_of_care(episodes).sort("period_start") if not episodes.is_empty() else None
    return ChildFacts(
        child_id=child_id,
        date_of_birth=children["date_of_birth"][0],
        periods=[]
        if periods is None
        else list(periods.select("period_start", "period_end", "short_break").iter_rows()),
        allocated_iro_id=allocated_iro_on(dataset["iro_allocations"], child_id=child_id, on=today),
    )


def child_activity(*, child_id: str, snapshot: DatasetSnapshot | None = None) -> dict[str, list[dict[str, Any]]]:
    """The child's recorded work between and around reviews, newest first, for the child's page."""
    order = {
        "reviews": "review_date",
        "review_details": "review_date",
        "review_meetings": "meeting_date",
        "midway_reviews": "midway_date",
        "iro_contacts": "contact_date",
        "case_tracking": "check_date",
        "good_practice": "notification_date",
        "practice_alerts": "raised_date",
    }

    def newest_first(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
        return {
            table: dataset[table].filter(pl.col("child_id") == child_id).sort(column, descending=True).to_dicts()
            for table, column in order.items()
        }

    snapshot = snapshot or dataset_snapshot()
    if not snapshot.whole:
        return newest_first(snapshot.children(order, child_ids=[child_id]))
    return snapshot.result(
        ("child activity", child_id), tables=order, child_id=child_id, shared=True, compute=newest_first
    )
