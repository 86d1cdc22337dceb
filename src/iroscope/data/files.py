"""Reading spreadsheets and CSV files as they arrive from the field: any encoding, a workbook saved
with a .csv name, semicolons instead of commas, blank rows, ragged lines. Every cell is read as
text; nothing is interpreted here, and nothing raises: problems are reported and the file is
skipped or read as far as it can be."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from iroscope.data.dataset import ROW_COLUMN
from iroscope.data.problems import ERROR, WARNING, Problems

NOTE_MARKER = "ⓘ"  # first character of the notes row in iroscope's activity template
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # xlsx (zip) and legacy xls
ZIP_SIGNATURE = b"PK\x03\x04"
# A workbook is a zip of XML parts, and the spreadsheet reader allocates a sheet's whole declared
# area: both are bounded before it is opened, so a small file cannot ask for gigabytes. The web
# application reads its own values of these from the environment (IROSCOPE_WORKBOOK_*).
MAX_WORKBOOK_UNZIPPED_BYTES = 256 * 1024 * 1024  # every part of the zip together, as it inflates
MAX_SHEET_CELLS = 5_000_000  # rows x columns, as far as the last cell the sheet declares or holds
# What one table may hold once read, whatever its format: rows below the header of one file or sheet,
# and characters in one cell (Excel's own limit for a cell).
MAX_TABLE_ROWS = 1_000_000
MAX_CELL_CHARACTERS = 32_767
# A file with many cells too long is reported by its first few; the rest are counted.
_LONG_CELLS_LISTED = 10
_CHUNK_BYTES = 1024 * 1024
_OVERLAP_BYTES = 256  # a cell reference split between two chunks is still found
# <dimension ref="A1:XFD1048576"/> and <c r="B7" ...>: the area calamine will allocate.
_CELL_REFERENCE = re.compile(
    rb"<(?:[A-Za-z0-9_]+:)?(?:c|dimension)\s[^>]*?\br(?:ef)?=\"\$?([A-Z]{1,3})\$?([0-9]{1,7})"
    rb"(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?\""
)


@dataclass(frozen=True)
class WorkbookLimits:
    """Bounds on what one file of a data folder may hold: a workbook's unpacked size and the cells a
    sheet declares, checked before it is opened; then, for every table file or sheet, its rows and the
    length of each cell. The workspace sets them from its settings (IROSCOPE_WORKBOOK_*, IROSCOPE_IMPORT_*)."""

    unzipped_bytes: int = MAX_WORKBOOK_UNZIPPED_BYTES
    sheet_cells: int = MAX_SHEET_CELLS
    table_rows: int = MAX_TABLE_ROWS
    cell_characters: int = MAX_CELL_CHARACTERS


DEFAULT_WORKBOOK_LIMITS = WorkbookLimits()


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_extent(chunk: bytes, extent: tuple[int, int]) -> tuple[int, int]:
    rows, columns = extent
    for match in _CELL_REFERENCE.finditer(chunk):
        for letters, digits in ((match[1], match[2]), (match[3], match[4])):
            if letters:
                rows, columns = max(rows, int(digits)), max(columns, _column_number(letters))
    return rows, columns


# An OpenDocument sheet (.ods) declares its area by repeating rows and cells:
# <table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384" ...>
_ODS_TAG = re.compile(
    rb"<(table:table|table:table-row|table:table-cell|table:covered-table-cell)(\s[^>]*?)?(/?)>|<(/table:table-row)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,9})"')
_ODS_TAG_MAX_BYTES = 1024 * 1024  # a tag longer than this is no spreadsheet's


class _OdsExtent:
    """The largest area any sheet of an .ods content part reaches, as far as its last cell that holds
    something (repeated empty rows and cells after it, as office suites write, do not count), read tag
    by tag from the part's chunks without keeping them."""

    def __init__(self) -> None:
        self.largest = 0
        self.carry = b""
        self._sheet_reset()

    def _sheet_reset(self) -> None:
        self.rows = 0  # rows up to the last holding something
        self.pending_rows = 0  # empty rows since then
        self.columns = 0
        self.row_repeat = 0
        self.row_columns = 0
        self.row_pending_columns = 0

    def _row_end(self) -> None:
        if self.row_columns:
            self.rows += self.pending_rows + self.row_repeat
            self.pending_rows = 0
            self.columns = max(self.columns, self.row_columns)
        else:
            self.pending_rows += self.row_repeat
        self.row_repeat = self.row_columns = self.row_pending_columns = 0

    def _sheet_end(self) -> None:
        self._row_end()
        self.largest = max(self.largest, self.rows * self.columns)
        self._sheet_reset()

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        end = data.rfind(b">") + 1
        self.carry = data[end:]
        if len(self.carry) > _ODS_TAG_MAX_BYTES:
            raise ValueError("a tag in the sheet never ends")
        for match in _ODS_TAG.finditer(data, 0, end):
            if match[4]:
                self._row_end()
                continue
            name, attributes, closed = match[1], match[2] or b"", match[3]
            repeat_match = _ODS_REPEAT.search(attributes)
            repeat = int(repeat_match[1]) if repeat_match else 1
            if name == b"table:table":
                self._sheet_end()
            elif name == b"table:table-row":
                self._row_end()
                self.row_repeat = repeat
            elif closed and b"value" not in attributes:  # an empty cell
                self.row_pending_columns += repeat
            else:
                self.row_columns += self.row_pending_columns + repeat
                self.row_pending_columns = 0

    def finish(self) -> int:
        self._sheet_end()
        return self.largest


_SHEET_ENTRY = re.compile(rb"<(?:[A-Za-z0-9_]+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z0-9_]+:)?Relationship\s([^>]*)>")
_NAMES_PART_BYTES = 1024 * 1024  # workbook.xml and its relationships: a list of sheets, never large


def _attribute(attributes: bytes, pattern: bytes) -> str | None:
    found = re.search(rb"(?:^|\s)" + pattern + rb'="([^"]*)"', attributes)
    return None if found is None else html.unescape(found[1].decode("utf-8", errors="replace"))


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (xl/worksheets/sheet1.xml) to the sheet's name as the user sees it; empty if
    the workbook does not say."""
    try:
        with archive.open("xl/workbook.xml") as part:
            workbook = part.read(_NAMES_PART_BYTES)
        with archive.open("xl/_rels/workbook.xml.rels") as part:
            relationships = part.read(_NAMES_PART_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return {}
    targets = {
        _attribute(match[1], rb"Id"): _attribute(match[1], rb"Target")
        for match in _RELATIONSHIP.finditer(relationships)
    }
    names: dict[str, str] = {}
    for match in _SHEET_ENTRY.finditer(workbook):
        name, target = _attribute(match[1], rb"name"), targets.get(_attribute(match[1], rb"[A-Za-z0-9_]+:id"))
        if name and target:
            names[target.lstrip("/") if target.startswith("/") else "xl/" + target] = name
    return names


def _workbook_too_large(path: Path, label: str, problems: Problems, limits: WorkbookLimits) -> bool:
    """Inflate every part of a zipped workbook without keeping it, counting its bytes and the last
    cell each worksheet declares or holds; report and return True if a limit is passed (or the zip
    is damaged) so the workbook is never handed to the reader."""

    def refuse(message: str, check: str = "workbook_too_large") -> bool:
        problems.add(severity=ERROR, file=label, check=check, message=message)
        return True

    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_SIGNATURE:
                # An .xls (or anything else not zipped) is read whole: its own size is what it unpacks to.
                return path.stat().st_size > limits.unzipped_bytes and refuse(_too_large_message(limits))
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                if info.file_size > limits.unzipped_bytes - total:
                    return refuse(_too_large_message(limits))
                is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                ods = _OdsExtent() if info.filename == "content.xml" else None
                extent, tail = (0, 0), b""
                with archive.open(info) as part:
                    # Read no more than the limit allows, whatever the zip claims the part's size is.
                    while chunk := part.read(min(_CHUNK_BYTES, limits.unzipped_bytes - total + 1)):
                        total += len(chunk)
                        if total > limits.unzipped_bytes:
                            return refuse(_too_large_message(limits))
                        if is_sheet:
                            extent = _sheet_extent(tail + chunk, extent)
                            tail = chunk[-_OVERLAP_BYTES:]
                        if ods is not None:
                            ods.feed(chunk)
                if ods is not None and ods.finish() > limits.sheet_cells:
                    return refuse(
                        f"A sheet of the workbook reaches more than {limits.sheet_cells:,} cells, the most a workbook "
                        "may have in one sheet. Copy the rows that hold data into a new workbook and import that."
                    )
                if extent[0] * extent[1] > limits.sheet_cells:
                    part_name = info.filename.removeprefix("xl/worksheets/").removesuffix(".xml")
                    sheet = _sheet_names(archive).get(info.filename, part_name)
                    return refuse(
                        f"The sheet {sheet!r} reaches row {extent[0]:,} and column {extent[1]:,}: more than "
                        f"{limits.sheet_cells:,} cells, the most a workbook may have in one sheet. Copy the rows "
                        "that hold data into a new workbook and import that."
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, EOFError) as error:
        return refuse(f"The workbook is damaged and could not be opened ({error}).", check="unreadable")
    except OSError as error:
        return refuse(f"The workbook could not be read: {error.strerror or error}.", check="unreadable")
    return False


def _too_large_message(limits: WorkbookLimits) -> str:
    return (
        f"The workbook unpacks to more than {limits.unzipped_bytes // (1024 * 1024):,}MB, the most one may. "
        "Remove images and unused sheets, or save the tables as CSV files."
    )


@dataclass(frozen=True)
class RawSheet:
    """A table of text cells as it stood in a file."""

    label: str
    name: str  # the file's stem or the sheet's name: a hint to which table it holds
    frame: pl.DataFrame  # text cells, plus ROW_COLUMN: the row number the user sees (header = 1)


def _decode(data: bytes, label: str, problems: Problems) -> str | None:
    # A UTF-8 byte-order mark promises UTF-8, but a file can carry one and still be Windows-1252
    # below it: read on to find out, rather than replacing every accented letter unseen.
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(
            severity=WARNING,
            file=label,
            check="encoding",
            message="The file is saved as UTF-16; it was read, but the DfE validator only accepts UTF-8.",
        )
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        problems.add(
            severity=ERROR,
            file=label,
            check="encoding",
            message="This is not a text file (it contains binary data). Save it as CSV (comma delimited).",
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            severity=WARNING,
            file=label,
            check="encoding",
            message=f"The file is not UTF-8 (first at line {line}); it was read as Windows-1252. "
            "Check any accented characters, and save it as CSV UTF-8 next time.",
        )
        return data.decode("cp1252", errors="replace")


def _separator(header_line: str) -> str:
    counts = {separator: header_line.count(separator) for separator in (",", ";", "\t", "|")}
    return max(counts, key=lambda separator: (counts[separator], separator == ","))


def _finish(frame: pl.DataFrame, label: str, name: str, *, skip_notes_row: bool) -> RawSheet:
    """Number the rows as the user sees them, strip cells, make empty cells null, and drop blank
    rows, unnamed empty columns and the template's notes row."""
    # Only the columns that need it are rewritten: a national file of letters is a hundred megabytes
    # of text, and each rewrite a copy of it. A cell needs stripping if its first or last character
    # is white space (Unicode White_Space, which `strip_chars` removes).
    edges = (
        {}
        if frame.width == 0
        else frame.select(
            *[
                pl.col(column).str.contains(r"^\s|\s$").any().alias(f"strip {index}")
                for index, column in enumerate(frame.columns)
            ],
            *[(pl.col(column) == "").any().alias(f"empty {index}") for index, column in enumerate(frame.columns)],
        ).row(0, named=True)
    )
    numbered = frame.with_row_index(ROW_COLUMN, offset=2).with_columns(
        _cleaned(column, strip=bool(edges[f"strip {index}"]), empty=bool(edges[f"empty {index}"]))
        for index, column in enumerate(frame.columns)
        if edges[f"strip {index}"] or edges[f"empty {index}"]
    )
    keep = [
        name
        for name in numbered.columns
        if not (name.startswith("_unnamed_") and numbered[name].null_count() == numbered.height)
    ]
    numbered = numbered.select(keep)
    cells = [name for name in keep if name != ROW_COLUMN]
    if skip_notes_row and cells:
        numbered = numbered.filter(~pl.col(cells[0]).fill_null("").str.starts_with(NOTE_MARKER))
    if cells and numbered.select(pl.all_horizontal(pl.col(cells).is_null()).any()).item():
        numbered = numbered.filter(~pl.all_horizontal(pl.col(cells).is_null()))
    return RawSheet(label, name, numbered)


def _cleaned(column: str, *, strip: bool, empty: bool) -> pl.Expr:
    """A column's cells stripped of surrounding white space, and empty ones made blank (null)."""
    cells = pl.col(column).str.strip_chars() if strip else pl.col(column)
    return cells.replace("", None) if strip or empty else cells


def _headers(raw: list[str], label: str, problems: Problems) -> list[str] | None:
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, name in enumerate(raw, start=1):
        clean = (name or "").replace("\ufeff", "").strip()
        if not clean:
            clean = f"_unnamed_{position}"
        elif clean == "*" or (clean.startswith("^") and clean.endswith("$")):
            clean = f"[{clean}]"  # polars reads these names as wildcards and patterns
        key = clean.upper()
        if key in seen:
            problems.add(
                severity=ERROR,
                file=label,
                row=1,
                column=clean,
                check="duplicate_column",
                message=f"The column {clean!r} appears twice (columns {seen[key]} and {position}).",
            )
            return None
        seen[key] = position
        names.append(clean)
    return names


def _too_many_rows(rows: int, label: str, problems: Problems, limits: WorkbookLimits) -> bool:
    if rows <= limits.table_rows:
        return False
    problems.add(
        severity=ERROR,
        file=label,
        check="too_many_rows",
        value=f"{rows:,}",
        message=f"This table has {rows:,} rows below its header: more than {limits.table_rows:,}, the most one file "
        "or sheet may have. Split it into files of fewer rows, or check that it holds only one table.",
    )
    return True


def _report_long_cells(
    header: list[str], rows: list[list[str]], label: str, problems: Problems, limits: WorkbookLimits
) -> None:
    """Every cell longer than the limit is an error at its row and column (the first few named, the rest
    counted), so the import stops before anything is stored."""
    most = limits.cell_characters
    long_cells = [
        (number, header[index], len(cell))
        for number, row in enumerate(rows, start=2)
        for index, cell in enumerate(row[: len(header)])
        if len(cell) > most
    ]
    _add_long_cells(long_cells, label, problems, most)


def _add_long_cells(long_cells: list[tuple[int, str, int]], label: str, problems: Problems, most: int) -> None:
    for number, column, length in long_cells[:_LONG_CELLS_LISTED]:
        problems.add(
            severity=ERROR,
            file=label,
            row=number,
            column=column,
            check="cell_too_long",
            value=f"{length:,} characters",
            message=f"This cell holds {length:,} characters: more than {most:,}, the most one cell may hold.",
        )
    if len(long_cells) > _LONG_CELLS_LISTED:
        problems.add(
            severity=ERROR,
            file=label,
            check="cell_too_long",
            message=f"{len(long_cells) - _LONG_CELLS_LISTED:,} more cells hold more than {most:,} characters.",
        )


def _rows_to_frame(
    header: list[str], rows: list[list[str]], label: str, problems: Problems, limits: WorkbookLimits
) -> pl.DataFrame:
    _report_long_cells(header, rows, label, problems, limits)
    width = len(header)
    columns: list[list[str | None]] = [[] for _ in header]
    for number, row in enumerate(rows, start=2):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            problems.add(
                severity=ERROR,
                file=label,
                row=number,
                check="ragged_row",
                value=",".join(row[width:])[:80],
                message=f"This row has {len(row)} values but the header has {width} columns; the extra values "
                "are not used. Check for unquoted commas.",
            )
        padded = row[:width] + [""] * (width - len(row))
        for index, cell in enumerate(padded):
            columns[index].append(cell)
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=pl.String) for name, values in zip(header, columns, strict=True)}
    )


def read_csv_text(
    text: str, label: str, problems: Problems, *, name: str = "", limits: WorkbookLimits = WorkbookLimits()
) -> RawSheet | None:
    text = text.lstrip("\ufeff")
    if not text.strip():
        # An empty file in place of a table would read as a table without rows, and an import would
        # then remove every row it held before.
        problems.add(
            severity=ERROR,
            file=label,
            check="empty_file",
            message="The file is empty. Export the table again, or remove the file if it should not be here.",
        )
        return None
    first_line = text.splitlines()[0]
    separator = _separator(first_line)
    if separator != ",":
        problems.add(
            severity=WARNING,
            file=label,
            check="separator",
            value=repr(separator),
            message=f"Values are separated by {separator!r} rather than commas; the file was read that way.",
        )
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        problems.add(
            severity=ERROR, file=label, check="unreadable", message=f"The file could not be read as CSV: {error}."
        )
        return None
    if _too_many_rows(len(records) - 1, label, problems, limits):
        return None
    header = _headers(records[0], label, problems)
    if header is None:
        return None
    return _finish(_rows_to_frame(header, records[1:], label, problems, limits), label, name, skip_notes_row=False)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def read_workbook(
    path: Path, label: str, problems: Problems, *, limits: WorkbookLimits = WorkbookLimits()
) -> list[RawSheet]:
    """Every sheet of an .xlsx/.xls/.ods workbook; sheets without a header row are skipped quietly.
    A workbook past the limits is refused before it is opened."""
    if _workbook_too_large(path, label, problems, limits):
        return []
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several exception types for damaged files
        problems.add(
            severity=ERROR,
            file=label,
            check="unreadable",
            message=f"The workbook could not be opened ({type(error).__name__}: {error}).",
        )
        return []
    sheets: list[RawSheet] = []
    for name in workbook.sheet_names:
        sheet_label = f"{label} › {name}"
        try:
            sheet = workbook.get_sheet_by_name(name)
            # A zipped workbook's sheets were measured before opening; an .xls sheet is measured here,
            # before its cells are made (a few KB can declare a cell at row 65,536 and column 256).
            last_row, last_column = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            if last_row * last_column > limits.sheet_cells:
                problems.add(
                    severity=ERROR,
                    file=sheet_label,
                    check="workbook_too_large",
                    message=f"The sheet reaches row {last_row:,} and column {last_column:,}: more than "
                    f"{limits.sheet_cells:,} cells, the most a workbook may have in one sheet. Copy the rows "
                    "that hold data into a new workbook and import that.",
                )
                continue
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as error:
            problems.add(
                severity=ERROR, file=sheet_label, check="unreadable", message=f"The sheet could not be read ({error})."
            )
            continue
        if not rows or not any(_cell_text(cell).strip() for cell in rows[0]):
            continue
        if _too_many_rows(len(rows) - 1, sheet_label, problems, limits):
            continue
        header = _headers([_cell_text(cell) for cell in rows[0]], sheet_label, problems)
        if header is None:
            continue
        body = [[_cell_text(cell) for cell in row] for row in rows[1:]]
        sheets.append(
            _finish(_rows_to_frame(header, body, sheet_label, problems, limits), sheet_label, name, skip_notes_row=True)
        )
    return sheets


_HEADER_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029\ufeff]")


# A quoted field as both readers take it alike: opening at the start of a field, closing at its end,
# a quote inside written twice. It starts with the quote itself (the look-behind follows it), so the
# search jumps from quote to quote; the loop inside is unrolled, so it never backtracks.
_QUOTED_FIELD = re.compile(rb'"(?<![^,\n]")[^"]*(?:""[^"]*)*"(?=,|\r?\n|\Z)')


def _outside_quotes(data: bytes) -> bytes | None:
    """The file with each quoted field replaced by `q`, if every quote belongs to a quoted field both
    readers take alike; None otherwise."""
    rest = _QUOTED_FIELD.sub(b"q", data)
    return None if b'"' in rest else rest


def _plain_csv(data: bytes) -> int | None:
    """The number of records (header included) in a file plain enough for polars' reader to read it
    exactly as the careful reader would: no NUL; every quote part of a well-formed quoted field; and,
    outside quoted fields, no lone carriage return. None for anything else, which takes the careful
    path, reporting each oddity where it is. (A blank line is found by comparing this count with the
    rows polars read.)"""
    if b"\x00" in data:
        return None
    rest = _outside_quotes(data) if b'"' in data else data
    if rest is None or (b"\r" in rest and rest.count(b"\r") != rest.count(b"\r\n")):
        return None
    return rest.count(b"\n") + (0 if rest.endswith(b"\n") else 1)


def _read_plain_csv(
    source: Path | bytes, records: int, header: str, label: str, problems: Problems, *, limits: WorkbookLimits
) -> pl.DataFrame | None:
    """The fast path of `read_csv_text` for a well-formed UTF-8 file separated by commas: polars reads
    every cell as text (from the file itself, so its bytes are not held twice). The cells as read, to
    be checked and finished; None if the file needs the careful path."""
    if not header.strip() or _HEADER_CHARACTERS.search(header.rstrip("\r")) or _separator(header) != ",":
        return None
    line = header.rstrip("\r")
    if line.count('"') % 2:
        return None  # a quoted name holding a line break: the header goes on past this line
    # Every quote in the file belongs to a well-formed quoted field, so this line's are whole fields.
    raw_header = next(csv.reader([line])) if '"' in line else line.split(",")
    named = [name.strip().upper() for name in raw_header if name.strip()]
    if len(set(named)) < len(named):
        return None  # a repeated column: the careful path names it
    try:
        frame = pl.read_csv(
            source,
            has_header=True,
            infer_schema=False,
            quote_char='"',
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None  # a ragged line or something stranger: the careful path locates it
    if frame.width != len(raw_header) or frame.height + 1 != records or frame.height > limits.table_rows:
        return None  # a blank line polars passed over; or too many rows, which the careful path reports
    names = _headers(raw_header, label, problems)
    if names is None:  # cannot happen after the check above, but the careful path would say why
        return None
    frame.columns = names
    return frame


def _report_long_cells_in_frame(frame: pl.DataFrame, label: str, problems: Problems, limits: WorkbookLimits) -> None:
    """`_report_long_cells` for a frame read whole: the same problems, row by row and column by column."""
    most = limits.cell_characters
    if frame.is_empty() or frame.select(pl.max_horizontal(pl.all().str.len_bytes().max()) <= most).item() in (
        True,
        None,
    ):
        return  # no cell has more bytes than the limit allows characters
    lengths = frame.with_row_index("_row", offset=2).select(
        pl.col("_row"),
        *[pl.col(column).str.len_chars().alias(str(index)) for index, column in enumerate(frame.columns)],
    )
    long_cells = (
        lengths.unpivot(index="_row", variable_name="_column", value_name="_length")
        .filter(pl.col("_length") > most)
        .with_columns(pl.col("_column").cast(pl.Int64))
        .sort("_row", "_column")
    )
    rows = [(number, frame.columns[index], length) for number, index, length in long_cells.iter_rows()]
    _add_long_cells(rows, label, problems, most)


def _unchanged(path: Path, before: os.stat_result) -> bool:
    """Whether a file is as it was when it was checked (a file replaced meanwhile is read again)."""
    try:
        after = path.stat()
    except OSError:
        return False
    return (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


def read_table_file(
    path: Path, label: str, problems: Problems, *, limits: WorkbookLimits = WorkbookLimits()
) -> list[RawSheet]:
    """One CSV file (or a workbook wrongly named .csv) as raw sheets. Never raises."""
    try:
        before = path.stat()
        data = path.read_bytes()
    except OSError as error:
        problems.add(
            severity=ERROR, file=label, check="unreadable", message=f"The file could not be read: {error.strerror}."
        )
        return []
    if data.startswith(WORKBOOK_SIGNATURES):
        if path.suffix.lower() == ".csv":
            problems.add(
                severity=WARNING,
                file=label,
                check="workbook_as_csv",
                message="This is an Excel workbook saved with a .csv name; it was read as a workbook. "
                "Save it as CSV (comma delimited) for the DfE validator.",
            )
        return read_workbook(path, label, problems, limits=limits)
    plain = data.removeprefix(b"\xef\xbb\xbf")
    if (records := _plain_csv(plain)) is not None:
        # Only the header is decoded here: polars refuses a file that is not UTF-8, which then goes
        # the careful way and is read as Windows-1252 with a warning.
        end = plain.find(b"\n")
        try:
            header = (plain if end < 0 else plain[:end]).decode("utf-8")
        except UnicodeDecodeError:
            header = None
        if header is not None:
            del data, plain  # polars reads the file itself: a national file's bytes are not held twice
            fast = _read_plain_csv(path, records, header, label, problems, limits=limits)
            if fast is not None and _unchanged(path, before):
                _report_long_cells_in_frame(fast, label, problems, limits)
                return [_finish(fast, label, path.stem, skip_notes_row=False)]
            try:  # the careful way, with the file as it is now
                data = path.read_bytes()
            except OSError as error:
                problems.add(
                    severity=ERROR,
                    file=label,
                    check="unreadable",
                    message=f"The file could not be read: {error.strerror}.",
                )
                return []
    text = _decode(data, label, problems)
    if text is None:
        return []
    sheet = read_csv_text(text, label, problems, name=path.stem, limits=limits)
    return [] if sheet is None else [sheet]


def relative_label(path: Path, root: Path) -> str:
    """How a problem names a file or folder: its path inside the data folder, or whole if outside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def report_unreadable_folder(folder: Path, root: Path, error: OSError, problems: Problems) -> None:
    """A folder that cannot be listed (its permissions), by its path: nothing in it is read."""
    problems.add(
        severity=ERROR,
        file=relative_label(folder, root),
        check="unreadable",
        message=f"The folder could not be read ({error.strerror or error}), so nothing in it was used. "
        "Check that iroscope may open it.",
    )
