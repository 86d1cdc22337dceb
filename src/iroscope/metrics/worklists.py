"""Operational lists: what is due, overdue or outstanding on a given day, child by child, so an IRO
service can chase it (the seeds' "weekly data performance report", which their services built by hand).

Every list is a plain function of the dataset and an as-at day, registered once with its plain-English
title, description and column headings, so the command line, the weekly workbook and the workspace's
pages list them generically. Each returns a polars frame with the registered columns, most urgent
first with a stable order (ties broken by child, then by review or dispute), and can be narrowed to one
IRO's children.

Conventions, shared with the annual report so a list and its figure agree:
- a review is overdue once the day it was due has passed without it: on the as-at day a review due that
  day is still due, with 0 days to go, as on the child's page (`metrics.next_review`); the report counts
  the position after its last day, so only a review due on that very day is counted differently;
- due dates come from the statutory engine (`rules.schedule`) and local deadlines from the practice
  settings (`rules.practice`) with England's working-day calendar; nothing is counted by hand here;
- when the data cannot tell a review's due date it is never guessed (decision 0002): such a review
  appears on the overdue list only when certainly overdue, with a blank due date and
  `due_date_known` false, after every review whose due date is known;
- each row carries the IRO allocated to the child on the as-at day (`iro_id`, `iro_name`); for a
  review's record and decisions, the IRO who chaired it when the activity record says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Final

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.data.writers import Sheet, write_table_csv, write_tables_xlsx
from iroscope.metrics.context import MetricContext, Period, age_on
from iroscope.metrics.letters import letter_state, letters_recorded, with_letters
from iroscope.metrics.next_review import (
    DUE,
    OVERDUE,
    OVERDUE_DATE_UNKNOWN,
    allocated_iros_at,
    midway_reviews_at,
    next_reviews_at,
)
from iroscope.metrics.oversight import COMPLETED, SEEN_BEFORE_REVIEW_MIN_AGE
from iroscope.metrics.permanence import current_plans, past_target, second_reviews, with_plan_by
from iroscope.metrics.registry import all_kpis
from iroscope.metrics.siblings import sibling_groups_split_on
from iroscope.metrics.team import allocation_due
from iroscope.rules import codes
from iroscope.rules.calendar import WorkingDayCalendar, add_months, england_calendar
from iroscope.rules.codes import CodeList

DEFAULT_DAYS_AHEAD: Final = 28
RECORDS_LOOK_BACK_MONTHS: Final = 12
PAST_TIMESCALE_KPI: Final = "disputes_open_past_timescale"
WEEK_DAYS: Final = 7
ONE_DAY: Final = dt.timedelta(days=1)


class ColumnKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes or no"


@dataclass(frozen=True)
class ListColumn:
    name: str
    heading: str
    kind: ColumnKind = ColumnKind.TEXT
    code_list: CodeList | None = None  # pages show a code's meaning; downloads keep the code


CHILD = ListColumn("child_id", "Child")
IRO = ListColumn("iro_id", "IRO")
IRO_NAME = ListColumn("iro_name", "IRO name")


class WorklistContext:
    """What several lists need, worked out once for a dataset and an as-at day."""

    def __init__(
        self,
        dataset: Dataset,
        as_at: dt.date,
        *,
        days_ahead: int = DEFAULT_DAYS_AHEAD,
        calendar: WorkingDayCalendar | None = None,
    ) -> None:
        self.dataset = dataset
        self.as_at = as_at
        self.days_ahead = days_ahead
        self.horizon = as_at + dt.timedelta(days=days_ahead)
        self.calendar = calendar or england_calendar()
        self.practice = dataset.practice

    @cached_property
    def next_reviews(self) -> pl.DataFrame:
        """Every child in a regulation-33 period of care on the as-at day, with their next review."""
        return next_reviews_at(dataset=self.dataset, as_at=self.as_at, calendar=self.calendar)

    @cached_property
    def allocations(self) -> pl.DataFrame:
        return allocated_iros_at(dataset=self.dataset, as_at=self.as_at)

    def with_iro(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with the IRO allocated to each child on the as-at day."""
        return frame.join(self.allocations, on="child_id", how="left")

    def working_days_since(self, dates: pl.Series) -> pl.Series:
        days = self.calendar.working_days_after(dates, pl.Series([self.as_at] * dates.len(), dtype=pl.Date))
        return pl.Series(dates.name, days, dtype=pl.Int64)


ListFunction = Callable[[WorklistContext], pl.DataFrame]
PopulationFunction = Callable[[WorklistContext], pl.DataFrame]


@dataclass(frozen=True)
class Worklist:
    """One operational list: its name (for URLs and file names), title and description in plain
    English, its columns with their headings, and, where a count of it means most as "x of y", the
    population it is drawn from (a frame with `iro_id`, one row per member)."""

    name: str
    title: str
    short_title: str
    """At most 31 characters: the sheet's name in a workbook."""
    description: str
    columns: tuple[ListColumn, ...]
    compute: ListFunction
    population: PopulationFunction | None = None
    population_label: str | None = None

    def rows(self, context: WorklistContext, *, iro_id: str | None = None) -> pl.DataFrame:
        frame = self.compute(context).select([column.name for column in self.columns])
        return frame if iro_id is None else frame.filter(pl.col("iro_id") == iro_id)

    def population_count(self, context: WorklistContext, *, iro_id: str | None = None) -> int | None:
        if self.population is None:
            return None
        members = self.population(context)
        return (members if iro_id is None else members.filter(pl.col("iro_id") == iro_id)).height

    @property
    def headings(self) -> dict[str, str]:
        return {column.name: column.heading for column in self.columns}


_WORKLISTS: dict[str, Worklist] = {}


def worklist(
    *,
    name: str,
    title: str,
    short_title: str,
    description: str,
    columns: tuple[ListColumn, ...],
    population: PopulationFunction | None = None,
    population_label: str | None = None,
) -> Callable[[ListFunction], ListFunction]:
    """Register a list; the built-in ones register exactly as an addition would."""

    def register(function: ListFunction) -> ListFunction:
        if name in _WORKLISTS:
            raise ValueError(f"An operational list called {name!r} is already registered")
        _WORKLISTS[name] = Worklist(
            name, title, short_title, description, columns, function, population, population_label
        )
        return function

    return register


def all_worklists() -> Mapping[str, Worklist]:
    """Every operational list, in the order the weekly summary shows them."""
    return dict(_WORKLISTS)


def compute_worklist(
    name: str,
    dataset: Dataset,
    as_at: dt.date,
    *,
    iro_id: str | None = None,
    days_ahead: int = DEFAULT_DAYS_AHEAD,
) -> pl.DataFrame:
    """One list for one day, optionally for one IRO's children only. Raises KeyError for an unknown name."""
    if name not in _WORKLISTS:
        raise KeyError(f"{name!r} is not an operational list. Lists: {', '.join(_WORKLISTS)}")
    context = WorklistContext(dataset, as_at, days_ahead=days_ahead)
    return _WORKLISTS[name].rows(context, iro_id=iro_id)


# -- populations ("x of y") ------------------------------------------------------------------------------
def _children_in_care(context: WorklistContext) -> pl.DataFrame:
    return context.with_iro(context.next_reviews.select("child_id"))


# -- reviews -------------------------------------------------------------------------------------------
@worklist(
    name="reviews_due",
    title="Reviews due in the next 28 days",
    short_title="Reviews due",
    description="Children in care whose next looked-after review falls due on the as-at day or in the "
    "28 days after it, earliest first. Due dates are the statutory ones (regulation 33: the first review within 20 "
    "working days of coming into care, the second within 3 months of the first, then every 6 months).",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("review_sequence", "Review number", ColumnKind.NUMBER),
        ListColumn("previous_review_date", "Last review", ColumnKind.DATE),
        ListColumn("due_date", "Due by", ColumnKind.DATE),
        ListColumn("days_to_go", "Days to go", ColumnKind.NUMBER),
    ),
)
def reviews_due(context: WorklistContext) -> pl.DataFrame:
    due = context.next_reviews.filter((pl.col("status") == DUE) & (pl.col("due_date") <= context.horizon))
    return context.with_iro(due).sort("due_date", "child_id")


@worklist(
    name="reviews_overdue",
    title="Reviews overdue",
    short_title="Reviews overdue",
    description="Children in care whose next looked-after review was due before the as-at day and had not "
    "been held by then, longest overdue first. Where the data begins after the child came into care and "
    "the due date cannot be known, the review is listed only when it is certainly overdue (no review for more than "
    "6 months), last, with no due date.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("review_sequence", "Review number", ColumnKind.NUMBER),
        ListColumn("previous_review_date", "Last review", ColumnKind.DATE),
        ListColumn("due_date", "Was due by", ColumnKind.DATE),
        ListColumn("days_overdue", "Days overdue", ColumnKind.NUMBER),
        ListColumn("working_days_overdue", "Working days overdue", ColumnKind.NUMBER),
        ListColumn("due_date_known", "Due date known", ColumnKind.YES_NO),
    ),
    population=_children_in_care,
    population_label="children in care",
)
def reviews_overdue(context: WorklistContext) -> pl.DataFrame:
    overdue = context.next_reviews.filter(pl.col("status").is_in([OVERDUE, OVERDUE_DATE_UNKNOWN])).with_columns(
        days_overdue=-pl.col("days_to_go"), due_date_known=pl.col("due_date").is_not_null()
    )
    return context.with_iro(overdue).sort(
        pl.col("due_date_known").not_(), "due_date", "previous_review_date", "child_id", nulls_last=True
    )


@worklist(
    name="midway_reviews_due",
    title="Midway reviews due",
    short_title="Midway reviews due",
    description="Children whose midway review (the IRO's check on the plan between reviews, halfway between the "
    "last review and the next one's due date, as the authority's settings say) falls due within the next 28 days "
    "or is overdue, and has not been recorded since the last review. Only between reviews 6 months apart: the "
    "3-month interval after a first review has none. Overdue first.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("previous_review_date", "Last review", ColumnKind.DATE),
        ListColumn("midway_due_date", "Midway review due", ColumnKind.DATE),
        ListColumn("days_to_go", "Days to go", ColumnKind.NUMBER),
        ListColumn("next_review_due", "Next review due", ColumnKind.DATE),
    ),
)
def midway_reviews_due(context: WorklistContext) -> pl.DataFrame:
    # A child whose next review is itself overdue needs the review, not a midway review.
    on_track = context.next_reviews.filter(pl.col("status") == DUE)
    midways = midway_reviews_at(dataset=context.dataset, as_at=context.as_at, next_reviews=on_track)
    due = midways.filter(
        pl.col("midway_completed_date").is_null() & (pl.col("midway_due_date") <= context.horizon)
    ).with_columns(days_to_go=(pl.col("midway_due_date") - pl.lit(context.as_at)).dt.total_days())
    return context.with_iro(due).sort("midway_due_date", "child_id")


# -- after the review: record and decisions ----------------------------------------------------------------
def _follow_up_outstanding(context: WorklistContext, *, column: str, working_days: int) -> pl.DataFrame:
    """Reviews held in the last 12 months up to the as-at day whose `column` (a date in the review's
    activity record) was blank or later than the as-at day, with the local deadline: `working_days`
    working days after the review. Past the deadline once the deadline day has ended without it, as
    the annual report's "distributed on time" counts it."""
    since = add_months(context.as_at, -RECORDS_LOOK_BACK_MONTHS)
    held = context.dataset["reviews"].filter(pl.col("review_date").is_between(since, context.as_at))
    details = context.dataset["review_details"].select("child_id", "review_date", column, chair=pl.col("iro_id"))
    outstanding = (
        held.select("child_id", "review_date")
        .unique()
        .join(details, on=["child_id", "review_date"], how="left")
        .filter(pl.col(column).is_null() | (pl.col(column) > context.as_at))
    )
    # Columns worked out from Series go on before any join, so rows cannot be misaligned.
    outstanding = outstanding.with_columns(
        deadline=context.calendar.add_working_days(outstanding["review_date"], working_days),
        days_since_review=(pl.lit(context.as_at) - pl.col("review_date")).dt.total_days(),
        working_days_since_review=context.working_days_since(outstanding["review_date"]),
    )
    names = context.dataset["iro_staff"].select("iro_id", chair_name=pl.col("name")).unique("iro_id")
    return (
        context.with_iro(outstanding)
        .join(names, left_on="chair", right_on="iro_id", how="left")
        .with_columns(
            iro_id=pl.coalesce("chair", "iro_id"),
            iro_name=pl.when(pl.col("chair").is_not_null()).then(pl.col("chair_name")).otherwise(pl.col("iro_name")),
        )
        .with_columns(past_deadline=pl.col("deadline") <= context.as_at)
        .sort("review_date", "child_id")
    )


_FOLLOW_UP_COLUMNS = (
    CHILD,
    IRO,
    IRO_NAME,
    ListColumn("review_date", "Review held", ColumnKind.DATE),
    ListColumn("deadline", "Deadline", ColumnKind.DATE),
    ListColumn("days_since_review", "Days since the review", ColumnKind.NUMBER),
    ListColumn("working_days_since_review", "Working days since the review", ColumnKind.NUMBER),
    ListColumn("past_deadline", "Past the deadline", ColumnKind.YES_NO),
)


@worklist(
    name="records_not_distributed",
    title="Records of review not yet distributed",
    short_title="Records not distributed",
    description="Reviews held in the 12 months up to the as-at day whose full record had not been distributed by "
    "then (no record distributed date, or a later one), oldest review first, with the authority's deadline "
    "(record_distributed_working_days, default 20 working days after the review). A record is past the deadline "
    "once the deadline day has ended without it. The IRO is the one who chaired the review, or else the one "
    "allocated on the as-at day.",
    columns=_FOLLOW_UP_COLUMNS,
)
def records_not_distributed(context: WorklistContext) -> pl.DataFrame:
    days = context.practice.record_distributed_working_days
    return _follow_up_outstanding(context, column="record_distributed_date", working_days=days)


@worklist(
    name="decisions_not_recorded",
    title="Decisions not yet recorded",
    short_title="Decisions not recorded",
    description="Reviews held in the 12 months up to the as-at day whose decisions and recommendations had not "
    "been sent by then (no decisions date, or a later one), oldest review first, with the authority's deadline "
    "(decisions_working_days, default 5 working days after the review). Past the deadline once the deadline day "
    "has ended without them. The IRO is the one who chaired the review, or else the one allocated on the as-at day.",
    columns=_FOLLOW_UP_COLUMNS,
)
def decisions_not_recorded(context: WorklistContext) -> pl.DataFrame:
    days = context.practice.decisions_working_days
    return _follow_up_outstanding(context, column="decisions_date", working_days=days)


# -- letters to children ------------------------------------------------------------------------------------
@worklist(
    name="letters_not_sent",
    title="Letters to children not sent in time",
    short_title="Letters not sent",
    description="Reviews held in the 12 months up to the as-at day whose letter to the child had not been sent by "
    "then although the service's timescale had passed (letter_sent_working_days, default 20 working days after the "
    "review, counted on England's working-day calendar; the letter is late once that day has ended). Each row says "
    "whether the letter is not yet written, a draft or final. Oldest review first. Empty for a service that records "
    "no letters to children here. The IRO is the one who chaired the review, or else the one allocated on the as-at "
    "day.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("review_date", "Review held", ColumnKind.DATE),
        ListColumn("deadline", "Letter due by", ColumnKind.DATE),
        ListColumn("letter_state", "Letter"),
        ListColumn("working_days_since_review", "Working days since the review", ColumnKind.NUMBER),
    ),
)
def letters_not_sent(context: WorklistContext) -> pl.DataFrame:
    since = add_months(context.as_at, -RECORDS_LOOK_BACK_MONTHS)
    held = (
        context.dataset["reviews"]
        .filter(pl.col("review_date").is_between(since, context.as_at))
        .select("child_id", "review_date")
        .unique()
    )
    if not letters_recorded(context.dataset):
        held = held.clear()  # a service that writes its letters elsewhere is not chased for them here
    letters = with_letters(held, dataset=context.dataset, calendar=context.calendar)
    late = letters.filter(
        (pl.col("deadline") < context.as_at) & (pl.col("sent_date").is_null() | (pl.col("sent_date") > context.as_at))
    )
    late = late.with_columns(
        letter_state=pl.Series(
            [
                letter_state(has_letter=has, finalised=final, sent=sent, as_at=context.as_at)
                for has, final, sent in late.select("has_letter", "finalised_date", "sent_date").iter_rows()
            ],
            dtype=pl.String,
        ),
        working_days_since_review=context.working_days_since(late["review_date"]),
    )
    chairs = context.dataset["review_details"].select("child_id", "review_date", chair=pl.col("iro_id"))
    names = context.dataset["iro_staff"].select("iro_id", chair_name=pl.col("name")).unique("iro_id")
    return (
        context.with_iro(late.join(chairs, on=["child_id", "review_date"], how="left"))
        .join(names, left_on="chair", right_on="iro_id", how="left")
        .with_columns(
            iro_id=pl.coalesce("chair", "iro_id"),
            iro_name=pl.when(pl.col("chair").is_not_null()).then(pl.col("chair_name")).otherwise(pl.col("iro_name")),
        )
        .sort("review_date", "child_id")
    )


# -- disputes ------------------------------------------------------------------------------------------------
@worklist(
    name="disputes_past_deadline",
    title="Disputes past their stage deadline",
    short_title="Disputes past deadline",
    description="Disputes open at the end of the as-at day whose current stage's response deadline (the day the "
    "dispute reached the stage plus that stage's working days in the authority's settings) was before the as-at "
    "day, longest past first. The same disputes the report counts as open past their timescale; 'Response "
    "recorded' shows where the manager has answered but the dispute has not moved on or closed.",
    columns=(
        ListColumn("dispute_id", "Dispute"),
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("raised_date", "Raised", ColumnKind.DATE),
        ListColumn("stage_name", "Stage"),
        ListColumn("stage_escalated_date", "Reached the stage", ColumnKind.DATE),
        ListColumn("stage_deadline", "Stage deadline", ColumnKind.DATE),
        ListColumn("working_days_past", "Working days past the deadline", ColumnKind.NUMBER),
        ListColumn("stage_response_date", "Response recorded", ColumnKind.DATE),
    ),
)
def disputes_past_deadline(context: WorklistContext) -> pl.DataFrame:
    # The disputes behind the annual report's figure for the same day, so the two cannot differ.
    metric = MetricContext(context.dataset, Period(context.as_at, context.as_at, "as at"), calendar=context.calendar)
    records = all_kpis()[PAST_TIMESCALE_KPI].records
    if records is None:
        raise LookupError(f"The KPI {PAST_TIMESCALE_KPI} no longer lists the disputes behind it")
    past = records(metric).rename({"_stage_deadline": "stage_deadline"})
    past = past.with_columns(
        working_days_past=context.working_days_since(past["stage_deadline"]),
        stage_response_date=pl.when(pl.col("stage_response_date") <= context.as_at).then(pl.col("stage_response_date")),
    )
    return (
        context.with_iro(past.rename({"iro_id": "raised_by"}))
        .with_columns(iro_id=pl.coalesce("raised_by", "iro_id"))
        .join(
            context.dataset["iro_staff"].select("iro_id", _raised_name=pl.col("name")).unique("iro_id"),
            on="iro_id",
            how="left",
        )
        .with_columns(iro_name=pl.coalesce("_raised_name", "iro_name"))
        .sort("stage_deadline", "dispute_id")
    )


# -- between reviews: visits and case tracking ---------------------------------------------------------------
def _review_coming_up(context: WorklistContext) -> pl.DataFrame:
    """Children aged 4 or over whose next review is overdue or due within the days ahead: those an IRO
    should see before the review (the annual report's "seen before review" counts children of 4 and over)."""
    births = context.dataset["children"].select("child_id", "date_of_birth")
    coming = context.next_reviews.filter(
        (pl.col("due_date") <= context.horizon) | (pl.col("status") == OVERDUE_DATE_UNKNOWN)
    ).join(births, on="child_id", how="left")
    on_day = pl.coalesce(pl.min_horizontal("due_date", pl.lit(context.horizon)), pl.lit(context.as_at))
    return context.with_iro(coming.filter(age_on(pl.col("date_of_birth"), on_day) >= SEEN_BEFORE_REVIEW_MIN_AGE))


@worklist(
    name="children_not_seen",
    title="Children not seen by their IRO before their next review",
    short_title="Children not seen",
    description="Children aged 4 or over whose next review is due within the next 28 days or is overdue, and whom "
    "the IRO has not seen since their last review (since they came into care, before a first review): no "
    "completed visit or consultation recorded, as the report's 'seen before review' counts them. Review due "
    "soonest first.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("previous_review_date", "Last review", ColumnKind.DATE),
        ListColumn("due_date", "Next review due", ColumnKind.DATE),
        ListColumn("days_to_go", "Days to go", ColumnKind.NUMBER),
        ListColumn("last_seen_date", "Last seen", ColumnKind.DATE),
    ),
    population=_review_coming_up,
    population_label="children aged 4 or over with a review due or overdue",
)
def children_not_seen(context: WorklistContext) -> pl.DataFrame:
    coming = _review_coming_up(context)
    contacts = (
        context.dataset["iro_contacts"]
        .filter((pl.col("outcome") == COMPLETED) & (pl.col("contact_date") <= context.as_at))
        .group_by("child_id")
        .agg(last_seen_date=pl.col("contact_date").max())
    )
    window_opens = pl.coalesce(pl.col("previous_review_date") + dt.timedelta(days=1), pl.col("period_start"))
    not_seen = coming.join(contacts, on="child_id", how="left").filter(
        pl.col("last_seen_date").is_null() | (pl.col("last_seen_date") < window_opens)
    )
    return not_seen.sort("due_date", "child_id", nulls_last=True)


def _rag_checks(context: WorklistContext) -> pl.DataFrame:
    """Each child in care with their latest case-tracking check in the current period of care, and when
    the next was due: the check's date plus its level's days (before any check, the longest interval
    from the day the period of care began, so a child new to care is not yet behind)."""
    allowed = context.practice.rag_oversight_days
    longest = max(allowed.values(), default=0)
    in_care = context.next_reviews.select("child_id", "period_start")
    latest = (
        context.dataset["case_tracking"]
        .join(in_care, on="child_id", how="inner")
        .filter(pl.col("check_date").is_between(pl.col("period_start"), pl.lit(context.as_at)))
        .sort("child_id", "check_date")
        .group_by("child_id", maintain_order=True)
        .agg(last_check_date=pl.col("check_date").last(), rag_level=pl.col("rag_level").last())
    )
    days = pl.col("rag_level").replace_strict(allowed, default=longest, return_dtype=pl.Int64)
    return context.with_iro(
        in_care.join(latest, on="child_id", how="left").with_columns(
            next_check_due=pl.coalesce("last_check_date", "period_start") + pl.duration(days=days)
        )
    )


@worklist(
    name="case_tracking_behind",
    title="Case tracking behind its RAG frequency",
    short_title="Case tracking behind",
    description="Children in care whose IRO case-tracking check is overdue for their RAG level: the last check in "
    "their current period of care plus the days allowed at the level it set (the authority's rag_oversight_days, "
    "default red 31, amber 62, green 92) fell before the as-at day. A child never checked in this period of care "
    "is behind once the longest interval has passed since they came into care. Longest overdue first.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("rag_level", "RAG level", code_list=codes.RAG_LEVEL),
        ListColumn("last_check_date", "Last check", ColumnKind.DATE),
        ListColumn("next_check_due", "Next check was due", ColumnKind.DATE),
        ListColumn("days_overdue", "Days overdue", ColumnKind.NUMBER),
    ),
    population=_children_in_care,
    population_label="children in care",
)
def case_tracking_behind(context: WorklistContext) -> pl.DataFrame:
    behind = _rag_checks(context).filter(pl.col("next_check_due") < context.as_at)
    return behind.with_columns(days_overdue=(pl.lit(context.as_at) - pl.col("next_check_due")).dt.total_days()).sort(
        "next_check_due", "child_id"
    )


# -- children waiting for an IRO -----------------------------------------------------------------------------
@worklist(
    name="iro_not_allocated",
    title="Children in care without an IRO",
    short_title="Children without an IRO",
    description="Children in care on the as-at day who have no IRO allocated that day, although the authority's "
    "timescale for allocating one has passed (set on the Settings page; 5 working days after the day they came into "
    "care unless the authority sets another, as the IRO Handbook asks). Longest waiting first. The annual report's "
    "'children allocated an IRO in time' counts the same timescale.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("period_start", "Came into care", ColumnKind.DATE),
        ListColumn("allocation_due_date", "IRO was due by", ColumnKind.DATE),
        ListColumn("working_days_overdue", "Working days overdue", ColumnKind.NUMBER),
    ),
    population=_children_in_care,
    population_label="children in care",
)
def iro_not_allocated(context: WorklistContext) -> pl.DataFrame:
    in_care = context.next_reviews.select("child_id", "period_start")
    due = allocation_due(
        periods=in_care,
        allocations=context.dataset["iro_allocations"].filter(pl.col("start_date") <= context.as_at),
        calendar=context.calendar,
        working_days=context.practice.iro_allocated_working_days,
    ).drop("allocated_date")
    waiting = context.with_iro(due).filter(pl.col("iro_id").is_null() & (pl.col("allocation_due_date") < context.as_at))
    return waiting.with_columns(working_days_overdue=context.working_days_since(waiting["allocation_due_date"])).sort(
        "allocation_due_date", "child_id"
    )


# -- sibling groups split across IROs -------------------------------------------------------------------------
SIBLING_GROUPS_SPLIT: Final = "sibling_groups_split"


def _children_in_sibling_groups(context: WorklistContext) -> pl.DataFrame:
    """Children in a sibling group who have an IRO on the as-at day: those whose groups can be split."""
    groups = context.dataset["sibling_groups"].select("child_id").unique()
    return groups.join(context.allocations.select("child_id", "iro_id"), on="child_id", how="inner")


@worklist(
    name=SIBLING_GROUPS_SPLIT,
    title="Sibling groups split across IROs",
    short_title="Sibling groups split",
    description="Brothers and sisters in care (the service's sibling groups) whose children with an IRO on the "
    "as-at day have more than one IRO between them, a row for each of those children, by group and then by "
    "child. A sibling with no IRO that day (out of care, or waiting for one) is not counted either way. The same "
    "definition as the allocations page's list of split groups.",
    columns=(
        ListColumn("sibling_group_id", "Sibling group"),
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("iros_in_group", "IROs in the group", ColumnKind.NUMBER),
    ),
    population=_children_in_sibling_groups,
    population_label="children in sibling groups with an IRO",
)
def sibling_groups_split(context: WorklistContext) -> pl.DataFrame:
    split = sibling_groups_split_on(
        sibling_groups=context.dataset["sibling_groups"],
        allocations=context.dataset["iro_allocations"],
        on=context.as_at,
    )
    # The IRO and their name as every other list has them: both read the latest-starting allocation.
    return context.with_iro(split.drop("iro_id")).sort("sibling_group_id", "child_id")


# -- decisions of reviews ------------------------------------------------------------------------------------
@worklist(
    name="decisions_overdue",
    title="Decisions overdue",
    short_title="Decisions overdue",
    description="Decisions made at reviews of children in care on the as-at day that are still open (not marked "
    "done, not done or no longer needed) after the day they were due, longest overdue first. A child who has left "
    "care is not listed. A decision due on the as-at day is "
    "not yet overdue. The IRO is the one allocated to the child that day, or the IRO who chaired the review when "
    "the child has none. The same decisions the report counts as open past their date at the year end.",
    columns=(
        ListColumn("decision_id", "Decision"),
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("review_date", "Review", ColumnKind.DATE),
        ListColumn("decision", "What was decided"),
        ListColumn("responsible", "Who is responsible", code_list=codes.DECISION_RESPONSIBLE),
        ListColumn("due_date", "Due by", ColumnKind.DATE),
        ListColumn("days_overdue", "Days overdue", ColumnKind.NUMBER),
    ),
)
def decisions_overdue(context: WorklistContext) -> pl.DataFrame:
    in_care = context.next_reviews.select("child_id")
    open_past_date = (
        context.dataset["review_decisions"]
        .join(in_care, on="child_id", how="semi")
        .filter(
            pl.col("status").is_null() & (pl.col("due_date") < context.as_at) & (pl.col("review_date") <= context.as_at)
        )
    )
    names = context.dataset["iro_staff"].select("iro_id", _chair_name=pl.col("name")).unique("iro_id")
    return (
        context.with_iro(open_past_date.rename({"iro_id": "chaired_by"}))
        .join(names, left_on="chaired_by", right_on="iro_id", how="left")
        .with_columns(
            iro_name=pl.when(pl.col("iro_id").is_null()).then(pl.col("_chair_name")).otherwise(pl.col("iro_name")),
            iro_id=pl.coalesce("iro_id", "chaired_by"),
            days_overdue=(pl.lit(context.as_at) - pl.col("due_date")).dt.total_days(),
        )
        .sort("due_date", "child_id", "decision_id")
    )


# -- permanence ------------------------------------------------------------------------------------------------
NO_PLAN: Final = "No permanence plan since the second review"
PAST_TARGET: Final = "Permanence plan past its target date"


@worklist(
    name="permanence_tracker",
    title="Permanence tracker",
    short_title="Permanence tracker",
    description="Children in care on the as-at day who either (a) have had the second review of their current "
    "period of care and still have no permanence plan recorded since that period began, or (b) have a current "
    "permanence plan (the latest agreed in this period of care) whose target date has passed without it being "
    "achieved: past once the target day has ended. A plan agreed on the day of the second review counts as in "
    "place by it. A child who came into care before the earliest data has no known second review and is listed "
    "only under (b). Children without a plan first, by the day of their second review; then plans by target date.",
    columns=(
        CHILD,
        IRO,
        IRO_NAME,
        ListColumn("reason", "Why listed"),
        ListColumn("second_review_date", "Second review held", ColumnKind.DATE),
        ListColumn("plan_type", "Plan type", code_list=codes.PERMANENCE_PLAN_TYPE),
        ListColumn("plan_date", "Plan agreed", ColumnKind.DATE),
        ListColumn("target_date", "Target date", ColumnKind.DATE),
        ListColumn("days_past_target", "Days past target", ColumnKind.NUMBER),
    ),
    population=_children_in_care,
    population_label="children in care",
)
def permanence_tracker(context: WorklistContext) -> pl.DataFrame:
    in_care = context.next_reviews.select("child_id", "period_start").unique()
    plans = context.dataset["permanence_plans"]
    metric = MetricContext(context.dataset, Period(context.as_at, context.as_at, "as at"), calendar=context.calendar)
    held = second_reviews(metric.full_schedule).filter(pl.col("second_review_date") <= context.as_at)
    since_second = in_care.join(held, on=["child_id", "period_start"], how="inner").with_columns(
        _as_at=pl.lit(context.as_at)
    )
    no_plan = (
        with_plan_by(since_second, plans, by="_as_at")
        .filter(pl.col("first_plan_date").is_null())
        .select(
            "child_id",
            "second_review_date",
            reason=pl.lit(NO_PLAN),
            plan_type=pl.lit(None, dtype=pl.String),
            plan_date=pl.lit(None, dtype=pl.Date),
            target_date=pl.lit(None, dtype=pl.Date),
            days_past_target=pl.lit(None, dtype=pl.Int64),
        )
        .sort("second_review_date", "child_id")
    )
    current = current_plans(plans, on=context.as_at).join(in_care, on="child_id", how="inner")
    # Past once the target day has ended: on the as-at day itself a plan due that day is not yet late.
    late = (
        past_target(current.filter(pl.col("plan_date") >= pl.col("period_start")), on=context.as_at - ONE_DAY)
        .join(held, on=["child_id", "period_start"], how="left")
        .select(
            "child_id",
            "second_review_date",
            reason=pl.lit(PAST_TARGET),
            plan_type="plan_type",
            plan_date="plan_date",
            target_date="target_date",
            days_past_target=(pl.lit(context.as_at) - pl.col("target_date")).dt.total_days(),
        )
        .sort("target_date", "child_id")
    )
    return context.with_iro(pl.concat([no_plan, late], how="vertical_relaxed"))


# -- the weekly summary --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SummaryLine:
    measure: str
    count: int
    of: int | None = None
    of_what: str | None = None

    @property
    def shown(self) -> str:
        return f"{self.count:,}" if self.of is None else f"{self.count:,} of {self.of:,}"


@dataclass(frozen=True)
class WeeklySummary:
    """The counts for each list and the week's reviews held in and out of timescale, with every list."""

    as_at: dt.date
    week_start: dt.date
    iro_id: str | None
    lines: tuple[SummaryLine, ...]
    lists: Mapping[str, pl.DataFrame]

    def counts_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "measure": [line.measure for line in self.lines],
                "count": [line.count for line in self.lines],
                "of": [line.of for line in self.lines],
                "shown": [line.shown for line in self.lines],
                "of_what": [line.of_what for line in self.lines],
            },
            schema={"measure": pl.String, "count": pl.Int64, "of": pl.Int64, "shown": pl.String, "of_what": pl.String},
        )


SUMMARY_HEADINGS: Final = {
    "measure": "Measure",
    "shown": "Shown as",
    "count": "Number",
    "of": "Of",
    "of_what": "Of what",
}


def _week_reviews(context: WorklistContext, week_start: dt.date, iro_id: str | None) -> list[SummaryLine]:
    """Reviews held in the week: on time, late, and with a due date the data cannot tell (never counted
    either way), as the annual report's timeliness counts them."""
    metric = MetricContext(context.dataset, Period(week_start, context.as_at, "week"), calendar=context.calendar)
    held = metric.schedule.select("child_id", "review_date", "on_time")
    if iro_id is not None:
        chairs = context.dataset["review_details"].select("child_id", "review_date", chair=pl.col("iro_id"))
        held = (
            context.with_iro(held.join(chairs, on=["child_id", "review_date"], how="left"))
            .with_columns(iro_id=pl.coalesce("chair", "iro_id"))
            .filter(pl.col("iro_id") == iro_id)
        )
    known = held.filter(pl.col("on_time").is_not_null())
    on_time = known.filter(pl.col("on_time")).height
    return [
        SummaryLine("Reviews held this week within timescale", on_time, known.height, "reviews with a known due date"),
        SummaryLine(
            "Reviews held this week out of timescale",
            known.height - on_time,
            known.height,
            "reviews with a known due date",
        ),
        SummaryLine("Reviews held this week whose due date the data cannot tell", held.height - known.height),
    ]


def weekly_summary(
    dataset: Dataset,
    as_at: dt.date,
    *,
    iro_id: str | None = None,
    days_ahead: int = DEFAULT_DAYS_AHEAD,
) -> WeeklySummary:
    """The weekly data performance report for the week ending on `as_at` (its seven days inclusive)."""
    context = WorklistContext(dataset, as_at, days_ahead=days_ahead)
    week_start = as_at - dt.timedelta(days=WEEK_DAYS - 1)
    lines = _week_reviews(context, week_start, iro_id)
    lists: dict[str, pl.DataFrame] = {}
    for name, entry in all_worklists().items():
        rows = entry.rows(context, iro_id=iro_id)
        lists[name] = rows
        of = entry.population_count(context, iro_id=iro_id)
        lines.append(SummaryLine(entry.title, rows.height, of, entry.population_label))
        if "past_deadline" in rows.columns:
            past = rows.filter(pl.col("past_deadline")).height
            lines.append(SummaryLine(f"{entry.title}: past the deadline", past, rows.height, "outstanding"))
    return WeeklySummary(as_at, week_start, iro_id, tuple(lines), lists)


# -- writing lists and the weekly summary ---------------------------------------------------------------------
def write_worklist(entry: Worklist, frame: pl.DataFrame, path: Path) -> Path:
    """One list as CSV (a .csv path) or as a one-sheet Excel workbook (any other), with its headings."""
    if path.suffix.lower() == ".csv":
        return write_table_csv(frame, entry.headings, path)
    return write_tables_xlsx([Sheet(entry.short_title, frame, entry.headings)], path)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def write_weekly_workbook(summary: WeeklySummary, path: Path) -> Path:
    """The weekly summary as a workbook: a sheet of counts, then one sheet per list."""
    lists = all_worklists()
    scope = f"IRO {summary.iro_id} only" if summary.iro_id else "every IRO"
    notes = (
        f"At the end of {_day(summary.as_at)}; the week is {_day(summary.week_start)} to {_day(summary.as_at)}; "
        f"{scope}.",
        "Each list is on its own sheet, with its definition in iroscope's list of operational lists.",
    )
    counts = Sheet("Summary", summary.counts_frame(), SUMMARY_HEADINGS, notes)
    sheets = [counts] + [
        Sheet(lists[name].short_title, frame, lists[name].headings) for name, frame in summary.lists.items()
    ]
    return write_tables_xlsx(sheets, path)
