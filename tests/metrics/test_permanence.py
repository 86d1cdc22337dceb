"""Permanence plans on a hand-made 2024-25 (1 April 2024 to 31 March 2025), every child in care from
Tuesday 2 April 2024, first review on 1 May 2024 and second on 1 August 2024 unless said otherwise:

- NOPLAN: no plan at all. Second review in the year without a plan.
- SAMEDAY: adoption plan agreed on 1 August 2024, the day of the second review: in place by it.
- DAYLATE: long-term fostering agreed on 2 August 2024, a day after the second review; target
  1 February 2025, not achieved: past its target at the year end.
- ACHIEVED: return home agreed on 1 May 2024, target 1 December 2024, achieved 20 November 2024.
- ONEREVIEW: no plan, and only a first review: no second review yet, so in neither count.
- REPLACED: adoption agreed on 1 June 2024 (target 1 October 2024, never achieved), replaced on
  1 September 2024 by special guardianship with a target of 31 March 2025, the year's last day.

By their second review: SAMEDAY, ACHIEVED and REPLACED of the five with one, 3 of 5 (60%).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from iroscope.data.dataset import Dataset
from iroscope.metrics.worklists import NO_PLAN, PAST_TARGET, compute_worklist
from tests.metrics.helpers import D, child, compute, dataset, episode

CAME_INTO_CARE = D(2024, 4, 2)
FIRST, SECOND = D(2024, 5, 1), D(2024, 8, 1)
TWO_REVIEWS = ("NOPLAN", "SAMEDAY", "DAYLATE", "ACHIEVED", "REPLACED")


def plan(child_id: str, agreed: dt.date, plan_type: str, target: dt.date, achieved: dt.date | None = None) -> Any:
    return {
        "child_id": child_id,
        "plan_date": agreed,
        "plan_type": plan_type,
        "target_date": target,
        "achieved_date": achieved,
    }


def year(*extra_plans: dict[str, Any]) -> Dataset:
    ids = (*TWO_REVIEWS, "ONEREVIEW")
    reviews = [{"child_id": c, "review_date": FIRST, "participation": "PN1"} for c in ids]
    reviews += [{"child_id": c, "review_date": SECOND, "participation": "PN1"} for c in TWO_REVIEWS]
    return dataset(
        children=[child(c) for c in ids],
        episodes=[episode(c, CAME_INTO_CARE) for c in ids],
        reviews=reviews,
        permanence_plans=[
            plan("SAMEDAY", SECOND, "ADOPTION", D(2025, 8, 1)),
            plan("DAYLATE", D(2024, 8, 2), "LONG_TERM_FOSTERING", D(2025, 2, 1)),
            plan("ACHIEVED", FIRST, "RETURN_HOME", D(2024, 12, 1), achieved=D(2024, 11, 20)),
            plan("REPLACED", D(2024, 6, 1), "ADOPTION", D(2024, 10, 1)),
            plan("REPLACED", D(2024, 9, 1), "SPECIAL_GUARDIANSHIP", D(2025, 3, 31)),
            *extra_plans,
        ],
    )


def test_children_with_a_plan_by_their_second_review_count_a_plan_agreed_on_the_day_itself() -> None:
    figure = compute("children_with_permanence_plan_by_second_review", year())
    assert (figure.numerator, figure.denominator, figure.value) == (3, 5, 60.0)


def test_a_plan_from_an_earlier_period_of_care_does_not_count_for_the_next() -> None:
    # Left care on 1 May 2024 with an adoption plan agreed then; back on 1 June 2024, reviews on
    # 28 June and 28 September 2024 (the second), and no plan in the new period.
    returned = dataset(
        children=[child("BACK")],
        episodes=[
            episode("BACK", CAME_INTO_CARE, end=D(2024, 5, 1), reason_ceased="E11"),
            episode("BACK", D(2024, 6, 1)),
        ],
        reviews=[
            {"child_id": "BACK", "review_date": day, "participation": "PN1"}
            for day in (D(2024, 4, 20), D(2024, 6, 28), D(2024, 9, 28))
        ],
        permanence_plans=[plan("BACK", D(2024, 5, 1), "ADOPTION", D(2025, 1, 1))],
    )
    figure = compute("children_with_permanence_plan_by_second_review", returned)
    assert (figure.numerator, figure.denominator) == (0, 1)


def test_plans_past_their_target_at_the_year_end_include_one_due_on_its_last_day() -> None:
    # DAYLATE (1 February) and REPLACED's current plan (31 March, not achieved when the year ended);
    # REPLACED's first plan is past its target too, but it is no longer the current plan.
    figure = compute("permanence_plans_past_target", year())
    assert figure.value == 2


def test_plans_at_the_year_end_are_broken_down_by_the_type_of_each_childs_current_plan() -> None:
    figure = compute("permanence_plans_by_type", year())
    assert figure.value == 4
    assert {name: n for name, n in (figure.breakdown or {}).items() if n} == {
        "Adoption": 1,
        "Long-term fostering": 1,
        "Return home to parents": 1,
        "Special guardianship order": 1,
    }


def test_the_tracker_lists_children_without_a_plan_since_their_second_review_and_plans_past_target() -> None:
    rows = compute_worklist("permanence_tracker", year(), D(2025, 3, 31))
    assert rows.select("child_id", "reason", "second_review_date", "plan_type", "target_date").rows() == [
        ("NOPLAN", NO_PLAN, SECOND, None, None),
        ("DAYLATE", PAST_TARGET, SECOND, "LONG_TERM_FOSTERING", D(2025, 2, 1)),
    ]
    # 1 February to 31 March 2025: 28 days of February and 30 of March.
    assert rows["days_past_target"].to_list() == [None, 58]


def test_a_plan_is_past_its_target_on_the_tracker_only_once_the_target_day_has_ended() -> None:
    on_the_day = compute_worklist("permanence_tracker", year(), D(2025, 3, 31))
    day_after = compute_worklist("permanence_tracker", year(), D(2025, 4, 1))
    assert "REPLACED" not in on_the_day["child_id"].to_list()
    assert day_after.filter(child_id="REPLACED")["days_past_target"].to_list() == [1]


def test_a_plan_agreed_after_the_second_review_takes_the_child_off_the_list_of_those_without_one() -> None:
    # NOPLAN gets a plan on 3 March 2025: still not "by the second review", but no longer without one.
    with_plan = year(plan("NOPLAN", D(2025, 3, 3), "LONG_TERM_FOSTERING", D(2025, 9, 1)))
    rows = compute_worklist("permanence_tracker", with_plan, D(2025, 3, 31))
    assert "NOPLAN" not in rows["child_id"].to_list()
    figure = compute("children_with_permanence_plan_by_second_review", with_plan)
    assert (figure.numerator, figure.denominator) == (3, 5)
