"""When each child's review is due: regulation 33 of the Care Planning, Placement and Case Review
(England) Regulations 2010, and regulation 48 for children looked after only under short breaks.

Regulation 33 (reviews of a period of care):
- the first review within 20 working days of the day the child became looked after;
- the second no more than 3 months after the first;
- each later review no more than 6 months after the one before.
Every deadline runs from the date the previous review was actually held, never from its due date.
A review held on its due date is on time. A placement move or change of legal status does not
restart the cycle; leaving care and returning does (see `periods`).

Regulation 48(3) (short breaks, legal status V3/V4): the first review within 3 months of the start
of the first short break, later reviews no more than 6 months after the one before. SSDA903 holds
no reviews for these children, so their reviews come from the service's own records; they are
kept apart from the regulation 33 timeliness measure.

What the data cannot tell us is never guessed. A return holds only the reviews of its own years,
so when a period of care began before the data does, the reviews held before then are unknown:
- the first review we hold in such a period has no knowable deadline
  (status `held_due_date_unknown`);
- the review after it runs on the 6-month cycle when the period's first review fell due before the
  data begins, because the review we hold cannot then be the period's first on time. Where even
  that is uncertain (the period began in the 20 working days before the data), that deadline is
  reported as unknown;
- every later review runs on the 6-month cycle, as the one before it is at least the second.
See docs/decisions/0002-reviews-before-the-data.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import numpy as np
import polars as pl

from iroscope.rules.calendar import WorkingDayCalendar, add_months, add_months_expr
from iroscope.rules.periods import assign_to_periods, periods_of_care

FIRST_REVIEW_WORKING_DAYS: Final = 20
SECOND_REVIEW_MONTHS: Final = 3
LATER_REVIEW_MONTHS: Final = 6
SHORT_BREAK_FIRST_REVIEW_MONTHS: Final = 3

HELD: Final = "held"
HELD_DUE_DATE_UNKNOWN: Final = "held_due_date_unknown"
OVERDUE_NOT_HELD: Final = "overdue_not_held"
OVERDUE_DUE_DATE_UNKNOWN: Final = "overdue_due_date_unknown"

SCHEDULE_COLUMNS: Final = [
    "child_id",
    "period_start",
    "review_sequence",
    "previous_review_date",
    "due_date",
    "review_date",
    "on_time",
    "working_days_late",
    "status",
]


def first_review_due(*, period_start: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    return calendar.add_working_days(period_start, FIRST_REVIEW_WORKING_DAYS)


def next_review_due(*, previous_review: dt.date, previous_sequence: int) -> dt.date:
    """The deadline of the review after `previous_review`, the `previous_sequence`-th of its period."""
    months = SECOND_REVIEW_MONTHS if previous_sequence == 1 else LATER_REVIEW_MONTHS
    return add_months(previous_review, months)


def short_break_review_due(*, first_break_start: dt.date, previous_review: dt.date | None) -> dt.date:
    """Regulation 48(3): 3 months from the first short break, then 6 months from each review."""
    if previous_review is None:
        return add_months(first_break_start, SHORT_BREAK_FIRST_REVIEW_MONTHS)
    return add_months(previous_review, LATER_REVIEW_MONTHS)


def _numbered_reviews(
    reviews: pl.DataFrame, periods: pl.DataFrame, *, data_start: dt.date, calendar: WorkingDayCalendar
) -> pl.DataFrame:
    """Reviews inside regulation-33 periods, each with its sequence (when knowable) and due date."""
    placed = assign_to_periods(reviews.select("child_id", "review_date"), periods, date_column="review_date")
    placed = placed.filter(pl.col("period_id").is_not_null() & ~pl.col("short_break")).sort("period_id", "review_date")
    first_due = _first_due_column(placed["period_start"], calendar)
    placed = placed.with_columns(first_due.alias("_first_due"))
    # The period's start is inside the data only when we saw the child become looked after on or
    # after the day the data begins; only then do we hold every review of the period.
    complete = pl.col("period_start_known") & (pl.col("period_start") >= data_start)
    # A period that began before the data: was its first review already due before the data began?
    first_review_due_before_data = pl.col("_first_due") < data_start
    order_in_data = pl.col("review_date").cum_count().over("period_id")
    previous = pl.col("review_date").shift(1).over("period_id")
    sequence = pl.when(complete).then(order_in_data)
    due = (
        pl.when(complete & (order_in_data == 1))
        .then(pl.col("_first_due"))
        .when(complete & (order_in_data == 2))
        .then(add_months_expr(previous, SECOND_REVIEW_MONTHS))
        .when(complete)
        .then(add_months_expr(previous, LATER_REVIEW_MONTHS))
        # The review before this one is at least the period's second when the data already holds a
        # review before it, or when the period's first review fell due before the data began.
        .when(~complete & ((order_in_data > 2) | ((order_in_data == 2) & first_review_due_before_data)))
        .then(add_months_expr(previous, LATER_REVIEW_MONTHS))
    )
    return placed.with_columns(
        review_sequence=sequence.cast(pl.Int64),
        previous_review_date=previous,
        due_date=due,
    )


def _first_due_column(period_starts: pl.Series, calendar: WorkingDayCalendar) -> pl.Series:
    if period_starts.is_empty():
        return pl.Series("_first_due", [], dtype=pl.Date)
    return calendar.add_working_days(period_starts, FIRST_REVIEW_WORKING_DAYS)


def _with_lateness(frame: pl.DataFrame, calendar: WorkingDayCalendar, *, reference: str) -> pl.DataFrame:
    """on_time and working days late, comparing `reference` (the review date, or the as-at date for
    an overdue review) with the due date."""
    known = frame["due_date"].is_not_null() & frame[reference].is_not_null()
    late_days = np.zeros(frame.height, dtype=np.int64)
    if known.any():
        known_rows = frame.filter(known)
        late_days[known.to_numpy()] = calendar.working_days_after(known_rows["due_date"], known_rows[reference])
    return frame.with_columns(
        on_time=pl.when(known).then(pl.col(reference) <= pl.col("due_date")),
        working_days_late=pl.when(known).then(pl.Series(late_days)),
    )


def review_schedule(
    *,
    episodes: pl.DataFrame,
    reviews: pl.DataFrame,
    data_start: dt.date,
    calendar: WorkingDayCalendar,
) -> pl.DataFrame:
    """Every review held in a regulation-33 period of care, with its due date and timeliness.

    `data_start` is the first day the data covers completely (1 April of the earliest return).
    Columns are `SCHEDULE_COLUMNS` plus `period_id`.
    """
    periods = periods_of_care(episodes)
    numbered = _numbered_reviews(reviews, periods, data_start=data_start, calendar=calendar)
    scored = _with_lateness(numbered, calendar, reference="review_date")
    return scored.with_columns(
        status=pl.when(pl.col("due_date").is_null()).then(pl.lit(HELD_DUE_DATE_UNKNOWN)).otherwise(pl.lit(HELD))
    ).select([*SCHEDULE_COLUMNS, "period_id"])


def reviews_overdue_at(
    *,
    episodes: pl.DataFrame,
    reviews: pl.DataFrame,
    as_at: dt.date,
    data_start: dt.date,
    calendar: WorkingDayCalendar,
) -> pl.DataFrame:
    """One row per child whose next review was due on or before `as_at` and had not been held by
    the end of that day, for every regulation-33 period of care open at `as_at`.

    `working_days_late` counts up to `as_at`. When the due date cannot be known the status says so;
    such a row appears only when the review is certainly overdue whatever happened before the data
    (no review for more than 6 months of data).
    """
    return reviews_overdue_on(
        episodes=episodes, reviews=reviews, days=[as_at], data_start=data_start, calendar=calendar
    )[0]


def reviews_overdue_on(
    *,
    episodes: pl.DataFrame,
    reviews: pl.DataFrame,
    days: Sequence[dt.date],
    data_start: dt.date,
    calendar: WorkingDayCalendar,
) -> list[pl.DataFrame]:
    """`reviews_overdue_at` for each of `days`, working out the periods of care once, and numbering
    the reviews once for days that see the same reviews held."""
    periods = periods_of_care(episodes)
    numbered: dict[int, pl.DataFrame] = {}  # by how many reviews were held by the day
    overdue: list[pl.DataFrame] = []
    for as_at in days:
        held_by_then = reviews.filter(pl.col("review_date") <= as_at)
        if held_by_then.height not in numbered:  # the reviews by a later day include an earlier day's
            numbered[held_by_then.height] = _numbered_reviews(
                held_by_then, periods, data_start=data_start, calendar=calendar
            )
        overdue.append(_overdue_on(periods, numbered[held_by_then.height], as_at, data_start, calendar))
    return overdue


def _overdue_on(
    periods: pl.DataFrame, held: pl.DataFrame, as_at: dt.date, data_start: dt.date, calendar: WorkingDayCalendar
) -> pl.DataFrame:
    open_periods = periods.filter(
        ~pl.col("short_break")
        & (pl.col("period_start") <= as_at)
        & (pl.col("period_end").is_null() | (pl.col("period_end") > as_at))
    )
    last_held = held.group_by("period_id").agg(
        last_review=pl.col("review_date").last(),
        last_sequence=pl.col("review_sequence").last(),
        held_in_data=pl.len(),
    )
    frame = open_periods.join(last_held, on="period_id", how="left").with_columns(
        _first_due=_first_due_column(open_periods["period_start"], calendar)
    )
    complete = pl.col("period_start_known") & (pl.col("period_start") >= data_start)
    first_review_due_before_data = pl.col("_first_due") < data_start
    months_after_last = pl.when(pl.col("last_sequence") == 1).then(SECOND_REVIEW_MONTHS).otherwise(LATER_REVIEW_MONTHS)
    next_sequence = pl.when(complete).then(pl.col("held_in_data").fill_null(0) + 1)
    due = (
        pl.when(complete & pl.col("last_review").is_null())
        .then(pl.col("_first_due"))
        .when(complete)
        .then(add_months_expr(pl.col("last_review"), months_after_last))
        .when(pl.col("last_review").is_not_null() & ((pl.col("held_in_data") >= 2) | first_review_due_before_data))
        .then(add_months_expr(pl.col("last_review"), LATER_REVIEW_MONTHS))
    )
    # Without a known deadline the review is still certainly overdue once the data shows no review
    # for longer than the longest interval the regulations allow: 6 months after the last review we
    # hold, or, with none, 6 months after the data begins (or 20 working days after a later start).
    latest_possible_due = (
        pl.when(pl.col("last_review").is_not_null())
        .then(add_months_expr(pl.col("last_review"), LATER_REVIEW_MONTHS))
        .otherwise(pl.max_horizontal(pl.lit(add_months(data_start, LATER_REVIEW_MONTHS)), pl.col("_first_due")))
    )
    candidates = frame.with_columns(
        review_sequence=next_sequence.cast(pl.Int64),
        previous_review_date=pl.col("last_review"),
        due_date=due,
        review_date=pl.lit(None, dtype=pl.Date),
        _latest_possible_due=latest_possible_due,
    )
    overdue = candidates.filter(
        pl.when(pl.col("due_date").is_not_null())
        .then(pl.col("due_date") <= as_at)
        .otherwise(pl.col("_latest_possible_due") < as_at)
    ).with_columns(_as_at=pl.lit(as_at))
    scored = _with_lateness(overdue, calendar, reference="_as_at")
    return (
        scored.with_columns(
            on_time=pl.when(pl.col("due_date").is_not_null()).then(False),
            status=pl.when(pl.col("due_date").is_null())
            .then(pl.lit(OVERDUE_DUE_DATE_UNKNOWN))
            .otherwise(pl.lit(OVERDUE_NOT_HELD)),
        )
        .select([*SCHEDULE_COLUMNS, "period_id"])
        .sort("child_id")
    )
