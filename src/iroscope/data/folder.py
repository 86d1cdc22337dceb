"""Reading a data folder into one canonical dataset.

    DATA/ssda903/<YYYY-YY>/*.csv   one SSDA903 return per collection year (or *.xml, the XML return)
    DATA/activity.xlsx  or  DATA/activity/*.csv (or *.xlsx)   the IRO service's own records
    DATA/ssda903/<YYYY-YY>/return.toml   optional: the day an in-year extract was taken
    DATA/population.csv, DATA/comparators.csv   optional reference figures
    DATA/establishment.csv                     optional: funded IRO posts each year
    DATA/workspace/*.csv   rows recorded in the workspace, as `iroscope export` writes them
    DATA/settings.toml   optional: the authority's code and its local-practice settings
    DATA/ssd/*.csv       optional: an export of the Standard Safeguarding Dataset (data/ssd.py)

A folder of SSDA903 CSV files with none of that layout is read as one return of unknown year.
Each file is recognised by its columns, not its name. Returns for several years are merged: the
same child and DECOM is one episode, the same child and REVIEW date one review; where two returns
differ the later one wins and the difference is reported.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from iroscope.data.dataset import (
    ADDED_AT_COLUMN,
    FILE_COLUMN,
    PROVENANCE_COLUMNS,
    ROW_COLUMN,
    SOURCE_COLUMN,
    Dataset,
    Source,
    collection_year_label,
    parse_collection_year,
    year_end,
    year_start,
)
from iroscope.data.files import (
    DEFAULT_WORKBOOK_LIMITS,
    WorkbookLimits,
    read_table_file,
    read_workbook,
    relative_label,
    report_unreadable_folder,
)
from iroscope.data.parse import drop_duplicate_keys, parse_sheet
from iroscope.data.problems import ERROR, WARNING, Problems
from iroscope.data.return_forms import choose_return_form
from iroscope.data.schema import (
    ACTIVITY_TABLES,
    ALL_TABLES,
    CHILDREN,
    CLOSING_COLUMNS,
    REFERENCE_TABLES,
    SSDA903_TABLES,
    TABLES_BY_NAME,
    Table,
)
from iroscope.data.ssd import SsdExport, combine_with_ssd, read_ssd_folder, ssd_years
from iroscope.data.ssd_due_dates import read_ssd_due_dates
from iroscope.data.ssd_tables import DEFAULT_IRO_ROLES, SSD_FOLDER
from iroscope.data.ssda903_xml import XML_SUFFIX, read_ssda903_xml
from iroscope.data.validate import validate_dataset
from iroscope.rules.codes import PLACEMENT_TYPE_SUCCESSORS
from iroscope.rules.practice import LocalPractice

YEAR_COLUMN = "_year"
TABLE_FILE_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
SETTINGS_FILE = "settings.toml"
RETURN_FILE = "return.toml"  # in a year's folder: `extract_date = 2026-10-31` for an in-year extract
WORKSPACE_FOLDER = "workspace"
# The dates an in-year extract's last day is taken from when its return.toml does not give it.
_EXTRACT_EVIDENCE = {"episodes": ("start_date", "end_date"), "reviews": ("review_date",), "missing": ("start_date",)}


class DataFolderError(Exception):
    """The folder could not be read at all (missing, not a folder, nothing recognisable in it); `problems`
    holds why each file in it was refused, where there were files."""

    def __init__(self, message: str, problems: Problems | None = None) -> None:
        super().__init__(message)
        self.problems = problems if problems is not None else Problems()


@dataclass
class LoadResult:
    dataset: Dataset
    problems: Problems
    ssd: SsdExport | None = None  # the SSD export read beside the rest, if any (data/ssd.py)


def _table_files(
    folder: Path, root: Path, problems: Problems, *, suffixes: tuple[str, ...] = TABLE_FILE_SUFFIXES
) -> list[Path]:
    """The table files in a folder; a folder that cannot be listed (its permissions) is reported
    by its path, and nothing in it is read."""
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
        )
    except OSError as error:
        report_unreadable_folder(folder, root, error, problems)
        return []


def _subfolders(folder: Path, root: Path, problems: Problems) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError as error:
        report_unreadable_folder(folder, root, error, problems)
        return []


def _read_tables(
    paths: list[Path],
    root: Path,
    candidates: tuple[Table, ...],
    *,
    year: int | None,
    today: dt.date,
    problems: Problems,
    limits: WorkbookLimits,
) -> dict[str, pl.DataFrame]:
    """Parse files into tables; several files holding the same table are combined."""
    pieces: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for path in paths:
        label = relative_label(path, root)
        sheets = (
            read_table_file(path, label, problems, limits=limits)
            if path.suffix.lower() == ".csv"
            else read_ssda903_xml(path, label, problems, limits=limits)
            if path.suffix.lower() == XML_SUFFIX
            else read_workbook(path, label, problems, limits=limits)
        )
        for sheet in sheets:
            parsed = parse_sheet(sheet, candidates, year=year, today=today, problems=problems)
            if parsed is not None:
                table, frame = parsed
                problems.know_children(frame)
                pieces[table.name].append(frame)
    return {
        name: drop_duplicate_keys(pl.concat(frames, how="diagonal_relaxed"), TABLES_BY_NAME[name], problems)
        for name, frames in pieces.items()
    }


def _with_xml_return(
    tables: dict[str, pl.DataFrame],
    folder: Path,
    root: Path,
    year: int | None,
    today: dt.date,
    problems: Problems,
    limits: WorkbookLimits,
) -> dict[str, pl.DataFrame]:
    """The year's return with its XML form, if the folder holds one: used alone, or, beside a CSV
    return, compared with it (the CSV return is used; decision 0026)."""
    try:
        xml_files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == XML_SUFFIX)
    except OSError:
        return tables  # reported when the folder's tables were listed
    if not xml_files:
        return tables
    xml_tables = _read_tables(xml_files, root, SSDA903_TABLES, year=year, today=today, problems=problems, limits=limits)
    return choose_return_form(tables, xml_tables, year=year, problems=problems)


def _check_repeated_dob(tables: dict[str, pl.DataFrame], problems: Problems) -> None:
    """SSDA903 repeats DOB on most tables; it must agree with the child's Header row."""
    children = tables.get(CHILDREN.name)
    for name, frame in list(tables.items()):
        if "_dob" not in frame.columns:
            continue
        if children is not None and not children.is_empty():
            from iroscope.data.parse import parse_dates_once

            compared = frame.with_columns(_dob_date=parse_dates_once(frame, "_dob", ssda903=True)).join(
                children.select("child_id", pl.col("date_of_birth").alias("_header_dob")), on="child_id", how="inner"
            )
            differs = compared.filter(
                pl.col("_dob").is_not_null() & ~pl.col("_dob_date").eq_missing(pl.col("_header_dob"))
            )
            problems.add_rows(
                differs.select(
                    pl.col(FILE_COLUMN).alias("file"),
                    pl.col(ROW_COLUMN).alias("row"),
                    pl.col("_dob").alias("value"),
                    pl.format(
                        "DOB {} differs from the child's Header row ({}).",
                        pl.col("_dob"),
                        # A Header DOB that could not be read is an error of its own; say blank here.
                        pl.col("_header_dob").dt.strftime("%d/%m/%Y").fill_null("blank"),
                    ).alias("message"),
                ),
                severity=WARNING,
                check="dob_mismatch",
                column="DOB",
            )
        tables[name] = frame.drop("_dob")


def _merge_years(by_year: dict[int, dict[str, pl.DataFrame]], problems: Problems) -> dict[str, pl.DataFrame]:
    merged: dict[str, pl.DataFrame] = {}
    for table in SSDA903_TABLES:
        held = [(year, tables[table.name]) for year, tables in sorted(by_year.items()) if table.name in tables]
        if len(held) == 1:  # one return: its rows are already one to a key (`drop_duplicate_keys`)
            merged[table.name] = held[0][1]
            continue
        frames = [frame.with_columns(pl.lit(year).alias(YEAR_COLUMN)) for year, frame in held]
        if not frames:
            continue
        combined = pl.concat(frames, how="diagonal_relaxed")
        if len(frames) > 1:
            _report_changes_between_years(combined, table, problems)
        merged[table.name] = combined.unique(subset=list(table.key), keep="last", maintain_order=True).drop(YEAR_COLUMN)
    return merged


def _report_changes_between_years(combined: pl.DataFrame, table: Table, problems: Problems) -> None:
    key = list(table.key)
    repeated = combined.filter(pl.struct(key).is_duplicated())
    if repeated.is_empty():
        return
    compared = [column for column in table.columns if column.name not in key]
    ordered = repeated.sort([*key, YEAR_COLUMN])
    follows_same_key = pl.all_horizontal([pl.col(name).eq_missing(pl.col(name).shift(1)) for name in key])
    pairs = ordered.with_columns(
        [pl.col(column.name).shift(1).alias(f"_before_{column.name}") for column in compared],
        _previous_year=pl.col(YEAR_COLUMN).shift(1),
    ).filter(follows_same_key)
    labels = {year: collection_year_label(year) for year in pairs["_previous_year"].unique().to_list()}
    pairs = pairs.with_columns(_previous_year=pl.col("_previous_year").replace_strict(labels, return_dtype=pl.String))
    for column in compared:
        name, before = column.name, pl.col(f"_before_{column.name}")
        # An open row gaining its end date in the next return is expected, not a change to report.
        expected = before.is_null() & pl.lit(name in CLOSING_COLUMNS)
        if name == "placement_type":
            # A retired code carried on under its successor, as the DfE allows (H5 to K3).
            expected = expected | pl.any_horizontal(
                [(before == old) & pl.col(name).is_in(new) for old, new in PLACEMENT_TYPE_SUCCESSORS.items()]
            )
        changes = pairs.filter(~pl.col(name).eq_missing(before) & ~expected)
        if changes.is_empty():
            continue
        problems.add_rows(
            changes.select(
                pl.col(FILE_COLUMN).alias("file"),
                pl.col(ROW_COLUMN).alias("row"),
                pl.col(name).cast(pl.String).alias("value"),
                pl.format(
                    "Changed since the {} return: was {}, now {}. The later return is used.",
                    pl.col("_previous_year"),
                    before.cast(pl.String).fill_null("blank"),
                    pl.col(name).cast(pl.String).fill_null("blank"),
                ).alias("message"),
            ),
            severity=WARNING,
            check="changed_between_returns",
            column=column.ssda903 or name,
        )


@dataclass(frozen=True)
class Settings:
    practice: LocalPractice = field(default_factory=LocalPractice)
    authority_code: str | None = None
    authority_name: str | None = None
    # The involvement roles an SSD export gives IROs (Mosaic authorities use local codes; decision 0027).
    ssd_iro_roles: tuple[str, ...] = DEFAULT_IRO_ROLES


def _read_settings(root: Path, problems: Problems) -> Settings:
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        authority = raw.get("authority", {})
        code, name = authority.get("code"), authority.get("name")
        roles = raw.get("ssd", {}).get("iro_roles", DEFAULT_IRO_ROLES)
        if not isinstance(roles, list | tuple) or not all(isinstance(role, str) for role in roles):
            problems.add(
                severity=ERROR,
                file=SETTINGS_FILE,
                check="settings",
                value=str(roles),
                message='[ssd] iro_roles must be a list of involvement roles, such as ["IRO"].',
            )
            roles = DEFAULT_IRO_ROLES
        return Settings(
            LocalPractice.from_mapping(raw.get("practice", {})),
            str(code) if code else None,
            str(name) if name else None,
            tuple(role.strip().upper() for role in roles),
        )
    except (tomllib.TOMLDecodeError, ValueError, TypeError, AttributeError, UnicodeDecodeError) as error:
        problems.add(
            severity=ERROR, file=SETTINGS_FILE, check="settings", message=f"The settings could not be read: {error}"
        )
        return Settings()


def _extract_date(
    folder: Path, root: Path, year: int, tables: dict[str, pl.DataFrame], *, today: dt.date, problems: Problems
) -> dt.date | None:
    """The day an in-year extract was taken (None for a full return, known to its 31 March): from the
    year's return.toml, or, for a year not yet over without one, the latest day its rows name."""
    path = folder / RETURN_FILE
    label = relative_label(path, root)
    if path.is_file():
        try:
            stated = tomllib.loads(path.read_text(encoding="utf-8")).get("extract_date")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            problems.add(
                severity=ERROR, file=label, check="extract_date", message=f"{label} could not be read: {error}"
            )
            return None
        if not isinstance(stated, dt.date) or isinstance(stated, dt.datetime):
            problems.add(
                severity=ERROR,
                file=label,
                check="extract_date",
                value=str(stated),
                message="extract_date must be a date written as 2026-10-31.",
            )
            return None
        if not year_start(year) <= stated <= year_end(year) or stated > today:
            problems.add(
                severity=ERROR,
                file=label,
                check="extract_date",
                value=stated.isoformat(),
                message=f"The extract date must fall in {collection_year_label(year)} and not after today.",
            )
            return None
        return None if stated == year_end(year) else stated
    if year_end(year) < today:
        return None
    days = [
        frame[column].max()
        for name, columns in _EXTRACT_EVIDENCE.items()
        if (frame := tables.get(name)) is not None and not frame.is_empty()
        for column in columns
    ]
    known = [day for day in days if isinstance(day, dt.date) and day <= today]
    taken = max(known, default=min(today, year_end(year)))
    problems.add(
        severity=WARNING,
        file=relative_label(folder, root),
        check="extract_date",
        value=taken.isoformat(),
        message=f"{collection_year_label(year)} is not over, so this is an in-year extract, but {RETURN_FILE} does "
        f"not say when it was taken: the latest date in it, {taken:%d/%m/%Y}, is used. Add {RETURN_FILE} with "
        "extract_date = YYYY-MM-DD to say.",
    )
    return taken


def _with_source(tables: dict[str, pl.DataFrame], source: str) -> dict[str, pl.DataFrame]:
    return {name: frame.with_columns(pl.lit(source).alias(SOURCE_COLUMN)) for name, frame in tables.items()}


def _with_workspace_rows(
    tables: dict[str, pl.DataFrame], recorded: dict[str, pl.DataFrame], problems: Problems
) -> dict[str, pl.DataFrame]:
    """The tables with the rows recorded in the workspace added; where a file and the workspace both
    hold a row with the same key, the workspace's is kept, as an import would keep it."""
    combined = dict(tables)
    for name, rows in recorded.items():
        table = TABLES_BY_NAME[name]
        rows = rows.with_columns(pl.col(ADDED_AT_COLUMN).cast(pl.String).str.to_datetime(time_zone="UTC", strict=False))
        other = tables.get(name)
        if other is None or other.is_empty():
            combined[name] = rows
            continue
        key = list(table.key)
        clashing = other.join(rows.select(key), on=key, how="semi", nulls_equal=True)
        problems.add_rows(
            clashing.select(
                pl.col(FILE_COLUMN).alias("file"),
                pl.col(ROW_COLUMN).alias("row"),
                pl.lit(None, dtype=pl.String).alias("value"),
                pl.lit(
                    f"The workspace holds a row of {table.title} with the same key, recorded there: it is kept and "
                    "this row is not used."
                ).alias("message"),
            ),
            severity=WARNING,
            check="recorded_in_workspace",
            column=None,
        )
        combined[name] = pl.concat(
            [other.join(rows.select(key), on=key, how="anti", nulls_equal=True), rows], how="diagonal_relaxed"
        )
    return combined


def read_data_folder(
    root: Path,
    *,
    today: dt.date | None = None,
    validate: bool = True,
    workbook_limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS,
) -> LoadResult:
    """Read and validate a data folder (`validate=False`: parse only, for a caller that validates the
    dataset it makes of this one), each file within `workbook_limits`. Raises DataFolderError only when
    nothing can be read."""
    today = today or dt.date.today()
    if not root.exists():
        raise DataFolderError(f"There is no folder at {root}.")
    if not root.is_dir():
        raise DataFolderError(f"{root} is a file, not a data folder.")
    problems = Problems()
    by_year: dict[int, dict[str, pl.DataFrame]] = {}
    extracts: dict[int, dt.date] = {}
    ssda903_root = root / "ssda903"
    if ssda903_root.is_dir():
        for folder in _subfolders(ssda903_root, root, problems):
            try:
                year = parse_collection_year(folder.name)
            except ValueError as error:
                problems.add(
                    severity=ERROR,
                    file=relative_label(folder, root),
                    check="year_folder",
                    message=f"{error}; the folder was not read.",
                )
                continue
            tables = _read_tables(
                _table_files(folder, root, problems),
                root,
                SSDA903_TABLES,
                year=year,
                today=today,
                problems=problems,
                limits=workbook_limits,
            )
            tables = _with_xml_return(tables, folder, root, year, today, problems, workbook_limits)
            _check_repeated_dob(tables, problems)
            by_year[year] = tables
            extract = _extract_date(folder, root, year, tables, today=today, problems=problems)
            if extract is not None:
                extracts[year] = extract
        stray = _table_files(ssda903_root, root, problems, suffixes=(*TABLE_FILE_SUFFIXES, XML_SUFFIX))
        if stray:
            problems.add(
                severity=ERROR,
                file="ssda903",
                check="year_folder",
                value=", ".join(p.name for p in stray[:5]),
                message="Files directly in ssda903/ were not read: put each return in a folder named for its year, "
                "such as ssda903/2024-25/.",
            )
        merged = _merge_years(by_year, problems)
        years: tuple[int, ...] = tuple(sorted(by_year))
    else:
        flat = [
            p
            for p in _table_files(root, root, problems)
            if p.suffix.lower() == ".csv" and p.stem.lower() not in {table.name for table in REFERENCE_TABLES}
        ]
        merged = _read_tables(
            flat, root, SSDA903_TABLES, year=None, today=today, problems=problems, limits=workbook_limits
        )
        merged = _with_xml_return(merged, root, root, None, today, problems, workbook_limits)
        _check_repeated_dob(merged, problems)
        years = ()
        if merged:
            problems.add(
                severity=WARNING,
                file=".",
                check="year_folder",
                message="These SSDA903 files are not in an ssda903/<year>/ folder, so their collection year is not "
                "known: codes were checked against every year's lists and dates against today.",
            )

    activity_files: list[Path] = []
    for name in ("activity.xlsx", "activity.xls", "activity.ods"):
        if (root / name).is_file():
            activity_files.append(root / name)
    if (root / "activity").is_dir():
        activity_files.extend(_table_files(root / "activity", root, problems))
    activity = _read_tables(
        activity_files, root, ACTIVITY_TABLES, year=None, today=today, problems=problems, limits=workbook_limits
    )

    reference_files = [
        root / f"{table.name}.csv" for table in REFERENCE_TABLES if (root / f"{table.name}.csv").is_file()
    ]
    reference = _read_tables(
        reference_files, root, REFERENCE_TABLES, year=None, today=today, problems=problems, limits=workbook_limits
    )

    workspace_folder = root / WORKSPACE_FOLDER
    recorded = (
        _read_tables(
            _table_files(workspace_folder, root, problems),
            root,
            ALL_TABLES,
            year=None,
            today=today,
            problems=problems,
            limits=workbook_limits,
        )
        if workspace_folder.is_dir()
        else {}
    )
    if recorded:
        _check_repeated_dob(recorded | {CHILDREN.name: merged.get(CHILDREN.name, CHILDREN.empty())}, problems)
        recorded = {name: frame.drop("_dob", strict=False) for name, frame in recorded.items()}

    settings = _read_settings(root, problems)
    ssd = (
        read_ssd_folder(
            root / SSD_FOLDER,
            root=root,
            today=today,
            problems=problems,
            iro_roles=settings.ssd_iro_roles,
            limits=workbook_limits,
        )
        if (root / SSD_FOLDER).is_dir()
        else None
    )
    if not merged and not activity and not reference and not recorded and not ssd:
        first = next((problem for problem in problems if problem.severity == ERROR), None)
        why = "" if first is None else f" {first.file}: {first.message}"
        raise DataFolderError(
            f"Nothing in {root} could be read as iroscope data: expected ssda903/<year>/*.csv or *.xml, "
            f"activity.xlsx, an SSD export in ssd/, or SSDA903 CSV or XML files.{why}",
            problems,
        )
    tables = {
        **_with_source(merged, Source.SSDA903),
        **_with_source(activity, Source.ACTIVITY),
        **_with_source(reference, Source.REFERENCE),
    }
    if ssd:
        tables = combine_with_ssd(tables, ssd, problems)
        if not years:
            years, extracts = ssd_years(ssd.tables, today=today, problems=problems)
    tables = _with_workspace_rows(tables, _with_source(recorded, Source.WORKSPACE), problems)
    dataset = Dataset(
        tables={name: _complete(TABLES_BY_NAME[name], frame) for name, frame in tables.items()},
        years=years,
        practice=settings.practice,
        authority_code=settings.authority_code,
        authority_name=settings.authority_name,
        extracts=extracts,
    )
    if ssd:
        read_ssd_due_dates(dataset, ssd, problems)
    if validate:
        validate_dataset(dataset, problems)
    return LoadResult(dataset, problems, ssd)


def _complete(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """Every schema column present and typed, provenance last."""
    columns = [
        pl.col(column.name).cast(column.polars_type)
        if column.name in frame.columns
        else pl.lit(None, dtype=column.polars_type).alias(column.name)
        for column in table.columns
    ]
    provenance = [pl.col(name) for name in PROVENANCE_COLUMNS if name in frame.columns]
    return frame.select(columns + provenance)
