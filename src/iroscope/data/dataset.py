"""The canonical dataset: every table of the schema as a polars data frame, plus what the data
covers. Every figure iroscope produces is computed from one of these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, Final

import polars as pl

from iroscope.data.schema import ALL_TABLES, TABLES_BY_NAME
from iroscope.rules.practice import LocalPractice

FILE_COLUMN = "_file"
ROW_COLUMN = "_row"
# Where each row came from (`Source`), and who added it when: the person who recorded it in the
# workspace, or who imported the file it came from.
SOURCE_COLUMN = "_source"
ADDED_BY_COLUMN = "_added_by"
ADDED_AT_COLUMN = "_added_at"
PROVENANCE_TYPES: dict[str, pl.DataType] = {
    FILE_COLUMN: pl.String(),
    ROW_COLUMN: pl.Int64(),
    SOURCE_COLUMN: pl.String(),
    ADDED_BY_COLUMN: pl.String(),
    ADDED_AT_COLUMN: pl.Datetime("us", "UTC"),
}
PROVENANCE_COLUMNS = tuple(PROVENANCE_TYPES)


class Source:
    """Where a stored row came from. An import replaces only rows of its own source; rows recorded in
    the workspace are never replaced by one (decision 0012)."""

    SSDA903 = "ssda903"  # a 903 return or in-year extract
    ACTIVITY = "activity"  # the service's activity workbook
    REFERENCE = "reference"  # population and comparator figures
    WORKSPACE = "workspace"  # recorded in the workspace by a person
    SSD = "ssd"  # an export of the Standard Safeguarding Dataset (decision 0027)

    LABELS: Final = {
        SSDA903: "SSDA903 return",
        ACTIVITY: "activity workbook",
        REFERENCE: "reference figures",
        WORKSPACE: "recorded in the workspace",
        SSD: "Standard Safeguarding Dataset export",
    }


def collection_year_label(year: int) -> str:
    """2024 -> "2024-25"."""
    return f"{year}-{(year + 1) % 100:02d}"


def parse_collection_year(label: str) -> int:
    """ "2024-25" -> 2024. Raises ValueError with a plain reason otherwise."""
    text = label.strip()
    parts = text.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts) or len(parts[0]) != 4 or len(parts[1]) != 2:
        raise ValueError(f"{label!r} is not a collection year: expected the form 2024-25")
    start = int(parts[0])
    if (start + 1) % 100 != int(parts[1]):
        raise ValueError(f"{label!r} is not a collection year: the second year must follow the first, as in 2024-25")
    return start


def collection_year_of(day: dt.date) -> int:
    """The collection year a day falls in, named by the year it starts: 2025 runs 1 April 2025 to
    31 March 2026."""
    return day.year if day.month >= 4 else day.year - 1


def year_start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def year_end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


@dataclass
class Dataset:
    tables: dict[str, pl.DataFrame]
    years: tuple[int, ...] = ()
    practice: LocalPractice = field(default_factory=LocalPractice)
    authority_code: str | None = None
    authority_name: str | None = None
    # The day each part-year return (an in-year extract) was extracted, by collection year: what it
    # knows stops there. A year not named here is a full return, known to its 31 March.
    extracts: dict[int, dt.date] = field(default_factory=dict)
    # Values worked out from these tables whatever the period (the metrics engine's review schedule),
    # kept with them for whoever asks next. Tables are never changed in place, so neither are these;
    # a copy made with `dataclasses.replace` starts without them.
    derived: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.tables) - set(TABLES_BY_NAME)
        if unknown:
            raise ValueError(f"Unknown tables: {', '.join(sorted(unknown))}")
        for table in ALL_TABLES:
            frame = self.tables.get(table.name, table.empty())
            # Rows made in code rather than read from a file have no file or row; give every table
            # the columns so checks can always name a file and row when there is one. Their source
            # is their table's: a return's rows are the return's.
            missing = [
                pl.lit(table.source if name == SOURCE_COLUMN else None, dtype=dtype).alias(name)
                for name, dtype in PROVENANCE_TYPES.items()
                if name not in frame.columns
            ]
            self.tables[table.name] = frame.with_columns(missing) if missing else frame

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    @property
    def data_start(self) -> dt.date:
        """The first day the data covers completely: 1 April of the earliest return."""
        if not self.years:
            raise ValueError("This dataset has no SSDA903 return, so the period it covers is unknown")
        return year_start(min(self.years))

    @property
    def data_end(self) -> dt.date:
        """The last day the data knows about: the day the latest return was extracted (31 March for a
        full return, earlier for an in-year extract)."""
        if not self.years:
            raise ValueError("This dataset has no SSDA903 return, so the period it covers is unknown")
        latest = max(self.years)
        return self.extracts.get(latest, year_end(latest))

    def restricted(self, *, child_ids: Collection[str], iro_ids: Collection[str] | None = None) -> Dataset:
        """The same data seen for some children only: every table's rows about those children and, when
        `iro_ids` are given, only those IROs' staff rows and their activity that names no child (a good
        practice notification about a team, say). Area-wide tables (population, comparators) are kept."""
        children = pl.Series(list(child_ids), dtype=pl.String)
        iros = pl.Series(list(iro_ids or ()), dtype=pl.String)
        tables: dict[str, pl.DataFrame] = {}
        for name, frame in self.tables.items():
            columns = frame.columns
            if frame.is_empty():
                pass  # nothing to filter: keep the very frame, which may be shared
            elif "child_id" in columns:
                keep = pl.col("child_id").is_in(children.implode())
                if iro_ids is not None and "iro_id" in columns:
                    keep = keep | (pl.col("child_id").is_null() & pl.col("iro_id").is_in(iros.implode()))
                frame = frame.filter(keep)
            elif iro_ids is not None and "iro_id" in columns:
                frame = frame.filter(pl.col("iro_id").is_in(iros.implode()))
            tables[name] = frame
        return replace(self, tables=tables)

    def rows_from(self, source: str) -> int:
        """How many rows, in all tables, came from `source` (rows that do not say came from their table's)."""
        return sum(
            frame.filter(pl.col(SOURCE_COLUMN).fill_null(TABLES_BY_NAME[name].source) == source).height
            for name, frame in self.tables.items()
        )

    def sources(self) -> pl.DataFrame:
        """Rows by table and source (`table`, `source` as its label, `rows`), tables in schema order: where
        each table's figures came from when a folder holds more than one source (an SSD export beside a
        return, decision 0027)."""
        counts = [
            (table.name, Source.LABELS.get(source, source), rows)
            for table in ALL_TABLES
            if not (frame := self.tables[table.name]).is_empty()
            for source, rows in frame.group_by(pl.col(SOURCE_COLUMN).fill_null(table.source))
            .len()
            .sort(SOURCE_COLUMN)
            .iter_rows()
        ]
        return pl.DataFrame(counts, schema={"table": pl.String, "source": pl.String, "rows": pl.Int64}, orient="row")

    def canonical(self, name: str) -> pl.DataFrame:
        """The table without provenance columns, rows in key order: what two datasets compare on."""
        table = TABLES_BY_NAME[name]
        frame = self.tables[name].select(table.column_names)
        return frame.sort(list(table.key), nulls_last=True)

    def same_as(self, other: Dataset) -> bool:
        return (self.years, self.extracts, self.authority_code, self.authority_name, self.practice) == (
            other.years,
            other.extracts,
            other.authority_code,
            other.authority_name,
            other.practice,
        ) and all(self.canonical(table.name).equals(other.canonical(table.name)) for table in ALL_TABLES)
