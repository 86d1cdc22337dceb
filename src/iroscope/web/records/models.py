"""The canonical dataset in the database: one model per table of `iroscope.data.schema`, generated
from it so the schema stays the one source of truth. Column kinds map to fields, required columns
are NOT NULL, and each table's key is a unique constraint. Changing the schema needs a migration
(`iroscope manage makemigrations records`); a test fails until it exists.

Every write to a dataset table through the ORM (save, delete, create, update, bulk_create, a
queryset's update or delete) gives `DatasetInfo.version` a new value on the same connection, so inside
the same transaction: each worker process can keep what it read from the dataset for as long as the
version it reads stays the same (see docs/decisions/0006-workspace-caching.md).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models

from iroscope.data.schema import ALL_TABLES, Column, Kind, Table


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
    """Mark the stored dataset as changed. Written in the same transaction as the change, so once both
    are committed nobody sees the change with the old version."""
    DatasetInfo.objects.using(using).update(version=dataset_version_new())


class DatasetQuerySet(models.QuerySet[Any]):
    """Every way Django writes rows goes through one of these four methods: `_insert` (save, create,
    bulk_create), `_update` (save of an existing row), `update` (queryset update, bulk_update) and
    `delete` (queryset and instance delete)."""

    def _insert(self, *args: Any, **kwargs: Any) -> Any:
        result = super()._insert(*args, **kwargs)  # type: ignore[misc]
        dataset_version_bump(using=kwargs.get("using") or self.db)
        return result

    def _update(self, values: Any) -> Any:
        result = super()._update(values)  # type: ignore[misc]
        dataset_version_bump(using=self.db)
        return result

    def update(self, **kwargs: Any) -> int:
        updated = super().update(**kwargs)
        dataset_version_bump(using=self.db)
        return updated

    def delete(self) -> tuple[int, dict[str, int]]:
        deleted = super().delete()
        dataset_version_bump(using=self.db)
        return deleted


class DatasetRowModel(models.Model):
    """The base of every dataset table's model: see `DatasetQuerySet`."""

    objects = DatasetQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        deleted = super().delete(using=using, keep_parents=keep_parents)
        dataset_version_bump(using=using or self._state.db or "default")
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
    return type(model_name(table), (DatasetRowModel,), attributes)


DATASET_MODELS: dict[str, type[models.Model]] = {table.name: _model(table) for table in ALL_TABLES}


class DatasetInfo(models.Model):
    """What the stored dataset covers: one row, replaced with the dataset."""

    years = models.JSONField(default=list)
    practice = models.JSONField(default=dict)
    authority_code = models.TextField(null=True)
    authority_name = models.TextField(null=True)
    loaded_at = models.DateTimeField()
    # A new value on every write to the dataset (`dataset_version_bump`).
    version = models.BigIntegerField(default=1)

    class Meta:
        db_table = "dataset_info"
