"""Reading an export of the Standard Safeguarding Dataset (SSD), Data to Insight's common extract of
children's social care data, into the canonical dataset.

    DATA/ssd/*.csv   SSD tables exported as CSV, each recognised by its columns, not its name

Each SSD table is declared once in `iroscope.data.ssd_tables` (`SSD_TABLES`): the columns iroscope
reads, the name each is known by inside iroscope and how it is checked. A file is translated into a
text sheet with those names and parsed by `parse_sheet`, as every other file is, so codes and dates
are checked in one place and every problem names the file, row, SSD column, value and reason. Then
the tables are put together:

- `ssd_person` (children in care only), `ssd_cla_episodes` with `ssd_legal_status` and
  `ssd_cla_placement` become `children` and `episodes`; `ssd_cla_reviews` held and not cancelled become
  `reviews`, reaching their child through `clar_cla_person_id` or `clar_cla_id` → `clae_cla_id`;
- `ssd_involvements` whose role is an IRO's (`[ssd] iro_roles` in settings.toml, default `IRO`) become
  `iro_allocations`, and the professionals they name (`ssd_professionals`) `iro_staff`;
- `ssd_cla_care_plan`'s permanence plan becomes `permanence_plans` where one plan is ticked;
- what has no home in iroscope (cancelled reviews, the system's own due dates, social workers' visits,
  child protection reviews, the last IRO contact) is checked and summarised, never stored as something
  it is not. The system's due dates are compared with regulation 33's (`iroscope.data.ssd_due_dates`).

Placeholder dates such systems write for "no date" (`PLACEHOLDER_DATES`) are read as blank, with one
warning per file. See docs/decisions/0027-standard-safeguarding-dataset.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

import polars as pl

from iroscope.data.dataset import (
    FILE_COLUMN,
    ROW_COLUMN,
    SOURCE_COLUMN,
    Source,
    collection_year_label,
    collection_year_of,
    year_end,
)
from iroscope.data.files import (
    DEFAULT_WORKBOOK_LIMITS,
    RawSheet,
    WorkbookLimits,
    read_table_file,
    relative_label,
    report_unreadable_folder,
)
from iroscope.data.parse import drop_duplicate_keys, parse_date_expr, parse_sheet
from iroscope.data.problems import ERROR, WARNING, Problems
from iroscope.data.schema import (
    CHILDREN,
    EPISODES,
    IRO_ALLOCATIONS,
    IRO_STAFF,
    PERMANENCE_PLANS,
    REVIEWS,
    TABLES_BY_NAME,
    Kind,
    Table,
)
from iroscope.data.ssd_tables import (
    CARE_PLAN_TYPES,
    DEFAULT_IRO_ROLES,
    IRO_JOB_TITLE,
    PLACEHOLDER_DATES,
    SSD_CLA_CARE_PLAN,
    SSD_CLA_EPISODES,
    SSD_CLA_PLACEMENT,
    SSD_CLA_REVIEWS,
    SSD_CLA_VISITS,
    SSD_CP_REVIEWS,
    SSD_FOLDER,
    SSD_INVOLVEMENTS,
    SSD_LEGAL_STATUS,
    SSD_PERSON,
    SSD_PROFESSIONALS,
    SsdTable,
    care_plan_types,
    participation_code,
    plain_words,
    recognise_ssd_table,
)
from iroscope.rules import codes
from iroscope.rules.calendar import long_date

# ---------------------------------------------------------------- reading -------------------------


@dataclass
class SsdExport:
    """What an SSD export holds: canonical tables (with the file and row each row came from), the
    system's own review due dates, and what has no home in iroscope, kept for the summary."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    # child_id, review_date, system_due_date, _file, _row: every held review with a system due date.
    system_due_dates: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={
                "child_id": pl.String,
                "review_date": pl.Date,
                "system_due_date": pl.Date,
                FILE_COLUMN: pl.String,
                ROW_COLUMN: pl.Int64,
            }
        )
    )
    cancelled_reviews: pl.DataFrame = field(default_factory=pl.DataFrame)
    visits: pl.DataFrame = field(default_factory=pl.DataFrame)
    cp_reviews: pl.DataFrame = field(default_factory=pl.DataFrame)
    files: dict[str, str] = field(default_factory=dict)  # SSD table name -> the file it was read from
    # The held reviews whose system due date differs from regulation 33's (`due_date_differences`),
    # once the dataset the export belongs to is known (`read_ssd_due_dates`).
    due_date_differences: pl.DataFrame | None = None

    def __bool__(self) -> bool:
        return bool(self.files)


def _blank_placeholders(sheet: RawSheet, table: SsdTable, problems: Problems) -> RawSheet:
    """Every placeholder date made blank, with one warning for the file saying how many and where."""
    frame = sheet.frame
    counts: dict[str, int] = {}
    seen: set[dt.date] = set()
    placeholders = pl.Series(PLACEHOLDER_DATES, dtype=pl.Date).implode()
    for f in table.fields:
        if f.column.kind is not Kind.DATE or f.column.name not in frame.columns:
            continue
        is_placeholder = parse_date_expr(pl.col(f.column.name), ssda903=False).is_in(placeholders).fill_null(False)
        found = frame.select(is_placeholder.sum()).item()
        if found:
            counts[f.ssd] = found
            parsed = frame.select(parse_date_expr(pl.col(f.column.name), ssda903=False).filter(is_placeholder))
            seen.update(parsed.to_series().unique().to_list())
            frame = frame.with_columns(
                pl.when(is_placeholder).then(None).otherwise(pl.col(f.column.name)).alias(f.column.name)
            )
    if counts:
        total = sum(counts.values())
        where = ", ".join(f"{count:,} in {name}" for name, count in counts.items())
        problems.add(
            severity=WARNING,
            file=sheet.label,
            check="placeholder_date",
            column=", ".join(counts),
            value=", ".join(long_date(day) for day in PLACEHOLDER_DATES if day in seen),
            message=f"{_count(total, 'date')} held a value systems write for no date ({where}); read as blank.",
        )
    return RawSheet(sheet.label, sheet.name, frame)


def _descriptions_to_codes(sheet: RawSheet, table: SsdTable, problems: Problems) -> RawSheet:
    """A code column holding the code's description (as some scripts export) is read as the code: the
    description must be the code list's own label, whole. Participation is read by its own mapping;
    text naming no one code is reported, with its row, and left blank."""
    frame = sheet.frame
    for f in table.fields:
        column = f.column
        if column.kind is not Kind.CODE or column.code_list is None or column.name not in frame.columns:
            continue
        if column.code_list is codes.PARTICIPATION:
            values = frame[column.name].unique().drop_nulls().to_list()
            mapped = {value: participation_code(value) for value in values}
            unknown = frame.filter(pl.col(column.name).is_in([v for v, code in mapped.items() if code is None]))
            problems.add_rows(
                unknown.select(
                    pl.lit(sheet.label).alias("file"),
                    pl.col(ROW_COLUMN).cast(pl.Int64).alias("row"),
                    pl.col(column.name).alias("value"),
                    pl.format(
                        "The participation {} names no one PN code (PN0 to PN7), so the review's participation is "
                        "left blank. Record the code in the case-management system, or export the code rather "
                        "than its description.",
                        pl.col(column.name).str.slice(0, 80),
                    ).alias("message"),
                ),
                severity=WARNING,
                check="participation_text",
                column=f.ssd,
            )
            frame = frame.with_columns(pl.col(column.name).replace_strict(mapped, default=None, return_dtype=pl.String))
            continue
        labels = {plain_words(entry.label): entry.code for entry in column.code_list.codes}
        plain = pl.col(column.name).str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()
        frame = frame.with_columns(
            pl.coalesce(plain.replace_strict(labels, default=None, return_dtype=pl.String), pl.col(column.name)).alias(
                column.name
            )
        )
    return RawSheet(sheet.label, sheet.name, frame)


def _translate(sheet: RawSheet, table: SsdTable, problems: Problems) -> RawSheet | None:
    """The sheet with iroscope's column names, or None (reported) when a required SSD column is missing."""
    present = {name.strip().lower(): name for name in sheet.frame.columns if name != ROW_COLUMN}
    missing = [name for name in table.required if name not in present]
    if missing:
        problems.add(
            severity=ERROR,
            file=sheet.label,
            row=1,
            check="missing_column",
            value=", ".join(missing),
            message=f"Recognised as the SSD table {table.name}, but required columns are missing: "
            f"{', '.join(missing)}. The file was not used.",
        )
        return None
    renamed = sheet.frame.select(
        pl.col(ROW_COLUMN),
        *[
            (pl.col(present[f.ssd]) if f.ssd in present else pl.lit(None, dtype=pl.String)).alias(f.column.name)
            for f in table.fields
        ],
    )
    translated = RawSheet(sheet.label, table.name, renamed)
    translated = _blank_placeholders(translated, table, problems)
    return _descriptions_to_codes(translated, table, problems)


def _read_files(
    paths: Sequence[Path], root: Path, *, today: dt.date, problems: Problems, limits: WorkbookLimits
) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    pieces: dict[str, list[pl.DataFrame]] = defaultdict(list)
    files: dict[str, str] = {}
    for path in paths:
        label = relative_label(path, root)
        for sheet in read_table_file(path, label, problems, limits=limits):
            columns = [name for name in sheet.frame.columns if name != ROW_COLUMN]
            table = recognise_ssd_table(columns)
            if table is None:
                problems.add(
                    severity=ERROR,
                    file=label,
                    row=1,
                    check="unrecognised_table",
                    value=", ".join(columns)[:120],
                    message="These columns do not match any SSD table iroscope reads (ssd_person, "
                    "ssd_cla_episodes, ssd_cla_reviews, ssd_involvements, ssd_professionals, ssd_legal_status, "
                    "ssd_cla_placement, ssd_cla_care_plan, ssd_cla_visits, ssd_cp_reviews), so the file was not "
                    "used.",
                )
                continue
            translated = _translate(sheet, table, problems)
            if translated is None:
                continue
            parsed = parse_sheet(translated, [table.as_table()], year=None, today=today, problems=problems)
            if parsed is None:
                continue
            frame = parsed[1]
            problems.know_children(frame)
            pieces[table.name].append(frame)
            files.setdefault(table.name, label)
    return {name: pl.concat(frames, how="diagonal_relaxed") for name, frames in pieces.items()}, files


def _located(frame: pl.DataFrame, message: pl.Expr, value: pl.Expr) -> pl.DataFrame:
    return frame.select(
        pl.col(FILE_COLUMN).alias("file"),
        pl.col(ROW_COLUMN).alias("row"),
        value.alias("value"),
        message.alias("message"),
    )


def _canonical(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        [
            pl.col(c.name).cast(c.polars_type) if c.name in frame.columns else pl.lit(None, c.polars_type).alias(c.name)
            for c in table.columns
        ]
        + [pl.col(FILE_COLUMN), pl.col(ROW_COLUMN)]
    )


def _episodes(read: dict[str, pl.DataFrame], problems: Problems) -> pl.DataFrame | None:
    episodes = read.get(SSD_CLA_EPISODES.name)
    if episodes is None:
        return None
    # A blank start date is reported by the parser (the column is required); such a row cannot be used.
    episodes = episodes.filter(pl.col("start_date").is_not_null())
    statuses = read.get(SSD_LEGAL_STATUS.name)
    if statuses is not None:
        # The legal status in force on the day the episode began: the latest to start on or before it.
        in_force = statuses.select("child_id", pl.col("start_date").alias("_status_start"), "legal_status").sort(
            "_status_start"
        )
        episodes = (
            episodes.sort("start_date")
            .join_asof(
                in_force,
                left_on="start_date",
                right_on="_status_start",
                by="child_id",
                strategy="backward",
                check_sortedness=False,
            )
            .drop("_status_start")
        )
    placements = read.get(SSD_CLA_PLACEMENT.name)
    if placements is not None:
        placed = placements.select(
            "placement_id", "placement_type", "placement_provider", "placement_postcode", "urn", "reason_place_change"
        ).unique("placement_id", keep="first")
        episodes = episodes.join(placed, on="placement_id", how="left")
    missing = [
        (name, ssd)
        for name, ssd, table in (
            ("legal_status", "lega_legal_status", statuses),
            ("placement_type", "clap_cla_placement_type", placements),
        )
        if table is None or episodes[name].null_count()
    ]
    for name, ssd in missing:
        count = episodes.filter(pl.col(name).is_null()).height if name in episodes.columns else episodes.height
        if not count:
            continue
        source = "ssd_legal_status" if name == "legal_status" else "ssd_cla_placement"
        # Without a legal status a period of care cannot be told from a run of short breaks (V3/V4),
        # whose reviews follow other rules: the figures would be wrong, so it is an error.
        problems.add(
            severity=ERROR if name == "legal_status" else WARNING,
            file=_first_file(episodes),
            check="missing_in_ssd",
            column=ssd,
            value=f"{count:,} episodes",
            message=f"{count:,} of {_count(episodes.height, 'episode')} have no {ssd} (from {source}); left blank."
            + (
                " Without it a period of care cannot be told from short breaks: export ssd_legal_status too."
                if name == "legal_status"
                else ""
            ),
        )
    return episodes


def _count(number: int, one: str, many: str | None = None) -> str:
    """ "1 child", "2 children", "1,204 reviews"."""
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def _first_file(frame: pl.DataFrame) -> str:
    return str(frame[FILE_COLUMN][0]) if frame.height else SSD_FOLDER


def _reviews(read: dict[str, pl.DataFrame], episodes: pl.DataFrame | None, problems: Problems) -> pl.DataFrame | None:
    reviews = read.get(SSD_CLA_REVIEWS.name)
    if reviews is None:
        return None
    if episodes is not None:
        periods = episodes.select("cla_id", pl.col("child_id").alias("_period_child")).drop_nulls().unique("cla_id")
        reviews = reviews.join(periods, on="cla_id", how="left").with_columns(
            child_id=pl.coalesce("child_id", "_period_child")
        )
        reviews = reviews.drop("_period_child")
        problems.know_children(reviews)  # a review reaching its child through its period is named by it too
    orphans = reviews.filter(pl.col("child_id").is_null())
    problems.add_rows(
        _located(
            orphans,
            pl.format(
                "The review's child is not known: clar_cla_person_id is blank and clar_cla_id {} is no "
                "clae_cla_id in ssd_cla_episodes. The review was not used.",
                pl.col("cla_id").fill_null("(blank)"),
            ),
            pl.col("cla_id"),
        ),
        severity=ERROR,
        check="unknown_child",
        column="clar_cla_id",
    )
    return reviews.filter(pl.col("child_id").is_not_null())


def _staff_and_allocations(
    read: dict[str, pl.DataFrame], roles: tuple[str, ...], problems: Problems
) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    involvements = read.get(SSD_INVOLVEMENTS.name)
    professionals = read.get(SSD_PROFESSIONALS.name)
    allocations = None
    if involvements is not None:
        iro = involvements.filter(pl.col("role").str.to_uppercase().str.strip_chars().is_in(list(roles)))
        if iro.is_empty() and not involvements.is_empty():
            problems.add(
                severity=WARNING,
                file=_first_file(involvements),
                check="no_iro_involvements",
                column="invo_professional_role_id",
                value=", ".join(sorted(involvements["role"].drop_nulls().unique().to_list())[:8]),
                message=f"No involvement has an IRO's role ({', '.join(roles)}), so no IRO allocations were read. "
                'If IROs have a local role code, name it in settings.toml as [ssd] iro_roles = ["…"].',
            )
        allocations = iro
    staff = None
    if professionals is not None:
        iro_ids = (
            allocations["iro_id"].unique().implode() if allocations is not None else pl.Series([], dtype=pl.String)
        )
        staff = professionals.filter(
            pl.col("iro_id").is_in(iro_ids) | pl.col("job_title").fill_null("").str.contains(IRO_JOB_TITLE)
        )
        if allocations is not None and not allocations.is_empty():
            first = allocations.group_by("iro_id").agg(pl.col("start_date").min().alias("start_date"))
            staff = staff.join(first, on="iro_id", how="left")
        no_fte = staff.filter(pl.col("fte").is_null())
        problems.add_rows(
            _located(
                no_fte,
                pl.lit(
                    "This IRO has no full-time equivalence (prof_full_time_equivalency is blank); left blank, so "
                    "caseloads per full-time IRO leave them out."
                ),
                pl.col("iro_id"),
            ),
            severity=WARNING,
            check="missing_in_ssd",
            column="prof_full_time_equivalency",
        )
    if allocations is not None and professionals is not None:
        unknown = allocations.join(professionals.select("iro_id"), on="iro_id", how="anti")
        problems.add_rows(
            _located(
                unknown,
                pl.format("The IRO {} is not in ssd_professionals.", pl.col("iro_id")),
                pl.col("iro_id"),
            ),
            severity=WARNING,
            check="unknown_iro",
            column="invo_professional_id",
        )
    return staff, allocations


def _in_care_only(allocations: pl.DataFrame, episodes: pl.DataFrame, problems: Problems) -> pl.DataFrame:
    """IRO involvements with children in care in the export; IROs also chair child protection conferences,
    and those involvements are counted and left out."""
    others = allocations.join(episodes.select("child_id").unique(), on="child_id", how="anti")
    if others.height:
        problems.add(
            severity=WARNING,
            file=_first_file(others),
            check="ssd_summary",
            value=f"{others.height:,}",
            message=f"{_count(others.height, 'IRO involvement')} with "
            f"{_count(others['child_id'].n_unique(), 'person', 'people')} never in care in this export (child "
            "protection, say) not read as IRO allocations.",
        )
    return allocations.join(
        others.select("involvement_id", FILE_COLUMN, ROW_COLUMN), on=[FILE_COLUMN, ROW_COLUMN], how="anti"
    )


def _permanence_plans(read: dict[str, pl.DataFrame], problems: Problems) -> pl.DataFrame | None:
    plans = read.get(SSD_CLA_CARE_PLAN.name)
    if plans is None:
        return None
    chosen: list[str | None] = []
    for row in plans.iter_rows(named=True):
        text = row["plan"]
        if text is None:
            chosen.append(None)
            continue
        ticked, unreadable = care_plan_types(text)
        types = sorted({CARE_PLAN_TYPES[key] for key in ticked if key in CARE_PLAN_TYPES})
        if unreadable is None and len(types) == 1 and all(key in CARE_PLAN_TYPES for key in ticked):
            chosen.append(types[0])
            continue
        chosen.append(None)
        if unreadable is not None:
            reason = f"The permanence plan could not be read: {unreadable}."
        elif not ticked:
            reason = "No permanence plan is ticked."
        elif len(ticked) > 1:
            reason = (
                f"More than one plan is ticked ({', '.join(ticked)}: parallel planning), so no single plan was read."
            )
        else:
            reason = f"The plan {ticked[0]} has no matching iroscope plan type, so it was not read."
        problems.add(
            severity=WARNING,
            file=row[FILE_COLUMN],
            row=row[ROW_COLUMN],
            child=row["child_id"],
            column="lacp_cla_care_plan_json",
            value=text[:80],
            check="care_plan",
            message=reason,
        )
    return plans.with_columns(plan_type=pl.Series(chosen, dtype=pl.String)).filter(pl.col("plan_type").is_not_null())


def read_ssd_folder(
    folder: Path,
    *,
    root: Path,
    today: dt.date,
    problems: Problems,
    iro_roles: tuple[str, ...] = DEFAULT_IRO_ROLES,
    limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS,
) -> SsdExport:
    """Read every CSV export of SSD tables in `folder`, reporting problems by their path under `root`;
    involvements in `iro_roles` are IROs' (settings.toml's `[ssd] iro_roles`)."""
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    except OSError as error:
        report_unreadable_folder(folder, root, error, problems)
        return SsdExport()
    paths = [p for p in files if p.suffix.lower() == ".csv"]
    others = [p.name for p in files if p.suffix.lower() != ".csv"]
    if others:
        problems.add(
            severity=WARNING,
            file=relative_label(folder, root),
            check="not_csv",
            value=", ".join(others[:5]),
            message=f"{_count(len(others), 'file')} in {SSD_FOLDER}/ not read: SSD tables are read as CSV files.",
        )
    read, read_from = _read_files(paths, root, today=today, problems=problems, limits=limits)
    export = SsdExport(files=read_from)
    episodes = _episodes(read, problems)
    reviews = _reviews(read, read.get(SSD_CLA_EPISODES.name), problems)
    tables: dict[str, pl.DataFrame] = {}
    if episodes is not None:
        tables[EPISODES.name] = drop_duplicate_keys(
            _canonical(EPISODES, episodes), _labelled(EPISODES, SSD_CLA_EPISODES), problems
        )
        persons = read.get(SSD_PERSON.name)
        if persons is not None:
            in_care = persons.join(episodes.select("child_id").unique(), on="child_id", how="semi")
            tables[CHILDREN.name] = _canonical(
                CHILDREN,
                in_care.with_columns(mother=pl.col("mother").replace_strict({"Y": "1", "N": "0"}, default=None)),
            )
            _report_unknown_children(episodes, persons, problems)
    if reviews is not None:
        cancelled = pl.col("cancelled").fill_null("N") == "Y"
        export.cancelled_reviews = reviews.filter(cancelled)
        held = reviews.filter(~cancelled & pl.col("review_date").is_not_null())
        held = drop_duplicate_keys(held, _labelled(SSD_CLA_REVIEWS.as_table(), SSD_CLA_REVIEWS), problems)
        tables[REVIEWS.name] = _canonical(REVIEWS, held)
        export.system_due_dates = held.filter(pl.col("system_due_date").is_not_null()).select(
            "child_id", "review_date", "system_due_date", FILE_COLUMN, ROW_COLUMN
        )
        _summarise_reviews(reviews, export.cancelled_reviews, problems)
    staff, allocations = _staff_and_allocations(read, iro_roles, problems)
    if allocations is not None and episodes is not None:
        allocations = _in_care_only(allocations, episodes, problems)
    if staff is not None:
        tables[IRO_STAFF.name] = _canonical(IRO_STAFF, staff)
    if allocations is not None:
        tables[IRO_ALLOCATIONS.name] = drop_duplicate_keys(
            _canonical(IRO_ALLOCATIONS, allocations), _labelled(IRO_ALLOCATIONS, SSD_INVOLVEMENTS), problems
        )
    plans = _permanence_plans(read, problems)
    if plans is not None:
        tables[PERMANENCE_PLANS.name] = drop_duplicate_keys(
            _canonical(PERMANENCE_PLANS, plans), _labelled(PERMANENCE_PLANS, SSD_CLA_CARE_PLAN), problems
        )
    export.visits = read.get(SSD_CLA_VISITS.name, pl.DataFrame())
    export.cp_reviews = read.get(SSD_CP_REVIEWS.name, pl.DataFrame())
    _summarise_unhomed(export, episodes, problems)
    export.tables = tables
    return export


def _labelled(table: Table, ssd: SsdTable) -> Table:
    """`table` with each column labelled by the SSD column it came from, for messages about duplicates."""
    names = {f.column.name: f.ssd for f in ssd.fields}
    return replace(table, columns=tuple(replace(c, ssda903=names.get(c.name, c.name)) for c in table.columns))


def _report_unknown_children(episodes: pl.DataFrame, persons: pl.DataFrame, problems: Problems) -> None:
    unknown = episodes.join(persons.select("child_id"), on="child_id", how="anti")
    problems.add_rows(
        _located(
            unknown,
            pl.format(
                "The person {} is not in ssd_person, so the child's sex, birth date and ethnicity are not known.",
                pl.col("child_id"),
            ),
            pl.col("child_id"),
        ),
        severity=ERROR,
        check="unknown_child",
        column="clae_person_id",
    )


def _summarise_reviews(reviews: pl.DataFrame, cancelled: pl.DataFrame, problems: Problems) -> None:
    file = _first_file(reviews)
    if cancelled.height:
        problems.add(
            severity=WARNING,
            file=file,
            check="ssd_summary",
            column="clar_cla_review_cancelled",
            value=f"{cancelled.height:,}",
            message=f"{_count(cancelled.height, 'cancelled review')} for "
            f"{_count(cancelled['child_id'].n_unique(), 'child', 'children')}: not counted as reviews held "
            f"({cancelled.filter(pl.col('review_date').is_null()).height:,} without a date).",
        )
    waiting = reviews.filter((pl.col("cancelled").fill_null("N") != "Y") & pl.col("review_date").is_null())
    if waiting.height:
        problems.add(
            severity=WARNING,
            file=file,
            check="ssd_summary",
            column="clar_cla_review_date",
            value=f"{waiting.height:,}",
            message=f"{_count(waiting.height, 'review')} not cancelled and with no review date: read as not yet held.",
        )


def _summarise_unhomed(export: SsdExport, episodes: pl.DataFrame | None, problems: Problems) -> None:
    if export.visits.height:
        seen = export.visits.filter(pl.col("seen") == "Y").height
        problems.add(
            severity=WARNING,
            file=export.files[SSD_CLA_VISITS.name],
            check="ssd_summary",
            value=f"{export.visits.height:,}",
            message=f"Checked {_count(export.visits.height, 'visit')} by social workers to "
            f"{_count(export.visits['child_id'].n_unique(), 'child', 'children')} ({seen:,} with the child seen); "
            "iroscope has no table for them, so they are not "
            "used in any figure.",
        )
    if export.cp_reviews.height:
        held = export.cp_reviews.filter(pl.col("review_date").is_not_null()).height
        problems.add(
            severity=WARNING,
            file=export.files[SSD_CP_REVIEWS.name],
            check="ssd_summary",
            value=f"{export.cp_reviews.height:,}",
            message=f"Checked {_count(export.cp_reviews.height, 'child protection review')} ({held:,} held) for "
            f"{_count(export.cp_reviews['child_id'].n_unique(), 'child', 'children')}; iroscope does not yet report "
            "child protection conferences, so they are not used in any figure.",
        )
    if episodes is not None and episodes["last_iro_contact"].drop_nulls().len():
        contacts = episodes["last_iro_contact"].drop_nulls().len()
        problems.add(
            severity=WARNING,
            file=export.files[SSD_CLA_EPISODES.name],
            check="ssd_summary",
            column="clae_cla_last_iro_contact_date",
            value=f"{contacts:,}",
            message=f"Checked {_count(contacts, 'last IRO contact date')} on episodes; the IRO's visits come from "
            "the service's own records (iro_contacts), so these are not used.",
        )


# ---------------------------------------------------------------- beside a 903 return ----------------

# Which source wins for each table the SSD fills (decision 0027). The SSDA903 return is the statutory
# record of children, episodes and reviews; the service's own records are its record of IRO staff,
# allocations and plans. The SSD fills a table only when neither holds it.
SSD_FILLS_ONLY_WHEN_ABSENT: Final = {
    CHILDREN.name: Source.SSDA903,
    EPISODES.name: Source.SSDA903,
    REVIEWS.name: Source.SSDA903,
    IRO_STAFF.name: Source.ACTIVITY,
    IRO_ALLOCATIONS.name: Source.ACTIVITY,
    PERMANENCE_PLANS.name: Source.ACTIVITY,
}
# Columns an SSD export does not carry in full, so never compared: the UPN (only its UN placeholder is
# in ssd_person), the birth date of a mother's child and the home postcode (tables not read here).
NOT_IN_THE_SSD: Final = frozenset({"upn", "child_of_mother_dob", "home_postcode"})
ONE_ROW: Final = {CHILDREN.name: "child", EPISODES.name: "episode", REVIEWS.name: "review"}
# How many disagreements are named one by one before the rest are counted.
DISAGREEMENTS_LISTED: Final = 20


def combine_with_ssd(tables: dict[str, pl.DataFrame], export: SsdExport, problems: Problems) -> dict[str, pl.DataFrame]:
    """The tables with the SSD's rows added where no other source holds the table; where one does, it
    wins, and the SSD's children, episodes and reviews are compared with it and every disagreement is
    reported (the first `DISAGREEMENTS_LISTED` by row, the rest counted)."""
    combined = dict(tables)
    for name, frame in export.tables.items():
        ssd_rows = frame.with_columns(pl.lit(Source.SSD).alias(SOURCE_COLUMN))
        held = tables.get(name)
        if held is None or held.is_empty():
            combined[name] = ssd_rows
            continue
        winner = Source.LABELS[SSD_FILLS_ONLY_WHEN_ABSENT[name]]
        if name in (CHILDREN.name, EPISODES.name, REVIEWS.name):
            _report_disagreements(TABLES_BY_NAME[name], held, frame, winner, problems)
        else:
            problems.add(
                severity=WARNING,
                file=_first_file(frame),
                check="ssd_not_used",
                value=f"{frame.height:,} rows",
                message=f"The {winner} holds {_lower_first(TABLES_BY_NAME[name].title)}, so the SSD's are not used.",
            )
    return combined


def _report_disagreements(table: Table, held: pl.DataFrame, ssd: pl.DataFrame, winner: str, problems: Problems) -> None:
    key = list(table.key)
    compared = [
        c.name
        for c in table.columns
        if c.name not in key and c.name not in NOT_IN_THE_SSD and ssd[c.name].null_count() < ssd.height
    ]
    joined = ssd.join(
        held.select(*key, *[pl.col(name).alias(f"_held_{name}") for name in compared], pl.lit(True).alias("_held")),
        on=key,
        how="full",
        coalesce=True,
        nulls_equal=True,
    )
    label = table.title.split(" (")[0].lower()
    only_ssd = joined.filter(pl.col("_held").is_null())
    only_held = joined.filter(pl.col(FILE_COLUMN).is_null())
    differing = joined.filter(
        pl.col("_held").is_not_null()
        & pl.col(FILE_COLUMN).is_not_null()
        & ~pl.all_horizontal([pl.col(name).eq_missing(pl.col(f"_held_{name}")) for name in compared] or [pl.lit(True)])
    )
    lines = []
    for row in differing.head(DISAGREEMENTS_LISTED).iter_rows(named=True):
        changes = "; ".join(
            f"{name} {_shown(row[f'_held_{name}'])} in the {winner}, {_shown(row[name])} in the SSD"
            for name in compared
            if row[name] != row[f"_held_{name}"]
        )
        problems.add(
            severity=WARNING,
            file=row[FILE_COLUMN],
            row=row[ROW_COLUMN],
            child=row["child_id"],
            check="ssd_disagrees",
            value=" ".join(_shown(row[name]) for name in key),
            message=f"The SSD and the {winner} disagree on this {ONE_ROW[table.name]}: "
            f"{changes}. The {winner} is used.",
        )
        lines.append(row)
    rest = differing.height - len(lines)
    counts = [
        (only_ssd.height, f"in the SSD only (not used; the {winner} is the statutory record)"),
        (only_held.height, f"in the {winner} only"),
        (rest, "more that differ"),
    ]
    said = [f"{count:,} {what}" for count, what in counts if count]
    if said:
        problems.add(
            severity=WARNING,
            file=_first_file(ssd),
            check="ssd_disagrees",
            value=f"{ssd.height:,} rows",
            message=f"Comparing the SSD's {label} with the {winner}'s: {'; '.join(said)}.",
        )


def _lower_first(title: str) -> str:
    """ "Permanence plans" -> "permanence plans"; "IRO staff" stays as it is."""
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def _shown(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, dt.date):
        return long_date(value)
    return str(value)


def ssd_years(
    tables: Mapping[str, pl.DataFrame], *, today: dt.date, problems: Problems
) -> tuple[tuple[int, ...], dict[int, dt.date]]:
    """The collection years an SSD export standing alone covers (from the year of its first review to the
    year of its latest date), and the day the latest was taken when that year is not over by `today`:
    the latest date the export names, as for an in-year extract without its date (reported)."""
    days: list[dt.date] = []
    for name, columns in ((REVIEWS.name, ("review_date",)), (EPISODES.name, ("start_date", "end_date"))):
        frame = tables.get(name)
        if frame is None or frame.is_empty():
            continue
        for column in columns:
            days.extend(day for day in frame[column].drop_nulls().to_list() if day <= today)
    reviews = tables.get(REVIEWS.name)
    first_days = reviews["review_date"].drop_nulls().to_list() if reviews is not None else []
    if not days or not first_days:
        return (), {}
    first, latest = collection_year_of(min(first_days)), collection_year_of(max(days))
    years = tuple(range(first, latest + 1))
    if year_end(latest) < today or max(days) >= year_end(latest):
        return years, {}
    problems.add(
        severity=WARNING,
        file=SSD_FOLDER,
        check="extract_date",
        value=max(days).isoformat(),
        message=f"{collection_year_label(latest)} is not over, so the SSD export is read as an in-year extract "
        f"taken on {long_date(max(days))}, the latest date it holds.",
    )
    return years, {latest: max(days)}
