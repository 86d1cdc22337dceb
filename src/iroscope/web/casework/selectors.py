"""What the casework pages show, computed by the statutory engine over the stored dataset. Nothing
here works out a due date: `MetricContext` and `iroscope.rules.schedule` do, as for the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext, Period
from iroscope.rules.calendar import add_months
from iroscope.rules.codes import ATTENDED
from iroscope.rules.periods import periods_of_care
from iroscope.rules.practice import midway_review_due
from iroscope.rules.schedule import LATER_REVIEW_MONTHS, OVERDUE_DUE_DATE_UNKNOWN
from iroscope.web.records.selectors import (
    DatasetSnapshot,
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
    }
)
CHILD_TABLES = frozenset({"children", "episodes", "reviews", "iro_allocations", "iro_staff"})
NEXT_REVIEW_TABLES = frozenset({"episodes", "reviews"})  # all the engine reads for the review schedule


class ReviewState(StrEnum):
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
    days_to_go: int | None  # negative when overdue
    sequence: int | None
    previous_review: dt.date | None = None

    @property
    def days_overdue(self) -> int | None:
        return -self.days_to_go if self.days_to_go is not None and self.days_to_go < 0 else None


def caseload_as_at(*, dataset: Dataset, today: dt.date) -> dt.date:
    """Today, or the last day the data covers when it ends before today (so that a return loaded in
    November does not show every child overdue since March)."""
    return min(today, dataset.data_end) if dataset.years else today


def next_reviews(*, dataset: Dataset, as_at: dt.date) -> dict[str, NextReview]:
    """Each looked-after child's next regulation-33 review on `as_at`, from the engine: the reviews
    that fall due, and are not held, by the longest interval the regulations allow."""
    if not dataset.years:
        return {}
    horizon = add_months(as_at, LATER_REVIEW_MONTHS)
    due = MetricContext(dataset, Period(as_at, horizon, "next review")).overdue_at_end
    # Only a child whose due date is unknown can be "overdue, due date unknown": ask the engine about
    # those few children at `as_at` rather than work out every child's schedule a second time.
    unknown = due.filter(pl.col("due_date").is_null())["child_id"].unique().to_list()
    late_unknown = (
        set(
            MetricContext(dataset.restricted(child_ids=unknown), Period(as_at, as_at, "as at"))
            .overdue_at_end.filter(pl.col("status") == OVERDUE_DUE_DATE_UNKNOWN)["child_id"]
            .to_list()
        )
        if unknown
        else set()
    )
    result: dict[str, NextReview] = {}
    for row in due.sort("due_date", nulls_last=True).iter_rows(named=True):
        child_id, due_date = row["child_id"], row["due_date"]
        if child_id in result:
            continue
        if due_date is None:
            state = ReviewState.OVERDUE_UNKNOWN if child_id in late_unknown else ReviewState.UNKNOWN
            result[child_id] = NextReview(
                child_id, None, state, None, row["review_sequence"], row["previous_review_date"]
            )
            continue
        days = (due_date - as_at).days
        state = ReviewState.OVERDUE if days < 0 else ReviewState.DUE
        result[child_id] = NextReview(
            child_id, due_date, state, days, row["review_sequence"], row["previous_review_date"]
        )
    return result


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


def _between_reviews(*, dataset: Dataset, as_at: dt.date, reviews: dict[str, NextReview]) -> dict[str, dict[str, Any]]:
    """For each child: the midway review due since their last review (with the day it was done), their
    last completed IRO visit, their current case-tracking level and their open disputes, on `as_at`."""
    facts: dict[str, dict[str, Any]] = {}
    midway_dates: dict[str, list[dt.date]] = {}
    for midway_child, midway_date in dataset["midway_reviews"].select("child_id", "midway_date").iter_rows():
        if midway_date is not None:
            midway_dates.setdefault(midway_child, []).append(midway_date)
    for child_id, review in reviews.items():
        previous, next_due = review.previous_review, review.due_date
        # A midway review falls between reviews on the 6-month cycle: not before a second review.
        if previous is not None and next_due is not None and review.sequence != 2:
            due = midway_review_due(previous_review=previous, next_review_due=next_due, practice=dataset.practice)
            completed = max((day for day in midway_dates.get(child_id, ()) if previous < day <= as_at), default=None)
            facts.setdefault(child_id, {})["midway"] = Midway(due, completed)
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
        """How long this process may reuse the rows as rendered: they depend only on the dataset's
        version, the IRO, the sort and the day, so they are never out of date (0 when no version)."""
        return 0 if self.version is None else 24 * 60 * 60

    @property
    def overdue_count(self) -> int:
        return sum(row.next_review.state in {ReviewState.OVERDUE, ReviewState.OVERDUE_UNKNOWN} for row in self.rows)


CASELOAD_SORTS = ("due", "child")


def _sort_key(row: CaseloadRow, sort: str) -> tuple[Any, ...]:
    review = row.next_review
    overdue_first = 0 if review.state in {ReviewState.OVERDUE, ReviewState.OVERDUE_UNKNOWN} else 1
    if sort == "child":
        return (overdue_first, row.child_id)
    return (overdue_first, review.due_date is None, review.due_date or dt.date.max, row.child_id)


def allocations_current(*, dataset: Dataset, iro_id: str, as_at: dt.date) -> pl.DataFrame:
    return dataset["iro_allocations"].filter(
        (pl.col("iro_id") == iro_id)
        & (pl.col("start_date") <= as_at)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= as_at))
    )


def _caseload_facts(*, dataset: Dataset, as_at: dt.date, reviews: dict[str, NextReview]) -> dict[str, dict[str, Any]]:
    """What a caseload row shows about each child, apart from the allocation."""
    between = _between_reviews(dataset=dataset, as_at=as_at, reviews=reviews)
    facts: dict[str, dict[str, Any]] = {}
    for child_id, date_of_birth in dataset["children"].select("child_id", "date_of_birth").iter_rows():
        facts[child_id] = {"date_of_birth": date_of_birth, **between.get(child_id, {})}
    for child_id, review in reviews.items():
        facts.setdefault(child_id, dict(between.get(child_id, {})))["next_review"] = review
    return facts


def _next_reviews_stored(*, snapshot: DatasetSnapshot, as_at: dt.date) -> dict[str, NextReview]:
    return snapshot.result(
        ("next reviews", as_at),
        tables=NEXT_REVIEW_TABLES,
        compute=lambda dataset: next_reviews(dataset=dataset, as_at=as_at),
    )


def caseload_for_iro(*, iro_id: str, today: dt.date, sort: str = "due", dataset: Dataset | None = None) -> Caseload:
    """An IRO's allocated children with their next review, overdue first. Reads the stored dataset
    unless one is given: once a version of it is read whole, the whole authority's rows are worked
    out once for that version; until then, only this IRO's children's."""
    snapshot = dataset_snapshot() if dataset is None else None
    if snapshot is not None and snapshot.whole:
        dataset = snapshot.dataset(CASELOAD_TABLES)
        as_at = caseload_as_at(dataset=dataset, today=today)
        reviews = _next_reviews_stored(snapshot=snapshot, as_at=as_at)
        facts = snapshot.result(
            ("caseload", as_at),
            tables=CASELOAD_TABLES,
            compute=lambda data: _caseload_facts(dataset=data, as_at=as_at, reviews=reviews),
        )
    else:
        if snapshot is not None:
            dataset = snapshot.children(CASELOAD_TABLES, child_ids=dataset_children_of_iro(iro_id=iro_id))
        assert dataset is not None  # given, or read just above
        as_at = caseload_as_at(dataset=dataset, today=today)
        facts = _caseload_facts(dataset=dataset, as_at=as_at, reviews=next_reviews(dataset=dataset, as_at=as_at))
    allocated = allocations_current(dataset=dataset, iro_id=iro_id, as_at=as_at)
    rows = []
    for child_id, start in allocated.select("child_id", "start_date").iter_rows():
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
            )
        )
    sort = sort if sort in CASELOAD_SORTS else "due"
    rows.sort(key=lambda row: _sort_key(row, sort))
    version = None if snapshot is None else snapshot.version
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


class ChildNotFoundError(LookupError):
    pass


def child_record(
    *, child_id: str, today: dt.date, dataset: Dataset | None = None, snapshot: DatasetSnapshot | None = None
) -> ChildRecord:
    """Everything the child record page shows, for one child. Reads the stored dataset unless one is
    given; once a version is read whole, the whole authority's review schedule is worked out once for
    it, and each child's record once."""
    if dataset is not None:
        return _child_record(child_id=child_id, today=today, dataset=dataset, snapshot=None)
    snapshot = snapshot or dataset_snapshot()
    if not snapshot.whole:
        dataset = snapshot.children(CHILD_TABLES, child_ids=[child_id])
        return _child_record(child_id=child_id, today=today, dataset=dataset, snapshot=None)
    whole = snapshot
    return whole.result(
        ("child record", child_id, today),
        tables=CHILD_TABLES,
        compute=lambda data: _child_record(child_id=child_id, today=today, dataset=data, snapshot=whole),
    )


def _child_record(*, child_id: str, today: dt.date, dataset: Dataset, snapshot: DatasetSnapshot | None) -> ChildRecord:
    children = dataset["children"].filter(pl.col("child_id") == child_id)
    if children.is_empty():
        raise ChildNotFoundError(child_id)
    as_at = caseload_as_at(dataset=dataset, today=today)
    episodes = dataset["episodes"].filter(pl.col("child_id") == child_id).sort("start_date")
    periods = periods_of_care(episodes).sort("period_start") if not episodes.is_empty() else pl.DataFrame()
    if not dataset.years:
        schedule = pl.DataFrame()
    else:
        # The full schedule does not depend on the period asked about.
        full = (
            snapshot.result(
                "full schedule",
                tables=NEXT_REVIEW_TABLES,
                compute=lambda data: MetricContext(data, Period(as_at, as_at, "as at")).full_schedule,
            )
            if snapshot is not None
            else MetricContext(dataset, Period(as_at, as_at, "as at")).full_schedule
        )
        schedule = full.filter(pl.col("child_id") == child_id).sort("review_date")
    reviews = (
        _next_reviews_stored(snapshot=snapshot, as_at=as_at)
        if snapshot is not None
        else next_reviews(dataset=dataset, as_at=as_at)
    )
    staff = dict(dataset["iro_staff"].select("iro_id", "name").iter_rows()) if "iro_staff" in dataset.tables else {}
    allocations = (
        dataset["iro_allocations"]
        .filter(pl.col("child_id") == child_id)
        .sort("start_date")
        .with_columns(iro_name=pl.col("iro_id").replace_strict(staff, default=None, return_dtype=pl.String))
    )
    return ChildRecord(
        child_id=child_id,
        as_at=as_at,
        child=children.row(0, named=True),
        periods=periods.to_dicts(),
        placements=episodes.drop("_file", "_row").to_dicts(),
        reviews=_with_participation(schedule.to_dicts(), dataset=dataset, child_id=child_id),
        next_review=reviews.get(child_id),
        allocations=allocations.drop("_file", "_row").to_dicts(),
        allocated_iro_id=child_allocated_iro(dataset=dataset, child_id=child_id, as_at=as_at),
    )


def _with_participation(reviews: list[dict[str, Any]], *, dataset: Dataset, child_id: str) -> list[dict[str, Any]]:
    """Each held review with its participation code and whether the child attended (PN1–PN4)."""
    codes_by_date = dict(
        dataset["reviews"].filter(pl.col("child_id") == child_id).select("review_date", "participation").iter_rows()
    )
    for review in reviews:
        code = codes_by_date.get(review.get("review_date"))
        review["participation"] = code
        review["attended"] = None if code is None else code in ATTENDED
    return reviews


def child_allocated_iro(*, dataset: Dataset, child_id: str, as_at: dt.date) -> str | None:
    current = dataset["iro_allocations"].filter(
        (pl.col("child_id") == child_id)
        & (pl.col("start_date") <= as_at)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= as_at))
    )
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
    return snapshot.result(
        ("child facts", child_id, today),
        tables=tables,
        compute=lambda data: _child_facts(child_id=child_id, today=today, dataset=data),
    )


def _child_facts(*, child_id: str, today: dt.date, dataset: Dataset) -> ChildFacts:
    children = dataset["children"].filter(pl.col("child_id") == child_id)
    if children.is_empty():
        raise ChildNotFoundError(child_id)
    episodes = dataset["episodes"].filter(pl.col("child_id") == child_id)
    periods = periods_of_care(episodes).sort("period_start") if not episodes.is_empty() else None
    as_at = caseload_as_at(dataset=dataset, today=today)
    return ChildFacts(
        child_id=child_id,
        date_of_birth=children["date_of_birth"][0],
        periods=[]
        if periods is None
        else list(periods.select("period_start", "period_end", "short_break").iter_rows()),
        allocated_iro_id=child_allocated_iro(dataset=dataset, child_id=child_id, as_at=as_at),
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
    return snapshot.result(("child activity", child_id), tables=order, compute=newest_first)
