"""The figures an authority shares for regional benchmarking, and the figures a group of authorities
makes together. The format they travel in is `data/benchmark.py`'s; what they are is decided here.

An authority shares every KPI that is a single figure (a breakdown's categories differ between
authorities' recording, so version 1 of the format carries none), each with its definition version and,
unless asked not to, with the report's own small-number rule applied: a figure the report would hide
is withheld, so a benchmarking file never publishes what the authority's own report does not."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from iroscope.data.benchmark import (
    BenchmarkFile,
    BenchmarkRow,
    ComparatorRow,
    Suppression,
    read_published_file,
    seed_report_figures_path,
)
from iroscope.data.dataset import Dataset, collection_year_label
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import KPI, Figure, Unit, all_kpis
from iroscope.rules.suppression import is_small, rate_hidden

# A pooled figure for a group is a rate its members' counts add up to; a count or a number (FTE, children
# per IRO) summed over authorities of different sizes compares with nothing, so groups have none.
POOLED_SCALE = {Unit.PERCENT: 100, Unit.PER_10K: 10_000}


def definition_versions() -> dict[str, int]:
    """Every KPI id with the version of its definition that this iroscope counts by."""
    return {kpi_id: kpi.definition_version for kpi_id, kpi in all_kpis().items()}


def withheld(kpi: KPI, figure: Figure) -> bool:
    """Whether the small-number rule hides the figure, as the report's `ReportFigures.hidden` decides: a
    rate whose counts show or reveal one from 1 to 4, or a count from 1 to 4. One more: a rate per 10,000
    of 1 to 4 children, since the file gives the count of children beside the rate, which the report
    does not print."""
    if kpi.unit is Unit.PERCENT:
        return rate_hidden(figure.numerator, figure.denominator)
    if kpi.unit is Unit.PER_10K:
        return is_small(figure.numerator)
    return kpi.unit is Unit.COUNT and is_small(figure.value)


def benchmark_rows(
    dataset: Dataset, year: int, *, authority_code: str, authority_name: str, suppress: bool = True
) -> list[BenchmarkRow]:
    """One row per single-figure KPI for the collection year starting in `year`, in registry order."""
    context = MetricContext(dataset, Period.collection_year(year))
    label = collection_year_label(year)
    rows = []
    for kpi in all_kpis().values():
        figure = kpi.compute(context)
        if figure.breakdown is not None:
            continue
        hidden = suppress and withheld(kpi, figure)
        suppression = Suppression.OFF if not suppress else Suppression.WITHHELD if hidden else Suppression.CHECKED
        value = None if figure.value is None else float(figure.value)
        rows.append(
            BenchmarkRow(
                authority_code=authority_code,
                authority_name=authority_name,
                year=label,
                kpi_id=kpi.id,
                numerator=None if hidden else figure.numerator,
                denominator=None if hidden else figure.denominator,
                value=None if hidden else value,
                definition_version=kpi.definition_version,
                suppression=suppression,
            )
        )
    return rows


def area_names(files: Sequence[BenchmarkFile]) -> dict[str, str]:
    """The area each file's authority is shown as: its name, or its name and code where two authorities
    among the files share a name, as every synthetic authority does."""
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    for file in files:
        codes_by_name[file.authority_name].add(file.authority_code)
    return {
        file.authority_code: file.authority_name
        if len(codes_by_name[file.authority_name]) == 1
        else f"{file.authority_name} ({file.authority_code})"
        for file in files
    }


def authority_comparators(files: Sequence[BenchmarkFile], areas: Mapping[str, str]) -> list[ComparatorRow]:
    """Each file's figures as comparators for its area; withheld and unavailable figures have no row."""
    return [
        ComparatorRow(row.kpi_id, row.year, areas[file.authority_code], row.value)
        for file in files
        for row in file.rows
        if row.value is not None
    ]


def group_comparators(files: Sequence[BenchmarkFile], group: str) -> tuple[list[ComparatorRow], list[str]]:
    """The group's pooled figure for each rate every file gives with its counts: the members' numerators
    over their denominators (as the DfE works out England's figure), never an average of their rates. Also
    the KPIs (with year) that have no group figure because a member withheld it or lacks it."""
    kpis = all_kpis()
    members = {file.authority_code for file in files}
    counts: dict[tuple[str, str], dict[str, tuple[int | None, int | None]]] = defaultdict(dict)
    for file in files:
        for row in file.rows:
            if kpis[row.kpi_id].unit in POOLED_SCALE:
                counts[(row.kpi_id, row.year)][file.authority_code] = (row.numerator, row.denominator)
    pooled: list[ComparatorRow] = []
    lacking: list[str] = []
    for (kpi_id, year), by_member in counts.items():
        complete = set(by_member) == members and all(
            numerator is not None and denominator for numerator, denominator in by_member.values()
        )
        if not complete:
            lacking.append(f"{kpi_id} {year}")
            continue
        numerator = sum(n or 0 for n, _ in by_member.values())
        denominator = sum(d or 0 for _, d in by_member.values())
        scale = POOLED_SCALE[kpis[kpi_id].unit]
        pooled.append(ComparatorRow(kpi_id, year, group, round(scale * numerator / denominator, 1)))
    return pooled, lacking


def seed_report_comparators() -> list[ComparatorRow]:
    """The figures the five seed reports published, as comparators for our KPIs: what the demonstrations
    load, so that a new user sees a comparison from the start (decision 0028)."""
    path = seed_report_figures_path()
    return read_published_file(path, label=path.name, kpi_ids=set(all_kpis())).comparators()
