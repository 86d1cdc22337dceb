"""Writing a dataset back to the formats it is read from: one SSDA903 return per collection year,
the activity workbook (or CSVs), reference files and settings. Reading what was written gives the
same dataset back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import tomli_w

from iroscope.data.dataset import (
    ADDED_AT_COLUMN,
    ADDED_BY_COLUMN,
    SOURCE_COLUMN,
    Dataset,
    Source,
    collection_year_label,
    year_end,
    year_start,
)
from iroscope.data.files import MAX_SHEET_CELLS, MAX_TABLE_ROWS, NOTE_MARKER
from iroscope.data.folder import RETURN_FILE, SETTINGS_FILE, WORKSPACE_FOLDER
from iroscope.data.formulas import neutralise_text_columns
from iroscope.data.schema import (
    ACTIVITY_TABLES,
    ALL_TABLES,
    CLOSING_COLUMNS,
    REFERENCE_TABLES,
    SSDA903_FILE_NAMES,
    SSDA903_TABLES,
    Column,
    Kind,
    Table,
)
from iroscope.data.ssd_export import write_ssd_export
from iroscope.data.ssda903_xml import XML_FILE_NAME, ReturnForm, write_ssda903_xml
from iroscope.rules.practice import LocalPractice

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SSDA903_DATE = "%d/%m/%Y"
FIRST_YEAR_OF_MFU_SEX_CODES = 2024  # from 2024-25 SEX is M/F/U; before, 1 male and 2 female
SEX_AS_NUMBERS = {"M": "1", "F": "2"}
FIRST_YEAR_OF_K3 = 2024
SUPPORTED_ACCOMMODATION_BEFORE_2024 = "H5"  # K3 began in 2024-25; earlier returns call it H5


def _adopted_in(episodes: pl.DataFrame, first: dt.date, last: dt.date) -> pl.Series:
    adopted = episodes.filter(
        pl.col("reason_ceased").is_in(["E11", "E12"]) & pl.col("end_date").is_between(first, last)
    )
    return adopted["child_id"].unique()


def _started_in(episodes: pl.DataFrame, first: dt.date, last: dt.date) -> pl.Series:
    started = episodes.filter((pl.col("reason_new_episode") == "S") & pl.col("start_date").is_between(first, last))
    return started["child_id"].unique()


def _rows_in_year(
    table: Table, frame: pl.DataFrame, year: int, children: pl.Series, episodes: pl.DataFrame
) -> pl.DataFrame:
    """The rows of one table that belong in the return for `year`: an AD1 row only in the year of
    the adoption; a PrevPerm row only in a year the child started to be looked after; dated rows
    that overlap the year, left open if they end after it."""
    first, last = year_start(year), year_end(year)
    frame = frame.filter(pl.col("child_id").is_in(children.implode()))
    if table.name == "reviews":
        return frame.filter(pl.col("review_date").is_between(first, last))
    if table.name == "ad1":
        return frame.filter(pl.col("child_id").is_in(_adopted_in(episodes, first, last).implode()))
    if table.name == "previous_permanence":
        return frame.filter(pl.col("child_id").is_in(_started_in(episodes, first, last).implode()))
    starts = {
        "episodes": "start_date",
        "missing": "start_date",
        "sw_episodes": "start_date",
        "dolo": "start_date",
        "placed_for_adoption": "date_placed",
    }
    ends = {"placed_for_adoption": "date_placed_ceased"}
    if table.name not in starts:
        return frame
    start, end = starts[table.name], ends.get(table.name, "end_date")
    in_year = frame.filter((pl.col(start) <= last) & (pl.col(end).is_null() | (pl.col(end) >= first)))
    still_open = pl.col(end).is_not_null() & (pl.col(end) > last)
    return in_year.with_columns(
        [
            pl.when(still_open).then(None).otherwise(pl.col(name)).alias(name)
            for name in table.column_names
            if name in CLOSING_COLUMNS
        ]
    )


def children_in_year(dataset: Dataset, year: int) -> pl.Series:
    """Children with an episode open at any time in the collection year: the return's cohort."""
    episodes = dataset["episodes"]
    in_year = episodes.filter(
        (pl.col("start_date") <= year_end(year))
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= year_start(year)))
    )
    return in_year["child_id"].unique()


def _ssda903_frame(table: Table, frame: pl.DataFrame, children: pl.DataFrame, year: int) -> pl.DataFrame:
    by_name = table.by_ssda903_name()
    if any(name in ("DOB", "SEX") and name not in by_name for name in table.ssda903_columns):
        frame = frame.join(
            children.select("child_id", pl.col("date_of_birth").alias("_dob"), pl.col("sex").alias("_sex")),
            on="child_id",
            how="left",
        )
    columns: list[pl.Expr] = []
    for name in table.ssda903_columns:
        column = by_name.get(name)
        source = pl.col(column.name) if column else pl.col("_dob" if name == "DOB" else "_sex")
        kind = column.kind if column else (Kind.DATE if name == "DOB" else Kind.CODE)
        if kind is Kind.DATE:
            source = source.dt.strftime(SSDA903_DATE)
        if name == "SEX" and year < FIRST_YEAR_OF_MFU_SEX_CODES:
            source = source.replace(SEX_AS_NUMBERS)
        if name == "PLACE" and year < FIRST_YEAR_OF_K3:
            source = source.replace({"K3": SUPPORTED_ACCOMMODATION_BEFORE_2024})
        columns.append(source.cast(pl.String).alias(name))
    return frame.sort(list(table.key)).select(columns)


def rows_from(dataset: Dataset, table: Table, source: str) -> pl.DataFrame:
    """The rows of a table that came from `source` (rows that do not say came from their table's own)."""
    frame = dataset[table.name]
    return frame.filter(pl.col(SOURCE_COLUMN).fill_null(table.source) == source)


def write_ssda903_year(dataset: Dataset, year: int, folder: Path, *, form: ReturnForm = "csv") -> list[Path]:
    """The year's return, from the rows that came from SSDA903 returns (not those recorded in the
    workspace, which `write_workspace_rows` writes): a CSV file per table, or with `form="xml"` one XML
    file as authorities submit it to the DfE."""
    folder.mkdir(parents=True, exist_ok=True)
    cohort = children_in_year(dataset, year)
    children = dataset["children"]
    written = []
    if year in dataset.extracts:
        (folder / RETURN_FILE).write_text(
            "# The day this in-year extract was taken: it knows nothing later.\n"
            + tomli_w.dumps({"extract_date": dataset.extracts[year]}),
            encoding="utf-8",
        )
    as_text: dict[str, pl.DataFrame] = {}
    for table in SSDA903_TABLES:
        frame = _rows_in_year(table, rows_from(dataset, table, Source.SSDA903), year, cohort, dataset["episodes"])
        if frame.is_empty():
            # An empty children, episodes or reviews file is refused when read (it would remove every
            # row the year held), so a year with no reviews yet is written without a reviews file.
            continue
        as_text[table.name] = _ssda903_frame(table, frame, children, year)
    if form == "xml":
        return [write_ssda903_xml(as_text, folder / XML_FILE_NAME)] if as_text else []
    for name, frame in as_text.items():
        path = folder / SSDA903_FILE_NAMES[name]
        frame.write_csv(path)
        written.append(path)
    return written


def _append_row(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append a row, text as text: openpyxl would store `=HYPERLINK(…)` as a live formula, and an
    imported name must never run when a manager opens a download."""
    values = list(values)
    sheet.append(values)
    # Only text starting "=" becomes a formula. Finding the row is a scan of the whole sheet in
    # openpyxl, so it is done only for such a row: doing it for every row made writing quadratic.
    formulas = [index for index, value in enumerate(values, start=1) if isinstance(value, str) and value[:1] == "="]
    if formulas:
        row = sheet.max_row
        for index in formulas:
            cell = sheet.cell(row=row, column=index)
            if cell.data_type == "f":
                cell.data_type = "s"


def _cell_expr(column: Column) -> pl.Expr:
    match column.kind:
        case Kind.CODES:
            return pl.col(column.name).list.join(";")
        case _:
            return pl.col(column.name)


def _plain_frame(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(list(table.key)).select([_cell_expr(column) for column in table.columns])


def column_note(column: Column) -> str:
    """The text of a column's notes cell in the activity template."""
    parts = [column.description, "Required." if column.required else "Optional."]
    if column.kind is Kind.DATE:
        parts.append("A date.")
    elif column.kind in (Kind.INTEGER, Kind.DECIMAL):
        parts.append(f"A {column.kind.value}.")
    if column.code_list is not None:
        listed = "; ".join(f"{code} = {label}" for code, label in column.code_list.labels().items())
        parts.append(("Codes (several allowed, separated by ;): " if column.kind is Kind.CODES else "Codes: ") + listed)
    if column.references:
        parts.append(f"Must match {column.references}.")
    return f"{NOTE_MARKER} " + " ".join(parts)


def write_activity_workbook(dataset: Dataset, path: Path) -> Path:
    """One sheet per activity table: headers, a notes row explaining every column and code, data."""
    # openpyxl is loaded only to write a workbook: `iroscope validate` starts without it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font = Font(bold=True)
    note_font = Font(italic=True, color="505A5F")
    note_fill = PatternFill("solid", fgColor="F3F2F1")
    for table in ACTIVITY_TABLES:
        sheet = workbook.create_sheet(table.name)
        sheet.append(table.column_names)
        sheet.append([column_note(column) for column in table.columns])
        for index in range(1, len(table.columns) + 1):
            sheet.cell(row=1, column=index).font = header_font
            note = sheet.cell(row=2, column=index)
            note.font, note.fill = note_font, note_fill
            note.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[get_column_letter(index)].width = 24
        sheet.freeze_panes = "A3"
        date_columns = [index for index, column in enumerate(table.columns) if column.kind is Kind.DATE]
        rows = _plain_frame(table, rows_from(dataset, table, Source.ACTIVITY))
        for number, row in enumerate(rows.iter_rows(), start=3):
            _append_row(sheet, row)
            for index in date_columns:
                if row[index] is not None:
                    sheet.cell(row=number, column=index + 1).number_format = "dd/mm/yyyy"
    workbook.save(path)
    return path


def write_activity_csvs(dataset: Dataset, folder: Path, *, rows_per_file: int = MAX_TABLE_ROWS) -> list[Path]:
    """One CSV file per activity table; a table with more rows than one file may hold (a national
    authority's consultations) goes into several, `consultations.csv`, `consultations-2.csv`, …,
    which are read back as one table."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in ACTIVITY_TABLES:
        frame = _plain_frame(table, rows_from(dataset, table, Source.ACTIVITY))
        for part, offset in enumerate(range(0, max(frame.height, 1), rows_per_file), start=1):
            path = folder / (f"{table.name}.csv" if part == 1 else f"{table.name}-{part}.csv")
            frame.slice(offset, rows_per_file).write_csv(path, date_format="%Y-%m-%d")
            paths.append(path)
    return paths


def activity_fits_a_workbook(dataset: Dataset) -> bool:
    """Whether every activity table fits one sheet of a workbook that iroscope reads back: no more rows
    than a table may have, nor cells than a sheet may (a national authority's do not)."""
    for table in ACTIVITY_TABLES:
        rows = rows_from(dataset, table, Source.ACTIVITY).height + 2  # the header and the notes row
        if rows > MAX_TABLE_ROWS or rows * len(table.columns) > MAX_SHEET_CELLS:
            return False
    return True


def write_workspace_rows(dataset: Dataset, folder: Path) -> list[Path]:
    """The rows recorded in the workspace, a CSV file for each table that has any, with who recorded
    them and when: SSDA903 tables in their return's columns, the others in the activity workbook's."""
    paths = []
    for table in ALL_TABLES:
        rows = rows_from(dataset, table, Source.WORKSPACE)
        if rows.is_empty():
            continue
        if table.source == "ssda903":
            # In the codes of the latest return (recorded rows belong to no return's year of their own).
            latest = max(dataset.years, default=FIRST_YEAR_OF_MFU_SEX_CODES)
            frame = _ssda903_frame(table, rows, dataset["children"], year=latest)
            frame = frame.hstack(rows.sort(list(table.key)).select(ADDED_BY_COLUMN, ADDED_AT_COLUMN))
        else:
            frame = rows.sort(list(table.key)).select(
                *[_cell_expr(column) for column in table.columns], ADDED_BY_COLUMN, ADDED_AT_COLUMN
            )
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{table.name}.csv"
        frame.with_columns(pl.col(ADDED_AT_COLUMN).dt.to_string("%Y-%m-%dT%H:%M:%S%.6fZ")).write_csv(
            path, date_format="%Y-%m-%d"
        )
        paths.append(path)
    return paths


def settings_toml(dataset: Dataset) -> str:
    """The authority and its local-practice settings, as `read_data_folder` reads them back."""
    practice = {name: value for name, value in asdict(dataset.practice).items() if value is not None}
    authority = {"code": dataset.authority_code, "name": dataset.authority_name}
    document: dict[str, object] = {"practice": practice}
    if any(authority.values()):
        document = {"authority": {key: value for key, value in authority.items() if value}, **document}
    return tomli_w.dumps(document)


PRACTICE_TEMPLATE_HEADER = """\
# Local-practice settings: the deadlines, bands, dispute stages and reasons that differ between
# authorities, here at their defaults (docs/data-model.md says where each comes from). Change what
# differs for your authority and delete the rest. The same settings go under [practice] in a data
# folder's settings.toml; a manager can also change them on the workspace's settings page.
# late_reasons: why a review held after its due date was late; the code is what the data records.

"""


def practice_template_toml(practice: LocalPractice | None = None) -> str:
    """Every local-practice setting as TOML that `LocalPractice.from_toml` reads back."""
    values = {name: value for name, value in asdict(practice or LocalPractice()).items() if value is not None}
    return PRACTICE_TEMPLATE_HEADER + tomli_w.dumps(values)


def write_data_folder(
    dataset: Dataset, root: Path, *, activity_as: str = "xlsx", ssda903_as: ReturnForm = "csv"
) -> Path:
    """Write the whole dataset as a data folder that `read_data_folder` reads back unchanged, each
    year's return as CSV files or (`ssda903_as="xml"`) as one XML file."""
    root.mkdir(parents=True, exist_ok=True)
    for year in dataset.years:
        write_ssda903_year(dataset, year, root / "ssda903" / collection_year_label(year), form=ssda903_as)
    if activity_as == "xlsx":
        write_activity_workbook(dataset, root / "activity.xlsx")
    else:
        write_activity_csvs(dataset, root / "activity")
    for table in REFERENCE_TABLES:
        rows = rows_from(dataset, table, Source.REFERENCE)
        if not rows.is_empty():
            _plain_frame(table, rows).write_csv(root / f"{table.name}.csv")
    if dataset.rows_from(Source.SSD):
        write_ssd_export(dataset, root, source=Source.SSD, placeholders=False)
    write_workspace_rows(dataset, root / WORKSPACE_FOLDER)
    (root / SETTINGS_FILE).write_text(settings_toml(dataset), encoding="utf-8")
    return root


def today() -> dt.date:
    return dt.date.today()


# -- lists and summaries (operational lists, the weekly summary) -------------------------------------------
EXCEL_SHEET_NAME_LIMIT = 31
EXCEL_DATE_FORMAT = "d mmmm yyyy"  # 3 March 2025, as every date iroscope shows
YES, NO = "Yes", "No"
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 60


@dataclass(frozen=True)
class Sheet:
    """One table for a workbook: its sheet name (at most 31 characters), its rows, and the heading
    for each column to show, in order (columns not named are left out)."""

    name: str
    frame: pl.DataFrame
    headings: Mapping[str, str]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > EXCEL_SHEET_NAME_LIMIT or set(self.name) & set("[]:*?/\\"):
            raise ValueError(f"{self.name!r} cannot name a sheet: at most 31 characters, none of []:*?/\\")


def _shown(frame: pl.DataFrame, headings: Mapping[str, str]) -> pl.DataFrame:
    """The named columns in order, yes-or-no columns as Yes and No."""
    columns = [
        pl.when(pl.col(name))
        .then(pl.lit(YES))
        .otherwise(pl.when(pl.col(name).is_not_null()).then(pl.lit(NO)))
        .alias(name)
        if frame.schema[name] == pl.Boolean
        else pl.col(name)
        for name in headings
    ]
    return frame.select(columns)


def write_table_csv(frame: pl.DataFrame, headings: Mapping[str, str], path: Path) -> Path:
    """A table as CSV with its headings as the header row, dates as 2025-03-03, yes-or-no as Yes and No."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Text a spreadsheet would run as a formula gets a leading quote (OWASP); numbers stay numbers.
    neutralise_text_columns(_shown(frame, headings)).rename(dict(headings)).write_csv(path, date_format="%Y-%m-%d")
    return path


def write_tables_xlsx(sheets: Sequence[Sheet], path: Path) -> Path:
    """A workbook with one sheet per table: bold headings in a frozen first row, dates stored as
    dates and shown as 3 March 2025, columns wide enough for their contents, notes below the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        shown = _shown(spec.frame, spec.headings)
        headings = list(spec.headings.values())
        sheet.append(headings)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        dates = [index for index, dtype in enumerate(shown.dtypes, start=1) if dtype == pl.Date]
        for row in shown.iter_rows():
            _append_row(sheet, row)
        for index in dates:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=shown.height + 1, min_col=index, max_col=index):
                cell.number_format = EXCEL_DATE_FORMAT
        for index, heading in enumerate(headings, start=1):
            longest = max([len(heading)] + [len(_width_text(value)) for value in shown.to_series(index - 1)])
            width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, longest + 2))
            sheet.column_dimensions[get_column_letter(index)].width = width
        if spec.notes:
            sheet.append([])
            for note in spec.notes:
                _append_row(sheet, [note])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _width_text(value: object) -> str:
    if isinstance(value, dt.date):
        return "30 September 2025"  # the widest a date is shown
    return "" if value is None else str(value)
