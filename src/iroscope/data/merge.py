"""Bringing newly read data into the stored dataset without losing what people recorded.

Every row knows its source (`Source`). Incoming data replaces the stored rows of the sources it
brings (a return replaces the stored returns' rows, a workbook the workbook's) and nothing else: rows
recorded in the workspace are never replaced by an import. Where an incoming row and a kept row have
the same key (the same child's review on the same day), they match when their values agree, and
otherwise are a conflict: the kept row stays unless the person chose the incoming one. See decision
0012.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from iroscope.data.dataset import (
    ADDED_AT_COLUMN,
    ADDED_BY_COLUMN,
    SOURCE_COLUMN,
    Dataset,
    Source,
)
from iroscope.data.schema import ALL_TABLES, TABLES_BY_NAME, Table
from iroscope.rules.practice import LocalPractice

_HASH = "_values"
_CLASH = "_clash"


@dataclass(frozen=True)
class Conflict:
    """A row the stored dataset keeps (recorded in the workspace, say) and an incoming row with the
    same key but other values."""

    table: str
    key: dict[str, Any]
    kept: dict[str, Any]  # the stored row: its columns and provenance
    incoming: dict[str, Any]

    @property
    def id(self) -> str:
        """Names the conflict in a form's choice: the table and the key, as text."""
        return conflict_id(self.table, self.key)

    @property
    def differing(self) -> list[str]:
        """The columns whose values differ."""
        return [
            column.name
            for column in TABLES_BY_NAME[self.table].columns
            if self.kept.get(column.name) != self.incoming.get(column.name)
        ]


def conflict_id(table: str, key: dict[str, Any]) -> str:
    return table + ":" + json.dumps({name: _plain(value) for name, value in key.items()}, sort_keys=True)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class TableMerge:
    """What merging does to one table, in rows."""

    added: int = 0  # incoming rows with a new key
    changed: int = 0  # incoming rows replacing a stored row of a replaced source with other values
    unchanged: int = 0  # incoming rows the same as the stored row they replace
    removed: int = 0  # stored rows of a replaced source that the incoming data no longer has
    kept: int = 0  # stored rows of sources not replaced (workspace recordings among them), kept
    kept_recorded: int = 0  # of those, rows recorded in the workspace
    matched: int = 0  # incoming rows identical to a kept row: the kept row stays
    conflicts: int = 0  # incoming rows that differ from a kept row with the same key

    @property
    def any(self) -> bool:
        return any((self.added, self.changed, self.removed, self.kept, self.matched, self.conflicts, self.unchanged))


@dataclass
class Merge:
    dataset: Dataset
    tables: dict[str, TableMerge]
    conflicts: list[Conflict] = field(default_factory=list)

    def total(self, what: str) -> int:
        return sum(getattr(change, what) for change in self.tables.values())


def _values_hash(frame: pl.DataFrame, table: Table) -> pl.Series:
    return frame.select(table.column_names).hash_rows().alias(_HASH)


def _source_is(sources: Collection[str], table: Table) -> pl.Expr:
    return pl.col(SOURCE_COLUMN).fill_null(table.source).is_in(list(sources))


def merge_sources(
    *,
    stored: Dataset,
    incoming: Dataset,
    replacing: Collection[str],
    take_incoming: Collection[str] = (),
    added_by: str | None = None,
    added_at: dt.datetime | None = None,
) -> Merge:
    """The stored dataset with `incoming` brought in: stored rows of the `replacing` sources give way
    to the incoming rows; every other stored row is kept. An incoming row whose key a kept row already
    has is dropped, the kept row staying, unless the conflict's id is in `take_incoming`. Incoming rows
    that do not say who added them and when are marked `added_by` at `added_at`."""
    replacing = frozenset(replacing) - {Source.WORKSPACE}
    chosen = set(take_incoming)
    tables: dict[str, pl.DataFrame] = {}
    changes: dict[str, TableMerge] = {}
    conflicts: list[Conflict] = []
    for table in ALL_TABLES:
        key = list(table.key)
        old, new = stored[table.name], incoming[table.name]
        new = new.with_columns(
            pl.col(SOURCE_COLUMN).fill_null(table.source),
            pl.col(ADDED_BY_COLUMN).fill_null(pl.lit(added_by, dtype=pl.String)),
            pl.col(ADDED_AT_COLUMN).fill_null(pl.lit(added_at, dtype=pl.Datetime("us", "UTC"))),
        )
        if old.is_empty() and new.is_empty():
            tables[table.name] = old
            continue
        replaced = old.filter(_source_is(replacing, table))
        replaced = replaced.with_columns(_values_hash(replaced, table))
        kept = old.filter(~_source_is(replacing, table))
        new = new.with_columns(_values_hash(new, table))
        kept_hashes = kept.select(*key, _values_hash(kept, table).alias(_CLASH))
        clashing = new.join(kept_hashes, on=key, how="inner", nulls_equal=True)
        matched = clashing.filter(pl.col(_HASH) == pl.col(_CLASH))
        differing = clashing.filter(pl.col(_HASH) != pl.col(_CLASH))
        table_conflicts = _conflicts(table, kept=kept, differing=differing)
        taken_keys = differing.filter(
            pl.Series([conflict.id in chosen for conflict in table_conflicts], dtype=pl.Boolean)
        ).select(key)
        fresh = new.join(kept_hashes.select(key), on=key, how="anti", nulls_equal=True)
        replaced_hashes = replaced.select(*key, pl.col(_HASH).alias(_CLASH))
        compared = fresh.join(replaced_hashes, on=key, how="inner", nulls_equal=True)
        fresh = _keeping_who_added_unchanged_rows(fresh, replaced, key)
        result = pl.concat(
            [
                kept.join(taken_keys, on=key, how="anti", nulls_equal=True),
                fresh.drop(_HASH),
                new.join(taken_keys, on=key, how="semi", nulls_equal=True).drop(_HASH),
            ],
            how="diagonal_relaxed",
        )
        tables[table.name] = result.select(old.columns) if old.width else result
        changes[table.name] = TableMerge(
            added=fresh.join(replaced_hashes, on=key, how="anti", nulls_equal=True).height,
            changed=compared.filter(pl.col(_HASH) != pl.col(_CLASH)).height,
            unchanged=compared.filter(pl.col(_HASH) == pl.col(_CLASH)).height,
            removed=replaced.join(new.select(key), on=key, how="anti", nulls_equal=True).height,
            kept=kept.height - taken_keys.height,
            kept_recorded=kept.filter(pl.col(SOURCE_COLUMN) == Source.WORKSPACE).height,
            matched=matched.height,
            conflicts=len(table_conflicts),
        )
        conflicts.extend(table_conflicts)
    takes_returns = Source.SSDA903 in replacing
    # A folder with settings of its own brings them; one without leaves the stored ones.
    brings_settings = incoming.practice != LocalPractice()
    dataset = replace(
        stored,
        tables=tables,
        practice=incoming.practice if brings_settings else stored.practice,
        # An SSD export brought where no return is stored gives the years it covers (decision 0027).
        years=incoming.years if takes_returns else (stored.years or incoming.years),
        extracts=dict(incoming.extracts if takes_returns or not stored.years else stored.extracts),
        authority_code=incoming.authority_code or stored.authority_code,
        authority_name=incoming.authority_name or stored.authority_name,
    )
    return Merge(dataset=dataset, tables=changes, conflicts=conflicts)


def _keeping_who_added_unchanged_rows(fresh: pl.DataFrame, replaced: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """A row brought in again unchanged keeps who added it and when: the first import's, not this one's."""
    earlier = replaced.select(
        *key, pl.col(_HASH).alias(_CLASH), _by=pl.col(ADDED_BY_COLUMN), _at=pl.col(ADDED_AT_COLUMN)
    )
    unchanged = pl.col(_HASH) == pl.col(_CLASH)
    return (
        fresh.join(earlier, on=key, how="left", nulls_equal=True)
        .with_columns(
            pl.when(unchanged).then(pl.col("_by")).otherwise(pl.col(ADDED_BY_COLUMN)).alias(ADDED_BY_COLUMN),
            pl.when(unchanged).then(pl.col("_at")).otherwise(pl.col(ADDED_AT_COLUMN)).alias(ADDED_AT_COLUMN),
        )
        .drop(_CLASH, "_by", "_at")
    )


def _conflicts(table: Table, *, kept: pl.DataFrame, differing: pl.DataFrame) -> list[Conflict]:
    if differing.is_empty():
        return []
    key = list(table.key)
    stored_rows = kept.join(differing.select(key), on=key, how="semi", nulls_equal=True)
    by_key = {tuple(row[name] for name in key): row for row in stored_rows.iter_rows(named=True)}
    found = []
    for row in differing.drop(_HASH, _CLASH).iter_rows(named=True):
        values = tuple(row[name] for name in key)
        found.append(
            Conflict(table=table.name, key=dict(zip(key, values, strict=True)), kept=by_key[values], incoming=row)
        )
    return found


def sources_in(dataset: Dataset) -> frozenset[str]:
    """The sources a dataset read from files holds rows of: what loading it replaces."""
    found = set()
    # Years given by an SSD export standing alone (decision 0027) bring no return to replace.
    if dataset.years and not (dataset.rows_from(Source.SSD) and not dataset.rows_from(Source.SSDA903)):
        found.add(Source.SSDA903)
    for table in ALL_TABLES:
        frame = dataset[table.name]
        if not frame.is_empty():
            found.update(frame[SOURCE_COLUMN].fill_null(table.source).unique().to_list())
    return frozenset(found)
