"""What the child's page shows about permanence: the current plan, whether it is past its target date
on the workspace's today, and every plan recorded. Read from the database for the one child, so the
panel is never behind a save; which plan is current is `metrics.permanence`'s rule, as for the
tracker list and the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from iroscope.metrics.permanence import current_plans, past_target
from iroscope.web.records.selectors import dataset_from_database

TABLE = "permanence_plans"
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ChildPermanence:
    current: dict[str, Any] | None
    past_target: bool
    history: list[dict[str, Any]] = field(default_factory=list)  # newest agreed first


def child_permanence(*, child_id: str, today: dt.date) -> ChildPermanence:
    """The child's plans as at the end of `today`'s yesterday for "past its target date" (a plan whose
    target is today is not yet late), and as at `today` for which plan is current."""
    plans = dataset_from_database(tables=frozenset({TABLE}), child_ids=[child_id])[TABLE]
    current = current_plans(plans, on=today)
    late = past_target(current, on=today - ONE_DAY)
    history = plans.sort("plan_date", descending=True).to_dicts()
    return ChildPermanence(
        current=None if current.is_empty() else current.row(0, named=True),
        past_target=not late.is_empty(),
        history=history,
    )
