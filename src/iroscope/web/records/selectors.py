"""Reads of the stored dataset: the same `Dataset` the command line reads from files."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from django.db import DEFAULT_DB_ALIAS

from iroscope.data.dataset import Dataset
from iroscope.data.schema import ALL_TABLES, Table
from iroscope.rules.practice import LocalPractice
from iroscope.web.records.models import DATASET_MODELS, DatasetInfo


class NoDatasetError(LookupError):
    """Nothing has been loaded yet."""


def _frame(table: Table, *, using: str, child_ids: Collection[str] | None) -> pl.DataFrame:
    queryset = DATASET_MODELS[table.name]._default_manager.using(using).all()
    if child_ids is not None and "child_id" in table.column_names:
        queryset = queryset.filter(child_id__in=list(child_ids))
    rows = list(queryset.values_list(*table.column_names))
    return pl.DataFrame(rows, schema=table.polars_schema, orient="row")


def dataset_from_database(
    *,
    using: str = DEFAULT_DB_ALIAS,
    tables: Collection[str] | None = None,
    child_ids: Collection[str] | None = None,
) -> Dataset:
    """The stored dataset. `tables` reads only those tables (the rest are empty); `child_ids` keeps
    only those children's rows in tables that have a child_id."""
    info = DatasetInfo.objects.using(using).first()
    if info is None:
        raise NoDatasetError("No dataset has been loaded: run `iroscope load DATA` or `iroscope serve --demo`.")
    chosen = [table for table in ALL_TABLES if tables is None or table.name in tables]
    return Dataset(
        tables={table.name: _frame(table, using=using, child_ids=child_ids) for table in chosen},
        years=tuple(info.years),
        practice=LocalPractice.from_mapping(info.practice),
        authority_code=info.authority_code,
        authority_name=info.authority_name,
    )


def dataset_is_loaded(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    return DatasetInfo.objects.using(using).exists()
