"""What the list pages show: each registered list for the caseload's as-at day, sorted and narrowed as
asked, with its cells written for reading. The lists themselves are `iroscope.metrics.worklists`' (the
same definitions as the weekly workbook and `iroscope weekly`); nothing here counts or dates anything."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.worklists import (
    ColumnKind,
    ListColumn,
    Worklist,
    WorklistContext,
    all_worklists,
    weekly_summary,
    write_weekly_workbook,
    write_worklist,
)

ASCENDING: Final = "ascending"
DESCENDING: Final = "descending"
CSV: Final = "csv"
XLSX: Final = "xlsx"
DOWNLOAD_FORMATS: Final = (CSV, XLSX)


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def cell_text(column: ListColumn, value: object) -> str:
    """A value as a reader sees it: dates as 3 March 2025, numbers with thousands separated, Yes or No;
    nothing at all where the list has no value."""
    if value is None:
        return ""
    if column.kind == ColumnKind.DATE and isinstance(value, dt.date):
        return day_text(value)
    if column.kind == ColumnKind.YES_NO:
        return "Yes" if value else "No"
    if column.kind == ColumnKind.NUMBER and isinstance(value, int):
        return f"{value:,}"
    if column.code_list is not None:
        return column.code_list.described(str(value))
    return str(value)


@dataclass(frozen=True)
class Count:
    count: int
    of: int | None
    of_what: str | None

    @property
    def shown(self) -> str:
        return f"{self.count:,}" if self.of is None else f"{self.count:,} of {self.of:,}"


@dataclass(frozen=True)
class Sorting:
    """A column to sort by and the direction; no column keeps the list's own order (most urgent first)."""

    column: str | None = None
    order: str = ASCENDING

    @classmethod
    def parse(cls, entry: Worklist, *, column: str | None, order: str | None) -> Sorting:
        """The sorting asked for, or the list's own order when the column is not one of its columns."""
        if column not in entry.headings:
            return cls()
        return cls(column, DESCENDING if order == DESCENDING else ASCENDING)


@dataclass(frozen=True)
class ShownList:
    entry: Worklist
    rows: pl.DataFrame
    count: Count


def worklist_counts(*, dataset: Dataset, as_at: dt.date) -> list[tuple[Worklist, Count]]:
    """Every registered list with how many it holds on `as_at` (x of y where the list has a population)."""
    context = WorklistContext(dataset, as_at)
    counts = []
    for entry in all_worklists().values():
        rows = entry.rows(context)
        counts.append((entry, Count(rows.height, entry.population_count(context), entry.population_label)))
    return counts


def worklist_shown(
    *, entry: Worklist, dataset: Dataset, as_at: dt.date, iro_id: str | None, sorting: Sorting
) -> ShownList:
    """One list on `as_at`, for one IRO's children or everyone's, sorted as asked: ties keep the list's
    own order and blanks go last either way."""
    context = WorklistContext(dataset, as_at)
    rows = entry.rows(context, iro_id=iro_id)
    if sorting.column is not None:
        rows = rows.sort(sorting.column, descending=sorting.order == DESCENDING, nulls_last=True, maintain_order=True)
    count = Count(rows.height, entry.population_count(context, iro_id=iro_id), entry.population_label)
    return ShownList(entry, rows, count)


def worklist_file(*, shown: ShownList, file_format: str) -> bytes:
    """The list as CSV or as an Excel workbook, by the same writers as the command line."""
    with tempfile.TemporaryDirectory() as folder:
        return write_worklist(shown.entry, shown.rows, Path(folder) / f"list.{file_format}").read_bytes()


def weekly_workbook(*, dataset: Dataset, as_at: dt.date) -> tuple[bytes, int]:
    """The weekly summary for the week ending on `as_at`, every IRO, as `iroscope weekly` writes it, and
    how many children its lists name (for the download's audit entry)."""
    summary = weekly_summary(dataset, as_at)
    named = {child for rows in summary.lists.values() if "child_id" in rows.columns for child in rows["child_id"]}
    with tempfile.TemporaryDirectory() as folder:
        return write_weekly_workbook(summary, Path(folder) / "weekly.xlsx").read_bytes(), len(named)
