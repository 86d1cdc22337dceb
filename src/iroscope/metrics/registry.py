"""KPIs are registered once, with their definition, and computed through the registry; the command
line, the report and the dashboard all read figures from here, so one figure is computed once."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

import polars as pl

from iroscope.rules.codes import CodeList

if TYPE_CHECKING:
    from iroscope.metrics.context import MetricContext, Period


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    PER_10K = "per 10,000 children"
    NUMBER = "number"


Number = int | float


@dataclass(frozen=True)
class Figure:
    """A computed KPI: a value and, for a rate, the numerator and denominator behind it; for a
    breakdown, the count in each category (its `value` is the total)."""

    value: Number | None
    numerator: int | None = None
    denominator: int | None = None
    breakdown: Mapping[str, Number] | None = None
    details: Mapping[str, Number | None] = field(default_factory=dict)

    def with_details(self, details: Mapping[str, Number | None]) -> Figure:
        return replace(self, details={**self.details, **details})

    def with_breakdown(self, breakdown: Mapping[str, Number]) -> Figure:
        return replace(self, breakdown=breakdown)

    def as_json(self) -> dict[str, object]:
        result: dict[str, object] = {"value": self.value}
        if self.numerator is not None or self.denominator is not None:
            result["numerator"] = self.numerator
            result["denominator"] = self.denominator
        if self.breakdown is not None:
            result["breakdown"] = dict(self.breakdown)
        result.update(self.details)
        return result


def rate(numerator: int, denominator: int) -> Figure:
    """A percentage to one decimal place, with what it is a percentage of."""
    value = round(100 * numerator / denominator, 1) if denominator else None
    return Figure(value, numerator=numerator, denominator=denominator)


def rate_of(records: pl.DataFrame) -> Figure:
    """A percentage of a KPI's records: those with `counted` true of all of them."""
    return rate(int(records["counted"].sum()), records.height)


def breakdown(counts: dict[str, int], *, order: list[str] | None = None) -> Figure:
    keys = order if order is not None else sorted(counts)
    ordered = {key: counts.get(key, 0) for key in keys}
    ordered.update({key: value for key, value in counts.items() if key not in ordered})
    return Figure(sum(ordered.values()), breakdown=ordered)


NOT_RECORDED = "Not recorded"


def label_counts(frame: pl.DataFrame, column: str, labels: Mapping[str, str] | None = None) -> dict[str, int]:
    """Rows per label of `column`, in the labels' alphabetical order (the same on every run, whatever
    order the rows are grouped in); blank is "Not recorded", a code with no label is shown as itself."""
    values = pl.col(column).replace(dict(labels)) if labels else pl.col(column).cast(pl.String)
    labelled = frame.select(values.fill_null(NOT_RECORDED).alias("_label"))
    counts = labelled.group_by("_label").len().sort("_label")
    return {str(label): int(count) for label, count in counts.iter_rows()}


def labelled_breakdown(frame: pl.DataFrame, column: str, code_list: CodeList) -> Figure:
    labels = code_list.labels()
    return breakdown(label_counts(frame, column, labels), order=list(labels.values()))


@dataclass(frozen=True)
class KPI:
    id: str
    title: str
    definition: str
    unit: Unit
    section: str
    compute: Callable[[MetricContext], Figure]
    # The rows behind the figure, for "which children?": for a rate, the denominator's rows with
    # `counted` true for the numerator's; for a count, the rows counted. Every row has a child_id.
    records: Callable[[MetricContext], pl.DataFrame] | None = None
    # For a KPI whose records fall in a period by one date: that date's column. Its figure for any
    # part of a period is then worked out from the period's records dated in that part (`figure_of`),
    # so a month-by-month series costs one reading of the records, not one a month. What else the
    # period's end decides must be named too: `due_by`, a date a record needs on or before the end to
    # be in the figure at all (a deadline that has passed); `counted_by`, a date a record needs on or
    # before the end to count (a midway review completed by then). Tests check every KPI so dated
    # against its `compute`, month by month.
    dated_by: str | None = None
    due_by: str | None = None
    counted_by: str | None = None
    # `definition` is written for a lay reader (a councillor on the Corporate Parenting Board reads it in
    # the report's appendix), so it names no code or key. What the figure's details and codes mean to
    # an analyst goes here instead, beside the ids that `iroscope kpis` prints.
    details_meaning: str = ""
    # Which version of its definition the figure follows. It starts at 1 and goes up by one whenever what
    # the KPI counts changes (its population, numerator, denominator, date window or exclusions; decision
    # 0004), never for a change of wording. A benchmarking file carries it beside each figure, and
    # `iroscope benchmark import` refuses a figure counted under another version (decision 0028).
    definition_version: int = 1

    def figures_by_part(self, records: pl.DataFrame, parts: Sequence[Period]) -> list[Figure]:
        """Of a period's records (a KPI with `dated_by`), the figure for each part of the period (in
        order, none overlapping: its months, say), as `records` for that part alone would give it, in
        one pass: each record goes to the part its date falls in and is judged at that part's end."""
        assert self.dated_by is not None
        starts = pl.Series([part.start for part in parts], dtype=pl.Date)
        ends = pl.Series([part.end for part in parts], dtype=pl.Date)
        dated = records.filter(pl.col(self.dated_by).is_not_null())
        index = starts.search_sorted(dated[self.dated_by], side="right").cast(pl.Int64) - 1
        placed = dated.with_columns(_part=index, _end=ends.gather(index.clip(0, None)))
        in_part = (pl.col("_part") >= 0) & (pl.col(self.dated_by) <= pl.col("_end"))
        if self.due_by is not None:
            in_part &= pl.col(self.due_by) <= pl.col("_end")
        counted = pl.col("counted") if self.unit == Unit.PERCENT else pl.lit(False)
        if self.counted_by is not None:
            counted &= pl.col(self.counted_by) <= pl.col("_end")
        totals = placed.filter(in_part).group_by("_part").agg(_records=pl.len(), _counted=counted.sum())
        by_part = {part: (int(height), int(count)) for part, height, count in totals.iter_rows()}
        figures = []
        for number in range(len(parts)):
            height, count = by_part.get(number, (0, 0))
            figures.append(rate(count, height) if self.unit == Unit.PERCENT else Figure(height))
        return figures

    def figure_of(self, records: pl.DataFrame) -> Figure:
        """The figure its records give, as `compute` gives it (without any details it adds)."""
        return rate_of(records) if self.unit == Unit.PERCENT else Figure(records.height)


REGISTRY: dict[str, KPI] = {}
BUILT_IN_MODULES = tuple(
    f"iroscope.metrics.{name}"
    for name in (
        "population",
        "reviews",
        "meetings",
        "voice",
        "decisions",
        "letters",
        "oversight",
        "permanence",
        "feedback",
        "team",
        "staffing",
        "leavers",
    )
)


def kpi(
    *,
    id: str,
    title: str,
    definition: str,
    unit: Unit,
    section: str,
    records: Callable[[MetricContext], pl.DataFrame] | None = None,
    dated_by: str | None = None,
    due_by: str | None = None,
    counted_by: str | None = None,
    details_meaning: str = "",
    definition_version: int = 1,
) -> Callable[[Callable[[MetricContext], Figure]], Callable[[MetricContext], Figure]]:
    """Register a KPI. Ids are stable: reports, comparators and dashboards refer to them. A KPI with
    `records` should compute its figure from them, so that the list behind a figure always adds up to it.
    `definition_version` starts at 1; raise it by one in the same change that alters what the KPI counts
    (who is in it, what counts, the dates or exclusions), so that other authorities' benchmarking files
    counted the old way are refused rather than shown beside ours as if alike."""

    def register(compute: Callable[[MetricContext], Figure]) -> Callable[[MetricContext], Figure]:
        if id in REGISTRY:
            raise ValueError(f"KPI {id!r} is registered twice")
        if definition_version < 1:
            raise ValueError(f"KPI {id!r}: its definition version starts at 1")
        if dated_by is not None and (records is None or unit not in (Unit.COUNT, Unit.PERCENT)):
            raise ValueError(f"KPI {id!r}: only a count or a rate of its records can be dated by one column")
        REGISTRY[id] = KPI(
            id,
            title,
            " ".join(definition.split()),
            unit,
            section,
            compute,
            records,
            dated_by,
            due_by,
            counted_by,
            " ".join(details_meaning.split()),
            definition_version,
        )
        return compute

    return register


def all_kpis() -> dict[str, KPI]:
    """Every KPI, the built-in ones in report order (population, reviews, oversight, the team) and
    any addition after them, whatever order their modules happened to be imported in."""
    for module in BUILT_IN_MODULES:
        importlib.import_module(module)  # built-in KPIs register on import, like any addition would

    def position(kpi: KPI) -> int:
        module = kpi.compute.__module__
        return BUILT_IN_MODULES.index(module) if module in BUILT_IN_MODULES else len(BUILT_IN_MODULES)

    return dict(sorted(REGISTRY.items(), key=lambda item: position(item[1])))


def compute_all(context: MetricContext, ids: list[str] | None = None) -> dict[str, Figure]:
    """Every registered KPI (or those named) for the context's period, in registry order."""
    kpis = all_kpis()
    unknown = sorted(set(ids or []) - set(kpis))
    if unknown:
        raise KeyError(f"Unknown KPI: {', '.join(unknown)}")
    return {kpi_id: kpi.compute(context) for kpi_id, kpi in kpis.items() if ids is None or kpi_id in ids}


def figures_as_rows(figures: dict[str, Figure]) -> list[dict[str, object]]:
    """One row per KPI and one per breakdown cell, for CSV output."""
    kpis = all_kpis()
    rows: list[dict[str, object]] = []
    for kpi_id, figure in figures.items():
        base = {"kpi_id": kpi_id, "title": kpis[kpi_id].title, "unit": kpis[kpi_id].unit.value}
        rows.append(
            {
                **base,
                "category": "",
                "value": figure.value,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
            }
        )
        for category, value in (figure.breakdown or {}).items():
            rows.append({**base, "category": category, "value": value, "numerator": None, "denominator": None})
    return rows
