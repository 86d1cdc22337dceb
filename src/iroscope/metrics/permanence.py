"""Permanence: whether each child in care has a plan for a permanent home, and whether the plans are
achieved by their target dates (issue 16; decision 0024).

A plan recorded in `permanence_plans` is the plan: its type and target date are what these figures,
the permanence tracker list and the child's page read. The review's own flag
(`review_details.permanence_plan`) says only whether the IRO found a plan in place at that review; it
feeds the review figure `permanence_plan_by_second_review`, not these.

Conventions, shared by the figures and the tracker list so that they cannot disagree:
- a child's current plan on a day is their latest plan agreed on or before that day (a later plan
  replaces an earlier one; both are kept);
- a plan counts towards a period of care only if it was agreed on or after the day that period began;
- the second review is the second review of the period of care, as the statutory engine numbers it
  (`review_sequence` 2): a period that began before the data has no known second review and is left out;
- a plan is past its target date once the target day has ended without the plan being achieved.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, kpi, labelled_breakdown, rate_of
from iroscope.rules import codes

SECTION = "Care planning"
SECOND_REVIEW = 2


def current_plans(plans: pl.DataFrame, *, on: dt.date) -> pl.DataFrame:
    """Each child's current plan at the end of `on`: the latest agreed on or before it. Columns are
    the table's; `achieved_date` is blanked where the plan was achieved only after `on`."""
    agreed = plans.filter(pl.col("plan_date") <= on).sort("child_id", "plan_date")
    latest = agreed.group_by("child_id", maintain_order=True).last()
    return latest.with_columns(
        achieved_date=pl.when(pl.col("achieved_date") <= on).then(pl.col("achieved_date")),
    ).select(plans.columns)


def second_reviews(full_schedule: pl.DataFrame) -> pl.DataFrame:
    """The second review of each period of care the data holds from its start: child, the day the
    period began and the day the second review was held."""
    return full_schedule.filter(pl.col("review_sequence") == SECOND_REVIEW).select(
        "child_id", "period_start", second_review_date=pl.col("review_date")
    )


def with_plan_by(reviews: pl.DataFrame, plans: pl.DataFrame, *, by: str) -> pl.DataFrame:
    """`reviews` (one row per child and period of care, with `period_start`) with `first_plan_date`: the
    earliest plan agreed from the period's start up to and including the day in column `by` (blank if none)."""
    joined = reviews.join(plans.select("child_id", "plan_date"), on="child_id", how="left")
    in_window = (pl.col("plan_date") >= pl.col("period_start")) & (pl.col("plan_date") <= pl.col(by))
    return (
        joined.with_columns(plan_date=pl.when(in_window).then(pl.col("plan_date")))
        .group_by(reviews.columns, maintain_order=True)
        .agg(first_plan_date=pl.col("plan_date").min())
    )


def past_target(current: pl.DataFrame, *, on: dt.date) -> pl.DataFrame:
    """Of `current_plans(..., on=on)`, those whose target day has ended by the end of `on` unachieved."""
    return current.filter(
        pl.col("target_date").is_not_null() & (pl.col("target_date") <= on) & pl.col("achieved_date").is_null()
    )


def plans_recorded(dataset: Dataset) -> bool:
    """Whether the service records permanence plans here at all."""
    return not dataset["permanence_plans"].is_empty()


def _plans(dataset: Dataset) -> pl.DataFrame:
    return dataset["permanence_plans"]


def _by_second_review_records(context: MetricContext) -> pl.DataFrame:
    in_year = second_reviews(context.full_schedule).filter(
        pl.col("second_review_date").is_between(context.period.start, context.period.end)
    )
    found = with_plan_by(in_year, _plans(context.dataset), by="second_review_date")
    return found.with_columns(
        review_date=pl.col("second_review_date"), counted=pl.col("first_plan_date").is_not_null()
    ).sort("second_review_date", "child_id")


@kpi(
    id="children_with_permanence_plan_by_second_review",
    title="Children with a permanence plan by their second review",
    definition="Children whose second review of a period of care was held during the period who had a permanence "
    "plan recorded, agreed on or before the day of that review and since they came into care, of all children "
    "whose second review was held during the period. A child who came into care before the earliest data has no "
    "known second review and is left out.",
    details_meaning="Plans are read from permanence_plans; the review's own permanence_plan flag is not used.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_by_second_review_records,
    dated_by="review_date",
)
def children_with_permanence_plan_by_second_review(context: MetricContext) -> Figure:
    return rate_of(_by_second_review_records(context))


def _current_at_end(context: MetricContext) -> pl.DataFrame:
    """The current plan of each child in care at the end of the period."""
    in_care = context.in_care_at_end.select("child_id").unique()
    return current_plans(_plans(context.dataset), on=context.period.end).join(in_care, on="child_id", how="semi")


def _past_target_records(context: MetricContext) -> pl.DataFrame:
    return past_target(_current_at_end(context), on=context.period.end).sort("target_date", "child_id")


@kpi(
    id="permanence_plans_past_target",
    title="Permanence plans past their target date at the year end",
    definition="Children in care at the end of the period whose current permanence plan (the latest agreed) had "
    "not been achieved by its target date, the target date being on or before the period's last day.",
    unit=Unit.COUNT,
    section=SECTION,
    records=_past_target_records,
)
def permanence_plans_past_target(context: MetricContext) -> Figure:
    return Figure(_past_target_records(context).height)


@kpi(
    id="permanence_plans_by_type",
    title="Permanence plans by type",
    definition="Children in care at the end of the period who had a permanence plan, by the kind of permanence "
    "their current plan (the latest agreed) aims for.",
    unit=Unit.COUNT,
    section=SECTION,
    records=_current_at_end,
)
def permanence_plans_by_type(context: MetricContext) -> Figure:
    return labelled_breakdown(_current_at_end(context), "plan_type", codes.PERMANENCE_PLAN_TYPE)
