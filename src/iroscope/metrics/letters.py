"""Letters to children after their reviews (docs/decisions/0022-letters-to-children.md): which were
sent within the service's timescale, and which are still to be sent past it. A service that does not
record its letters in iroscope has no rows in `review_letters`; the report and the dashboard then leave
the figure out rather than show none sent."""

from __future__ import annotations

import datetime as dt

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, kpi, rate_of
from iroscope.rules.calendar import WorkingDayCalendar

SECTION = "Reviews"
LETTERS_TABLE = "review_letters"
KPI_ID = "letters_sent_on_time"


def letters_recorded(dataset: Dataset) -> bool:
    """Whether the service records its letters to children here at all."""
    return not dataset[LETTERS_TABLE].is_empty()


def with_letters(reviews: pl.DataFrame, *, dataset: Dataset, calendar: WorkingDayCalendar) -> pl.DataFrame:
    """`reviews` (with `child_id` and `review_date`) with each review's letter (`finalised_date`,
    `sent_date`, `has_letter`) and `deadline`: the last day its letter is sent on time,
    `letter_sent_working_days` working days after the review."""
    letters = dataset[LETTERS_TABLE].select(
        "child_id", "review_date", "finalised_date", "sent_date", has_letter=pl.lit(True)
    )
    joined = reviews.join(letters, on=["child_id", "review_date"], how="left").with_columns(
        pl.col("has_letter").fill_null(False)
    )
    days = dataset.practice.letter_sent_working_days
    return joined.with_columns(calendar.add_working_days(joined["review_date"], days).alias("deadline"))


def _letter_records(context: MetricContext) -> pl.DataFrame:
    held = with_letters(
        context.reviews_in_period.select("child_id", "review_date"), dataset=context.dataset, calendar=context.calendar
    )
    due = held.filter(pl.col("deadline") <= context.period.end)
    if not due["has_letter"].any():  # no letter recorded for any of them: the practice had not started
        due = due.clear()
    return due.with_columns(counted=pl.col("sent_date").is_not_null() & (pl.col("sent_date") <= pl.col("deadline")))


@kpi(
    id=KPI_ID,
    title="Letters to children sent on time",
    definition="Reviews held during the period whose letter to the child about the review was sent within the "
    "service's timescale (default 20 working days after the review), of reviews held whose letter was due by the "
    "end of the period. It counts reviews, not children. Shown only by services that record their letters, "
    "and not for a period in which none of those reviews has a letter recorded (before the practice began).",
    details_meaning="From review_letters.sent_date against review_date plus letter_sent_working_days working days.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_letter_records,
    dated_by="review_date",
    due_by="deadline",
)
def letters_sent_on_time(context: MetricContext) -> Figure:
    return rate_of(_letter_records(context))


def letter_state(*, has_letter: bool, finalised: dt.date | None, sent: dt.date | None, as_at: dt.date) -> str:
    """Where a review's letter stands on a day, in words for the list."""
    if sent is not None and sent <= as_at:
        return "Sent"
    if not has_letter:
        return "Not written"
    return "Final, not sent" if finalised is not None else "Draft"
