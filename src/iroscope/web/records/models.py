"""The canonical dataset in the database: one model per table of `iroscope.data.schema`, generated
from it so the schema stays the one source of truth. Column kinds map to fields, required columns
are NOT NULL, and each table's key is a unique constraint. Changing the schema needs a migration
(`iroscope manage makemigrations records`); a test fails until it exists.
"""

from __future__ import annotations

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


def _model(table: Table) -> type[models.Model]:
    meta = type(
        "Meta",
        (),
        {
            "db_table": db_table(table),
            "constraints": [models.UniqueConstraint(fields=list(table.key), name=f"{db_table(table)}_key")],
        },
    )
    attributes: dict[str, Any] = {"__module__": __name__, "Meta": meta}
    attributes.update({column.name: column_field(column) for column in table.columns})
    return type(model_name(table), (models.Model,), attributes)


DATASET_MODELS: dict[str, type[models.Model]] = {table.name: _model(table) for table in ALL_TABLES}


class DatasetInfo(models.Model):
    """What the stored dataset covers: one row, replaced with the dataset."""

    years = models.JSONField(default=list)
    practice = models.JSONField(default=dict)
    authority_code = models.TextField(null=True)
    authority_name = models.TextField(null=True)
    loaded_at = models.DateTimeField()

    class Meta:
        db_table = "dataset_info"
