"""The regional benchmarking format (docs/benchmarking.md): one authority's KPIs for a year as a CSV that
another authority's iroscope can load, and the comparators table those files are collected into.

This module owns the format alone: its columns, its version, reading it with a located message for every
fault, and merging what it holds into a data folder's `comparators.csv` without losing a row already there.
What the figures are (which KPIs, their definition versions, what is withheld as a small number) is decided
in `metrics/benchmark.py`; the format is handed the definition versions to check against.

Two kinds of file are read, each recognised by its columns:

- a benchmarking file, written by `iroscope benchmark export` (`BENCHMARK_COLUMNS`);
- a file of published figures (`PUBLISHED_COLUMNS`), such as the figures the five seed reports print
  (`examples/seed_report_figures.csv`): what a council printed, where, and where it contradicts itself.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path

import polars as pl

from iroscope.data.dataset import ROW_COLUMN, collection_year_label, parse_collection_year
from iroscope.data.files import read_table_file
from iroscope.data.formulas import neutralise_text_columns
from iroscope.data.parse import parse_sheet
from iroscope.data.problems import Problems
from iroscope.data.schema import COMPARATORS

FORMAT_VERSION = 1
READABLE_FORMAT_VERSIONS: tuple[int, ...] = (1,)

BENCHMARK_COLUMNS: tuple[str, ...] = (
    "format_version",
    "authority_code",
    "authority_name",
    "year",
    "kpi_id",
    "numerator",
    "denominator",
    "value",
    "definition_version",
    "suppression_applied",
)
PUBLISHED_COLUMNS: tuple[str, ...] = ("authority", "year", "figure", "as_printed", "value", "where_printed", "note")

COMPARATORS_FILE = f"{COMPARATORS.name}.csv"
SEED_REPORT_FIGURES = "seed_report_figures.csv"
PUBLISHED_AREA_SUFFIX = " (published report)"
_KPI_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Suppression(StrEnum):
    """What the small-number rule did to a row (the `suppression_applied` column)."""

    WITHHELD = "withheld"  # the rule was applied and the figure is withheld: numerator, denominator, value blank
    CHECKED = "checked"  # the rule was applied and the figure may be published
    OFF = "off"  # exported with --no-suppress-small-numbers: not for sharing outside the authority


@dataclass(frozen=True)
class BenchmarkRow:
    """One KPI of one authority for one collection year, as the format carries it."""

    authority_code: str
    authority_name: str
    year: str  # "2024-25"
    kpi_id: str
    numerator: int | None
    denominator: int | None
    value: float | None
    definition_version: int
    suppression: Suppression


@dataclass(frozen=True)
class ComparatorRow:
    """A row of the comparators reference table: a figure for an area to show beside ours."""

    kpi_id: str
    year: str
    area: str
    value: float


@dataclass(frozen=True)
class BenchmarkFile:
    """A benchmarking file that passed every check, with the KPIs it holds that iroscope does not know
    (left out, not refused: a newer iroscope may add KPIs)."""

    label: str
    authority_code: str
    authority_name: str
    rows: tuple[BenchmarkRow, ...]
    unknown_kpis: tuple[str, ...] = ()

    @property
    def withheld(self) -> int:
        return sum(row.suppression is Suppression.WITHHELD for row in self.rows)


@dataclass(frozen=True)
class PublishedFigure:
    authority: str
    year: str
    figure: str
    as_printed: str
    value: float | None
    where_printed: str
    note: str


@dataclass(frozen=True)
class PublishedFile:
    """A file of figures as councils printed them: those whose `figure` is one of our KPI ids and which
    have a value become comparators; the rest are listed for reading; `contradictions` are the rows
    with a note saying where the council's own report disagrees with itself."""

    label: str
    figures: tuple[PublishedFigure, ...]
    known_kpis: frozenset[str] = field(default_factory=frozenset)

    @property
    def comparable(self) -> list[PublishedFigure]:
        return [f for f in self.figures if f.figure in self.known_kpis and f.value is not None]

    @property
    def contradictions(self) -> list[PublishedFigure]:
        return [f for f in self.figures if f.note]

    def comparators(self) -> list[ComparatorRow]:
        """One comparator per KPI, year and council: the first printed, where a council prints two."""
        rows: dict[tuple[str, str, str], ComparatorRow] = {}
        for published in self.comparable:
            area = published.authority + PUBLISHED_AREA_SUFFIX
            assert published.value is not None
            rows.setdefault(
                (published.figure, published.year, area),
                ComparatorRow(published.figure, published.year, area, published.value),
            )
        return list(rows.values())


class BenchmarkError(Exception):
    """A file (or a data folder's comparators) that cannot be used: every reason, each located."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def located(label: str, reason: str, *, row: int | None = None, column: str | None = None) -> str:
    """ "b.csv, row 4, column value: 'abc' is not a number." — the file, then the row and column where known."""
    where = ", ".join(
        part for part in (label, f"row {row}" if row else "", f"column {column}" if column else "") if part
    )
    return f"{where}: {reason}"


# -- writing ----------------------------------------------------------------------------------------------
def _number_text(value: float | int | None) -> str | None:
    if value is None:
        return None
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def benchmark_frame(rows: Iterable[BenchmarkRow]) -> pl.DataFrame:
    """The rows as the file's columns, every cell text, in the format's column order."""
    return pl.DataFrame(
        [
            {
                "format_version": str(FORMAT_VERSION),
                "authority_code": row.authority_code,
                "authority_name": row.authority_name,
                "year": row.year,
                "kpi_id": row.kpi_id,
                "numerator": _number_text(row.numerator),
                "denominator": _number_text(row.denominator),
                "value": _number_text(row.value),
                "definition_version": str(row.definition_version),
                "suppression_applied": row.suppression.value,
            }
            for row in rows
        ],
        schema=dict.fromkeys(BENCHMARK_COLUMNS, pl.String),
    )


def write_benchmark_file(rows: Iterable[BenchmarkRow], path: Path) -> Path:
    """A benchmarking file: UTF-8 CSV with a header row, numbers as plain digits, blanks where withheld."""
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_text_columns(benchmark_frame(rows)).write_csv(path)
    return path


# -- reading ----------------------------------------------------------------------------------------------
def _sheet(path: Path, label: str) -> pl.DataFrame:
    """The file's text cells (with ROW_COLUMN, the row number a person sees), or every reason it has none."""
    problems = Problems()
    sheets = read_table_file(path, label, problems)
    if problems.has_errors or not sheets:
        messages = [
            located(str(p["file"]), str(p["message"]), row=p["row"], column=p["column"])
            for p in problems.frame.filter(pl.col("severity") == "error").iter_rows(named=True)
        ]
        raise BenchmarkError(messages or [located(label, "the file holds no table.")])
    frame = sheets[0].frame
    return frame.rename({name: name.strip().lower() for name in frame.columns if name != ROW_COLUMN})


def file_kind(path: Path, label: str) -> str:
    """ "benchmark" or "published", by the file's columns; a located refusal for anything else."""
    columns = set(_sheet(path, label).columns)
    if "format_version" in columns:
        return "benchmark"
    if "as_printed" in columns:
        return "published"
    raise BenchmarkError(
        [
            located(
                label,
                "this is not a benchmarking file: its first row should name the columns "
                f"{', '.join(BENCHMARK_COLUMNS)} (a file written by `iroscope benchmark export`), or "
                f"{', '.join(PUBLISHED_COLUMNS)} (published figures).",
                row=1,
            )
        ]
    )


def _missing_columns(frame: pl.DataFrame, label: str, expected: Sequence[str]) -> list[str]:
    missing = [name for name in expected if name not in frame.columns]
    if not missing:
        return []
    return [located(label, f"the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing.", row=1)]


def _cell(row: Mapping[str, object], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def _whole(text: str, label: str, row: int, column: str, errors: list[str]) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        errors.append(located(label, f"'{text}' is not a whole number of 0 or more.", row=row, column=column))
        return None
    return int(text)


def _decimal(text: str, label: str, row: int, column: str, errors: list[str]) -> float | None:
    if not text:
        return None
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        errors.append(located(label, f"'{text}' is not a number.", row=row, column=column))
        return None
    if not math.isfinite(number):
        errors.append(located(label, f"'{text}' is not a number.", row=row, column=column))
        return None
    return number


def _year(text: str, label: str, row: int, column: str, errors: list[str]) -> str | None:
    try:
        return collection_year_label(parse_collection_year(text))
    except ValueError:
        errors.append(located(label, f"'{text}' is not a collection year such as 2024-25.", row=row, column=column))
        return None


def read_benchmark_file(path: Path, *, label: str, definition_versions: Mapping[str, int]) -> BenchmarkFile:
    """Read and check a benchmarking file against our KPIs' definition versions. Raises BenchmarkError
    with every fault located (file, row, column) and every refusal named (format version, KPI)."""
    frame = _sheet(path, label)
    errors = _missing_columns(frame, label, BENCHMARK_COLUMNS)
    if errors:
        raise BenchmarkError(errors)
    if frame.is_empty():
        raise BenchmarkError([located(label, "the file has its header row but no figures.")])

    versions = sorted({_cell(row, "format_version") for row in frame.iter_rows(named=True)})
    for version in versions:
        if not version.isdigit():
            first = frame.filter(pl.col("format_version").fill_null("").str.strip_chars() == version)[ROW_COLUMN][0]
            errors.append(
                located(
                    label, f"'{version}' is not a format version (a whole number).", row=first, column="format_version"
                )
            )
        elif int(version) not in READABLE_FORMAT_VERSIONS:
            readable = ", ".join(str(v) for v in READABLE_FORMAT_VERSIONS)
            errors.append(
                f"{label}: its format version is {int(version)}, which this iroscope cannot read (it reads version "
                f"{readable}). The file is refused: ask for it in version {FORMAT_VERSION}, or update iroscope."
            )
    if errors:
        raise BenchmarkError(errors)

    rows: list[BenchmarkRow] = []
    seen: dict[tuple[str, str], int] = {}
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    unknown: list[str] = []
    refused: dict[str, tuple[int, int]] = {}
    for raw in frame.iter_rows(named=True):
        line = int(raw[ROW_COLUMN])
        code, name, kpi_id = _cell(raw, "authority_code"), _cell(raw, "authority_name"), _cell(raw, "kpi_id")
        for column, text in (("authority_code", code), ("authority_name", name), ("kpi_id", kpi_id)):
            if not text:
                errors.append(located(label, "this cell is blank; every row needs it.", row=line, column=column))
        codes.setdefault(code, line)
        names.setdefault(name, line)
        year = _year(_cell(raw, "year"), label, line, "year", errors)
        numerator = _whole(_cell(raw, "numerator"), label, line, "numerator", errors)
        denominator = _whole(_cell(raw, "denominator"), label, line, "denominator", errors)
        value = _decimal(_cell(raw, "value"), label, line, "value", errors)
        version_text = _cell(raw, "definition_version")
        definition_version = _whole(version_text, label, line, "definition_version", errors)
        if not version_text or definition_version == 0:
            errors.append(
                located(
                    label,
                    f"'{version_text}' is not a definition version (1 or more).",
                    row=line,
                    column="definition_version",
                )
            )
        suppression_text = _cell(raw, "suppression_applied").lower()
        if suppression_text not in {s.value for s in Suppression}:
            errors.append(
                located(
                    label,
                    f"'{_cell(raw, 'suppression_applied')}' is not one of {', '.join(s.value for s in Suppression)}.",
                    row=line,
                    column="suppression_applied",
                )
            )
        if suppression_text == Suppression.WITHHELD and value is not None:
            errors.append(
                located(label, "the figure is marked withheld but its value is given.", row=line, column="value")
            )
        if year is not None and kpi_id:
            if (year, kpi_id) in seen:
                errors.append(
                    located(
                        label,
                        f"{kpi_id} for {year} is given twice (first on row {seen[(year, kpi_id)]}).",
                        row=line,
                        column="kpi_id",
                    )
                )
            seen.setdefault((year, kpi_id), line)
        if kpi_id and kpi_id not in definition_versions:
            unknown.append(kpi_id)
            continue
        if kpi_id and definition_version and definition_version != definition_versions[kpi_id]:
            refused.setdefault(kpi_id, (definition_version, line))
        if year is None or not definition_version or suppression_text not in {s.value for s in Suppression}:
            continue
        rows.append(
            BenchmarkRow(
                code,
                name,
                year,
                kpi_id,
                numerator,
                denominator,
                value,
                definition_version,
                Suppression(suppression_text),
            )
        )
    for values, column in ((codes, "authority_code"), (names, "authority_name")):
        if len(values) > 1:
            listed = ", ".join(f"'{v}' (row {r})" for v, r in values.items())
            errors.append(
                located(label, f"a file holds one authority's figures, but this one names {listed}.", column=column)
            )
    for kpi_id, (theirs, line) in refused.items():
        errors.append(
            f"{label}: KPI {kpi_id} was counted under definition version {theirs} (row {line}), but this iroscope "
            f"counts it under version {definition_versions[kpi_id]}. The figures would not compare like with like, "
            "so the file is refused: ask for it from an iroscope with the same definitions."
        )
    if errors:
        raise BenchmarkError(errors)
    return BenchmarkFile(label, next(iter(codes)), next(iter(names)), tuple(rows), tuple(dict.fromkeys(unknown)))


def read_published_file(path: Path, *, label: str, kpi_ids: Collection[str]) -> PublishedFile:
    """Read a file of published figures. Raises BenchmarkError with every fault located."""
    frame = _sheet(path, label)
    errors = _missing_columns(frame, label, PUBLISHED_COLUMNS)
    if errors:
        raise BenchmarkError(errors)
    figures: list[PublishedFigure] = []
    for raw in frame.iter_rows(named=True):
        line = int(raw[ROW_COLUMN])
        cells = {column: _cell(raw, column) for column in PUBLISHED_COLUMNS}
        for column in ("authority", "figure", "as_printed", "where_printed"):
            if not cells[column]:
                errors.append(located(label, "this cell is blank; every row needs it.", row=line, column=column))
        year = _year(cells["year"], label, line, "year", errors)
        value = _decimal(cells["value"], label, line, "value", errors)
        figure = cells["figure"]
        if _KPI_ID.match(figure) and figure not in kpi_ids:
            errors.append(
                located(
                    label,
                    f"'{figure}' looks like a KPI id but is not one of ours; "
                    "give one of our KPI ids or the figure's name in words.",
                    row=line,
                    column="figure",
                )
            )
        if year is not None:
            figures.append(
                PublishedFigure(
                    cells["authority"], year, figure, cells["as_printed"], value, cells["where_printed"], cells["note"]
                )
            )
    if errors:
        raise BenchmarkError(errors)
    return PublishedFile(label, tuple(figures), frozenset(kpi_ids))


def seed_report_figures_path() -> Path:
    """The example file shipped with iroscope: the figures the five seed reports published."""
    return Path(str(resources.files("iroscope.data").joinpath("examples", SEED_REPORT_FIGURES)))


# -- the comparators table -------------------------------------------------------------------------------
COMPARATOR_SCHEMA = pl.Schema({"kpi_id": pl.String, "year": pl.String, "area": pl.String, "value": pl.Float64})


def read_comparators(folder: Path) -> pl.DataFrame:
    """The comparators a data folder holds (none if it has no comparators.csv). Raises BenchmarkError if
    the file has errors, so that an import never writes over figures it could not read."""
    path = folder / COMPARATORS_FILE
    if not path.is_file():
        return pl.DataFrame(schema=COMPARATOR_SCHEMA)
    problems = Problems()
    sheets = read_table_file(path, COMPARATORS_FILE, problems)
    parsed = [
        parse_sheet(sheet, (COMPARATORS,), year=None, today=dt.date.today(), problems=problems) for sheet in sheets
    ]
    if problems.has_errors:
        raise BenchmarkError(
            [
                located(str(p["file"]), str(p["message"]), row=p["row"], column=p["column"])
                for p in problems.frame.filter(pl.col("severity") == "error").iter_rows(named=True)
            ]
            + [f"{COMPARATORS_FILE} is left as it is: put it right, then import again."]
        )
    frames = [result[1].select(list(COMPARATOR_SCHEMA)).cast(COMPARATOR_SCHEMA) for result in parsed if result]
    return pl.concat(frames) if frames else pl.DataFrame(schema=COMPARATOR_SCHEMA)


@dataclass(frozen=True)
class MergedComparators:
    """The comparators after an import, and what the import did to them."""

    frame: pl.DataFrame
    added: tuple[ComparatorRow, ...]
    replaced: tuple[tuple[ComparatorRow, ComparatorRow], ...]  # (as it was, as it is now)
    unchanged: int  # incoming rows equal to a row already there
    kept: int  # rows already there that the import did not touch


def merge_comparators(existing: pl.DataFrame, incoming: Sequence[ComparatorRow]) -> MergedComparators:
    """Every row already there is kept unless an incoming row has its KPI, year and area, which then
    replaces it; new rows follow, in the order given. Nothing is ever dropped."""
    rows = [ComparatorRow(r["kpi_id"], r["year"], r["area"], float(r["value"])) for r in existing.iter_rows(named=True)]
    position = {(r.kpi_id, r.year, r.area): index for index, r in enumerate(rows)}
    touched: set[int] = set()
    added: list[ComparatorRow] = []
    replaced: list[tuple[ComparatorRow, ComparatorRow]] = []
    unchanged = 0
    for row in incoming:
        key = (row.kpi_id, row.year, row.area)
        if key in position:
            index = position[key]
            touched.add(index)
            if rows[index].value == row.value:
                unchanged += 1
            else:
                replaced.append((rows[index], row))
                rows[index] = row
        else:
            position[key] = len(rows)
            touched.add(len(rows))
            rows.append(row)
            added.append(row)
    kept = len(existing) - len(touched & set(range(len(existing))))
    frame = pl.DataFrame([vars(r) for r in rows], schema=COMPARATOR_SCHEMA)
    return MergedComparators(frame, tuple(added), tuple(replaced), unchanged, kept)


def write_comparators(folder: Path, frame: pl.DataFrame) -> Path:
    """Write comparators.csv whole, by way of a new file moved into place, so that a failure part way
    leaves the old file as it was."""
    path = folder / COMPARATORS_FILE
    shown = frame.with_columns(pl.col("value").map_elements(_number_text, return_dtype=pl.String))
    handle, temporary = tempfile.mkstemp(prefix=".comparators-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(shown.write_csv())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
