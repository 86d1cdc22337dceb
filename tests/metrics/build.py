"""Small hand-made datasets for KPI tests."""

import datetime as dt
from typing import Any

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import Figure, all_kpis

D = dt.date
HOME = "DN34 5JH"  # North East Lincolnshire (E06000012)


def frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = TABLES_BY_NAME[table].polars_schema
    return pl.DataFrame([{name: row.get(name) for name in schema} for row in rows], schema=schema)


def episode(child: str, start: dt.date, end: dt.date | None = None, **fields: Any) -> dict[str, Any]:
    defaults = {
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U4",
        "placement_provider": "PR1",
        "reason_ceased": None,
        "home_postcode": HOME,
        "placement_postcode": "DN34 5JF",
    }
    return {"child_id": child, "start_date": start, "end_date": end, **defaults, **fields}


def child(child_id: str, sex: str, born: dt.date, ethnicity: str = "WBRI") -> dict[str, Any]:
    return {"child_id": child_id, "sex": sex, "date_of_birth": born, "ethnicity": ethnicity}


def dataset(years: tuple[int, ...] = (2024,), **tables: list[dict[str, Any]]) -> Dataset:
    return Dataset(
        tables={name: frame(name, rows) for name, rows in tables.items()}, years=years, authority_code="E06000012"
    )


def compute(data: Dataset, kpi_id: str, year: int = 2024) -> Figure:
    return all_kpis()[kpi_id].compute(MetricContext(data, Period.collection_year(year)))
