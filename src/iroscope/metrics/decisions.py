"""The decisions (recommendations) of reviews, tracked to completion: how many of those due were done by
their date, and how many were still open past it at the period's end.

A decision is open until it is marked done, not done or no longer needed; one marked after the period's
end was still open at the end. Both figures are only about services that record decisions: with no
decision in the data the report and the dashboard leave them out rather than say "0 of 0"
(`report.decisions`, `metrics.dashboard.RECORDED_ONLY`).
"""

from __future__ import annotations

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, kpi, rate_of

SECTION = "Reviews"
TABLE = "review_decisions"
DONE = "DONE"
NO_LONGER_NEEDED = "NO_LONGER_NEEDED"


def decisions_recorded(dataset: Dataset) -> bool:
    """Whether the service records the decisions of its reviews here at all."""
    return not dataset[TABLE].is_empty()


def _due_in_period(context: MetricContext) -> pl.DataFrame:
    """Decisions due during the period and not marked no longer needed (by the period's end): each
    `counted` when marked done on or before the day it was due, and that by the period's end."""
    end = context.period.end
    decisions = context.dataset["review_decisions"]
    marked_by_end = pl.col("status_date").is_not_null() & (pl.col("status_date") <= end)
    return (
        decisions.filter(pl.col("due_date").is_between(context.period.start, end))
        .filter(~((pl.col("status") == NO_LONGER_NEEDED) & marked_by_end).fill_null(False))
        .with_columns(
            counted=(
                (pl.col("status") == DONE) & marked_by_end & (pl.col("status_date") <= pl.col("due_date"))
            ).fill_null(False)
        )
        .sort("due_date", "decision_id")
    )


def _open_past_date_at_end(context: MetricContext) -> pl.DataFrame:
    """Decisions of children in care at the period's end, made by then, due before its last day, and not
    marked anything by the end. A child who has left care has no more reviews: what was still open for
    them is not the IRO's to chase."""
    end = context.period.end
    decisions = context.dataset["review_decisions"].join(context.in_care_at_end, on="child_id", how="semi")
    unmarked = pl.col("status").is_null() | pl.col("status_date").is_null() | (pl.col("status_date") > end)
    return decisions.filter((pl.col("review_date") <= end) & (pl.col("due_date") < end) & unmarked).sort(
        "due_date", "decision_id"
    )


@kpi(
    id="decisions_done_by_their_date",
    title="Decisions completed by their date",
    definition="Decisions made at reviews that were due to be done during the period, and that were marked done on "
    "or before the date they were due, of all decisions due during the period. Decisions marked no longer needed are "
    "left out of the count altogether, as there was nothing left to do. A decision marked not done, or still open, "
    "counts as not done by its date. Only shown when the service records the decisions of its reviews.",
    details_meaning="From the review_decisions table: status DONE with status_date on or before due_date; "
    "NO_LONGER_NEEDED (marked by the period's end) is excluded from the base.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_due_in_period,
)
def decisions_done_by_their_date(context: MetricContext) -> Figure:
    return rate_of(_due_in_period(context))


@kpi(
    id="decisions_open_past_date",
    title="Decisions open past their date at the end of the period",
    definition="Decisions made at reviews of children in care at the end of the period that were due to be done "
    "before its last day and had not been marked done, not done or no longer needed by the end of it. A child who "
    "has left care is not counted. Only shown when the service records the decisions of its reviews.",
    details_meaning="From the review_decisions table: due_date before the period's end, status blank (or recorded "
    "after the end).",
    unit=Unit.COUNT,
    section=SECTION,
    records=_open_past_date_at_end,
)
def decisions_open_past_date(context: MetricContext) -> Figure:
    return Figure(_open_past_date_at_end(context).height)
