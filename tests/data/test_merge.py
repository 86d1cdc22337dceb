"""Merging what was read into what is stored (`data.merge`): each count worked out by hand from rows
written out below."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from iroscope.data.dataset import ADDED_AT_COLUMN, ADDED_BY_COLUMN, SOURCE_COLUMN, Dataset, Source
from iroscope.data.merge import merge_sources, sources_in
from iroscope.rules.practice import LocalPractice
from tests.metrics.helpers import D, dataset

IMPORTED_AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


def _review(child_id: str, day: dt.date, code: str) -> dict[str, object]:
    return {"child_id": child_id, "review_date": day, "participation": code}


def _marked(data: Dataset, table: str, source: str, rows: int, *, by: str) -> Dataset:
    """`data` with the last `rows` rows of `table` from `source`, added by `by`."""
    frame = data[table]
    recorded = pl.int_range(pl.len()) >= pl.len() - rows
    marked = frame.with_columns(
        pl.when(recorded).then(pl.lit(source)).otherwise(pl.col(SOURCE_COLUMN)).alias(SOURCE_COLUMN),
        pl.when(recorded).then(pl.lit(by)).otherwise(pl.lit("first import")).alias(ADDED_BY_COLUMN),
        pl.lit(IMPORTED_AT).alias(ADDED_AT_COLUMN),
    )
    return dataclasses.replace(data, tables=dict(data.tables) | {table: marked})


def stored() -> Dataset:
    """Four reviews from a return (A in May and August, B in June, C in July) and two recorded in the
    workspace (A in November, D in September)."""
    data = dataset(
        reviews=[
            _review("A", D(2024, 5, 20), "PN1"),
            _review("A", D(2024, 8, 15), "PN1"),
            _review("B", D(2024, 6, 1), "PN2"),
            _review("C", D(2024, 7, 1), "PN1"),
            _review("A", D(2024, 11, 15), "PN1"),
            _review("D", D(2024, 9, 1), "PN3"),
        ]
    )
    return _marked(data, "reviews", Source.WORKSPACE, 2, by="an.iro")


def incoming() -> Dataset:
    """The next return: A in May as before, A in August now PN2, C gone, E new; A in November as the
    workspace has it, D in September with another code."""
    return dataset(
        reviews=[
            _review("A", D(2024, 5, 20), "PN1"),
            _review("A", D(2024, 8, 15), "PN2"),
            _review("B", D(2024, 6, 1), "PN2"),
            _review("E", D(2024, 10, 1), "PN1"),
            _review("A", D(2024, 11, 15), "PN1"),
            _review("D", D(2024, 9, 1), "PN5"),
        ]
    )


def test_a_return_replaces_the_returns_rows_and_keeps_every_row_recorded_in_the_workspace() -> None:
    merge = merge_sources(
        stored=stored(), incoming=incoming(), replacing={Source.SSDA903}, added_by="analyst", added_at=NOW
    )
    change = merge.tables["reviews"]
    # A in August changed; A in May and B unchanged; E added; C removed; A in November matches the
    # workspace's; D differs from it: a conflict, the workspace's kept.
    assert (change.added, change.changed, change.unchanged, change.removed) == (1, 1, 2, 1)
    assert (change.kept, change.kept_recorded, change.matched, change.conflicts) == (2, 2, 1, 1)
    reviews = merge.dataset["reviews"].sort("child_id", "review_date")
    assert reviews.select("child_id", "review_date", "participation", SOURCE_COLUMN, ADDED_BY_COLUMN).rows() == [
        ("A", D(2024, 5, 20), "PN1", Source.SSDA903, "first import"),  # unchanged: who first brought it
        ("A", D(2024, 8, 15), "PN2", Source.SSDA903, "analyst"),
        ("A", D(2024, 11, 15), "PN1", Source.WORKSPACE, "an.iro"),
        ("B", D(2024, 6, 1), "PN2", Source.SSDA903, "first import"),
        ("D", D(2024, 9, 1), "PN3", Source.WORKSPACE, "an.iro"),
        ("E", D(2024, 10, 1), "PN1", Source.SSDA903, "analyst"),
    ]
    (conflict,) = merge.conflicts
    assert (conflict.table, conflict.key, conflict.differing) == (
        "reviews",
        {"child_id": "D", "review_date": D(2024, 9, 1)},
        ["participation"],
    )
    assert (conflict.kept["participation"], conflict.incoming["participation"]) == ("PN3", "PN5")
    assert conflict.id == 'reviews:{"child_id": "D", "review_date": "2024-09-01"}'


def test_choosing_the_incoming_row_of_a_conflict_replaces_the_workspaces() -> None:
    conflict_id = 'reviews:{"child_id": "D", "review_date": "2024-09-01"}'
    merge = merge_sources(
        stored=stored(), incoming=incoming(), replacing={Source.SSDA903}, take_incoming={conflict_id}, added_at=NOW
    )
    d = merge.dataset["reviews"].filter(pl.col("child_id") == "D")
    assert d.select("participation", SOURCE_COLUMN).rows() == [("PN5", Source.SSDA903)]
    assert merge.tables["reviews"].kept == 1  # A in November only


def test_a_workbook_replaces_nothing_of_the_returns_and_the_workspace_is_never_replaced() -> None:
    merge = merge_sources(stored=stored(), incoming=incoming(), replacing={Source.ACTIVITY, Source.WORKSPACE})
    change = merge.tables["reviews"]
    assert (change.removed, change.kept, change.conflicts) == (0, 6, 2)  # A in August differs from the return too
    assert merge.dataset["reviews"].height == 7  # the six stored and E


def test_what_a_folder_replaces_is_the_sources_it_brings() -> None:
    assert sources_in(incoming()) == {Source.SSDA903}
    activity_only = dataset(midway_reviews=[{"child_id": "A", "midway_date": D(2024, 8, 1)}])
    assert sources_in(dataclasses.replace(activity_only, years=())) == {Source.ACTIVITY}


def test_a_folder_with_settings_of_its_own_brings_them_and_one_without_keeps_the_stored() -> None:
    local = LocalPractice(midway_review_fraction=0.4)
    with_settings = dataclasses.replace(incoming(), practice=local)
    assert merge_sources(stored=stored(), incoming=with_settings, replacing={Source.SSDA903}).dataset.practice == local
    kept = dataclasses.replace(stored(), practice=local)
    assert merge_sources(stored=kept, incoming=incoming(), replacing={Source.SSDA903}).dataset.practice == local
