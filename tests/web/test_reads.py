"""Results a worker keeps by child may name the only columns they read of some tables (`reads`): a
change to any other column of those tables is then no reason to work them out again. Each is worked
out over a synthetic authority, then again with every other column of those tables changed (each
column's values moved down one row): it must come out the same. Moving the review dates the same
way must change it, so the check can tell a result that reads a column from one that does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from iroscope.data.dataset import PROVENANCE_COLUMNS, Dataset
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.next_review import next_reviews_at
from iroscope.synth.generator import SynthConfig, generate
from iroscope.web.casework.bookings import BOOKING_TABLES, _booked_by_child
from iroscope.web.casework.selectors import CASELOAD_TABLES, NEXT_REVIEW_TABLES, REVIEW_DAYS, _caseload_facts
from tests.metrics.helpers import D

AS_AT = D(2026, 3, 31)


def _caseload(dataset: Dataset) -> Any:
    return _caseload_facts(dataset=dataset, as_at=AS_AT, next_reviews=next_reviews_at(dataset=dataset, as_at=AS_AT))


# Each result that declares `reads=REVIEW_DAYS`, with the tables it is kept for.
RESULTS: dict[str, tuple[frozenset[str], Callable[[Dataset], Any]]] = {
    "next reviews": (NEXT_REVIEW_TABLES, lambda dataset: next_reviews_at(dataset=dataset, as_at=AS_AT)),
    "caseload facts": (CASELOAD_TABLES, _caseload),
    "full schedule": (
        NEXT_REVIEW_TABLES,
        lambda dataset: MetricContext(dataset, Period(AS_AT, AS_AT, "as at")).full_schedule,
    ),
    "reviews booked": (BOOKING_TABLES, _booked_by_child),
}


@pytest.fixture(scope="module")
def synthetic() -> Dataset:
    return generate(SynthConfig(children=150, years=2, seed=11), today=D(2026, 5, 1))


def moved_down(dataset: Dataset, table: str, columns: list[str]) -> Dataset:
    """The dataset with these columns' values each moved down one row (the last to the top)."""
    frame = dataset[table]
    moved = frame.with_columns(pl.concat([frame[name].tail(1), frame[name].head(-1)]).alias(name) for name in columns)
    return Dataset(
        tables=dataset.tables | {table: moved},
        years=dataset.years,
        practice=dataset.practice,
        authority_code=dataset.authority_code,
    )


def same(first: Any, second: Any) -> bool:
    return first.equals(second) if isinstance(first, pl.DataFrame) else bool(first == second)


@pytest.mark.parametrize("result", RESULTS)
def test_a_change_to_columns_a_result_does_not_read_leaves_it_as_it_was(synthetic: Dataset, result: str) -> None:
    tables, compute = RESULTS[result]
    before = compute(synthetic)
    for table in sorted(tables & REVIEW_DAYS.keys()):
        others = [
            name
            for name in synthetic[table].columns
            if name not in REVIEW_DAYS[table] and name not in PROVENANCE_COLUMNS
        ]
        changed = moved_down(synthetic, table, others)
        assert not changed[table].equals(synthetic[table]), f"moving {table}'s other columns changed nothing"
        assert same(compute(changed), before), f"{result} reads a column of {table} besides {REVIEW_DAYS[table]}"


@pytest.mark.parametrize("result", RESULTS)
def test_moving_the_review_dates_changes_each_result(synthetic: Dataset, result: str) -> None:
    tables, compute = RESULTS[result]
    changed = synthetic
    for table in sorted(tables & REVIEW_DAYS.keys()):
        changed = moved_down(changed, table, ["review_date"])
    assert not same(compute(changed), compute(synthetic))
