"""Periods of care from episodes: which are short breaks, whose reviews regulation 33 does not ask for."""

from __future__ import annotations

import datetime as dt

import polars as pl

from iroscope.rules.periods import periods_of_care

D = dt.date


def episodes(*rows: tuple[str, dt.date, dt.date | None, str | None]) -> pl.DataFrame:
    """Each row one episode starting a period of care: child, start, end, legal status."""
    return pl.DataFrame(
        [
            {
                "child_id": child,
                "start_date": start,
                "end_date": end,
                "reason_new_episode": "S",
                "legal_status": legal_status,
                "reason_ceased": "E11" if end else None,
            }
            for child, start, end, legal_status in rows
        ],
        schema={
            "child_id": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
            "reason_new_episode": pl.String,
            "legal_status": pl.String,
            "reason_ceased": pl.String,
        },
    )


def test_a_period_of_v3_or_v4_episodes_is_a_short_break_and_a_care_order_is_not() -> None:
    periods = periods_of_care(
        episodes(
            ("A", D(2024, 5, 1), D(2024, 5, 3), "V3"),
            ("B", D(2024, 5, 1), None, "V4"),
            ("C", D(2024, 5, 1), None, "C2"),
        )
    )
    assert dict(periods.select("child_id", "short_break").iter_rows()) == {"A": True, "B": True, "C": False}


def test_a_period_whose_legal_status_is_not_known_is_not_taken_for_a_short_break() -> None:
    # Its reviews stay due: an unknown legal status must not hide an overdue review.
    periods = periods_of_care(episodes(("A", D(2024, 5, 1), None, None)))
    assert periods["short_break"].to_list() == [False]
