"""Importing a 903 return, the activity workbook or an export of the Standard Safeguarding Dataset
through the pages, through the same reader, merge and validation as `iroscope load`.

The upload waits in a staging folder under the data folder, named by the import's random token, until
the person confirms or abandons it; a staged upload left for a day is abandoned. Checking merges it
into the stored dataset as `iroscope load` would (it replaces that year's return or the workbook's
rows, never what was recorded in the workspace) and records what storing it would do; confirming
merges it again into the dataset as it is then, with the person's choice for each conflict, and
stores the result all or nothing (decision 0012).

An SSD export is staged in ssd/ beside the stored returns and activity workbook, written afresh from
the database at checking and again at confirming: it is then read exactly as `iroscope validate` reads
a data folder holding them all, so the return stays the statutory record for children, episodes and
reviews and the export fills only the tables no other source holds (decision 0027).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import shutil
import tempfile
import zipfile
from collections.abc import Collection
from pathlib import Path, PurePosixPath

import polars as pl
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from iroscope.data.dataset import (
    ADDED_AT_COLUMN,
    ADDED_BY_COLUMN,
    Dataset,
    Source,
    collection_year_label,
    year_end,
)
from iroscope.data.folder import RETURN_FILE, DataFolderError
from iroscope.data.merge import Conflict, Merge
from iroscope.data.problems import ERROR, Problems
from iroscope.data.schema import ALL_TABLES, TABLES_BY_NAME
from iroscope.data.ssd_tables import SSD_FOLDER
from iroscope.data.writers import rows_from
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.imports.models import DataImport, ImportKind, Outcome
from iroscope.web.practice.selectors import practice_configured
from iroscope.web.records.models import DatasetInfo
from iroscope.web.records.selectors import NoDatasetError, dataset_from_database
from iroscope.web.records.services import (
    FolderLoad,
    dataset_export,
    dataset_load_folder,
    dataset_merge_folder,
    holds_activity,
    write_stored_sources,
)

STAGING_FOLDER = "imports"
DATA_FOLDER = "data"
PROBLEMS_KEPT = 500  # of each severity; the counts give the whole
STAGING_LIFETIME = dt.timedelta(days=1)
ACTIVITY_FILE = "activity.xlsx"
RETURN_SUFFIXES = (".csv", ".xml", ".zip")  # a 903 return's CSV files, its XML file, or a zip of CSV files
SSD_SUFFIXES = (".csv", ".zip")  # an SSD export's CSV files, or a zip of them
MEGABYTE = 1024 * 1024
# Files a Mac adds when it makes a zip; they are not part of the return.
ZIP_CLUTTER = ("__MACOSX/", ".DS_Store")
CONFLICTS_SHOWN = 500  # each is a choice on the confirm form; more than this is a data problem to fix first


class UploadError(ValueError):
    """The upload cannot be checked at all (wrong kind of file, empty, too big); the message says why."""


class ConfirmRefusedError(Exception):
    """Confirming is not possible; the message says why in plain words."""


@dataclasses.dataclass(frozen=True)
class UploadedFile:
    """One file as it will be staged: its name (no folders) and its bytes."""

    name: str
    content: bytes


def upload_limit_bytes() -> int:
    megabytes: int = settings.ENV.import_max_megabytes
    return megabytes * MEGABYTE


def staging_root() -> Path:
    return Path(settings.ENV.data_dir) / STAGING_FOLDER


def staging_folder(data_import: DataImport) -> Path:
    return staging_root() / str(data_import.token)


# -- checking what was sent, before anything is staged --------------------------------------------------


def _plain_name(name: str) -> str:
    """The file's own name; a browser may send a path, and nothing outside the staging folder is written."""
    return PurePosixPath(name.replace("\\", "/")).name


def _looks_like_text(content: bytes) -> bool:
    return b"\x00" not in content[:65536]


def _unzipped(name: str, content: bytes, limit: int, *, what: str = "the return") -> list[UploadedFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise UploadError(f"{name} is not a zip file that can be opened") from error
    files: list[UploadedFile] = []
    total = 0
    with archive:
        for member in archive.infolist():
            if member.filename.startswith(ZIP_CLUTTER[0]) or _plain_name(member.filename) == ZIP_CLUTTER[1]:
                continue
            if member.is_dir() or "/" in member.filename or "\\" in member.filename:
                raise UploadError(
                    f"The zip file must hold the CSV files of {what} with no folders: {name} has a folder"
                )
            if not member.filename.lower().endswith(".csv"):
                raise UploadError(f"The zip file must hold only CSV files: {member.filename} is not a CSV file")
            with archive.open(member) as handle:
                # Read no more than the limit allows, whatever the zip claims its files' sizes are.
                data = handle.read(limit - total + 1)
            total += len(data)
            if total > limit:
                raise UploadError(f"The files in the zip must be smaller than {limit // MEGABYTE}MB in all")
            if not data:
                raise UploadError(f"{member.filename} in the zip file is empty")
            if not _looks_like_text(data):
                raise UploadError(f"{member.filename} in the zip file is not a CSV file")
            files.append(UploadedFile(_plain_name(member.filename), data))
    if not files:
        raise UploadError(f"{name} holds no CSV files")
    return files


def upload_contents(*, kind: str, files: list[UploadedFile], limit: int) -> list[UploadedFile]:
    """The files to stage for an upload of `kind`, zip files opened; raises `UploadError` for anything
    that cannot be a 903 return, an activity workbook or an SSD export."""
    if not files:
        raise UploadError("Select the files to upload")
    if sum(len(file.content) for file in files) > limit:
        raise UploadError(f"The selected files must be smaller than {limit // MEGABYTE}MB in all")
    files = [UploadedFile(_plain_name(file.name), file.content) for file in files]
    part = "the SSD export" if kind == ImportKind.SSD else "a return"
    for file in files:
        if file.name.startswith((".", "~$")) or not file.name:
            raise UploadError(f"The selected file {file.name} is a hidden or temporary file, not part of {part}")
        if not file.content:
            raise UploadError(f"The selected file {file.name} is empty")
    suffixes = [PurePosixPath(file.name).suffix.lower() for file in files]
    if kind == ImportKind.ACTIVITY:
        if len(files) != 1 or suffixes[0] != ".xlsx":
            raise UploadError("Select one activity workbook, an Excel file ending .xlsx")
        if not zipfile.is_zipfile(io.BytesIO(files[0].content)):
            raise UploadError(f"{files[0].name} is not an Excel workbook that can be opened")
        return files
    allowed = SSD_SUFFIXES if kind == ImportKind.SSD else RETURN_SUFFIXES
    unknown = [file.name for file, suffix in zip(files, suffixes, strict=True) if suffix not in allowed]
    if unknown and kind == ImportKind.SSD:
        raise UploadError(f"The selected file must be a CSV file of the SSD export or a zip file: {unknown[0]} is not")
    if unknown:
        raise UploadError(f"The selected file must be a CSV file, an XML return or a zip file: {unknown[0]} is not")
    if ".zip" in suffixes:
        if len(files) > 1:
            raise UploadError(f"Select the CSV files of {_what(kind)} or one zip file of them, not both")
        files = _unzipped(files[0].name, files[0].content, limit, what=_what(kind))
    else:
        for file, suffix in zip(files, suffixes, strict=True):
            if not _looks_like_text(file.content):
                raise UploadError(f"{file.name} is not {'an XML' if suffix == '.xml' else 'a CSV'} file")
    names = [file.name.lower() for file in files]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UploadError(f"Each file may be selected once: {repeated[0]} was selected twice")
    return files


def _what(kind: str) -> str:
    return "the SSD export" if kind == ImportKind.SSD else "the return"


# -- checking an upload against the stored dataset ---------------------------------------------------


def _upload_folder(data_import: DataImport) -> Path:
    return staging_folder(data_import) / DATA_FOLDER


def _stage(
    folder: Path, *, kind: str, year: int | None, extract_date: dt.date | None, files: list[UploadedFile]
) -> None:
    """Only the upload is staged, laid out as a data folder: what it is merged with is read from the
    database each time, so nothing else of the stored data is copied here."""
    if kind == ImportKind.SSDA903:
        assert year is not None
        target = folder / "ssda903" / collection_year_label(year)
        target.mkdir(parents=True)
        if extract_date is not None and extract_date != year_end(year):
            (target / RETURN_FILE).write_text(f"extract_date = {extract_date.isoformat()}\n", encoding="utf-8")
    elif kind == ImportKind.SSD:
        target = folder / SSD_FOLDER
        target.mkdir(parents=True)
        _stage_stored_sources(folder)
    else:
        target = folder
        target.mkdir(parents=True)
    for file in files:
        path = target / (ACTIVITY_FILE if kind == ImportKind.ACTIVITY else file.name)
        path.write_bytes(file.content)


def _stage_stored_sources(folder: Path) -> None:
    """Beside a staged SSD export, the stored returns and activity workbook as the database holds them
    now (what came from each, nothing recorded in the workspace): read together, the export is checked
    as `iroscope validate` checks a data folder holding it, the return stays the record of children,
    episodes and reviews, and the export fills only tables no other source holds (decision 0027).
    Written again at confirming, so what is compared is what is stored then."""
    # What `write_stored_sources` wrote last time, removed so that only what is stored now is read.
    shutil.rmtree(folder / "ssda903", ignore_errors=True)
    shutil.rmtree(folder / "activity", ignore_errors=True)
    try:
        stored = dataset_from_database(provenance=True)
    except NoDatasetError:
        return
    years = stored.years if stored.rows_from(Source.SSDA903) else ()
    write_stored_sources(stored, folder, years=years, activity=holds_activity(stored))


def _counts(kind: str, dataset: Dataset) -> dict[str, int]:
    """Rows per table that storing the upload leaves: for an SSD export, only the rows it brought, which
    is what the history says was loaded; for a return or the workbook, every stored row, as before."""
    if kind == ImportKind.SSD:
        return {table.name: rows_from(dataset, table, Source.SSD).height for table in ALL_TABLES}
    return {name: frame.height for name, frame in dataset.tables.items()}


def _merged(folder: Path, *, kind: str, today: dt.date, added_by: str) -> FolderLoad | Problems:
    """The upload merged into the stored dataset, or the one problem that stopped it being read."""
    try:
        return dataset_merge_folder(folder=folder, today=today, added_by=added_by, scratch=staging_root())
    except DataFolderError as error:
        problems = Problems()
        problems.extend(error.problems)  # why each file was refused, by name
        problems.add(
            severity=ERROR,
            file="(upload)",
            check="unreadable",
            message="Nothing in the upload could be read: each file must have the columns of one of the "
            + (
                "SSD tables iroscope reads."
                if kind == ImportKind.SSD
                else "return's tables, or of the activity workbook's sheets."
            ),
        )
        return problems


def _conflict_shown(conflict: Conflict) -> dict[str, object]:
    """A conflict as the report shows it: the key and the differing values side by side, in words
    (dates written out, codes with their meaning)."""
    table = TABLES_BY_NAME[conflict.table]

    def text(name: str, value: object) -> str:
        if value is None:
            return "blank"
        if isinstance(value, dt.date):
            return long_date(value)
        if isinstance(value, list):
            return "; ".join(text(name, item) for item in value)
        code_list = table.column(name).code_list
        label = code_list.labels().get(str(value)) if code_list is not None else None
        return f"{label} ({value})" if label and label != value else str(value)

    def key_part(name: str, value: object) -> str:
        return f"child {value}" if name == "child_id" else f"{name.replace('_', ' ')} {text(name, value)}"

    added_at = conflict.kept.get(ADDED_AT_COLUMN)
    return {
        "id": conflict.id,
        "table": table.title,
        "key": ", ".join(key_part(name, value) for name, value in conflict.key.items()),
        "recorded_by": conflict.kept.get(ADDED_BY_COLUMN) or "",
        "recorded_on": long_date(added_at.date()) if isinstance(added_at, dt.datetime) else "",
        "differences": [
            {
                "column": name.replace("_", " "),
                "kept": text(name, conflict.kept.get(name)),
                "incoming": text(name, conflict.incoming.get(name)),
            }
            for name in conflict.differing
        ],
    }


def _merge_summary(merge: Merge) -> dict[str, dict[str, int]]:
    return {
        name: dataclasses.asdict(change)
        for name, change in merge.tables.items()
        if change.added
        or change.changed
        or change.removed
        or change.kept_recorded
        or change.conflicts
        or change.matched
    }


def import_check(
    *,
    user: AbstractBaseUser | AnonymousUser,
    kind: str,
    year: int | None,
    files: list[UploadedFile],
    today: dt.date,
    extract_date: dt.date | None = None,
) -> DataImport:
    """Stage the upload, merge it into the stored dataset, check the result and record what storing it
    would do: rows added, changed and removed, rows recorded in the workspace kept, and each conflict
    between the upload and the workspace. Nothing in the stored dataset changes; nothing but the upload
    itself is written to the staging folder, and that goes too if checking fails or finds errors."""
    imports_clean_stale(now=timezone.now())
    version = DatasetInfo.objects.values_list("version", flat=True).first()
    data_import = DataImport(
        user=user if isinstance(user, User) else None,
        username=user.get_username(),
        started_at=timezone.now(),
        kind=kind,
        year=year if kind == ImportKind.SSDA903 else None,
        file_names=[file.name for file in files],
        outcome=Outcome.CHECKED,
        dataset_version=version,
    )
    root = staging_folder(data_import)
    folder = _upload_folder(data_import)
    try:
        _stage(folder, kind=kind, year=data_import.year, extract_date=extract_date, files=files)
        merged = _merged(folder, kind=kind, today=today, added_by=data_import.username)
        problems = merged if isinstance(merged, Problems) else merged.result.problems
    except OSError as error:
        shutil.rmtree(root, ignore_errors=True)
        # The server's own trouble (a full disk, say): said plainly, nothing of the upload kept.
        reason = "the server has no room to keep it" if error.errno == errno.ENOSPC else "the server could not store it"
        raise UploadError(f"The upload could not be checked: {reason}. Nothing was stored. Try again later.") from None
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    data_import.error_count = problems.error_count
    data_import.warning_count = problems.warning_count
    data_import.problems = _problems_kept(problems, folder=folder)
    if isinstance(merged, FolderLoad) and merged.merge is not None:
        data_import.counts = _counts(kind, merged.merge.dataset)
        data_import.changes = _merge_summary(merged.merge)
        data_import.conflicts = [_conflict_shown(conflict) for conflict in merged.merge.conflicts[:CONFLICTS_SHOWN]]
    if problems.has_errors:
        data_import.outcome = Outcome.REFUSED
        data_import.finished_at = timezone.now()
        data_import.reason = f"The upload has {problems.error_count:,} errors."
        shutil.rmtree(root, ignore_errors=True)
    data_import.save()
    audit_record(user=user, action=Action.CREATE, table="imports", after=_audit_summary(data_import))
    return data_import


def _audit_summary(data_import: DataImport) -> dict[str, object]:
    return {
        "import": data_import.pk,
        "what": data_import.get_kind_display(),
        "year": collection_year_label(data_import.year) if data_import.year else None,
        "files": data_import.file_names,
        "outcome": data_import.outcome,
        "errors": data_import.error_count,
        "warnings": data_import.warning_count,
        "rows": data_import.counts,
    }


def _problems_kept(problems: Problems, *, folder: Path) -> list[dict[str, object]]:
    """The first `PROBLEMS_KEPT` problems of each severity, errors first, to show on the report."""
    frame = problems.frame.with_columns(
        # A reader's message may quote the file's path on this server; the report names files from the folder.
        pl.col("message").str.replace_all(str(folder) + "/", "", literal=True)
    )
    return frame.filter(pl.int_range(pl.len()).over("severity") < PROBLEMS_KEPT).to_dicts()


def import_problems(data_import: DataImport) -> pl.DataFrame | None:
    """The problems checking found, errors first (`PROBLEMS_KEPT` of each severity at most); None once
    they have been cleared, a day after the upload."""
    if data_import.problems is None:
        return None
    return pl.DataFrame(data_import.problems, schema=Problems().frame.schema)


def _finish(data_import: DataImport, *, outcome: str, reason: str = "") -> None:
    data_import.outcome = outcome
    data_import.finished_at = timezone.now()
    data_import.reason = reason
    data_import.save(update_fields=["outcome", "finished_at", "reason", "counts", "changes"])
    shutil.rmtree(staging_folder(data_import), ignore_errors=True)


def _restaged(data_import: DataImport, folder: Path) -> bool:
    """An SSD export's stored returns and workbook written again as they are now; False if they could not be."""
    if data_import.kind != ImportKind.SSD:
        return True
    try:
        _stage_stored_sources(folder)
    except OSError:
        return False
    return True


def import_confirm(
    *,
    user: AbstractBaseUser | AnonymousUser,
    data_import: DataImport,
    today: dt.date,
    take_incoming: Collection[str] = (),
) -> dict[str, int]:
    """Store the checked upload, merged afresh into the stored dataset as it is now (so what was
    recorded in the workspace since the check is kept too), all or nothing. `take_incoming` names the
    conflicts where the person chose the upload's row; every other conflict keeps the workspace's.
    Raises `ConfirmRefusedError` when the upload has errors, was already dealt with, or another
    import changed the stored data since the check."""
    refusal = ""
    with transaction.atomic():
        current = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if current.outcome == Outcome.REFUSED:
            raise ConfirmRefusedError(
                f"This upload cannot be loaded: it has {current.error_count:,} errors. "
                "Correct them and upload the files again."
            )
        if current.outcome != Outcome.CHECKED:
            raise ConfirmRefusedError(
                f"This upload has already been dealt with: {current.get_outcome_display().lower()}."
            )
        # Locking the stored dataset's row makes a second confirmation made at the same moment wait, then
        # find the version moved on, rather than silently replace what the first one stored.
        version = DatasetInfo.objects.select_for_update().values_list("version", flat=True).first()
        folder = _upload_folder(current)
        if version != current.dataset_version or not folder.is_dir():
            refusal = (
                "The stored data changed after this upload was checked, so it was not loaded. Upload the files again."
            )
            _finish(current, outcome=Outcome.ABANDONED, reason=refusal)
        elif not _restaged(current, folder):
            # The server's own trouble (a full disk, say): said plainly, nothing stored.
            refusal = (
                "This upload was not loaded: the server could not write the stored returns it is read beside. "
                "Nothing was stored. Upload the files again later."
            )
            _finish(current, outcome=Outcome.ABANDONED, reason=refusal)
        else:
            try:
                loaded = dataset_load_folder(
                    folder=folder,
                    today=today,
                    practice=practice_configured(),
                    take_incoming=take_incoming,
                    added_by=current.username,
                    scratch=staging_root(),
                )
            except DataFolderError:
                loaded = None
            if loaded is None or loaded.stored is None:
                refusal = "This upload cannot be loaded: checking it again found errors. Upload the files again."
                if loaded is not None and loaded.result.problems.has_errors:
                    first = loaded.result.problems.frame.row(0, named=True)
                    where = first["file"] + (f", row {first['row']}" if first["row"] is not None else "")
                    refusal = (
                        f"This upload cannot be loaded with the choices made: {where}: {first['message']} "
                        "Nothing was stored. Upload the files again to choose differently."
                    )
                _finish(current, outcome=Outcome.REFUSED, reason=refusal)
            else:
                assert loaded.merge is not None
                stored = loaded.stored
                ssd = current.kind == ImportKind.SSD
                current.counts = _counts(current.kind, loaded.merge.dataset) if ssd else stored
                current.changes = _merge_summary(loaded.merge)
                _finish(current, outcome=Outcome.LOADED)
                audit_record(user=user, action=Action.LOAD_DATASET, table="imports", after=stored)
    # Raised only now, so that the refusal itself is recorded rather than rolled back.
    if refusal:
        raise ConfirmRefusedError(refusal)
    data_import.refresh_from_db()
    return stored


def import_abandon(*, user: AbstractBaseUser | AnonymousUser, data_import: DataImport) -> None:
    """Drop a checked upload without storing it."""
    with transaction.atomic():
        current = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if current.outcome == Outcome.CHECKED:
            _finish(current, outcome=Outcome.ABANDONED, reason="Not loaded: the person who uploaded it chose not to.")
            audit_record(user=user, action=Action.UPDATE, table="imports", after=_audit_summary(current))
        else:
            shutil.rmtree(staging_folder(current), ignore_errors=True)


def imports_clean_stale(*, now: dt.datetime) -> int:
    """Abandon uploads left unconfirmed for a day and remove staged files nobody can use any more.
    Returns how many uploads were abandoned."""
    cutoff = now - STAGING_LIFETIME
    stale = list(DataImport.objects.filter(outcome=Outcome.CHECKED, started_at__lt=cutoff))
    for data_import in stale:
        _finish(data_import, outcome=Outcome.ABANDONED, reason="Not loaded: nobody confirmed it within a day.")
    DataImport.objects.filter(started_at__lt=cutoff, problems__isnull=False).update(problems=None)
    root = staging_root()
    if root.is_dir():
        waiting = {
            str(token) for token in DataImport.objects.filter(outcome=Outcome.CHECKED).values_list("token", flat=True)
        }
        for entry in root.iterdir():
            # Anything not waiting to be confirmed goes once a day old (left by a server stopped mid-check).
            modified = dt.datetime.fromtimestamp(entry.stat().st_mtime, tz=dt.UTC)
            if entry.name in waiting or modified >= cutoff:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    return len(stale)


def dataset_export_zip(*, user: AbstractBaseUser | AnonymousUser) -> bytes:
    """Everything stored as `iroscope export` writes it (and audits it), zipped. The folder
    is written in the staging area and removed however writing ends: only the zip leaves."""
    root = Path(tempfile.mkdtemp(prefix="export-", dir=_staging_root_made()))
    try:
        folder = root / "iroscope-export"
        dataset_export(folder=folder, user=user)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return buffer.getvalue()


def _staging_root_made() -> Path:
    root = staging_root()
    root.mkdir(parents=True, exist_ok=True)
    return root
