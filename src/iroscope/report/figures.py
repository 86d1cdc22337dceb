"""The figures a report shows: every KPI computed once per year and cached, and turned into words,
tables and charts in one place, so a figure that appears twice reads the same both times."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from iroscope.data.benchmark import PUBLISHED_AREA_SUFFIX
from iroscope.data.dataset import Dataset, collection_year_label
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import KPI, Figure, Unit, all_kpis
from iroscope.report import words
from iroscope.report.model import Chart, Series, Table
from iroscope.report.suppression import NOT_SHOWN, ProtectedColumn, protect_column, protect_staff_column, rate_hidden
from iroscope.rules.calendar import WorkingDayCalendar, england_calendar

YEARS_SIDE_BY_SIDE = 3
# A chart draws at most this many comparators beside the authority's own line: the palette has six colours
# and dashes that stay apart in greyscale (report/charts.py). The table beside the chart lists them all.
CHART_COMPARATORS = 5
TOTAL = "Total"


@dataclass(frozen=True)
class Row:
    """One row of a trend table: a KPI, its label, and how to show it (a count, or a rate with what
    it is a rate of)."""

    kpi_id: str
    label: str
    of_what: str = ""


class ReportFigures:
    def __init__(
        self, dataset: Dataset, year: int, *, suppress: bool = False, calendar: WorkingDayCalendar | None = None
    ) -> None:
        self.dataset = dataset
        self.year = year
        self.years = [y for y in range(year - YEARS_SIDE_BY_SIDE + 1, year + 1) if y in dataset.years]
        self.suppress = suppress
        self.calendar = calendar or england_calendar()
        self.kpis = all_kpis()
        self._contexts: dict[int, MetricContext] = {}
        self._figures: dict[tuple[str, int], Figure] = {}
        self.used: set[str] = set()

    # -- computing ----------------------------------------------------------------------------
    def context(self, year: int | None = None) -> MetricContext:
        year = self.year if year is None else year
        if year not in self._contexts:
            self._contexts[year] = MetricContext(self.dataset, Period.collection_year(year), calendar=self.calendar)
        return self._contexts[year]

    def figure(self, kpi_id: str, year: int | None = None) -> Figure:
        year = self.year if year is None else year
        key = (kpi_id, year)
        if key not in self._figures:
            self._figures[key] = self.kpis[kpi_id].compute(self.context(year))
        self.used.add(kpi_id)
        return self._figures[key]

    def kpi(self, kpi_id: str) -> KPI:
        return self.kpis[kpi_id]

    @staticmethod
    def label(year: int) -> str:
        return collection_year_label(year)

    @property
    def previous(self) -> int | None:
        return self.year - 1 if self.year - 1 in self.years else None

    # -- words --------------------------------------------------------------------------------
    def count(self, kpi_id: str, year: int | None = None) -> str:
        return words.count(self.figure(kpi_id, year).value, suppress=self.suppress)

    def rate(self, kpi_id: str, of_what: str, year: int | None = None) -> str:
        return words.rate_text(self.figure(kpi_id, year), of_what=of_what, suppress=self.suppress)

    def share(self, kpi_id: str, *, of_the: str, outcome: str, year: int | None = None) -> str:
        """A rate as a sentence written for it: "739 of the 997 midway reviews due were completed
        (74.1%)." `of_the` names the whole, `outcome` says what the part did or was. None and all are
        said in words, as a person would say them: "None of the 2 midway reviews due was completed."."""
        figure = self.figure(kpi_id, year)
        if figure.denominator in (0, None) or figure.numerator is None:
            return f"There were no {of_the.rstrip(',')}."
        if self.suppress and rate_hidden(figure.numerator, figure.denominator):
            return f"How many of the {of_the} {outcome} is not shown, because fewer than 5 are involved."
        if figure.numerator in (0, 1) and outcome.startswith("were "):
            outcome = "was " + outcome.removeprefix("were ")
        if figure.numerator == 0:
            return f"None of the {figure.denominator:,} {of_the} {outcome}."
        if figure.numerator == figure.denominator and figure.denominator > 1:
            return f"All {figure.denominator:,} {of_the} {outcome}."
        shown = words.percent(None if figure.value is None else float(figure.value))
        return f"{figure.numerator:,} of the {figure.denominator:,} {of_the} {outcome} ({shown})."

    def rate_cell(self, numerator: int | float | None, denominator: int | float | None) -> str:
        """ "16.6% (155 of 931)" for a table cell; "–" with nothing to divide by; hidden when small."""
        if not denominator or numerator is None:
            return "–"
        if self.suppress and rate_hidden(numerator, denominator):
            return NOT_SHOWN
        return f"{words.percent(round(100 * numerator / denominator, 1))} ({int(numerator):,} of {int(denominator):,})"

    def undated(self, kpi_id: str, year: int | None = None) -> int:
        """Reviews a timeliness figure leaves out because the review before them predates the data, so
        their due date cannot be known: most of the first year's reviews, few or none later."""
        return int(self.figure(kpi_id, year).details.get("due_date_unknown") or 0)

    def how_many(self, number: int, singular: str, plural_form: str | None = None) -> str:
        """ "1 review", "12 reviews", or "fewer than 5 reviews" when suppressing."""
        if self.suppress and words.is_small(number):
            return f"{words.FEWER_THAN_5} {plural_form or singular + 's'}"
        return words.plural(number, singular, plural_form)

    def undated_note(self, kpi_id: str) -> str:
        """Says, for each year shown whose figure rests on part of its reviews, what it rests on."""
        parts = []
        for year in self.years:
            undated = self.undated(kpi_id, year)
            if undated:
                dated = self.figure(kpi_id, year).denominator or 0
                parts.append(
                    f"In {self.label(year)}, {self.how_many(undated, 'review')} held could not be given a due date "
                    f"because the review before {'it' if undated == 1 and not self.suppress else 'them'} predates "
                    f"the data, so the figure rests on the other {dated:,}."
                )
        return " ".join(parts)

    def hidden(self, kpi_id: str, year: int | None = None) -> bool:
        """Whether suppression hides this figure: a small count, or a rate whose counts show or reveal one."""
        if not self.suppress:
            return False
        figure = self.figure(kpi_id, year)
        if self.kpi(kpi_id).unit is Unit.PERCENT:
            return rate_hidden(figure.numerator, figure.denominator)
        return self.kpi(kpi_id).unit is Unit.COUNT and words.is_small(figure.value)

    def counts_of(self, kpi_id: str, whole: str, year: int | None = None) -> str:
        """ "739 of 997 due" beneath a headline rate, or why it is not shown."""
        figure = self.figure(kpi_id, year)
        if self.suppress and rate_hidden(figure.numerator, figure.denominator):
            return f"not shown: too few {whole} to publish"
        part, total = (words.count(n) for n in (figure.numerator, figure.denominator))
        return f"{part} of {total} {whole}"

    def value(self, kpi_id: str, year: int | None = None) -> str:
        """The headline value alone: a percentage, a rate per 10,000, or a count."""
        figure = self.figure(kpi_id, year)
        unit = self.kpi(kpi_id).unit
        if figure.value is None:
            return "not available"
        if unit is Unit.PERCENT:
            if self.suppress and rate_hidden(figure.numerator, figure.denominator):
                return NOT_SHOWN
            return words.percent(float(figure.value))
        if unit is Unit.PER_10K:
            return f"{figure.value:,.1f}"
        if unit is Unit.NUMBER:
            return f"{figure.value:,.1f}"
        return words.count(figure.value, suppress=self.suppress)

    def change(self, kpi_id: str, noun: str = "") -> str:
        """How the figure moved since last year, in words; empty when there is no last year."""
        if self.previous is None:
            return ""
        before, after = self.figure(kpi_id, self.previous), self.figure(kpi_id)
        if self.suppress and any(self.hidden(kpi_id, year) for year in (self.previous, self.year)):
            return ""
        if self.kpi(kpi_id).unit is Unit.PERCENT:
            b, a = before.value, after.value
            return words.change_in_rate(None if b is None else float(b), None if a is None else float(a))
        b, a = before.value, after.value
        return words.change_in_count(None if b is None else float(b), None if a is None else float(a), noun=noun)

    def sentence(self, kpi_id: str, subject: str, noun: str = "") -> str:
        """ "Children in care at 31 March fell by 7%, from 469 to 438." or, with no last year,
        "Children in care at 31 March: 438." """
        change = self.change(kpi_id, noun)
        if change:
            return f"{subject} {change} since {self.label(self.year - 1)}."
        return f"{subject}: {self.value(kpi_id)}."

    # -- tables and charts --------------------------------------------------------------------
    def comparators(self, kpi_id: str) -> dict[str, dict[str, float]]:
        """Published figures for other areas: area -> year label -> value."""
        frame = self.dataset["comparators"].filter(pl.col("kpi_id") == kpi_id)
        result: dict[str, dict[str, float]] = {}
        for row in frame.iter_rows(named=True):
            result.setdefault(row["area"], {})[row["year"]] = row["value"]
        return result

    def _cell(self, row: Row, year: int) -> str:
        if row.of_what:
            figure = self.figure(row.kpi_id, year)
            if figure.denominator in (0, None):
                return "–"
            if self.suppress and rate_hidden(figure.numerator, figure.denominator):
                return NOT_SHOWN
            undated = self.undated(row.kpi_id, year)
            rests_on = f"; {words.count(undated, suppress=self.suppress)} not dated" if undated else ""
            return f"{self.value(row.kpi_id, year)} ({figure.numerator:,} of {figure.denominator:,}{rests_on})"
        return self.value(row.kpi_id, year)

    def trend_table(self, caption: str, rows: Sequence[Row], *, note: str = "") -> Table:
        """A row per KPI and a column per year, with comparator rows under any KPI that has them."""
        columns = ("", *(self.label(y) for y in self.years))
        body: list[tuple[str, ...]] = []
        keys: list[str] = []
        for row in rows:
            body.append((row.label, *(self._cell(row, y) for y in self.years)))
            keys.append(row.kpi_id)
            for area, by_year in self.comparators(row.kpi_id).items():
                if all(by_year.get(self.label(y)) is None for y in self.years):
                    continue  # an area with figures only for years this table does not show
                body.append(
                    (f"{row.label}: {area}", *(_comparator(by_year.get(self.label(y)), row) for y in self.years))
                )
                keys.append(f"{row.kpi_id} in {area}")
        undated = " ".join(filter(None, (self.undated_note(row.kpi_id) for row in rows if row.of_what)))
        published = (
            "A figure marked (published report) is as that council printed it, counted its own way rather than "
            "by the definitions in this report."
            if any(key.endswith(PUBLISHED_AREA_SUFFIX) for key in keys)
            else ""
        )
        note = " ".join(filter(None, (note, undated, published)))
        return Table(
            caption, columns, tuple(body), kpi_ids=tuple(row.kpi_id for row in rows), note=note, row_kpis=tuple(keys)
        )

    def _breakdowns(self, kpi_id: str, years: list[int]) -> tuple[dict[int, dict[str, int | float]], list[str]]:
        """Each year's breakdown, and every category any of them has, in order."""
        by_year = {year: dict(self.figure(kpi_id, year).breakdown or {}) for year in years}
        return by_year, list(dict.fromkeys(key for year in years for key in by_year[year]))

    def breakdown_table(
        self,
        kpi_id: str,
        caption: str,
        *,
        category: str,
        with_years: bool = True,
        labels: Mapping[str, str] | None = None,
        total_label: str = TOTAL,
    ) -> Table:
        """A row per category, a column per year (counts, with small numbers suppressed), and a last
        row of the KPI's value. That row is "Total" only when the value is the sum of the rows; a KPI
        whose categories overlap (an alert with several reasons) passes a label saying what it counts."""
        years = self.years if with_years else [self.year]
        by_year, categories = self._breakdowns(kpi_id, years)
        if total_label == TOTAL:
            for year in years:
                if sum(by_year[year].values()) != self.figure(kpi_id, year).value:
                    raise ValueError(
                        f"{kpi_id}: its rows do not add up to its value in {self.label(year)}, so its last row "
                        "needs a label saying what it counts rather than Total"
                    )
        shown = {year: self.protected(by_year[year], categories) for year in years}
        published = [year for year in years if not shown[year].withheld]
        names = [name for name in categories if any(by_year[y].get(name) for y in published)]
        rows = [((labels or {}).get(name, name), *(shown[year].cells[name] for year in years)) for name in names]
        totals = (total_label, *(self.count(kpi_id, year) for year in years))
        withheld = [self.label(year) for year in years if shown[year].withheld]
        note = _withheld_note(withheld, "children") if withheld else ""
        return Table(
            caption,
            (category, *(self.year_heading(kpi_id, y) for y in years)),
            (*rows, totals),
            kpi_ids=(kpi_id,),
            note=note,
            row_kpis=(*(f"{kpi_id}: {name}" for name in names), kpi_id),
        )

    def protected(self, values: Mapping[str, int | float], categories: list[str]) -> ProtectedColumn:
        """A column of counts as published: every cell shown, or small ones and what reveals them hidden."""
        if not self.suppress:
            return ProtectedColumn({name: words.count(values.get(name, 0)) for name in categories}, frozenset())
        return protect_column(values, categories)

    def side_by_side_table(
        self,
        caption: str,
        *,
        category: str,
        columns: Mapping[str, tuple[Mapping[str, int | float], int]],
        staff: Sequence[str] = (),
    ) -> Table:
        """Two or more populations counted by the same categories, a column each (the IRO team beside
        the children in care), with each column's total: the sum of its rows. A `staff` column is
        withheld, when suppressing, if any of its counts is small: its rows could name a colleague."""
        categories = list(dict.fromkeys(name for counts, _ in columns.values() for name in counts))
        shown = {
            heading: protect_staff_column(counts, categories)
            if self.suppress and heading in staff
            else self.protected(counts, categories)
            for heading, (counts, _) in columns.items()
        }
        kept = [heading for heading in columns if not shown[heading].withheld]
        rows = [
            (name, *(shown[heading].cells[name] for heading in kept))
            for name in categories
            if any(columns[heading][0].get(name) for heading in kept)
        ]
        totals = (TOTAL, *(words.count(columns[heading][1]) for heading in kept))
        withheld = [heading for heading in columns if shown[heading].withheld]
        note = _withheld_note(withheld, "people") if withheld else ""
        return Table(caption, (category, *kept), (*rows, totals), note=note)

    def trend_chart(self, kpi_id: str, title: str, *, unit: str, alt_subject: str) -> Chart:
        """A line over the years held, with comparators dashed where supplied."""
        values = tuple(None if self.hidden(kpi_id, y) else _number(self.figure(kpi_id, y).value) for y in self.years)
        series = [Series("This authority", values)]
        shown = {
            area: by_year
            for area, by_year in self.comparators(kpi_id).items()
            if any(by_year.get(self.label(y)) is not None for y in self.years)
        }
        for area, by_year in list(shown.items())[:CHART_COMPARATORS]:
            series.append(Series(area, tuple(by_year.get(self.label(y)) for y in self.years)))
        note = (
            f"The chart shows the first {CHART_COMPARATORS} of the {len(shown)} areas compared, so that each line can "
            "be told apart; this table gives them all."
            if len(shown) > CHART_COMPARATORS
            else ""
        )
        percent = self.kpi(kpi_id).unit is Unit.PERCENT
        table = self.trend_table(title, [Row(kpi_id, alt_subject, of_what="of" if percent else "")], note=note)
        categories = tuple(self._chart_year(kpi_id, y) for y in self.years)
        alt = f"{alt_subject} by year: " + "; ".join(
            f"{category} {self.value(kpi_id, y)}" for category, y in zip(categories, self.years, strict=True)
        )
        return Chart(
            "line" if len(self.years) > 1 else "bar",
            title,
            categories,
            tuple(series),
            unit,
            alt + ".",
            table,
        )

    def _chart_year(self, kpi_id: str, year: int) -> str:
        """A year on a chart's axis, marked when its figure rests on only the reviews that could be dated."""
        undated = self.undated(kpi_id, year)
        if not undated:
            return self.label(year)
        if self.suppress and words.is_small(undated):
            return f"{self.label(year)} ({words.FEWER_THAN_5} reviews not dated)"
        dated = self.figure(kpi_id, year).denominator or 0
        return f"{self.label(year)} ({dated:,} of {dated + undated:,} reviews dated)"

    def dated_of(self, dated: int, undated: int, *, of: str = "of") -> str:
        """ "1,209 of 1,210": the reviews that could be given a due date of all those held, or "all but
        fewer than 5 of 1,210" when suppressing and the remainder is small."""
        if self.suppress and words.is_small(undated):
            return f"all but {words.FEWER_THAN_5} {of} {dated + undated:,}"
        return f"{dated:,} {of} {dated + undated:,}"

    def year_heading(self, kpi_id: str, year: int) -> str:
        """A year heading a breakdown's column or series, marked when the breakdown counts only the reviews
        that could be given a due date (late reviews, say) and that year has others: "2023-24 (679 of
        1,268 reviews dated)", so a year resting on part of its reviews is never read as a whole one."""
        figure = self.figure(kpi_id, year)
        undated = self.undated(kpi_id, year) if figure.breakdown is not None else 0
        if not undated:
            return self.label(year)
        dated = int(figure.details.get("due_date_known") or 0)
        return f"{self.label(year)} ({self.dated_of(dated, undated)} reviews dated)"

    def breakdown_chart(
        self,
        kpi_id: str,
        title: str,
        *,
        category: str,
        kind: str = "bar",
        percent: bool = False,
        labels: Mapping[str, str] | None = None,
    ) -> Chart:
        """Categories of a breakdown, one series per year (or shares of each year, for `stacked`);
        `labels` names categories held as codes."""
        years = self.years
        by_year, every_category = self._breakdowns(kpi_id, years)
        shown = {year: self.protected(by_year[year], every_category) for year in years}
        published = [year for year in years if not shown[year].withheld]
        categories = tuple(name for name in every_category if any(by_year[y].get(name) for y in published))
        series = []
        for year in years:
            total = sum(by_year[year].values()) or 1
            values = tuple(
                None
                if name in shown[year].hidden
                else (
                    round(100 * by_year[year].get(name, 0) / total, 1) if percent else float(by_year[year].get(name, 0))
                )
                for name in categories
            )
            series.append(Series(self.year_heading(kpi_id, year), values))
        latest = shown[self.year]
        named = tuple((labels or {}).get(name, name) for name in categories)
        described = ", ".join(f"{label} {latest.cells[name]}" for name, label in zip(categories, named, strict=True))
        alt = f"{title}, {self.label(self.year)}: {described}."
        table = self.breakdown_table(kpi_id, title, category=category, labels=labels)
        chart_kind = kind if kind in ("bar", "stacked", "line", "horizontal") else "bar"
        return Chart(chart_kind, title, named, tuple(series), "%" if percent else "children", alt, table)  # type: ignore[arg-type]


def _number(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def _comparator(value: float | None, row: Row) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}%" if row.of_what else f"{value:,g}"


def _withheld_note(columns: Sequence[str], who: str) -> str:
    """Says which columns are left out and why, so a reader does not take a gap for a zero."""
    return (
        f"Figures for {' and '.join(columns)} are not shown: there are so few {who} in some groups that "
        "they could be identified."
    )
