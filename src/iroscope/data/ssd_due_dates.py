"""The review due dates an SSD export carries, compared with regulation 33's (docs/decisions/0027).

iroscope works every due date out itself, from the periods of care and the reviews held; a system's
own due date is shown only as a comparison, by child, with the likely cause of a difference (some
systems count 91 and 183 days instead of 3 and 6 months)."""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from iroscope.data.dataset import (
    FILE_COLUMN,
    ROW_COLUMN,
    Dataset,
)
from iroscope.data.problems import WARNING, Problems
from iroscope.data.ssd import SsdExport
from iroscope.rules.calendar import MONTH_NAMES, WorkingDayCalendar, england_calendar
from iroscope.rules.schedule import review_schedule

# Why a system's due date differs from regulation 33's, by what it counted from the review before.
CAUSE_91_DAYS: Final = "counts 91 days instead of 3 months"
CAUSE_183_DAYS: Final = "counts 183 days instead of 6 months"
CAUSE_20_DAYS: Final = "counts 20 calendar days instead of 20 working days"
CAUSE_OTHER: Final = "another rule, or a date entered by hand"

DUE_DATE_COLUMNS: Final = (
    "child_id",
    "review_date",
    "system_due_date",
    "regulation_due_date",
    "difference_days",
    "likely_cause",
)


# ---------------------------------------------------------------- due dates ------------------------


def _likely_cause(previous: dt.date | None, period_start: dt.date | None, system: dt.date) -> str:
    if previous is not None:
        if system == previous + dt.timedelta(days=91):
            return CAUSE_91_DAYS
        if system == previous + dt.timedelta(days=183):
            return CAUSE_183_DAYS
    elif period_start is not None and system == period_start + dt.timedelta(days=20):
        return CAUSE_20_DAYS
    return CAUSE_OTHER


def due_date_differences(
    *,
    episodes: pl.DataFrame,
    reviews: pl.DataFrame,
    system_due_dates: pl.DataFrame,
    data_start: dt.date,
    calendar: WorkingDayCalendar | None = None,
) -> pl.DataFrame:
    """Each held review whose system due date differs from regulation 33's (worked out by the review
    schedule from the periods of care and reviews held), by child and review date: `DUE_DATE_COLUMNS`
    plus the file and row of the system's date. The difference is the system's date less regulation
    33's, in calendar days; a review whose regulation 33 due date is not knowable is left out."""
    schedule = review_schedule(
        episodes=episodes, reviews=reviews, data_start=data_start, calendar=calendar or england_calendar()
    ).select(
        "child_id",
        "review_date",
        "period_start",
        "previous_review_date",
        pl.col("due_date").alias("regulation_due_date"),
    )
    compared = system_due_dates.join(schedule, on=["child_id", "review_date"], how="inner").filter(
        pl.col("regulation_due_date").is_not_null() & (pl.col("system_due_date") != pl.col("regulation_due_date"))
    )
    causes = [
        _likely_cause(previous, start, system)
        for previous, start, system in compared.select(
            "previous_review_date", "period_start", "system_due_date"
        ).iter_rows()
    ]
    return (
        compared.with_columns(
            difference_days=(pl.col("system_due_date") - pl.col("regulation_due_date")).dt.total_days(),
            likely_cause=pl.Series(causes, dtype=pl.String),
        )
        .select(*DUE_DATE_COLUMNS, FILE_COLUMN, ROW_COLUMN)
        .sort("child_id", "review_date")
    )


def read_ssd_due_dates(dataset: Dataset, export: SsdExport, problems: Problems) -> None:
    """Compare the export's due dates with regulation 33's over the dataset's periods of care and reviews
    (whichever source they came from), keep the differences on the export and report each one."""
    if not dataset.years or export.system_due_dates.is_empty():
        export.due_date_differences = None
        return
    export.due_date_differences = due_date_differences(
        episodes=dataset["episodes"],
        reviews=dataset["reviews"],
        system_due_dates=export.system_due_dates,
        data_start=dataset.data_start,
    )
    report_due_date_differences(export.due_date_differences, problems)


def report_due_date_differences(differences: pl.DataFrame, problems: Problems) -> None:
    """One located warning per review whose system due date differs from regulation 33's."""
    problems.add_rows(
        differences.select(
            pl.col(FILE_COLUMN).alias("file"),
            pl.col(ROW_COLUMN).alias("row"),
            pl.col("child_id").alias("child"),
            pl.col("system_due_date").dt.strftime("%Y-%m-%d").alias("value"),
            pl.format(
                "Child {}'s review on {}: the system's due date is {}, regulation 33's is {} ({} {}); likely "
                "cause: {}. iroscope uses regulation 33's.",
                pl.col("child_id"),
                _long_date_expr("review_date"),
                _long_date_expr("system_due_date"),
                _long_date_expr("regulation_due_date"),
                pl.when(pl.col("difference_days").abs() == 1)
                .then(pl.lit("1 day"))
                .otherwise(pl.format("{} days", pl.col("difference_days").abs())),
                pl.when(pl.col("difference_days") > 0).then(pl.lit("later")).otherwise(pl.lit("earlier")),
                pl.col("likely_cause"),
            ).alias("message"),
        ),
        severity=WARNING,
        check="system_due_date",
        column="clar_cla_review_due_date",
    )


def _long_date_expr(column: str) -> pl.Expr:
    """A date column as 3 March 2025 (month names written out, whatever the locale)."""
    months = dict(enumerate(("", *MONTH_NAMES)))
    return pl.format(
        "{} {} {}",
        pl.col(column).dt.day(),
        pl.col(column).dt.month().replace_strict(months, return_dtype=pl.String),
        pl.col(column).dt.year(),
    )
