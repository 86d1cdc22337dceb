"""Care leavers' pathway plan reviews chaired by the IRO service (Cheshire East's report counts them).
They come from the optional `pathway_plan_reviews` activity table; with none recorded, each figure has
no denominator and the report says nothing about them."""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, kpi, rate_of

SECTION = "The IRO service"


def _held_in_period(context: MetricContext) -> pl.DataFrame:
    return context.dataset["pathway_plan_reviews"].filter(
        pl.col("review_date").is_between(context.period.start, context.period.end)
    )


def _chaired_records(context: MetricContext) -> pl.DataFrame:
    return (
        _held_in_period(context)
        .filter(pl.col("chaired_by_iro_service").is_not_null())
        .with_columns(counted=pl.col("chaired_by_iro_service") == "Y")
    )


@kpi(
    id="pathway_plan_reviews_chaired",
    title="Pathway plan reviews chaired by the IRO service",
    definition="Reviews of care leavers' pathway plans held during the period that an IRO from the IRO service "
    "chaired, of those reviews where the service recorded who chaired.",
    details_meaning="From the optional pathway_plan_reviews table; not_recorded counts reviews held in the "
    "period with chaired_by_iro_service blank.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_chaired_records,
    dated_by="review_date",
)
def pathway_plan_reviews_chaired(context: MetricContext) -> Figure:
    records = _chaired_records(context)
    return rate_of(records).with_details({"not_recorded": _held_in_period(context).height - records.height})


def _on_time_records(context: MetricContext) -> pl.DataFrame:
    return (
        _held_in_period(context)
        .filter((pl.col("chaired_by_iro_service") == "Y") & pl.col("due_date").is_not_null())
        .with_columns(counted=pl.col("review_date") <= pl.col("due_date"))
    )


@kpi(
    id="pathway_plan_reviews_on_time",
    title="Pathway plan reviews chaired by the IRO service held on time",
    definition="Reviews of care leavers' pathway plans chaired by the IRO service during the period that were "
    "held on or before the date they were due, of those whose due date was recorded.",
    details_meaning="From the optional pathway_plan_reviews table; due_date_unknown counts reviews chaired by the "
    "IRO service in the period with due_date blank.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_on_time_records,
    dated_by="review_date",
)
def pathway_plan_reviews_on_time(context: MetricContext) -> Figure:
    records = _on_time_records(context)
    chaired = _held_in_period(context).filter(pl.col("chaired_by_iro_service") == "Y").height
    return rate_of(records).with_details({"due_date_unknown": chaired - records.height})
