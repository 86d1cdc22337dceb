"""The service dashboard's figures: the headline KPIs for a period beside the same period a year
earlier, and month by month, for the whole service, one IRO or one team. Every figure comes from the
KPI registry, exactly as the annual report's do; this module only chooses periods and children."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import polars as pl

from iroscope.data.benchmark import PUBLISHED_AREA_SUFFIX
from iroscope.data.dataset import Dataset, collection_year_label, collection_year_of, year_start
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.decisions import decisions_recorded
from iroscope.metrics.forecast import Forecast, ForecastError, forecast
from iroscope.metrics.letters import letters_recorded
from iroscope.metrics.meetings import NO_REASON_RECORDED
from iroscope.metrics.permanence import plans_recorded
from iroscope.metrics.registry import KPI, NOT_RECORDED, Figure, all_kpis
from iroscope.rules.calendar import add_months, long_date

# What a manager looks at first (issue 5): timeliness, overdue, participation and attendance, midway
# reviews, children seen, records and decisions sent on time, disputes, caseloads; permanence (issue 16).
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
    "letters_sent_on_time",
    "disputes_raised",
    "disputes_open_past_timescale",
    "caseload_per_iro",
    "iro_allocated_in_time",
    "decisions_done_by_their_date",
    "decisions_open_past_date",
    "children_with_permanence_plan_by_second_review",
    "permanence_plans_past_target",
)
# Headlines about work a service may record elsewhere: shown only when it records it here, so that a
# service writing its letters to children outside iroscope is not shown none of them sent (nor one
# keeping its permanence plans elsewhere none of them in place).
RECORDED_ONLY: dict[str, Callable[[Dataset], bool]] = {
    "letters_sent_on_time": letters_recorded,
    "children_with_permanence_plan_by_second_review": plans_recorded,
    "permanence_plans_past_target": plans_recorded,
    "decisions_done_by_their_date": decisions_recorded,
    "decisions_open_past_date": decisions_recorded,
}
# The seeds' month-by-month tables.
TREND_KPIS = (
    "reviews_held",
    "reviews_on_time",
    "participation_rate",
    "midway_reviews_completed",
    "children_seen_before_review",
    "records_distributed_on_time",
)
# Counts by reason or result, each shown as a small table when anything is recorded (decision 0021).
BREAKDOWN_KPIS = (
    "late_reviews_by_recorded_reason",
    "non_attendance_reasons",
    "child_chaired_reviews",
    "challenge_impact",
    "permanence_plans_by_type",
)
NOTHING_RECORDED = frozenset({NOT_RECORDED, NO_REASON_RECORDED})
# Of those, the counts of what stands on the period's last day rather than what happened during it.
AT_PERIOD_END = frozenset({"permanence_plans_by_type"})


def headlines_shown(dataset: Dataset, headline_ids: tuple[str, ...] = HEADLINE_KPIS) -> tuple[str, ...]:
    """The headlines the dashboard shows for this dataset: all but those about work it does not record."""
    return tuple(kpi_id for kpi_id in headline_ids if kpi_id not in RECORDED_ONLY or RECORDED_ONLY[kpi_id](dataset))


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
    return Scope(dataset, period, iro_ids=iro_ids).own_data


RecordsOf = Callable[[KPI, Period], pl.DataFrame]
"""The whole service's records of a KPI for a period (`KPI.records`)."""


def service_records(dataset: Dataset, kpi: KPI, period: Period) -> pl.DataFrame:
    """A KPI's records for a period, worked out over the whole dataset. Each child's records depend
    on that child's rows only (a test checks every KPI with records), so a caller may keep them and
    work out again only the changed children's (the workspace does)."""
    assert kpi.records is not None, kpi.id
    return kpi.records(MetricContext(dataset, period))


class Scope:
    """Whose figures: the whole service's or, given `iro_ids`, those of the children allocated to these
    IROs at any time in `period` (a child who changed IRO counts for both).

    A KPI with records gives the chosen children's figure from the whole service's records about them:
    each child's records depend on that child's own rows only, so they are exactly the records the
    KPI gives over the children's rows alone (a test checks every KPI with records), and one reading
    of the service's records serves every IRO and team. Any other KPI is worked out over the chosen
    children's rows (`own_data`)."""

    def __init__(
        self,
        dataset: Dataset,
        period: Period,
        *,
        iro_ids: Collection[str] | None = None,
        records_of: RecordsOf | None = None,
    ) -> None:
        self.dataset = dataset
        self.period = period
        self.iro_ids = None if iro_ids is None else list(iro_ids)
        self.records_of = records_of or functools.partial(service_records, dataset)
        # The chosen children's records by KPI and period: a trend's period is its headline's too.
        self._records: dict[tuple[str, Period], pl.DataFrame] = {}

    @functools.cached_property
    def children(self) -> pl.Series | None:
        if self.iro_ids is None:
            return None
        chosen = children_allocated(self.dataset, iro_ids=self.iro_ids, period=self.period)
        return pl.Series(sorted(chosen), dtype=pl.String)

    @functools.cached_property
    def own_data(self) -> Dataset:
        """The chosen children's rows and their IROs' own staff rows."""
        if self.children is None:
            return self.dataset
        return self.dataset.restricted(child_ids=self.children, iro_ids=self.iro_ids)

    def records(self, kpi: KPI, period: Period) -> pl.DataFrame:
        """The KPI's records about these children for a period (a KPI with records)."""
        key = (kpi.id, period)
        if key not in self._records:
            records = self.records_of(kpi, period)
            if self.children is not None:
                records = records.filter(pl.col("child_id").is_in(self.children.implode()))
            self._records[key] = records
        return self._records[key]

    def figure(self, kpi: KPI, period: Period) -> Figure:
        if kpi.records is None:
            return kpi.compute(MetricContext(self.own_data, period))
        return kpi.figure_of(self.records(kpi, period))

    def by_month(self, kpi: KPI) -> tuple[tuple[Period, Figure], ...]:
        """The KPI for each month of the period: from the period's records, each month taking those
        dated in it, when the KPI allows (`KPI.dated_by`); otherwise worked out for each month."""
        months = months_in(self.period)
        if kpi.dated_by is None or kpi.records is None:
            return tuple((month, self.figure(kpi, month)) for month in months)
        return tuple(zip(months, kpi.figures_by_part(self.records(kpi, self.period), months), strict=True))


@dataclass(frozen=True)
class Comparator:
    """Another area's figure for a KPI and collection year, from the stored comparators table (loaded
    from a data folder's comparators.csv, decision 0028)."""

    area: str
    value: float

    @property
    def published(self) -> bool:
        """A figure as a council's published report printed it, counted by that council's own method."""
        return self.area.endswith(PUBLISHED_AREA_SUFFIX)


def _area_order(comparator: Comparator) -> tuple[bool, bool, str]:
    """Figures counted by our definitions before published ones, England first among each."""
    return comparator.published, not comparator.area.startswith("England"), comparator.area.casefold()


def comparators_for(
    dataset: Dataset, *, kpi_ids: Iterable[str], years: Iterable[int]
) -> dict[tuple[str, int], tuple[Comparator, ...]]:
    """Other areas' figures by KPI and collection year, England first, published reports last. A KPI
    and year with none has no entry."""
    labels = {collection_year_label(year): year for year in years}
    wanted = dataset["comparators"].filter(
        pl.col("kpi_id").is_in(list(kpi_ids)) & pl.col("year").is_in(list(labels)) & pl.col("value").is_not_null()
    )
    found: dict[tuple[str, int], list[Comparator]] = {}
    for kpi_id, label, area, value in wanted.select("kpi_id", "year", "area", "value").iter_rows():
        found.setdefault((kpi_id, labels[label]), []).append(Comparator(area, float(value)))
    return {key: tuple(sorted(areas, key=_area_order)) for key, areas in found.items()}


def years_of(period: Period) -> range:
    """The collection years a period falls in, earliest first."""
    return range(collection_year_of(period.start), collection_year_of(period.end) + 1)


@dataclass(frozen=True)
class Headline:
    kpi: KPI
    figure: Figure
    last_year: Figure | None  # None when the data does not hold the same period a year earlier
    # Other areas' figures for the same collection year: only for the whole service's figure for a
    # whole collection year, since an area's figure is a whole service's over a whole year.
    comparators: tuple[Comparator, ...] = ()

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
    # Other areas' yearly figures for each collection year the months fall in that has any (the whole
    # service's trend only): yearly, so said beside the months rather than drawn as if monthly.
    comparators: tuple[tuple[int, tuple[Comparator, ...]], ...] = ()


@dataclass(frozen=True)
class Breakdown:
    """A figure shown by its parts: why reviews were late, why children did not attend, what challenge
    achieved. `shown` is False when nothing was recorded, so the page leaves it out."""

    kpi: KPI
    figure: Figure

    @property
    def rows(self) -> tuple[tuple[str, int], ...]:
        return tuple((name, int(count)) for name, count in (self.figure.breakdown or {}).items() if count)

    @property
    def shown(self) -> bool:
        """A rate with a value, or parts with anything besides "not recorded" counted."""
        if self.figure.breakdown is None:
            return self.figure.value is not None
        return any(name not in NOTHING_RECORDED for name, _ in self.rows)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    comparison: Period | None
    headlines: tuple[Headline, ...]
    trends: tuple[Trend, ...]
    breakdowns: tuple[Breakdown, ...] = ()


def build_dashboard(
    dataset: Dataset,
    period: Period,
    *,
    iro_ids: Collection[str] | None = None,
    records_of: RecordsOf | None = None,
    headline_ids: tuple[str, ...] = HEADLINE_KPIS,
    trend_ids: tuple[str, ...] = TREND_KPIS,
    breakdown_ids: tuple[str, ...] = BREAKDOWN_KPIS,
) -> Dashboard:
    """The headline KPIs for `period` and the same period last year (when the data holds it), and the
    trend KPIs for each month of `period`: for the whole service or, with `iro_ids`, for the children
    allocated to those IROs during the period (`Scope`). The whole service's figures come with other
    areas' (`comparators_for`): a headline's for a whole collection year, a trend's for each year its
    months fall in."""
    kpis = all_kpis()
    scope = Scope(dataset, period, iro_ids=iro_ids, records_of=records_of)
    comparison = same_period_last_year(period)
    compared = covers(dataset, comparison)
    shown = headlines_shown(dataset, headline_ids)
    years = years_of(period) if iro_ids is None else range(0)
    others = comparators_for(dataset, kpi_ids={*shown, *trend_ids}, years=years) if years else {}
    headlines = tuple(
        Headline(
            kpis[kpi_id],
            scope.figure(kpis[kpi_id], period),
            scope.figure(kpis[kpi_id], comparison) if compared else None,
            others.get((kpi_id, period.year), ()) if period.year is not None else (),
        )
        for kpi_id in shown
    )
    trends = tuple(
        Trend(
            kpis[kpi_id],
            scope.by_month(kpis[kpi_id]),
            tuple((year, others[kpi_id, year]) for year in years if (kpi_id, year) in others),
        )
        for kpi_id in trend_ids
    )
    # Worked out over the chosen children's rows: a figure from records alone has no categories.
    breakdowns = tuple(
        Breakdown(kpis[kpi_id], kpis[kpi_id].compute(MetricContext(scope.own_data, period))) for kpi_id in breakdown_ids
    )
    return Dashboard(period, comparison if compared else None, headlines, trends, breakdowns)


# The workload forecast's panel (decision 0029): the tables it reads, so that a change to any other
# table (a dispute, a letter) does not make it be worked out again.
FORECAST_TABLES = frozenset({"episodes", "reviews", "iro_staff", "iro_allocations", "midway_reviews"})


def workload_forecast(dataset: Dataset, *, as_at: dt.date) -> Forecast | None:
    """The whole service's workload for the 12 months after `as_at` (the workspace's today), or None
    when the data cannot give one (no return yet)."""
    try:
        return forecast(dataset, as_at=as_at)
    except ForecastError:
        return None
