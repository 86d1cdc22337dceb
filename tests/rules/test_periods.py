"""Periods of care from episodes: which are short breaks, whose reviews regulation 33 does not ask for."""

from __future__ import annotations

from iroscope.rules.periods import periods_of_care
from tests.metrics.helpers import D
from tests.rules.test_schedule import episode, episodes


def test_a_period_of_v3_or_v4_episodes_is_a_short_break_and_a_care_order_is_not() -> None:
    periods = periods_of_care(
        episodes(
            episode("A", D(2024, 5, 1), D(2024, 5, 3), rec="E11", legal_status="V3"),
            episode("B", D(2024, 5, 1), legal_status="V4"),
            episode("C", D(2024, 5, 1), legal_status="C2"),
        )
    )
    assert dict(periods.select("child_id", "short_break").iter_rows()) == {"A": True, "B": True, "C": False}


def test_a_period_whose_legal_status_is_not_known_is_not_taken_for_a_short_break() -> None:
    # Its reviews stay due: an unknown legal status must not hide an overdue review.
    unknown = episode("A", D(2024, 5, 1)) | {"legal_status": None}
    assert periods_of_care(episodes(unknown))["short_break"].to_list() == [False]
