"""Writes to the stored dataset."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.data.folder import LoadResult, read_data_folder
from iroscope.data.schema import ALL_TABLES
from iroscope.rules.practice import LocalPractice
from iroscope.web.records.models import DATASET_MODELS, DatasetChange, DatasetInfo, dataset_version_new

BATCH_SIZE = 2_000


def dataset_replace(
    *, dataset: Dataset, practice: LocalPractice | None = None, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Replace the whole stored dataset with `dataset` in one transaction: all of it or none of it.
    `practice`, the local practice set in the workspace, is kept over the data's own: a new return
    replaces the data, not the service's settings. Returns the rows stored per table."""
    counts: dict[str, int] = {}
    start = dataset_version_new()
    with transaction.atomic(using=using):
        DatasetInfo.objects.using(using).all().delete()
        DatasetChange.objects.using(using).all().delete()  # the new version makes every worker read again
        for model in DATASET_MODELS.values():
            model._default_manager.using(using).all().delete()
        for table in ALL_TABLES:
            model = DATASET_MODELS[table.name]
            frame = dataset.canonical(table.name)
            rows = (model(**row) for row in frame.iter_rows(named=True))
            model._default_manager.using(using).bulk_create(rows, batch_size=BATCH_SIZE)
            counts[table.name] = frame.height
        DatasetInfo.objects.using(using).create(
            years=list(dataset.years),
            practice=dataclasses.asdict(practice or dataset.practice),
            authority_code=dataset.authority_code,
            authority_name=dataset.authority_name,
            loaded_at=timezone.now(),
            version=dataset_version_new(),
            change=start,
        )
        # The first change of the log: each worker that reads this dataset starts from it.
        DatasetChange.objects.using(using).create(stamp=start, table="", child_ids=[])
    return counts


@dataclasses.dataclass(frozen=True)
class FolderLoad:
    result: LoadResult
    stored: dict[str, int] | None  # None when refused because of errors


def dataset_load_folder(
    *,
    folder: Path,
    today: dt.date | None = None,
    practice: LocalPractice | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> FolderLoad:
    """Read and validate a data folder as the command line does; store it only if it has no errors
    (`practice` as for `dataset_replace`). Raises `DataFolderError` when nothing in the folder can be
    read."""
    result = read_data_folder(folder, today=today)
    if result.problems.has_errors:
        return FolderLoad(result, None)
    return FolderLoad(result, dataset_replace(dataset=result.dataset, practice=practice, using=using))
