"""Each looked-after child's position on a given day: their next review, the midway review before it,
and the IRO allocated to them. The casework pages and the operational lists both read these, so a
due date on a child's page and the same due date on a list cannot differ.

Nothing here works out a due date: `rules.schedule.reviews_overdue_on` does, exactly as it does for
the annual report's "overdue at the end of the year". A review is overdue once the day it was due has
passed without it: on the as-at day a review due that day is still due, with 0 days to go, because
the regulations allow it to be held that day (the annual report counts the position after its last
day, so on that one day a review due then is overdue in the report and due on the lists). Reviews held
on the as-at day count. Only what was known on the as-at day is used (no review held later, no
episode that began later, no period of care ended later), so a past day is seen as it was then.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.rules.calendar import WorkingDayCalendar, add_months, england_calendar
from iroscope.rules.practice import midway_review_due
from iroscope.rules.schedule import LATER_REVIEW_MONTHS, OVERDUE_DUE_DATE_UNKNOWN, reviews_overdue_on

# The same words the casework pages use for a child's next review.
DUE: Final = "due"
OVERDUE: Final = "overdue"
DUE_DATE_UNKNOWN: Final = "due date unknown"
OVERDUE_DATE_UNKNOWN: Final = "overdue, due date unknown"

NEXT_REVIEW_COLUMNS: Final = {
    "child_id": pl.String,
    "period_id": pl.Int64,
    "period_start": pl.Date,
    "review_sequence": pl.Int64,
    "previous_review_date": pl.Date,
    "due_date": pl.Date,
    "status": pl.String,
    "days_to_go": pl.Int64,
    "working_days_overdue": pl.Int64,
}
MIDWAY_COLUMNS: Final = {
    "child_id": pl.String,
    "previous_review_date": pl.Date,
    "next_review_due": pl.Date,
    "midway_due_date": pl.Date,
    "midway_completed_date": pl.Date,
}
ALLOCATION_COLUMNS: Final = {"child_id": pl.String, "iro_id": pl.String, "iro_name": pl.String}
ONE_DAY: Final = dt.timedelta(days=1)


def known_on(*, episodes: pl.DataFrame, reviews: pl.DataFrame, as_at: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Episodes and reviews as they stood at the end of `as_at`: later episodes and reviews dropped,
    and an episode that ended later shown open (its end, and why it ended, were not yet known)."""
    ended_later = pl.col("end_date").is_not_null() & (pl.col("end_date") > as_at)
    seen = episodes.filter(pl.col("start_date") <= as_at).with_columns(
        end_date=pl.when(ended_later).then(None).otherwise(pl.col("end_date")),
        reason_ceased=pl.when(ended_later).then(None).otherwise(pl.col("reason_ceased")),
    )
    return seen, reviews.filter(pl.col("review_date") <= as_at)


def next_reviews_at(*, dataset: Dataset, as_at: dt.date, calendar: WorkingDayCalendar | None = None) -> pl.DataFrame:
    """One row per child in a regulation-33 period of care at the end of `as_at`, with their next
    review (columns `NEXT_REVIEW_COLUMNS`).

    `status` is DUE (due on `as_at` or later), OVERDUE (due before it and not held), DUE_DATE_UNKNOWN
    (the data cannot tell when, decision 0002) or OVERDUE_DATE_UNKNOWN (the data cannot tell when, but
    it is certainly overdue). `days_to_go` is calendar days from `as_at` to the due date, negative
    when overdue and 0 when due that day; `working_days_overdue` is the engine's working days late.
    """
    if not dataset.years:
        return pl.DataFrame(schema=NEXT_REVIEW_COLUMNS)
    calendar = calendar or england_calendar()
    episodes, reviews = known_on(episodes=dataset["episodes"], reviews=dataset["reviews"], as_at=as_at)
    data_start = dataset.data_start
    # Every open period's next review falls due within the longest interval the regulations allow
    # after the last review held (or after the data begins), so looking that far ahead finds each
    # child's next review; the day after makes "certainly overdue" (strictly later) hold on the last day.
    horizon = add_months(as_at, LATER_REVIEW_MONTHS) + ONE_DAY
    overdue, ahead = reviews_overdue_on(
        episodes=episodes, reviews=reviews, days=[as_at, horizon], data_start=data_start, calendar=calendar
    )
    overdue = overdue.filter(pl.col("due_date").is_null() | (pl.col("due_date") < as_at))  # due today: not yet
    upcoming = ahead.join(overdue.select("period_id"), on="period_id", how="anti").with_columns(
        status=pl.when(pl.col("due_date").is_null()).then(pl.lit(DUE_DATE_UNKNOWN)).otherwise(pl.lit(DUE)),
        working_days_late=pl.lit(None, dtype=pl.Int64),
    )
    late = overdue.with_columns(
        status=pl.when(pl.col("status") == OVERDUE_DUE_DATE_UNKNOWN)
        .then(pl.lit(OVERDUE_DATE_UNKNOWN))
        .otherwise(pl.lit(OVERDUE))
    )
    combined = pl.concat([late, upcoming], how="vertical_relaxed")
    return (
        combined.with_columns(
            days_to_go=(pl.col("due_date") - pl.lit(as_at)).dt.total_days(),
            working_days_overdue=pl.col("working_days_late"),
        )
        .select([pl.col(name).cast(dtype) for name, dtype in NEXT_REVIEW_COLUMNS.items()])
        .sort("child_id", "period_id")
    )


def midway_reviews_at(*, dataset: Dataset, as_at: dt.date, next_reviews: pl.DataFrame | None = None) -> pl.DataFrame:
    """The midway review of each child whose next review is on the 6-month cycle (not the second
    review of a period, which follows the first by 3 months), due as `rules.practice.midway_review_due`
    says between the last review and the next one's due date; with the day it was done, if a midway
    review was recorded after the last review and by `as_at`. Columns `MIDWAY_COLUMNS`."""
    reviews = next_reviews if next_reviews is not None else next_reviews_at(dataset=dataset, as_at=as_at)
    between = reviews.filter(
        pl.col("previous_review_date").is_not_null()
        & pl.col("due_date").is_not_null()
        & (pl.col("review_sequence").is_null() | (pl.col("review_sequence") != 2))
    )
    due = [
        midway_review_due(previous_review=previous, next_review_due=next_due, practice=dataset.practice)
        for previous, next_due in between.select("previous_review_date", "due_date").iter_rows()
    ]
    midways = between.select("child_id", "previous_review_date", next_review_due=pl.col("due_date")).with_columns(
        midway_due_date=pl.Series(due, dtype=pl.Date)
    )
    recorded = dataset["midway_reviews"].filter(pl.col("midway_date") <= as_at).select("child_id", "midway_date")
    done = (
        midways.join(recorded, on="child_id", how="inner")
        .filter(pl.col("midway_date") > pl.col("previous_review_date"))
        .group_by("child_id")
        .agg(midway_completed_date=pl.col("midway_date").max())
    )
    return (
        midways.join(done, on="child_id", how="left")
        .select([pl.col(name).cast(dtype) for name, dtype in MIDWAY_COLUMNS.items()])
        .sort("child_id")
    )


def current_allocations_at(*, dataset: Dataset, as_at: dt.date) -> pl.DataFrame:
    """The allocation of each child current on `as_at` (from that day or before, until that day or
    later); the latest allocation wins if the data holds two. Columns `child_id`, `iro_id` and
    `allocated_from`. Each child's row depends only on that child's allocations."""
    return current_allocations(dataset["iro_allocations"], as_at=as_at)


def current_allocations(allocations: pl.DataFrame, *, as_at: dt.date) -> pl.DataFrame:
    """`current_allocations_at` from the rows of the iro_allocations table given (one child's, say)."""
    current = allocations.filter(
        (pl.col("start_date") <= as_at) & (pl.col("end_date").is_null() | (pl.col("end_date") >= as_at))
    )
    return (
        current.sort("child_id", "start_date")
        .unique("child_id", keep="last", maintain_order=True)
        .select(
            pl.col("child_id").cast(pl.String), pl.col("iro_id").cast(pl.String), allocated_from=pl.col("start_date")
        )
    )


def allocated_iro_on(allocations: pl.DataFrame, *, child_id: str, on: dt.date) -> str | None:
    """The IRO allocated to one child on `on` (`current_allocations`: the latest-starting allocation
    covering the day, so a reallocation counts from its start date), or None. The one answer the
    caseload, the lists, the dashboard and every permission check in the workspace ask for."""
    current = current_allocations(allocations.filter(pl.col("child_id") == child_id), as_at=on)
    return None if current.is_empty() else str(current["iro_id"][0])


def allocated_iros_at(*, dataset: Dataset, as_at: dt.date) -> pl.DataFrame:
    """The IRO allocated to each child on `as_at` (`current_allocations_at`), with the IRO's name.
    Columns `ALLOCATION_COLUMNS`."""
    names = dataset["iro_staff"].select("iro_id", iro_name=pl.col("name")).unique("iro_id")
    return (
        current_allocations_at(dataset=dataset, as_at=as_at)
        .join(names, on="iro_id", how="left")
        .select([pl.col(name).cast(dtype) for name, dtype in ALLOCATION_COLUMNS.items()])
    )


def reviews_booked(dataset: Dataset) -> pl.DataFrame:
    """Each child's review booked and not yet held: the earliest booking for a day after their latest
    review held (in `reviews`, or `review_details` for a short break), made on or after the day of that
    review. A booking made before a review that was then held earlier than booked was for that review:
    it was held, only sooner. Columns `child_id` and the booking's (`scheduled_date`, `format`,
    `booked_date`, `invitations_sent_date`); one row a child."""
    held = (
        pl.concat([dataset[table].select("child_id", "review_date") for table in ("reviews", "review_details")])
        .group_by("child_id")
        .agg(last_held=pl.col("review_date").max())
    )
    return (
        dataset["scheduled_reviews"]
        .join(held, on="child_id", how="left")
        .filter(
            pl.col("last_held").is_null()
            | (
                (pl.col("scheduled_date") > pl.col("last_held"))
                & (pl.col("booked_date").is_null() | (pl.col("booked_date") >= pl.col("last_held")))
            )
        )
        .sort("child_id", "scheduled_date")
        .unique("child_id", keep="first", maintain_order=True)
        .select("child_id", "scheduled_date", "format", "booked_date", "invitations_sent_date")
    )
