"""Reads of the stored dataset: the same `Dataset` the command line reads from files.

`dataset_snapshot` serves the workspace's pages from what this process has already read, for as long
as the dataset's version in the database stays the same (see docs/decisions/0006-workspace-caching.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

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


@dataclass
class _Version:
    """What this process has read of one version of the stored dataset, and worked out from it."""

    version: int
    info: dict[str, Any]
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    datasets: dict[frozenset[str], Dataset] = field(default_factory=dict)
    results: dict[Hashable, Any] = field(default_factory=dict)
    pages: int = 0  # snapshots taken of this version


# After a write every worker would read every table again for the next page it serves, only for
# another write to replace that version soon after when people are busy recording. So the first
# pages after a change read just their own children's rows; once a version has served this many
# pages in a process, it is read whole and the pages answered from memory. Reading whole costs about
# as much as ten pages read the first way save over pages answered from memory (400 ms against
# 65 - 28 ms on the benchmark's machine), so waiting ten pages never costs more than twice the best
# choice made knowing when the next write will come.
WHOLE_AFTER_PAGES = 10
_read: dict[str, _Version] = {}  # by database alias: only the latest version read is kept
_read_lock = threading.Lock()
Result = TypeVar("Result")


class DatasetSnapshot:
    """The stored dataset as it was at one version. Every table is read whole, once per version per
    process, and every result once per version, key and tables per process; pages then pick out the
    children they show. A frame or result handed out is shared: treat it as read-only."""

    def __init__(self, entry: _Version, *, using: str) -> None:
        self._entry = entry
        self._using = using
        # Rows read for this snapshot only, by children: the tables read and the dataset.
        self._children: dict[frozenset[str], tuple[frozenset[str], Dataset]] = {}

    @property
    def version(self) -> int:
        return self._entry.version

    @property
    def whole(self) -> bool:
        """Whether pages should work from the whole tables kept in memory rather than read their own
        children's rows (see `WHOLE_AFTER_PAGES`)."""
        return bool(self._entry.frames) or self._entry.pages > WHOLE_AFTER_PAGES

    def children(self, tables: Collection[str], *, child_ids: Collection[str]) -> Dataset:
        """Only these children's rows of `tables`, read afresh and kept only by this snapshot (one
        page), which reuses them when asked again for the same children and no other table."""
        key, wanted = frozenset(child_ids), frozenset(tables)
        if key in self._children and wanted <= self._children[key][0]:
            return self._children[key][1]
        dataset = dataset_from_database(using=self._using, tables=wanted, child_ids=key)
        self._children[key] = (wanted, dataset)
        return dataset

    def dataset(self, tables: Collection[str]) -> Dataset:
        """The stored dataset with only `tables` read (the rest are empty)."""
        names = frozenset(tables)
        if names in self._entry.datasets:
            return self._entry.datasets[names]
        chosen = [table for table in ALL_TABLES if table.name in names]
        for table in chosen:
            if table.name not in self._entry.frames:
                self._entry.frames[table.name] = _frame(table, using=self._using, child_ids=None)
        info = self._entry.info
        dataset = Dataset(
            tables={table.name: self._entry.frames[table.name] for table in chosen},
            years=tuple(info["years"]),
            practice=LocalPractice.from_mapping(info["practice"]),
            authority_code=info["authority_code"],
            authority_name=info["authority_name"],
        )
        self._entry.datasets[names] = dataset
        return dataset

    def result(self, key: Hashable, *, tables: Collection[str], compute: Callable[[Dataset], Result]) -> Result:
        """`compute` over the dataset with `tables`, worked out once for this version."""
        full_key = (key, frozenset(tables))
        if full_key not in self._entry.results:
            self._entry.results[full_key] = compute(self.dataset(tables))
        return self._entry.results[full_key]  # type: ignore[no-any-return]


def dataset_snapshot(*, using: str = DEFAULT_DB_ALIAS) -> DatasetSnapshot:
    """The stored dataset at its current version. The version is read before any table, so a table
    read later can only be newer than its version says; a newer version then replaces it on the next
    request, never the other way round."""
    info = (
        DatasetInfo.objects.using(using)
        .values("version", "years", "practice", "authority_code", "authority_name")
        .first()
    )
    if info is None:
        raise NoDatasetError("No dataset has been loaded: run `iroscope load DATA` or `iroscope serve --demo`.")
    with _read_lock:
        entry = _read.get(using)
        if entry is None or entry.version != info["version"]:
            entry = _read[using] = _Version(version=info["version"], info=dict(info))
        entry.pages += 1
    return DatasetSnapshot(entry, using=using)


def dataset_children_of_iro(*, iro_id: str, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every child ever allocated to the IRO."""
    allocations = DATASET_MODELS["iro_allocations"]._default_manager.using(using)
    return sorted(set(allocations.filter(iro_id=iro_id).values_list("child_id", flat=True)))


def dataset_is_loaded(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    return DatasetInfo.objects.using(using).exists()
