"""Writes to the stored dataset: storing it whole, and bringing a data folder into it without losing
what people recorded in the workspace (decision 0012)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from iroscope.data.dataset import (
    FILE_COLUMN,
    SOURCE_COLUMN,
    Dataset,
    Source,
    collection_year_label,
    parse_collection_year,
)
from iroscope.data.files import WorkbookLimits
from iroscope.data.folder import LoadResult, read_data_folder
from iroscope.data.merge import Merge, merge_sources, sources_in
from iroscope.data.problems import ERROR, Problems
from iroscope.data.schema import ACTIVITY_TABLES, ALL_TABLES, TABLES_BY_NAME
from iroscope.data.ssd_tables import SSD_FOLDER
from iroscope.data.validate import validate_dataset
from iroscope.data.writers import rows_from, write_activity_csvs, write_data_folder, write_ssda903_year
from iroscope.rules.practice import LocalPractice
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.records.models import (
    COLUMN_OF_PROVENANCE_FIELD,
    DATASET_MODELS,
    DatasetChange,
    DatasetInfo,
    dataset_version_new,
)
from iroscope.web.records.selectors import NoDatasetError, dataset_from_database
from iroscope.web.saving import all_children_lock

BATCH_SIZE = 2_000
RECORDED_IN_THE_WORKSPACE = "recorded in the workspace"


def _rows_with_provenance(dataset: Dataset, name: str) -> pl.DataFrame:
    table = TABLES_BY_NAME[name]
    provenance = [pl.col(column).alias(field) for field, column in COLUMN_OF_PROVENANCE_FIELD.items()]
    return (
        dataset[name]
        .select(*table.column_names, *provenance)
        .with_columns(pl.col("source").fill_null(table.source))
        .sort(list(table.key), nulls_last=True)
    )


def dataset_replace(
    *, dataset: Dataset, practice: LocalPractice | None = None, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Store `dataset` in place of the stored one, every row with where it came from, in one
    transaction: all of it or none of it. Callers that must keep what people recorded bring it into
    `dataset` first (`dataset_load_folder`). `practice`, the local practice set in the workspace, is
    kept over the data's own: a new return replaces the data, not the service's settings. Returns the
    rows stored per table."""
    counts: dict[str, int] = {}
    start = dataset_version_new()
    with transaction.atomic(using=using):
        all_children_lock(using=using)
        info = DatasetInfo.objects.using(using).select_for_update().first()
        DatasetChange.objects.using(using).all().delete()  # the new version makes every worker read again
        for model in DATASET_MODELS.values():
            model._default_manager.using(using).all().delete()
        for table in ALL_TABLES:
            model = DATASET_MODELS[table.name]
            frame = _rows_with_provenance(dataset, table.name)
            rows = (model(**row) for row in frame.iter_rows(named=True))
            model._default_manager.using(using).bulk_create(rows, batch_size=BATCH_SIZE)
            counts[table.name] = frame.height
        values = {
            "years": list(dataset.years),
            "extracts": {str(year): day.isoformat() for year, day in dataset.extracts.items()},
            "practice": dataclasses.asdict(practice or dataset.practice),
            "authority_code": dataset.authority_code,
            "authority_name": dataset.authority_name,
            "loaded_at": timezone.now(),
            "version": dataset_version_new(),
            "change": start,
        }
        # Changed in place rather than replaced, so that a recording waiting on this row's lock
        # records its change after this rather than finding no row.
        if info is None:
            DatasetInfo.objects.using(using).create(**values)
        else:
            DatasetInfo.objects.using(using).filter(pk=info.pk).update(**values)
        # The first change of the log: each worker that reads this dataset starts from it.
        DatasetChange.objects.using(using).create(stamp=start, table="", child_ids=[])
    return counts


@dataclasses.dataclass(frozen=True)
class FolderLoad:
    """What bringing a folder in found and did: the folder as read, its problems (those of the dataset
    it makes, with what is kept), the merge, and the rows stored (None when nothing was stored)."""

    result: LoadResult
    merge: Merge | None
    stored: dict[str, int] | None = None
    refused: str = ""  # why nothing was stored although there were no errors, in a sentence


def _year_folders(folder: Path) -> dict[int, Path]:
    root = folder / "ssda903"
    years = {}
    if root.is_dir():
        for path in root.iterdir():
            try:
                years[parse_collection_year(path.name)] = path
            except ValueError:
                continue
    return years


@contextmanager
def _with_stored_returns(folder: Path, stored: Dataset | None, *, scratch: Path | None) -> Iterator[Path]:
    """The folder as it reads beside the stored returns of the years it does not bring: a folder made
    for the reading, removed however the reading ends, so returns of several years merge exactly as a
    folder holding them all would. An SSD export brought on its own reads beside every stored return and
    the stored workbook's rows too, so the return stays the record of children, episodes and reviews and
    the export fills only what no other source holds (decision 0027). The folder itself when there is
    nothing to add."""
    brought = _year_folders(folder)
    brings_ssd = (folder / SSD_FOLDER).is_dir()
    others = [year for year in (stored.years if stored is not None else ()) if year not in brought]
    returns_beside = bool(others) and bool(brought or brings_ssd)
    activity_beside = brings_ssd and stored is not None and not _brings_activity(folder) and holds_activity(stored)
    if stored is None or not (returns_beside or activity_beside):
        yield folder
        return
    combined = Path(tempfile.mkdtemp(prefix="iroscope-load-", dir=scratch))
    try:
        for entry in folder.iterdir():
            if entry.name != "ssda903":
                (combined / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
        for path in brought.values():
            (combined / "ssda903").mkdir(exist_ok=True)
            (combined / "ssda903" / path.name).symlink_to(path.resolve(), target_is_directory=True)
        write_stored_sources(stored, combined, years=others if returns_beside else (), activity=activity_beside)
        yield combined
    finally:
        shutil.rmtree(combined, ignore_errors=True)


def holds_activity(stored: Dataset) -> bool:
    """Whether any stored row came from the activity workbook."""
    return any(not rows_from(stored, table, Source.ACTIVITY).is_empty() for table in ACTIVITY_TABLES)


def write_stored_sources(stored: Dataset, folder: Path, *, years: Iterable[int], activity: bool) -> None:
    """The stored returns of `years` into folder/ssda903/<year>/ and, with `activity`, the stored
    workbook's rows as CSV files in folder/activity/ (they read as the workbook does, several times
    faster): what came from each source, nothing recorded in the workspace. For reading a folder
    beside what is stored, as a data folder holding them all would read."""
    for year in years:
        write_ssda903_year(stored, year, folder / "ssda903" / collection_year_label(year))
    if activity:
        write_activity_csvs(stored, folder / "activity")


def _brings_activity(folder: Path) -> bool:
    return (folder / "activity").is_dir() or any(
        (folder / f"activity{suffix}").is_file() for suffix in (".xlsx", ".xls", ".ods")
    )


def _checked(dataset: Dataset, problems: Problems) -> None:
    """Check the dataset the merge makes, naming rows recorded in the workspace as such."""
    located = {
        name: frame.with_columns(
            pl.when(pl.col(SOURCE_COLUMN) == Source.WORKSPACE)
            .then(pl.lit(RECORDED_IN_THE_WORKSPACE))
            .otherwise(pl.col(FILE_COLUMN))
            .alias(FILE_COLUMN)
        )
        for name, frame in dataset.tables.items()
    }
    validate_dataset(dataclasses.replace(dataset, tables=located), problems)


def workbook_limits_configured() -> WorkbookLimits:
    """The bounds on each file of a data folder, from the workspace's settings (docs/deployment.md)."""
    environment = settings.ENV
    return WorkbookLimits(
        unzipped_bytes=environment.workbook_unzipped_megabytes * 1024 * 1024,
        sheet_cells=environment.workbook_max_cells,
        table_rows=environment.import_max_rows,
        cell_characters=environment.import_max_cell_characters,
    )


def dataset_merge_folder(
    *,
    folder: Path,
    today: dt.date | None = None,
    take_incoming: Collection[str] = (),
    added_by: str | None = None,
    scratch: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> FolderLoad:
    """What loading `folder` would do, storing nothing: the folder read beside the stored returns of
    other years, merged into the stored dataset (`merge_sources`: it replaces only the stored rows of
    the sources it brings, and never rows recorded in the workspace), and the result checked whole.
    Raises `DataFolderError` when nothing in the folder can be read."""
    try:
        stored: Dataset | None = dataset_from_database(using=using, provenance=True)
    except NoDatasetError:
        stored = None
    with _with_stored_returns(folder, stored, scratch=scratch) as readable:
        read = read_data_folder(readable, today=today, validate=False, workbook_limits=workbook_limits_configured())
    problems = read.problems
    has_returns = stored is not None and not stored["children"].is_empty()
    brings_returns = not read.dataset["children"].is_empty()
    if has_returns and brings_returns and bool(stored.years) != bool(read.dataset.years):  # type: ignore[union-attr]
        problems.add(
            severity=ERROR,
            file="(stored data)",
            check="year_folder",
            message="The returns stored now and the returns in this folder must both be in folders named for their "
            "years (ssda903/2024-25/) for them to be kept side by side. Load a folder with each return in "
            "ssda903/<year>/.",
        )
    merge = merge_sources(
        stored=stored or Dataset(tables={}),
        incoming=read.dataset,
        replacing=sources_in(read.dataset),
        take_incoming=take_incoming,
        added_by=added_by,
        added_at=timezone.now(),
    )
    if not problems.has_errors:  # the folder's own errors first: what it makes of the rest can wait
        _checked(merge.dataset, problems)
    return FolderLoad(LoadResult(merge.dataset, problems), merge)


def dataset_load_folder(
    *,
    folder: Path,
    today: dt.date | None = None,
    practice: LocalPractice | None = None,
    replace_stored: bool = True,
    take_incoming: Collection[str] = (),
    added_by: str | None = None,
    scratch: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> FolderLoad:
    """Bring `folder` into the stored dataset as `dataset_merge_folder` says, and store the result if
    it has no errors (`practice` as for `dataset_replace`). With `replace_stored` false, a load that
    would remove stored rows is refused, saying how many. Worked out and stored while holding the
    stored dataset's lock, so nothing recorded meanwhile is lost. Raises `DataFolderError` when
    nothing in the folder can be read."""
    with transaction.atomic(using=using):
        all_children_lock(using=using)  # in the order every save takes its locks
        DatasetInfo.objects.using(using).select_for_update().first()
        planned = dataset_merge_folder(
            folder=folder, today=today, take_incoming=take_incoming, added_by=added_by, scratch=scratch, using=using
        )
        assert planned.merge is not None
        if planned.result.problems.has_errors:
            return planned
        removed = planned.merge.total("removed")
        if removed and not replace_stored:
            return dataclasses.replace(
                planned,
                refused=f"Loading this folder would remove {removed:,} stored rows that it no longer holds, "
                "so nothing was loaded.",
            )
        stored = dataset_replace(dataset=planned.merge.dataset, practice=practice, using=using)
    return dataclasses.replace(planned, stored=stored)


def dataset_export(
    *, folder: Path, user: AbstractBaseUser | AnonymousUser | None, using: str = DEFAULT_DB_ALIAS
) -> Dataset:
    """Write everything stored as a data folder that `iroscope load` reads back to the same rows: each
    return in its year's folder, the activity workbook, the reference figures, the settings, and the
    rows recorded in the workspace in workspace/ with who recorded them and when; the export is
    audited as `user`'s (None: the command line). Returns what was written. Raises `NoDatasetError`
    when nothing is stored."""
    dataset = dataset_from_database(using=using, provenance=True)
    write_data_folder(dataset, folder)
    written = {"children": dataset["children"].height, "rows recorded": dataset.rows_from(Source.WORKSPACE)}
    audit_record(user=user, action=Action.EXPORT_DATASET, after=written)
    return dataset
