"""What the dashboard shows, read from the metrics engine (`iroscope.metrics.dashboard`) exactly as the
annual report reads it: this module only chooses the period and the children, and words the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from iroscope.data.dataset import Dataset, collection_year_label
from iroscope.metrics.context import Period
from iroscope.metrics.dashboard import (
    Comparator,
    Dashboard,
    Headline,
    RecordsOf,
    Scope,
    build_dashboard,
    iros_in_team,
    month_range,
    year_to_date,
)
from iroscope.metrics.registry import KPI, Figure, Unit, all_kpis
from iroscope.report import words
from iroscope.rules.calendar import add_months


@dataclass(frozen=True)
class Choice:
    """What the person asked to see: a period and, at most, one IRO or one team."""

    period: Period
    iro_id: str | None = None
    team: str | None = None

    @property
    def who(self) -> str:
        if self.iro_id:
            return f"children allocated to {self.iro_id} during the period"
        if self.team:
            return f"children allocated to the {self.team} team during the period"
        return "the whole service"


def period_for(*, kind: str, as_at: dt.date, first_month: dt.date | None, last_month: dt.date | None) -> Period:
    """The period a dashboard choice names: "year-to-date", "year-2024" or "months"."""
    if kind.startswith("year-") and kind.removeprefix("year-").isdigit():
        return Period.collection_year(int(kind.removeprefix("year-")))
    if kind == "months" and first_month and last_month:
        return month_range(first_month, last_month)
    return year_to_date(as_at)


def chosen_iros(dataset: Dataset, choice: Choice) -> list[str] | None:
    """The IROs whose children the choice is about; None for the whole service."""
    if choice.iro_id:
        return [choice.iro_id]
    if choice.team:
        return iros_in_team(dataset, choice.team)
    return None


def scope_of(dataset: Dataset, choice: Choice, records_of: RecordsOf | None = None) -> Scope:
    return Scope(dataset, choice.period, iro_ids=chosen_iros(dataset, choice), records_of=records_of)


def dashboard_for(dataset: Dataset, choice: Choice, records_of: RecordsOf | None = None) -> Dashboard:
    return build_dashboard(dataset, choice.period, iro_ids=chosen_iros(dataset, choice), records_of=records_of)


# -- words -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Behind:
    """How the records behind a KPI read: what one record is, and what `counted` means for it."""

    noun: str
    date_column: str
    date_heading: str
    counted_heading: str = ""


BEHIND: dict[str, Behind] = {
    "reviews_held": Behind("reviews", "review_date", "Review held"),
    "reviews_on_time": Behind("reviews", "review_date", "Review held", "On time"),
    "reviews_overdue_not_held": Behind("children", "due_date", "Review due"),
    "participation_rate": Behind("reviews of children aged 4 or over", "review_date", "Review held", "Took part"),
    "attendance_rate": Behind("reviews of children aged 4 or over", "review_date", "Review held", "Attended"),
    "midway_reviews_completed": Behind("midway reviews due", "midway_due_date", "Midway review due", "Completed"),
    "children_seen_before_review": Behind(
        "reviews of children aged 4 or over", "review_date", "Review held", "Seen before the review"
    ),
    "records_distributed_on_time": Behind("reviews", "review_date", "Review held", "Record sent on time"),
    "decisions_on_time": Behind("reviews", "review_date", "Review held", "Decisions sent on time"),
    "disputes_raised": Behind("disputes", "raised_date", "Raised"),
    "disputes_open_past_timescale": Behind("disputes", "stage_escalated_date", "Reached its current stage"),
    "decisions_done_by_their_date": Behind("decisions due", "due_date", "Due by", "Done by its date"),
    "decisions_open_past_date": Behind("decisions", "due_date", "Due by"),
}
CASELOAD_NOUN = "children per full-time IRO"


def figure_text(kpi: KPI, figure: Figure | None) -> str:
    """ "90.4% (3,721 of 4,118 reviews)", "4,118", "55.0 children per full-time IRO"."""
    if figure is None:
        return "not available"
    if kpi.unit == Unit.PERCENT:
        return words.rate_text(figure, of_what=BEHIND[kpi.id].noun if kpi.id in BEHIND else "records")
    if figure.value is None:
        return "not available"
    if kpi.unit == Unit.NUMBER:
        return f"{figure.value:,.1f} {CASELOAD_NOUN}" if kpi.id == "caseload_per_iro" else f"{figure.value:,.1f}"
    return words.count(figure.value)


def comparator_text(kpi: KPI, value: float) -> str:
    """Another area's figure in the KPI's own form: "88.1%", "1,250", "17.5 children per full-time IRO"."""
    if kpi.unit == Unit.PERCENT:
        return words.percent(value)
    if kpi.unit == Unit.NUMBER:
        return f"{value:,.1f} {CASELOAD_NOUN}" if kpi.id == "caseload_per_iro" else f"{value:,.1f}"
    if kpi.unit == Unit.PER_10K:
        return f"{value:,.1f} per 10,000 children"
    return words.count(value)


# Beside a figure, at most this many other areas; the rest are listed under "and N more".
COMPARATORS_BESIDE = 5
PUBLISHED_NOTE = (
    "A figure marked (published report) is as that council printed it, counted its own way rather than by "
    "the definitions on this page."
)


@dataclass(frozen=True)
class ComparatorsView:
    """Other areas' figures for one KPI and collection year, worded: the first few beside the figure
    and the rest behind "and N more"."""

    year: str
    beside: tuple[str, ...]
    more: tuple[str, ...]
    published: bool  # whether any is a council's published figure, so the page says how it was counted

    @property
    def more_label(self) -> str:
        return f"and {len(self.more)} more"


def comparators_view(kpi: KPI, year: int, comparators: tuple[Comparator, ...]) -> ComparatorsView | None:
    """None when there are no comparators: the page then shows nothing for them."""
    if not comparators:
        return None
    lines = tuple(f"{other.area}: {comparator_text(kpi, other.value)}" for other in comparators)
    return ComparatorsView(
        collection_year_label(year),
        lines[:COMPARATORS_BESIDE],
        lines[COMPARATORS_BESIDE:],
        any(other.published for other in comparators),
    )


def change_text(headline: Headline) -> str:
    """The change on the same period last year in a few words: "up 2.5 percentage points", "down 12"."""
    change = headline.change
    if headline.last_year is None:
        return "no figure for last year"
    if change is None:
        return "not available"
    if change == 0:
        return "no change"
    direction = "up" if change > 0 else "down"
    size = abs(change)
    if headline.kpi.unit == Unit.PERCENT:
        return f"{direction} {size:.1f} percentage points"
    return f"{direction} {size:,.1f}" if headline.kpi.unit == Unit.NUMBER else f"{direction} {int(size):,}"


# -- the records behind a figure ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordRow:
    child_id: str
    day: dt.date | None
    counted: bool | None


@dataclass(frozen=True)
class RecordsBehind:
    kpi: KPI
    behind: Behind
    figure: Figure
    rows: tuple[RecordRow, ...]


def kpis_with_records() -> dict[str, KPI]:
    return {kpi_id: kpi for kpi_id, kpi in all_kpis().items() if kpi.records is not None and kpi_id in BEHIND}


def records_behind(dataset: Dataset, choice: Choice, kpi: KPI, records_of: RecordsOf | None = None) -> RecordsBehind:
    """The rows a figure counts, most recent first; for a rate, those not counted come first, since
    they are the ones a manager chases."""
    assert kpi.records is not None
    behind = BEHIND[kpi.id]
    frame = scope_of(dataset, choice, records_of).records(kpi, choice.period)
    counted = pl.col("counted") if "counted" in frame.columns else pl.lit(None, dtype=pl.Boolean)
    table = frame.select("child_id", pl.col(behind.date_column).alias("day"), counted.alias("counted"))
    table = table.sort(["counted", "day", "child_id"], descending=[False, True, False], nulls_last=True)
    rows = tuple(RecordRow(*row) for row in table.iter_rows())
    return RecordsBehind(kpi, behind, kpi.figure_of(frame), rows)


def year_choices(dataset: Dataset) -> list[tuple[str, str]]:
    return [(f"year-{year}", collection_year_label(year)) for year in sorted(dataset.years, reverse=True)]


def month_choices(dataset: Dataset, as_at: dt.date) -> list[tuple[str, str]]:
    """Every month the data covers, up to the as-at date, latest first."""
    if not dataset.years:
        return []
    months: list[tuple[str, str]] = []
    month = dataset.data_start
    while month <= as_at:
        months.append((f"{month:%Y-%m}", f"{month:%B %Y}"))
        month = add_months(month, 1)
    return months[::-1]
