"""What the child's page shows about permanence: the current plan, whether it is past its target date
on the workspace's today, and every plan recorded. Read from the database for the one child, so the
panel is never behind a save; which plan is current is `metrics.permanence`'s rule, as for the
tracker list and the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.metrics.permanence import current_plans, past_target
from iroscope.web.records.models import DATASET_MODELS

TABLE = "permanence_plans"
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ChildPermanence:
    current: dict[str, Any] | None
    past_target: bool
    history: list[dict[str, Any]] = field(default_factory=list)  # newest agreed first


def child_permanence(*, child_id: str, today: dt.date) -> ChildPermanence:
    """The child's current plan on `today` (the latest agreed by then) and every plan. The current plan
    is past its target date once the target day has ended: a plan whose target is today is not yet late."""
    # The child's rows alone, straight from their table: the panel reads neither the dataset's version
    # nor any other table, so the page still reads the version once (tests/web/test_page_reads.py).
    table = TABLES_BY_NAME[TABLE]
    rows = DATASET_MODELS[TABLE]._default_manager.filter(child_id=child_id).values(*table.column_names)
    plans = pl.DataFrame([dict(row) for row in rows], schema=table.polars_schema)
    current = current_plans(plans, on=today)
    late = past_target(current, on=today - ONE_DAY)
    history = plans.sort("plan_date", descending=True).to_dicts()
    return ChildPermanence(
        current=None if current.is_empty() else current.row(0, named=True),
        past_target=not late.is_empty(),
        history=history,
    )
