"""Reads of the stored dataset: the same `Dataset` the command line reads from files.

`dataset_snapshot` serves the workspace's pages from what this process has already read, for as long
as the dataset's version in the database stays the same, reading again only the rows of children
changed since (see docs/decisions/0006-workspace-caching.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connections

from iroscope.data.dataset import (
    PROVENANCE_TYPES,
    ROW_COLUMN,
    Dataset,
)
from iroscope.data.schema import ALL_TABLES, TABLES_BY_NAME, Table
from iroscope.rules.practice import LocalPractice
from iroscope.web import clock
from iroscope.web.records.models import COLUMN_OF_PROVENANCE_FIELD, DATASET_MODELS, DatasetChange, DatasetInfo
from iroscope.web.shared import shared_value


class NoDatasetError(LookupError):
    """Nothing has been loaded yet."""


NO_DATASET = "No dataset has been loaded: run `iroscope load DATA` or `iroscope serve --demo`."


@functools.cache
def _empty_tables() -> dict[str, pl.DataFrame]:
    """Every table empty, as a `Dataset` fills in those it is not given: made once and shared (polars
    frames are never changed in place), since making them again cost a few ms a dataset."""
    return dict(Dataset(tables={}).tables)


def _frame(table: Table, *, using: str, child_ids: Collection[str] | None, provenance: bool = False) -> pl.DataFrame:
    queryset = DATASET_MODELS[table.name]._default_manager.using(using).all()
    if child_ids is not None and "child_id" in table.column_names:
        queryset = queryset.filter(child_id__in=list(child_ids))
    if provenance:
        rows = list(queryset.values_list(*table.column_names, *COLUMN_OF_PROVENANCE_FIELD))
        schema = table.polars_schema | {
            column: PROVENANCE_TYPES[column] for column in COLUMN_OF_PROVENANCE_FIELD.values()
        }
        return pl.DataFrame(rows, schema=schema, orient="row").with_columns(
            pl.lit(None, dtype=pl.Int64).alias(ROW_COLUMN)
        )
    rows = list(queryset.values_list(*table.column_names))
    # With the provenance columns every dataset has (none, for rows from the database), so that each
    # `Dataset` made from the frame need not add them again.
    return pl.DataFrame(rows, schema=table.polars_schema, orient="row").with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in PROVENANCE_TYPES.items()
    )


def _extracts(stored: dict[str, str]) -> dict[int, dt.date]:
    """The days the in-year extracts were taken, as `DatasetInfo.extracts` keeps them ("2026": "2026-10-31")."""
    return {int(year): dt.date.fromisoformat(day) for year, day in stored.items()}


def dataset_from_database(
    *,
    using: str = DEFAULT_DB_ALIAS,
    tables: Collection[str] | None = None,
    child_ids: Collection[str] | None = None,
    provenance: bool = False,
) -> Dataset:
    """The stored dataset. `tables` reads only those tables (the rest are empty); `child_ids` keeps
    only those children's rows in tables that have a child_id; `provenance` reads where each row came
    from (decision 0012), which pages do not need and imports and exports do."""
    info = DatasetInfo.objects.using(using).first()
    if info is None:
        raise NoDatasetError(NO_DATASET)
    chosen = [table for table in ALL_TABLES if tables is None or table.name in tables]
    return Dataset(
        tables=_empty_tables()
        | {table.name: _frame(table, using=using, child_ids=child_ids, provenance=provenance) for table in chosen},
        years=tuple(info.years),
        practice=LocalPractice.from_mapping(info.practice),
        authority_code=info.authority_code,
        authority_name=info.authority_name,
        extracts=_extracts(info.extracts),
    )


# Of some tables, the only columns a result reads: a change to none of them leaves it as it was.
Reads = Mapping[str, frozenset[str]]


@dataclass
class _Result:
    value: Any
    tables: frozenset[str]
    child_id: str | None = None  # a result about one child: forgotten when that child changes
    by_child: bool = False  # keyed by child: worked out again for the changed children only
    pending: set[str] = field(default_factory=set)  # children changed since `value` was worked out
    reads: Reads = field(default_factory=dict)  # the only columns it reads of some of its tables

    def touched_by(self, table: str, columns: frozenset[str] | None) -> bool:
        """Whether a change to these columns of `table` (None: any) can change this result."""
        if table not in self.tables:
            return False
        read = self.reads.get(table)
        return read is None or columns is None or bool(read & columns)


@dataclass
class _Version:
    """What this process has read of one version of the stored dataset, and worked out from it, kept
    up to date child by child as changes are recorded (`DatasetChange`)."""

    version: int
    change: int  # `DatasetInfo.change` when last looked at
    last_id: int  # the latest change applied (0 for none) and its stamp
    last_stamp: int
    info: dict[str, Any]
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    datasets: dict[frozenset[str], Dataset] = field(default_factory=dict)
    results: dict[Hashable, _Result] = field(default_factory=dict)
    pages: int = 0  # snapshots taken of this version
    # The latest change applied to each child's rows (id and stamp), by table: what those rows are at,
    # for results about changed children that workers share (`_for_changed_children`). Rows no change
    # has touched since the version was read are at the change latest then (`read_at`).
    changed_at: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    read_at: tuple[int, int] = (0, 0)
    table_changed_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # the latest change by table
    # Results kept by key while the state of what they read stays the same (`result_at`).
    kept: dict[Hashable, tuple[Hashable, Any]] = field(default_factory=dict)
    # The workspace's today when results were last worked out. Results name the day they are for, so
    # none is wrong on another day; but none for an earlier day is asked for again, so they are
    # forgotten when the day moves on rather than kept for the life of the worker.
    day: dt.date | None = None


# After the whole dataset changes every worker would read every table again for the next page it
# serves. So the first pages of a new version read just their own children's rows; once a version has
# served this many pages in a process, it is read whole and the pages answered from memory. Reading
# whole costs about as much as ten pages read the first way save over pages answered from memory
# (400 ms against 65 - 28 ms on the benchmark's machine), so waiting ten pages never costs more than
# twice the best choice made knowing when the next change will come. A write about some children does
# not start a new version: only their rows are read again.
WHOLE_AFTER_PAGES = 10
_read: dict[str, _Version] = {}  # by database alias: only the latest version read is kept
_read_lock = threading.Lock()
Result = TypeVar("Result")


def _splice(value: Any, fresh: Any, children: set[str]) -> Any:
    """`value` with the entries of `children` replaced by theirs in `fresh`."""
    if isinstance(value, pl.DataFrame):
        changed = pl.Series(sorted(children), dtype=pl.String).implode()
        return pl.concat(
            [value.filter(~pl.col("child_id").is_in(changed)), fresh.filter(pl.col("child_id").is_in(changed))],
            how="vertical_relaxed",
        )
    kept = {child_id: entry for child_id, entry in value.items() if child_id not in children}
    return kept | {child_id: entry for child_id, entry in fresh.items() if child_id in children}


class DatasetSnapshot:
    """The stored dataset as this process has it at one version. Every table is read whole, once per
    version per process, and every result once per version, key and tables per process; pages then
    pick out the children they show. A frame or result handed out is shared: treat it as read-only."""

    def __init__(self, entry: _Version, *, using: str) -> None:
        self._entry = entry
        self._using = using
        # Rows read for this snapshot only, by children: the tables read and the dataset.
        self._children: dict[frozenset[str], tuple[frozenset[str], Dataset]] = {}

    @property
    def version(self) -> int:
        return self._entry.version

    @property
    def state(self) -> str:
        """Names this state of the stored dataset for caches shared between processes: it changes
        with every write (a new version, or a change about some children)."""
        return f"{self._entry.version}.{self._entry.change}"

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
            tables=_empty_tables() | {table.name: self._entry.frames[table.name] for table in chosen},
            years=tuple(info["years"]),
            practice=LocalPractice.from_mapping(info["practice"]),
            authority_code=info["authority_code"],
            authority_name=info["authority_name"],
            extracts=_extracts(info["extracts"]),
        )
        self._entry.datasets[names] = dataset
        return dataset

    def _of_children(self, tables: Collection[str], *, child_ids: Collection[str]) -> Dataset:
        """Only these children's rows of the whole `tables` kept (the rest are empty)."""
        return self.dataset(tables).restricted(child_ids=child_ids)

    def result(
        self,
        key: Hashable,
        *,
        tables: Collection[str],
        compute: Callable[[Dataset], Result],
        child_id: str | None = None,
        shared: bool = False,
    ) -> Result:
        """`compute` over the dataset with `tables`, worked out once and kept until any of those tables
        changes; with `child_id`, a result about that child only, kept until that child's rows change.
        `shared`, with `child_id`: once the child has changed, the first worker to work the result out
        again keeps it for the others (for results that take long; see `_for_changed_children`)."""
        full_key = (key, frozenset(tables))
        held = self._entry.results.get(full_key)
        if held is None:
            if shared and child_id is not None:
                value = self._for_changed_children(key, tables, {child_id}, lambda: compute(self.dataset(tables)))
            else:
                value = compute(self.dataset(tables))
            held = _Result(value, frozenset(tables), child_id=child_id)
            self._entry.results[full_key] = held
        return held.value  # type: ignore[no-any-return]

    def held(self, key: Hashable, *, tables: Collection[str]) -> Any | None:
        """What `result` keeps under `key` and `tables`, if it is kept and still current; else None."""
        held = self._entry.results.get((key, frozenset(tables)))
        return None if held is None or held.by_child else held.value

    def state_of(self, tables: Collection[str], *, child_ids: Collection[str] | None = None) -> Hashable:
        """Names what `tables` hold (only `child_ids`' rows, when given) at this snapshot: the same for
        as long as no write has touched them, so what is worked out from them may be kept under it."""
        entry = self._entry
        names = sorted(tables)
        if child_ids is None:
            return (entry.version, tuple(entry.table_changed_at.get(table, entry.read_at) for table in names))
        by_table = [entry.changed_at[table] for table in names if table in entry.changed_at]
        changes = tuple(
            max([changed[child] for changed in by_table if child in changed], default=entry.read_at)
            for child in sorted(child_ids)
        )
        return (entry.version, changes)

    def result_at(self, key: Hashable, *, state: Hashable, compute: Callable[[], Result]) -> Result:
        """`compute`'s result, kept under `key` for as long as `state` (`state_of` what it reads) stays
        the same, then replaced: one kept per key, however often the data changes."""
        held = self._entry.kept.get(key)
        if held is None or held[0] != state:
            held = (state, compute())
            self._entry.kept[key] = held
        return held[1]

    def by_child(
        self,
        key: Hashable,
        *,
        tables: Collection[str],
        compute: Callable[[Dataset], Result],
        child_ids: Collection[str] | None = None,
        reads: Reads | None = None,
        shared: bool = False,
    ) -> Result:
        """`compute` over the dataset with `tables`, giving a dict keyed by child or a frame with a
        child_id column, in which each child's entries depend only on that child's rows. Worked out
        once; after a change, worked out again over the changed children's rows only and spliced in.
        With `child_ids`, only those children's entries are brought up to date: read no others. With
        `reads`, a change to other columns of those tables (a review's participation, say) is not one.
        `shared`: worked out whole by the first worker to need it at this state of the data and read
        by the others (for results that take long)."""
        full_key = (key, frozenset(tables))
        held = self._entry.results.get(full_key)
        if held is None:
            if shared:
                # Named by the tables in order: a set's order differs from one process to the next.
                name = hashlib.blake2b(repr((self.state, key, sorted(tables))).encode(), digest_size=16).hexdigest()
                value = shared_value(f"whole:{name}", lambda: compute(self.dataset(tables)))
            else:
                value = compute(self.dataset(tables))
            held = _Result(value, frozenset(tables), by_child=True, reads=reads or {})
            self._entry.results[full_key] = held
        changed = held.pending if child_ids is None else held.pending & set(child_ids)
        if changed:
            fresh = self._for_changed_children(
                key, tables, changed, lambda: compute(self._of_children(tables, child_ids=changed))
            )
            held.value = _splice(held.value, fresh, changed)
            held.pending = held.pending - changed
        return held.value  # type: ignore[no-any-return]

    def _for_changed_children(
        self, key: Hashable, tables: Collection[str], children: set[str], compute: Callable[[], Result]
    ) -> Result:
        """`compute` over some children's rows, as the first worker to need it after they changed
        worked it out: kept in the cache the workers share under the change each child's rows are at,
        so the other workers, which would each work out the same again, read it instead. It may read
        tables without children too: a write to one of those starts a new version."""
        entry = self._entry
        at = [
            (child, max(entry.changed_at.get(table, {}).get(child, entry.read_at) for table in tables))
            for child in sorted(children)
        ]
        digest = hashlib.blake2b(repr((entry.version, key, sorted(tables), at)).encode(), digest_size=16)
        return shared_value(f"children:{digest.hexdigest()}", compute)


def _latest_change(*, using: str) -> tuple[int, int]:
    latest = DatasetChange.objects.using(using).order_by("-id").values_list("id", "stamp").first()
    return latest if latest is not None else (0, 0)


def _caught_up(entry: _Version, *, change: int, using: str) -> bool:
    """Bring `entry` up to date with the changes recorded since it was last: read those children's
    rows of the tables it holds again, forget the results that depend on them. False when the change
    it last applied is no longer stored (rolled back, or pruned away): it must be read again."""
    changes = list(
        DatasetChange.objects.using(using)
        .filter(id__gte=entry.last_id)
        .order_by("id")
        .values_list("id", "stamp", "table", "child_ids", "columns")
    )
    # With no change to start from (the log was empty when it was read), a change pruned since could
    # not be told from none: read again from the start. `dataset_replace` starts the log, so this
    # is rare.
    if not entry.last_id or not changes or (changes[0][0], changes[0][1]) != (entry.last_id, entry.last_stamp):
        return False
    changes = changes[1:]
    changed: dict[str, set[str]] = {}
    columns_changed: dict[tuple[str, str], frozenset[str] | None] = {}  # by table and child; None: any
    for change_id, stamp, table, child_ids, columns in changes:
        changed.setdefault(table, set()).update(child_ids)
        entry.changed_at.setdefault(table, {}).update(dict.fromkeys(child_ids, (change_id, stamp)))
        entry.table_changed_at[table] = (change_id, stamp)
        for child in child_ids:
            earlier = columns_changed.get((table, child), frozenset())
            columns_changed[table, child] = None if columns is None or earlier is None else earlier | set(columns)
    if changes:
        entry.last_id, entry.last_stamp = changes[-1][0], changes[-1][1]
    entry.change = change
    for table, child_ids in changed.items():
        if table in entry.frames:
            kept = entry.frames[table].filter(~pl.col("child_id").is_in(pl.Series(sorted(child_ids)).implode()))
            fresh = _frame(TABLES_BY_NAME[table], using=using, child_ids=child_ids)
            entry.frames[table] = pl.concat([kept, fresh])
    entry.datasets = {names: data for names, data in entry.datasets.items() if not names & changed.keys()}
    for key, held in list(entry.results.items()):
        touched = {child for (table, child), columns in columns_changed.items() if held.touched_by(table, columns)}
        if not touched:
            continue
        if held.by_child:
            held.pending |= touched
        elif held.child_id is None or held.child_id in touched:
            del entry.results[key]
    return True


# Every page asks this first. Written out rather than put together by the ORM: its query cost about
# 0.4 ms of CPU a page more, and the rest of the row (years, practice) is read only with a new version.
_VERSION_SQL = f'SELECT "version", "change" FROM "{DatasetInfo._meta.db_table}" ORDER BY "id" LIMIT 1'


def dataset_snapshot(*, using: str = DEFAULT_DB_ALIAS) -> DatasetSnapshot:
    """The stored dataset at its current version. The version and the latest change are read before
    any table, so a table read later can only be newer than they say; a newer change then reads those
    children's rows again on the next request, never the other way round."""
    with connections[using].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    if row is None:
        raise NoDatasetError(NO_DATASET)
    version, change = row
    today = clock.workspace_today()
    with _read_lock:
        entry = _read.get(using)
        stale = entry is None or entry.version != version
        if not stale and entry is not None and entry.change != change:
            stale = not _caught_up(entry, change=change, using=using)
        if stale or entry is None:
            # The whole row, read again: a dataset replaced since the version was read is this version.
            info = (
                DatasetInfo.objects.using(using)
                .values("version", "change", "years", "extracts", "practice", "authority_code", "authority_name")
                .first()
            )
            if info is None:
                raise NoDatasetError(NO_DATASET)
            last_id, last_stamp = _latest_change(using=using)
            entry = _read[using] = _Version(
                version=info["version"],
                change=info["change"],
                last_id=last_id,
                last_stamp=last_stamp,
                info=dict(info),
                read_at=(last_id, last_stamp),
            )
        if entry.day != today:
            entry.results.clear()
            entry.kept.clear()
            entry.datasets.clear()  # and whatever a dataset kept worked out from its frames
            entry.day = today
        entry.pages += 1
    return DatasetSnapshot(entry, using=using)


def dataset_coverage_stored(*, today: dt.date) -> str | None:
    """`clock.data_coverage` of the stored dataset, for pages that read the database rather than a
    snapshot (allocations, disputes); None before any load."""
    try:
        snapshot = dataset_snapshot()
    except NoDatasetError:
        return None
    return clock.data_coverage(dataset=snapshot.dataset(()), today=today)


def dataset_children_of_iro(*, iro_id: str, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every child ever allocated to the IRO."""
    allocations = DATASET_MODELS["iro_allocations"]._default_manager.using(using)
    return sorted(set(allocations.filter(iro_id=iro_id).values_list("child_id", flat=True)))


def iro_staff_names() -> dict[str, str | None]:
    """The IRO staff list of the stored dataset, by identifier, with each IRO's name if recorded."""
    rows = DATASET_MODELS["iro_staff"]._default_manager.order_by("iro_id").values_list("iro_id", "name")
    return dict(rows)


def dataset_is_loaded(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    return DatasetInfo.objects.using(using).exists()
