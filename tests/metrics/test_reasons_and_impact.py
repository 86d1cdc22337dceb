"""Why late reviews were late as the IRO recorded it, and what challenge achieved (decision 0021), on a
hand-made 2024-25."""

from __future__ import annotations

from iroscope.rules.practice import LateReason, LocalPractice
from tests.metrics.helpers import D, child, compute, dataset, episode

# L1 and L2 came into care on Tuesday 2 April 2024, so their first reviews were due 20 working days
# later: 3-5 April (3), 8-12 (8), 15-19 (13), 22-26 (18), 29 and 30 April (20): Tuesday 30 April 2024.
# L1: 7 May 2024, late, IRO unavailable; 1 August 2024, on time (due 3 months on, 7 August) with a
# reason that is not counted; 10 February 2025, late (due 6 months on, 1 February), no reason.
# L2: 1 May 2024, late, with a reason the settings below no longer have.
REVIEWS = [
    ("L1", D(2024, 5, 7), "IRO_UNAVAILABLE"),
    ("L1", D(2024, 8, 1), "FAMILY_REQUEST"),
    ("L1", D(2025, 2, 10), None),
    ("L2", D(2024, 5, 1), "VENUE_OR_WEATHER"),
]
SETTINGS = LocalPractice(
    late_reasons=(LateReason("IRO_UNAVAILABLE", "IRO unavailable"), LateReason("FAMILY_REQUEST", "Family asked"))
)


def test_late_reviews_are_counted_by_the_reason_recorded_and_on_time_ones_are_not() -> None:
    data = dataset(
        practice=SETTINGS,
        children=[child("L1"), child("L2")],
        episodes=[episode("L1", D(2024, 4, 2)), episode("L2", D(2024, 4, 2))],
        reviews=[{"child_id": c, "review_date": day, "participation": "PN1"} for c, day, _ in REVIEWS],
        review_details=[{"child_id": c, "review_date": day, "late_reason": why} for c, day, why in REVIEWS],
    )
    figure = compute("late_reviews_by_recorded_reason", data)
    assert figure.value == 3
    assert figure.breakdown == {
        "IRO unavailable": 1,
        "Family asked": 0,  # L1's 1 August review was on time
        "No reason recorded": 1,
        "VENUE_OR_WEATHER (no longer in the settings)": 1,
    }
    assert figure.details == {"due_date_known": 4, "due_date_unknown": 0}


def dispute(dispute_id: str, resolved: object, impact: str | None) -> dict[str, object]:
    return {
        "dispute_id": dispute_id,
        "child_id": "C1",
        "raised_date": D(2024, 4, 2),
        "category": "DRIFT_AND_DELAY",
        "outcome": None if resolved is None else "RESOLVED",
        "resolved_date": resolved,
        "impact": impact,
    }


def alert(alert_id: str, resolved: object, impact: str | None) -> dict[str, object]:
    return {
        "alert_id": alert_id,
        "raised_date": D(2024, 4, 2),
        "reasons": ["NO_PLAN"],
        "service": "FOSTERING",
        "child_id": "C1",
        "resolved_date": resolved,
        "impact": impact,
    }


def test_challenge_is_counted_by_what_it_achieved_in_the_year_it_closed() -> None:
    data = dataset(
        children=[child("C1")],
        episodes=[episode("C1", D(2024, 4, 1))],
        disputes=[
            dispute("D1", D(2024, 6, 1), "PLAN_CHANGED"),
            dispute("D2", D(2025, 3, 31), "PLAN_CHANGED"),  # the year's last day: counted
            dispute("D3", D(2025, 4, 1), "RESOURCE_FOUND"),  # closed the next year: not counted
            dispute("D4", None, None),  # still open: not counted
            dispute("D5", D(2024, 9, 9), None),  # imported with nothing recorded
        ],
        practice_alerts=[
            alert("A1", D(2024, 7, 1), "RESOURCE_FOUND"),
            alert("A2", D(2024, 8, 1), "PLAN_CHANGED"),
            alert("A3", None, None),
        ],
    )
    figure = compute("challenge_impact", data)
    assert figure.value == 5
    assert {what: n for what, n in (figure.breakdown or {}).items() if n} == {
        "The child's plan changed": 3,
        "A service or resource was found": 1,
        "Not recorded": 1,
    }
    assert figure.details == {"disputes": 3, "practice_alerts": 2}
