"""Decisions of reviews tracked to completion, counted by hand on a tiny dataset in the 2024-25 year
(1 April 2024 to 31 March 2025)."""

from __future__ import annotations

from typing import Any

from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import all_kpis
from iroscope.rules.decisions import decision_overdue
from tests.metrics.helpers import YEAR, D, child, compute, dataset, episode


def decision(
    decision_id: str, due: Any, status: str | None = None, marked: Any = None, child_id: str = "A"
) -> dict[str, Any]:
    return {
        "decision_id": decision_id,
        "child_id": child_id,
        "review_date": D(2024, 4, 10) if due >= D(2024, 4, 10) else D(2024, 1, 10),
        "decision": "Arrange a dentist appointment",
        "responsible": "SOCIAL_WORKER",
        "due_date": due,
        "status": status,
        "status_date": marked,
        "iro_id": "I1",
    }


DECISIONS = [
    decision("D1", D(2024, 6, 1), "DONE", D(2024, 5, 20)),  # done before its date: counted
    decision("D2", D(2024, 7, 1), "DONE", D(2024, 7, 5)),  # done 4 days late: not counted
    decision("D3", D(2024, 8, 1), "NOT_DONE", D(2024, 8, 2)),  # not done
    decision("D4", D(2024, 9, 1), "NO_LONGER_NEEDED", D(2024, 8, 15)),  # left out of the base
    decision("D5", D(2025, 1, 10)),  # open past its date on 31 March 2025
    decision("D6", D(2025, 3, 31)),  # due on the last day: in the base, not yet past its date
    decision("D7", D(2025, 5, 1)),  # due next year: in neither figure
    decision("D8", D(2024, 3, 1), "DONE", D(2025, 4, 10)),  # due last year, done after this year's end
    decision("D9", D(2025, 2, 1), "NO_LONGER_NEEDED", D(2025, 4, 5)),  # marked only after the end
    # B left care on 28 February 2025 with a decision still open: no longer the IRO's to chase.
    decision("B1", D(2025, 1, 20), child_id="B"),
]
# A in care throughout; B from January 2024 until 28 February 2025.
CHILDREN: dict[str, Any] = {
    "children": [child("A"), child("B")],
    "episodes": [
        episode("A", D(2024, 1, 1)),
        episode("B", D(2024, 1, 1), end=D(2025, 2, 28), reason_ceased="E11"),
    ],
}


def test_decisions_done_by_their_date_leave_out_those_no_longer_needed() -> None:
    figure = compute("decisions_done_by_their_date", dataset(review_decisions=DECISIONS, **CHILDREN))
    # Due in the year: D1, D2, D3, D4, D5, D6, D9 and B1; D4 was no longer needed by then, so 7 in the base.
    # Done on or before the date due: D1 only. 1 of 7 = 14.3%.
    assert (figure.numerator, figure.denominator, figure.value) == (1, 7, 14.3)


def test_decisions_open_past_their_date_at_the_year_end_count_those_marked_only_after_it() -> None:
    data = dataset(review_decisions=DECISIONS, **CHILDREN)
    figure = compute("decisions_open_past_date", data)
    # D5 (due 10 January), D8 (due March 2024, done only in April 2025), D9 (marked in April 2025); not B1,
    # whose child had left care by 31 March 2025.
    assert figure.value == 3
    records = all_kpis()["decisions_open_past_date"].records
    assert records is not None
    assert records(MetricContext(data, Period.collection_year(YEAR)))["decision_id"].to_list() == ["D8", "D5", "D9"]


def test_a_year_with_no_decisions_recorded_has_nothing_to_divide_by() -> None:
    data = dataset(review_decisions=[])
    figure = compute("decisions_done_by_their_date", data)
    assert (figure.value, figure.numerator, figure.denominator) == (None, 0, 0)
    assert compute("decisions_open_past_date", data).value == 0


def test_a_decision_is_overdue_only_once_its_due_day_has_passed_while_it_is_open() -> None:
    assert not decision_overdue(status=None, due_date=D(2025, 3, 31), as_at=D(2025, 3, 31))
    assert decision_overdue(status=None, due_date=D(2025, 3, 30), as_at=D(2025, 3, 31))
    assert not decision_overdue(status="NOT_DONE", due_date=D(2025, 3, 1), as_at=D(2025, 3, 31))


def test_the_decisions_overdue_list_names_the_allocated_iro_and_counts_days_past_the_due_date() -> None:
    from iroscope.metrics.worklists import compute_worklist

    data = dataset(
        review_decisions=DECISIONS,
        **CHILDREN,
        iro_allocations=[{"child_id": "A", "iro_id": "I2", "start_date": D(2024, 1, 1)}],
        iro_staff=[{"iro_id": "I2", "name": "Sam Patel"}],
    )
    rows = compute_worklist("decisions_overdue", data, D(2025, 3, 31))
    # Open and past their date on 31 March 2025: D5 only (due 10 January: 21 + 28 + 31 = 80 days). D6 is due
    # that very day, so not yet overdue; D7 is due in May. D8 and D9 are stored as marked, so not open. B1 is
    # open and past its date, but B left care on 28 February.
    assert rows.select("decision_id", "iro_id", "iro_name", "days_overdue").rows() == [("D5", "I2", "Sam Patel", 80)]
