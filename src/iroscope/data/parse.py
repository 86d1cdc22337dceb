"""From text cells to typed tables: recognise which table a sheet holds by its columns, then parse
every column by its schema type, reporting each cell that cannot be used with its file, row,
column, value and a plain reason. Parsing is vectorised so a national file takes seconds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from iroscope.data.dataset import (
    ADDED_AT_COLUMN,
    ADDED_BY_COLUMN,
    FILE_COLUMN,
    ROW_COLUMN,
    collection_year_label,
    year_end,
    year_start,
)
from iroscope.data.files import RawSheet
from iroscope.data.formulas import starts_with_formula_expr
from iroscope.data.problems import ERROR, WARNING, Problems
from iroscope.data.schema import Column, Kind, Table
from iroscope.rules.codes import CodeList

NEVER_EMPTY_IN_A_RETURN = frozenset({"children", "episodes", "reviews"})
EARLIEST_PLAUSIBLE_DATE = dt.date(1900, 1, 1)
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"
SSDA903_DATE_FORMAT = "%d/%m/%Y"
# A date as a spreadsheet exports it, with or without a time; nothing may come before or after it
# (a leading + or trailing text once read as another day or passed unnoticed).
ISO_DATE_PATTERN = r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
# CHILD is the authority's own identifier: letters and digits, with the separators case-management
# systems use. Anything else (a /, a space, a control character) would break every page naming it.
CHILD_ID_PATTERN = r"^[\p{L}\p{N}](?:[\p{L}\p{N}_.\-]*[\p{L}\p{N}])?$"
CHILD_ID_MAX_LENGTH = 40


@dataclass(frozen=True)
class Recognition:
    table: Table
    missing: tuple[str, ...]  # expected columns absent from the sheet
    extra: tuple[str, ...]  # sheet columns the table does not have


def _expected_columns(table: Table) -> tuple[str, ...]:
    return table.ssda903_columns if table.source == "ssda903" else tuple(table.column_names)


def _normalise(name: str, table: Table) -> str:
    return name.upper() if table.source == "ssda903" else name.lower()


def recognise(
    columns: Sequence[str], candidates: Sequence[Table], *, name_hint: str | None = None
) -> Recognition | None:
    """The table a sheet holds: the one its file or sheet is named after, if any; otherwise the one
    whose columns best match, by overlap, among tables with at least half their columns or all their
    required ones present. None if nothing qualifies."""
    best: tuple[float, Recognition] | None = None
    for table in candidates:
        expected = _expected_columns(table)
        present = {_normalise(name, table) for name in columns if not name.startswith("_")}
        matched = present & set(expected)
        required = {
            name for name in expected if (column := _expected_column(table, name)) is not None and column.required
        }
        named = name_hint is not None and name_hint.strip().lower() == table.name
        if not named and (len(matched) * 2 < len(expected)) and not (required <= matched and len(matched) >= 2):
            continue
        score = len(matched) / len(present | set(expected))
        recognition = Recognition(
            table,
            missing=tuple(name for name in expected if name not in present),
            extra=tuple(sorted(present - set(expected))),
        )
        if named:
            return recognition
        if best is None or score > best[0]:
            best = (score, recognition)
    return None if best is None else best[1]


def _code_message(value: str, code_list: CodeList, year: int | None) -> str:
    valid = code_list.valid_codes(year)
    for entry in code_list.codes:
        if entry.code == value and not entry.valid_in(year):
            when = []
            if entry.first_year is not None:
                when.append(f"from {collection_year_label(entry.first_year)}")
            if entry.last_year is not None:
                when.append(f"up to {collection_year_label(entry.last_year)}")
            valid_when = " and ".join(when)
            this_year = collection_year_label(year or 0)
            return f"{value} is a {code_list.name} code only valid {valid_when}, not in {this_year}."
    listed = ", ".join(valid) if len(valid) <= 12 else ", ".join(valid[:12]) + ", …"
    return f"{value!r} is not a {code_list.name} code. Valid codes: {listed}."


class SheetParser:
    """Parses one sheet into its table's typed columns, recording problems as it goes."""

    def __init__(
        self, sheet: RawSheet, recognition: Recognition, *, year: int | None, today: dt.date, problems: Problems
    ):
        self.sheet = sheet
        self.table = recognition.table
        self.year = year
        self.today = today
        self.problems = problems
        self.latest_date = min(today, year_end(year)) if year is not None else today
        renames = {name: self._canonical_name(name) for name in sheet.frame.columns if name != ROW_COLUMN}
        self.raw = sheet.frame.rename({old: new for old, new in renames.items() if new is not None})
        self.source_names = {new: old for old, new in renames.items() if new is not None}
        self._unusable_ids = pl.Series(dtype=pl.String)  # worked out by `parse`, for the child_id check

    def _canonical_name(self, name: str) -> str | None:
        if self.table.source == "ssda903":
            column = self.table.by_ssda903_name().get(name.upper())
            if column is not None:
                return column.name
            return "_dob" if name.upper() == "DOB" else None
        lowered = name.lower()
        return lowered if lowered in self.table.column_names else None

    def _report(
        self, bad: pl.DataFrame, column: Column, message: pl.Expr, *, severity: str = ERROR, check: str
    ) -> None:
        if bad.is_empty():
            return
        rows = bad.select(
            pl.lit(self.sheet.label).alias("file"),
            pl.col(ROW_COLUMN).alias("row"),
            pl.col(f"_raw_{column.name}").alias("value"),
            message.alias("message"),
        )
        self.problems.add_rows(rows, severity=severity, check=check, column=column.ssda903 or column.name)  # type: ignore[arg-type]

    def parse(self) -> pl.DataFrame:
        raw = self.raw.with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
        for column in self.table.columns:
            if column.name not in raw.columns:
                raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(column.name))
        raw = raw.with_columns([pl.col(c.name).alias(f"_raw_{c.name}") for c in self.table.columns])
        parsed = raw.with_columns([self._parse_distinct(raw, column) for column in self.table.columns])
        if "child_id" in self.table.column_names:
            # The identifier's pattern is the costliest check: it is tried once for each distinct identifier.
            distinct = parsed.select(pl.col("_raw_child_id").unique())
            self._unusable_ids = distinct.filter(_unusable_child_id(pl.col("_raw_child_id")))["_raw_child_id"]
        checks = [(column, check) for column in self.table.columns for check in self._checks(column)]
        # Whether each check finds anything, worked out in one pass over every column together; only
        # the checks that do are filtered and reported, in the order they are listed.
        found = parsed.select([check.rows.any().alias(str(number)) for number, (_, check) in enumerate(checks)])
        for (column, check), anything in zip(checks, found.row(0) if checks else (), strict=True):
            if anything:
                bad = parsed.filter(check.rows)
                self._report(bad, column, check.message(bad), severity=check.severity, check=check.check)
        for column in self.table.columns:
            if column.kind is Kind.CODES:
                self._check_codes(parsed, column)
        # Who added a row and when travel with rows recorded in the workspace (decision 0012).
        carried = [name for name in ("_dob", ADDED_BY_COLUMN, ADDED_AT_COLUMN) if name in parsed.columns]
        keep = [*self.table.column_names, ROW_COLUMN, *carried]
        return parsed.select(keep).with_columns(pl.lit(self.sheet.label).alias(FILE_COLUMN))

    def _parse_distinct(self, raw: pl.DataFrame, column: Column) -> pl.Expr:
        """A column parsed by working out each distinct text once: a national file holds a million
        cells but a few hundred dates or codes, and parsing a date tries four formats."""
        parse = self._parse_expr(column)
        if column.kind in (Kind.TEXT, Kind.CODES):
            return parse  # nothing to work out, or a list for each cell
        lookup = raw.select(pl.col(column.name).unique()).select(pl.col(column.name).alias("_text"), parse)
        return pl.col(column.name).replace_strict(
            lookup["_text"], lookup[column.name], default=None, return_dtype=lookup.schema[column.name]
        )

    def _parse_expr(self, column: Column) -> pl.Expr:
        text = pl.col(column.name)
        match column.kind:
            case Kind.DATE:
                return parse_date_expr(text, ssda903=self.table.source == "ssda903").alias(column.name)
            case Kind.INTEGER:
                return text.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False).alias(column.name)
            case Kind.DECIMAL:
                return text.cast(pl.Float64, strict=False).alias(column.name)
            case Kind.CODE:
                # Spreadsheets saved as CSV turn the code 1 into 1.0.
                upper = text.str.to_uppercase().str.replace(r"^(\d+)\.0+$", "${1}")
                if column.code_list is not None and column.code_list.aliases:
                    upper = upper.replace(column.code_list.aliases)
                return upper.alias(column.name)
            case Kind.CODES:
                return (
                    text.str.to_uppercase()
                    .str.split(";")
                    .list.eval(pl.element().str.strip_chars())
                    .list.eval(pl.element().filter(pl.element() != ""))
                    .alias(column.name)
                )
            case Kind.POSTCODE:
                squeezed = text.str.to_uppercase().str.replace_all(r"\s+", "")
                return (
                    pl.when(squeezed.str.len_chars() >= 5)
                    .then(squeezed.str.slice(0, squeezed.str.len_chars() - 3) + " " + squeezed.str.slice(-3))
                    .otherwise(squeezed)
                    .alias(column.name)
                )
            case _:
                return text.alias(column.name)

    def _checks(self, column: Column) -> list[_Check]:
        """Every check of one column's cells, in the order their problems are reported."""
        raw = pl.col(f"_raw_{column.name}")
        value = pl.col(column.name)
        label = column.ssda903 or column.name
        checks = [
            # A NUL character is invisible in a spreadsheet and refused by PostgreSQL: name it here.
            _Check(
                raw.str.contains("\x00", literal=True),
                f"{label} contains a NUL character (an invisible control character, often left by a broken "
                "export). Remove it and save the file again.",
                check="nul_character",
            )
        ]
        if column.required:
            checks.append(_Check(raw.is_null(), f"{label} is required but is blank.", check="required"))
        failed = raw.is_not_null() & value.is_null()
        match column.kind:
            case Kind.DATE:
                expected = "DD/MM/YYYY" if self.table.source == "ssda903" else "a date such as 2025-03-31 or 31/03/2025"
                checks.append(
                    _Check(
                        failed, pl.format("{} is not a real date (expected {}).", raw, pl.lit(expected)), check="date"
                    )
                )
                checks.append(
                    _Check(
                        value < EARLIEST_PLAUSIBLE_DATE,
                        pl.format("{} is before 1900, which cannot be right.", raw),
                        check="impossible_date",
                    )
                )
                when = (
                    f"after the end of the {collection_year_label(self.year)} collection year"
                    if self.year is not None and self.latest_date < self.today
                    else "in the future"
                )
                if not column.may_be_future:
                    checks.append(
                        _Check(value > self.latest_date, pl.format("{} is {}.", raw, pl.lit(when)), check="future_date")
                    )
            case Kind.TEXT if column.name == "child_id":
                checks.append(
                    _Check(
                        raw.is_in(self._unusable_ids.implode()),
                        pl.format(
                            "{} is not a usable child identifier: use up to {} letters and digits, with - _ or . "
                            "between them, and no spaces, slashes or other characters.",
                            pl.lit(label),
                            pl.lit(CHILD_ID_MAX_LENGTH),
                        ),
                        check="child_id",
                    )
                )
            case Kind.TEXT:
                checks.append(
                    _Check(
                        starts_with_formula_expr(raw),
                        f"{label} starts with a character a spreadsheet reads as a formula (= + - or @). It is kept "
                        "as text, and downloads write it so that it cannot run; check it is what was meant.",
                        severity=WARNING,
                        check="formula_text",
                    )
                )
            case Kind.INTEGER | Kind.DECIMAL:
                checks.append(_Check(failed, pl.format("{} is not a number.", raw), check="number"))
            case Kind.CODE if column.code_list is not None:
                code_list, year = column.code_list, self.year

                def code_messages(bad: pl.DataFrame) -> pl.Expr:
                    messages = {code: _code_message(code, code_list, year) for code in bad[column.name].unique()}
                    return value.replace_strict(messages, return_dtype=pl.String)

                valid = list(code_list.valid_codes(year))
                checks.append(_Check(value.is_not_null() & ~value.is_in(valid), code_messages, check="code"))
            case Kind.POSTCODE:
                checks.append(
                    _Check(
                        value.is_not_null() & ~value.str.contains(POSTCODE_PATTERN),
                        pl.format("{} is not a valid UK postcode.", raw),
                        severity=WARNING,
                        check="postcode",
                    )
                )
            case _:
                pass
        return checks

    def _check_codes(self, parsed: pl.DataFrame, column: Column) -> None:
        """A column of several codes: each code is checked on its own."""
        if column.code_list is None:
            return
        value = pl.col(column.name)
        valid = list(column.code_list.valid_codes(self.year))
        exploded = parsed.select(ROW_COLUMN, f"_raw_{column.name}", column.name).explode(column.name)
        bad = exploded.filter(value.is_not_null() & ~value.is_in(valid))
        if not bad.is_empty():
            messages = {code: _code_message(code, column.code_list, self.year) for code in bad[column.name].unique()}
            self._report(bad, column, value.replace_strict(messages, return_dtype=pl.String), check="code")


def _unusable_child_id(raw: pl.Expr) -> pl.Expr:
    """A child identifier that is not up to 40 letters and digits with - _ or . between them (one with
    a NUL character is reported as that instead)."""
    clean = raw.str.replace_all("\x00", "", literal=True)
    return (
        raw.is_not_null()
        & ~raw.str.contains("\x00", literal=True)
        & (~clean.str.contains(CHILD_ID_PATTERN) | (clean.str.len_chars() > CHILD_ID_MAX_LENGTH))
    )


class _Check:
    """One check of a column's cells: the rows it finds, and the message for each (fixed text, an
    expression, or worked out from the rows found)."""

    def __init__(
        self,
        rows: pl.Expr,
        message: str | pl.Expr | Callable[[pl.DataFrame], pl.Expr],
        *,
        check: str,
        severity: str = ERROR,
    ) -> None:
        self.rows = rows
        self._message = message
        self.check = check
        self.severity = severity

    def message(self, bad: pl.DataFrame) -> pl.Expr:
        if isinstance(self._message, str):
            return pl.lit(self._message)
        if isinstance(self._message, pl.Expr):
            return self._message
        return self._message(bad)


def drop_duplicate_keys(frame: pl.DataFrame, table: Table, problems: Problems) -> pl.DataFrame:
    """Keep the first row of each key; report every later one, saying whether it is an exact repeat."""
    key = list(table.key)
    duplicated = pl.struct(key).is_duplicated()
    if frame.is_empty() or not frame.select(duplicated.any()).item():
        return frame
    first = pl.struct(FILE_COLUMN, ROW_COLUMN).first().over(key)
    same = pl.all_horizontal([pl.col(name).eq_missing(pl.col(name).first().over(key)) for name in table.column_names])
    flagged = frame.with_columns(_first=first, _same=same).filter(
        duplicated & (pl.struct(FILE_COLUMN, ROW_COLUMN) != pl.col("_first"))
    )
    first_file = pl.col("_first").struct.field(FILE_COLUMN)
    where = (
        pl.when(first_file == pl.col(FILE_COLUMN))
        .then(pl.format("row {}", pl.col("_first").struct.field(ROW_COLUMN)))
        .otherwise(pl.format("{} row {}", first_file, pl.col("_first").struct.field(ROW_COLUMN)))
    )
    key_labels = ", ".join(table.column(name).ssda903 or name for name in key)
    rows = flagged.select(
        pl.col(FILE_COLUMN).alias("file"),
        pl.col(ROW_COLUMN).alias("row"),
        pl.concat_str([pl.col(name).cast(pl.String) for name in key], separator=" ").alias("value"),
        pl.when(pl.col("_same"))
        .then(pl.format("This row repeats {} exactly ({}).", where, pl.lit(key_labels)))
        .otherwise(pl.format("This row has the same {} as {} but different details.", pl.lit(key_labels), where))
        .alias("message"),
    )
    problems.add_rows(rows, severity=ERROR, check="duplicate", column=key_labels)
    return frame.unique(subset=key, keep="first", maintain_order=True)


def parse_date_expr(text: pl.Expr, *, ssda903: bool) -> pl.Expr:
    """Dates as the DfE writes them (31/03/2025), as spreadsheets export them (2025-03-31, with or
    without a time), or as some systems write them (31-03-2025). Anything else is null."""
    candidates = [
        text.str.to_date(SSDA903_DATE_FORMAT, strict=False),
        text.str.extract(ISO_DATE_PATTERN, 1).str.to_date("%Y-%m-%d", strict=False),
        text.str.to_date("%d-%m-%Y", strict=False),
        text.str.to_date("%d.%m.%Y", strict=False),
    ]
    if not ssda903:
        candidates.insert(0, candidates.pop(1))
    return pl.coalesce(candidates)


def parse_dates_once(frame: pl.DataFrame, column: str, *, ssda903: bool) -> pl.Expr:
    """`parse_date_expr` of a column of `frame`, each distinct text parsed once and looked up."""
    lookup = frame.select(pl.col(column).unique()).select(
        pl.col(column).alias("_text"), parse_date_expr(pl.col(column), ssda903=ssda903)
    )
    return pl.col(column).replace_strict(lookup["_text"], lookup[column], default=None, return_dtype=pl.Date)


def parse_sheet(
    sheet: RawSheet, candidates: Sequence[Table], *, year: int | None, today: dt.date, problems: Problems
) -> tuple[Table, pl.DataFrame] | None:
    """Recognise and parse one sheet. Returns None (with the reason reported) if it holds no known table."""
    columns = [name for name in sheet.frame.columns if name != ROW_COLUMN]
    # SSDA903 files are recognised by their columns alone (authorities name them differently);
    # the service's own tables may also be recognised by the sheet or file name we gave them.
    by_name = all(table.source != "ssda903" for table in candidates)
    recognition = recognise(columns, candidates, name_hint=sheet.name if by_name else None)
    if recognition is None:
        kinds = "SSDA903" if all(table.source == "ssda903" for table in candidates) else "iroscope"
        problems.add(
            severity=ERROR,
            file=sheet.label,
            row=1,
            check="unrecognised_table",
            value=", ".join(columns)[:120],
            message=f"These columns do not match any {kinds} table, so the file was not used.",
        )
        return None
    table = recognition.table
    if year is not None and table.source == "ssda903" and year_start(year) > today:
        problems.add(
            severity=ERROR,
            file=sheet.label,
            check="future_year",
            value=collection_year_label(year),
            message=f"The {collection_year_label(year)} collection year has not started (it starts "
            f"{year_start(year):%d/%m/%Y}), so there can be no return for it yet. Check the year folder's name.",
        )
        return None
    if table.name in NEVER_EMPTY_IN_A_RETURN and sheet.frame.is_empty():
        # Every return has children, their episodes and their reviews: read as empty, such a file would
        # remove every row the year held. (A year with no adoptions or missing episodes is real.)
        problems.add(
            severity=ERROR,
            file=sheet.label,
            check="empty_table",
            message=f"Recognised as {table.title}, but it has a header row and no rows below it. Export the "
            "table again; the file was not used.",
        )
        return None
    required_missing = [
        name
        for name in recognition.missing
        if (column := _expected_column(table, name)) is not None and column.required
    ]
    if required_missing:
        problems.add(
            severity=ERROR,
            file=sheet.label,
            row=1,
            check="missing_column",
            value=", ".join(required_missing),
            message=f"Recognised as {table.title}, but required columns are missing: {', '.join(required_missing)}.",
        )
    elif recognition.missing:
        problems.add(
            severity=WARNING,
            file=sheet.label,
            row=1,
            check="missing_column",
            value=", ".join(recognition.missing),
            message=f"Recognised as {table.title}; optional columns missing and treated as blank: "
            f"{', '.join(recognition.missing)}.",
        )
    if recognition.extra:
        problems.add(
            severity=WARNING,
            file=sheet.label,
            row=1,
            check="extra_column",
            value=", ".join(recognition.extra),
            message=f"Recognised as {table.title}; these columns are not part of it and were ignored: "
            f"{', '.join(recognition.extra)}.",
        )
    parser = SheetParser(sheet, recognition, year=year, today=today, problems=problems)
    return table, parser.parse()


def _expected_column(table: Table, name: str) -> Column | None:
    """The schema column behind an expected file column (None for a repeated SSDA903 DOB)."""
    if table.source == "ssda903":
        return table.by_ssda903_name().get(name)
    return table.column(name)
