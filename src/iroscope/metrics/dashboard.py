"""The service dashboard's figures: the headline KPIs for a period beside the same period a year
earlier, and month by month, for the whole service, one IRO or one team. Every figure comes from the
KPI registry, exactly as the annual report's do; this module only chooses periods and children."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from iroscope.data.dataset import Dataset, collection_year_of, year_start
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import KPI, Figure, all_kpis
from iroscope.rules.calendar import add_months, long_date

# What a manager looks at first (issue 5): timeliness, overdue, participation and attendance, midway
# reviews, children seen, records and decisions sent on time, disputes, caseloads.
HEADLINE_KPIS = (
    "reviews_held",
    "reviews_on_time",
    "reviews_overdue_not_held",
    "participation_rate",
    "attendance_rate",
    "midway_reviews_completed",
    "children_seen_before_review",
    "records_distributed_on_time",
    "decisions_on_time",
    "disputes_raised",
    "disputes_open_past_timescale",
    "caseload_per_iro",
)
# The seeds' month-by-month tables.
TREND_KPIS = (
    "reviews_held",
    "reviews_on_time",
    "participation_rate",
    "midway_reviews_completed",
    "children_seen_before_review",
    "records_distributed_on_time",
)


def year_to_date(as_at: dt.date) -> Period:
    start = year_start(collection_year_of(as_at))
    return Period(start, as_at, f"{long_date(start)} to {long_date(as_at)}")


def month_range(first: dt.date, last: dt.date) -> Period:
    """From the first day of `first`'s month to the last day of `last`'s month."""
    start = first.replace(day=1)
    end = add_months(last.replace(day=1), 1) - dt.timedelta(days=1)
    if end < start:
        raise ValueError("The last month is before the first")
    one_month = (start.year, start.month) == (end.year, end.month)
    label = f"{start:%B %Y}" if one_month else f"{start:%B %Y} to {end:%B %Y}"
    return Period(start, end, label)


def same_period_last_year(period: Period) -> Period:
    """The same days a year earlier (29 February becomes 28 February)."""
    start, end = add_months(period.start, -12), add_months(period.end, -12)
    return Period(start, end, f"{long_date(start)} to {long_date(end)}")


def months_in(period: Period) -> list[Period]:
    """The calendar months of a period, the first and last cut to the period."""
    months: list[Period] = []
    start = period.start
    while start <= period.end:
        next_month = add_months(start.replace(day=1), 1)
        end = min(next_month - dt.timedelta(days=1), period.end)
        months.append(Period(start, end, f"{start:%B %Y}"))
        start = next_month
    return months


def covers(dataset: Dataset, period: Period) -> bool:
    """Whether the data holds the whole period: a figure for a period before the first return or after
    the last would be computed from missing data."""
    return bool(dataset.years) and dataset.data_start <= period.start and period.end <= dataset.data_end


def children_allocated(dataset: Dataset, *, iro_ids: Collection[str], period: Period) -> set[str]:
    """Children allocated to any of these IROs at any time in the period (a child who changed IRO
    counts for both)."""
    allocations = dataset["iro_allocations"].filter(
        pl.col("iro_id").is_in(list(iro_ids))
        & (pl.col("start_date") <= period.end)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= period.start))
    )
    return set(allocations["child_id"].to_list())


def iros_in_team(dataset: Dataset, team: str) -> list[str]:
    return sorted(dataset["iro_staff"].filter(pl.col("team") == team)["iro_id"].to_list())


def teams(dataset: Dataset) -> list[str]:
    return sorted(dataset["iro_staff"]["team"].drop_nulls().unique().to_list())


def for_iros(dataset: Dataset, *, iro_ids: Collection[str], period: Period) -> Dataset:
    """The data as one IRO or team sees it: their children's rows and their own staff rows."""
    return dataset.restricted(child_ids=children_allocated(dataset, iro_ids=iro_ids, period=period), iro_ids=iro_ids)


@dataclass(frozen=True)
class Headline:
    kpi: KPI
    figure: Figure
    last_year: Figure | None  # None when the data does not hold the same period a year earlier

    @property
    def change(self) -> float | None:
        """The difference from last year, in the KPI's own unit (percentage points for a rate)."""
        if self.last_year is None or self.figure.value is None or self.last_year.value is None:
            return None
        return round(self.figure.value - self.last_year.value, 1)


@dataclass(frozen=True)
class Trend:
    kpi: KPI
    months: tuple[tuple[Period, Figure], ...]


@dataclass(frozen=True)
class Dashboard:
    period: Period
    comparison: Period | None
    headlines: tuple[Headline, ...]
    trends: tuple[Trend, ...]


def build_dashboard(
    dataset: Dataset,
    period: Period,
    *,
    headline_ids: tuple[str, ...] = HEADLINE_KPIS,
    trend_ids: tuple[str, ...] = TREND_KPIS,
) -> Dashboard:
    """The headline KPIs for `period` and the same period last year (when the data holds it), and the
    trend KPIs for each month of `period`. Filter the dataset first (`for_iros`) for one IRO or team."""
    kpis = all_kpis()
    context = MetricContext(dataset, period)
    comparison = same_period_last_year(period)
    earlier = context.for_period(comparison) if covers(dataset, comparison) else None
    headlines = tuple(
        Headline(kpis[kpi_id], kpis[kpi_id].compute(context), kpis[kpi_id].compute(earlier) if earlier else None)
        for kpi_id in headline_ids
    )
    monthly = [context.for_period(month) for month in months_in(period)]
    trends = tuple(Trend(kpis[kpi_id], month_by_month(kpis[kpi_id], context, monthly)) for kpi_id in trend_ids)
    return Dashboard(period, comparison if earlier else None, headlines, trends)


def month_by_month(kpi: KPI, context: MetricContext, months: list[MetricContext]) -> tuple[tuple[Period, Figure], ...]:
    """The KPI for each month of `context`'s period (`months`: a context for each): from the whole
    period's records, each month taking those dated in it, when the KPI allows (`KPI.dated_by`);
    otherwise worked out for each month on its own."""
    if kpi.dated_by is None or kpi.records is None:
        return tuple((month.period, kpi.compute(month)) for month in months)
    records = kpi.records(context)
    return tuple((month.period, kpi.figure_of(kpi.records_in(records, month.period))) for month in months)
