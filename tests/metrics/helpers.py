"""Tiny hand-made datasets for KPI tests: tables from rows of dicts, named by the schema's columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import Figure, all_kpis
from iroscope.rules.practice import LocalPractice

D = dt.date
YEAR = 2024  # the 2024-25 collection year: 1 April 2024 to 31 March 2025
BORN = D(2012, 6, 1)  # aged 11 or 12 during the year
HOME = "DN34 5JH"  # a North East Lincolnshire postcode (E06000012)
AUTHORITY = "E06000012"


def table(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A frame of the schema table `name`; columns a row leaves out are blank."""
    schema = TABLES_BY_NAME[name].polars_schema
    unknown = {column for row in rows for column in row} - set(schema)
    if unknown:
        raise KeyError(f"{name} has no column(s) {sorted(unknown)}")
    return pl.DataFrame([{column: row.get(column) for column in schema} for row in rows], schema=schema)


def dataset(practice: LocalPractice | None = None, **tables: list[dict[str, Any]]) -> Dataset:
    frames = {name: table(name, rows) for name, rows in tables.items()}
    return Dataset(tables=frames, years=(YEAR,), practice=practice or LocalPractice(), authority_code=AUTHORITY)


def compute(kpi_id: str, data: Dataset, *, year: int = YEAR) -> Figure:
    return all_kpis()[kpi_id].compute(MetricContext(data, Period.collection_year(year)))


def child(child_id: str, *, sex: str = "F", born: dt.date = BORN, ethnicity: str = "WBRI") -> dict[str, Any]:
    return {"child_id": child_id, "sex": sex, "date_of_birth": born, "ethnicity": ethnicity}


def episode(child_id: str, start: dt.date, *, end: dt.date | None = None, **fields: Any) -> dict[str, Any]:
    """A foster-care episode (own provision, inside the authority) on a full care order that starts a
    period of care; `end` needs a `reason_ceased`."""
    defaults = {
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U4",
        "placement_provider": "PR1",
        "home_postcode": HOME,
        "placement_postcode": "DN34 5JF",
    }
    return {"child_id": child_id, "start_date": start, "end_date": end, **defaults, **fields}
