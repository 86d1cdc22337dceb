"""Periods of care: unbroken runs of SSDA903 episodes.

An episode changes whenever the placement or the legal status changes, but a change of placement
or legal status does not end the child's period of care (regulation 33 counts from the day the
child became looked after). A period ends when an episode ends for any reason other than X1, and a
child who leaves care and returns, however short the gap, starts a new period.

Short breaks (legal status V3 or V4) are their own periods: each V3 break and each V4 agreement
starts with RNE "S" (SSDA903 guidance), and such periods follow regulation 48 rather than 33.

Expected episode columns: child_id, start_date, end_date, reason_new_episode, legal_status,
reason_ceased. The frame is not modified; a new one is returned.
"""

from __future__ import annotations

import polars as pl

CONTINUES = "X1"
STARTED_TO_BE_LOOKED_AFTER = "S"
SHORT_BREAK_LEGAL_STATUSES = ("V3", "V4")

PERIOD_COLUMNS = {
    "child_id": pl.String,
    "period_id": pl.Int64,
    "period_start": pl.Date,
    "period_start_known": pl.Boolean,
    "period_end": pl.Date,
    "short_break": pl.Boolean,
    "episode_count": pl.UInt32,
}


def episodes_with_period_id(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each episode with the id of the period of care it belongs to (unique across children)."""
    ordered = episodes.sort("child_id", "start_date")
    previous_child = pl.col("child_id").shift(1)
    previous_end = pl.col("end_date").shift(1)
    previous_reason = pl.col("reason_ceased").shift(1)
    starts_period = (
        (previous_child.is_null() | (previous_child != pl.col("child_id")))
        | (pl.col("reason_new_episode") == STARTED_TO_BE_LOOKED_AFTER)
        | (previous_reason.is_not_null() & (previous_reason != CONTINUES))
        | (previous_end.is_not_null() & (previous_end != pl.col("start_date")))
    ).fill_null(True)
    return ordered.with_columns(period_id=starts_period.cast(pl.Int64).cum_sum())


def periods_of_care(episodes: pl.DataFrame) -> pl.DataFrame:
    """One row per period of care.

    `period_start_known` is false when the first episode we hold was not a start (RNE other than
    S): the period began before the data does, on a date we cannot see. `period_end` is null while
    the period is open.
    """
    if episodes.is_empty():
        return pl.DataFrame(schema=PERIOD_COLUMNS)
    numbered = episodes_with_period_id(episodes)
    return (
        numbered.group_by("period_id", maintain_order=True)
        .agg(
            child_id=pl.col("child_id").first(),
            period_start=pl.col("start_date").first(),
            period_start_known=(pl.col("reason_new_episode").first() == STARTED_TO_BE_LOOKED_AFTER).fill_null(False),
            period_end=pl.when(pl.col("end_date").last().is_not_null()).then(pl.col("end_date").last()),
            # Only a period every episode of which is known to be a short break: an unknown legal status
            # keeps the period's reviews due, so an overdue review is shown rather than hidden.
            short_break=pl.col("legal_status").is_in(SHORT_BREAK_LEGAL_STATUSES).fill_null(False).all(),
            episode_count=pl.len(),
        )
        .select(list(PERIOD_COLUMNS))
        .cast(PERIOD_COLUMNS)  # type: ignore[arg-type]
    )


def assign_to_periods(events: pl.DataFrame, periods: pl.DataFrame, *, date_column: str) -> pl.DataFrame:
    """Attach each event (a review, a visit) to the period of care that contains its date.

    Events outside every period get a null period_id; the start and end days belong to the period.
    """
    keyed = events.with_row_index("_event_order").sort(date_column)
    starts = periods.select("child_id", "period_id", "period_start", "period_end", "period_start_known", "short_break")
    joined = keyed.join_asof(
        starts.sort("period_start"),
        left_on=date_column,
        right_on="period_start",
        by="child_id",
        strategy="backward",
        check_sortedness=False,  # both sides are sorted by date above, which any grouping respects
    )
    inside = pl.col("period_end").is_null() | (pl.col(date_column) <= pl.col("period_end"))
    period_fields = ["period_id", "period_start", "period_end", "period_start_known", "short_break"]
    return (
        joined.with_columns([pl.when(inside).then(pl.col(name)).alias(name) for name in period_fields])
        .sort("_event_order")
        .drop("_event_order")
    )
