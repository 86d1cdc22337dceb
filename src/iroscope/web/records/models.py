"""The canonical dataset in the database: one model per table of `iroscope.data.schema`, generated
from it so the schema stays the one source of truth. Column kinds map to fields, required columns
are NOT NULL, and each table's key is a unique constraint. Changing the schema needs a migration
(`iroscope manage makemigrations records`); a test fails until it exists.

Every write to a dataset table through the ORM (save, delete, create, update, bulk_create, a
queryset's update or delete) is recorded on the same connection, so inside the same transaction: a
write to a table with a child_id appends a `DatasetChange` naming the table and its children and gives
`DatasetInfo.change` a new value; any other write gives `DatasetInfo.version` a new value. Each worker
process keeps what it read from the dataset and, when the change moves on, reads again only the
changed children's rows (see docs/decisions/0006-workspace-caching.md).
"""

from __future__ import annotations

import contextvars
import secrets
from collections.abc import Callable, Collection
from typing import Any

from django.db import models
from django.utils import timezone

from iroscope.data.dataset import ADDED_AT_COLUMN, ADDED_BY_COLUMN, FILE_COLUMN, SOURCE_COLUMN, Source
from iroscope.data.schema import ALL_TABLES, TABLES_BY_NAME, Column, Kind, Table

# The person whose request is writing: rows they add or change are theirs, recorded in the workspace.
# Set for each request by `RecordingPersonMiddleware`; imports say their own source instead.
recording_person: contextvars.ContextVar[Callable[[], str | None] | None] = contextvars.ContextVar(
    "recording_person", default=None
)

# Where each stored row came from (decision 0012), beside the schema's columns: each field, and the
# `Dataset` column that carries it.
COLUMN_OF_PROVENANCE_FIELD = {
    "source": SOURCE_COLUMN,
    "source_file": FILE_COLUMN,
    "added_by": ADDED_BY_COLUMN,
    "added_at": ADDED_AT_COLUMN,
}
PROVENANCE_FIELDS = tuple(COLUMN_OF_PROVENANCE_FIELD)


def _recorded_by() -> str | None:
    person = recording_person.get()
    return person() if person is not None else None


def _workspace_stamp() -> dict[str, Any]:
    """What an add or change made through the workspace says of the row: recorded there, by whom, when."""
    return {
        "source": Source.WORKSPACE,
        "source_file": None,
        "added_by": _recorded_by(),
        "added_at": timezone.now(),
    }


def column_field(column: Column) -> models.Field[Any, Any]:
    null = not column.required
    match column.kind:
        case Kind.DATE:
            return models.DateField(null=null)
        case Kind.INTEGER:
            return models.BigIntegerField(null=null)
        case Kind.DECIMAL:
            return models.FloatField(null=null)
        case Kind.CODES:
            return models.JSONField(null=null)
        case Kind.TEXT | Kind.CODE | Kind.POSTCODE:
            return models.TextField(null=null)
    raise ValueError(f"No database field for {column.kind}")


def model_name(table: Table) -> str:
    return "".join(part.capitalize() for part in table.name.split("_")) + "Row"


def db_table(table: Table) -> str:
    return f"dataset_{table.name}"


def dataset_version_new() -> int:
    """A version never used before. Random rather than counting up: a count would reuse a number after
    a rollback, and a worker could then mistake what it read inside the rolled-back transaction for
    the dataset as it now is. Two of 2**62 values colliding is not a risk worth a sequence."""
    return secrets.randbits(62) + 1


def dataset_version_bump(*, using: str) -> None:
    """Mark the whole stored dataset as changed: every worker reads it again. Written in the same
    transaction as the change, so once both are committed nobody sees the change with the old version."""
    DatasetInfo.objects.using(using).update(version=dataset_version_new())


# The change log keeps this many of the latest changes: a worker further behind reads everything again.
CHANGES_KEPT = 5_000
_PRUNE_EVERY = 500


def dataset_change_record(
    *, table: str, child_ids: Collection[str | None], using: str, columns: Collection[str] | None = None
) -> None:
    """Mark these children's rows of `table` as changed, in the same transaction as the change: only
    `columns` of rows already stored, or (None) any column and any row. A child id of None (a row about
    no child) or a table without children changes the whole dataset's version."""
    if not child_ids:
        return
    if None in child_ids or "child_id" not in TABLES_BY_NAME[table].column_names:
        dataset_version_bump(using=using)
        return
    stamp = dataset_version_new()
    # Updating the one info row first takes its lock until commit, so changes are numbered in the
    # order they are committed and a worker that has read change n has seen every change before it.
    if not DatasetInfo.objects.using(using).update(change=stamp):
        return  # no dataset stored: being replaced, which gives it a new version
    # A write that moves rows to another child changes both children's rows whole.
    named = None if columns is None or "child_id" in columns else sorted(columns)
    change = DatasetChange.objects.using(using).create(
        stamp=stamp, table=table, child_ids=sorted(child_ids), columns=named
    )
    if change.id % _PRUNE_EVERY == 0:
        DatasetChange.objects.using(using).filter(id__lte=change.id - CHANGES_KEPT).delete()


def _table_of(queryset: models.QuerySet[Any]) -> str:
    return str(queryset.model._meta.db_table).removeprefix("dataset_")


class DatasetQuerySet(models.QuerySet[Any]):
    """Every way Django writes rows goes through one of these four methods: `_insert` (save, create,
    bulk_create), `_update` (save of an existing row), `update` (queryset update, bulk_update) and
    `delete` (queryset and instance delete). Updates and deletes read the children they touch first."""

    def _children(self) -> set[str | None]:
        if "child_id" not in TABLES_BY_NAME[_table_of(self)].column_names:
            return {None}
        return set(self.values_list("child_id", flat=True).distinct())

    def _insert(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        result = super()._insert(objs, *args, **kwargs)  # type: ignore[misc]
        children = {getattr(row, "child_id", None) for row in objs}
        dataset_change_record(table=_table_of(self), child_ids=children, using=kwargs.get("using") or self.db)
        return result

    def _update(self, values: Any) -> Any:
        children = self._children() | {value for field, _, value in values if field.name == "child_id"}
        # A row changed in the workspace is the workspace's from now on: an import keeps it.
        values = [entry for entry in values if entry[0].name not in PROVENANCE_FIELDS]
        columns = [field.name for field, _, _ in values]
        meta = self.model._meta
        values += [(meta.get_field(name), None, value) for name, value in _workspace_stamp().items()]
        result = super()._update(values)  # type: ignore[misc]
        dataset_change_record(table=_table_of(self), child_ids=children, using=self.db, columns=columns)
        return result

    def update(self, **kwargs: Any) -> int:
        children = self._children() | ({kwargs["child_id"]} if "child_id" in kwargs else set())
        columns = list(kwargs)
        if "source" not in kwargs:
            kwargs |= _workspace_stamp()
        updated = super().update(**kwargs)
        dataset_change_record(table=_table_of(self), child_ids=children, using=self.db, columns=columns)
        return updated

    def delete(self) -> tuple[int, dict[str, int]]:
        children = self._children()
        deleted = super().delete()
        dataset_change_record(table=_table_of(self), child_ids=children, using=self.db)
        return deleted


class DatasetRowModel(models.Model):
    """The base of every dataset table's model: see `DatasetQuerySet`."""

    objects = DatasetQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        child_id = getattr(self, "child_id", None)
        deleted = super().delete(using=using, keep_parents=keep_parents)
        table = str(self._meta.db_table).removeprefix("dataset_")
        dataset_change_record(table=table, child_ids={child_id}, using=using or self._state.db or "default")
        return deleted


def _model(table: Table) -> type[models.Model]:
    meta = type(
        "Meta",
        (),
        {
            "db_table": db_table(table),
            # Django saves a row through the base manager: it must be the one that bumps the version.
            "base_manager_name": "objects",
            "constraints": [models.UniqueConstraint(fields=list(table.key), name=f"{db_table(table)}_key")],
        },
    )
    attributes: dict[str, Any] = {"__module__": __name__, "Meta": meta}
    attributes.update({column.name: column_field(column) for column in table.columns})
    # A row added through the workspace is recorded there, by the person whose request added it.
    attributes.update(
        source=models.TextField(db_default=Source.WORKSPACE),
        source_file=models.TextField(null=True),
        added_by=models.TextField(null=True, default=_recorded_by),
        added_at=models.DateTimeField(null=True, default=timezone.now),
    )
    return type(model_name(table), (DatasetRowModel,), attributes)


DATASET_MODELS: dict[str, type[models.Model]] = {table.name: _model(table) for table in ALL_TABLES}


class DatasetInfo(models.Model):
    """What the stored dataset covers: one row, replaced with the dataset."""

    years = models.JSONField(default=list)
    practice = models.JSONField(default=dict)
    authority_code = models.TextField(null=True)
    authority_name = models.TextField(null=True)
    loaded_at = models.DateTimeField()
    # The day each in-year extract was taken, by collection year ("2026": "2026-10-31").
    extracts = models.JSONField(default=dict)
    # A new value when the whole dataset changes: replaced, or a table without children written.
    version = models.BigIntegerField(default=1)
    # A new value on every write to a table with children (`dataset_change_record`): the latest change's stamp.
    change = models.BigIntegerField(default=0)

    class Meta:
        db_table = "dataset_info"


class DatasetChange(models.Model):
    """One write to a table with children: which table, which children and, for an update of rows
    already stored, which columns (None: rows added, removed or rewritten). Numbered in commit order;
    the stamp (random, never reused) tells a worker that the change it read is still the one stored,
    not one rolled back whose number was given out again."""

    id = models.BigAutoField(primary_key=True)
    stamp = models.BigIntegerField()
    table = models.TextField()
    child_ids = models.JSONField()
    columns = models.JSONField(null=True)

    class Meta:
        db_table = "dataset_change"
