"""Reads for the decisions of reviews: a child's decisions by review, for the child's page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules import codes
from iroscope.rules.decisions import decision_overdue
from iroscope.web.allocations.selectors import allocation_current_iro
from iroscope.web.decisions.models import DecisionChallenge
from iroscope.web.records.models import DATASET_MODELS


@dataclass(frozen=True)
class Challenge:
    kind: str
    challenge_id: str
    raised_date: dt.date


@dataclass(frozen=True)
class Decision:
    decision_id: str
    review_date: dt.date
    decision: str
    responsible: str
    due_date: dt.date
    status: str | None
    status_date: dt.date | None
    overdue: bool
    may_challenge: bool
    challenges: tuple[Challenge, ...] = ()

    @property
    def responsible_words(self) -> str:
        code_list = codes.DECISION_RESPONSIBLE
        return code_list.label(self.responsible) if self.responsible in code_list else self.responsible

    @property
    def status_words(self) -> str:
        if not self.status:
            return "Open"
        code_list = codes.DECISION_STATUS
        return code_list.label(self.status) if self.status in code_list else self.status


@dataclass(frozen=True)
class ReviewDecisions:
    review_date: dt.date
    decisions: list[Decision] = field(default_factory=list)


def _decision(row: dict[str, Any], *, today: dt.date, challenges: tuple[Challenge, ...]) -> Decision:
    overdue = decision_overdue(status=row["status"], due_date=row["due_date"], as_at=today)
    return Decision(
        decision_id=row["decision_id"],
        review_date=row["review_date"],
        decision=row["decision"],
        responsible=row["responsible"],
        due_date=row["due_date"],
        status=row["status"],
        status_date=row["status_date"],
        overdue=overdue,
        may_challenge=overdue or row["status"] == "NOT_DONE",
        challenges=challenges,
    )


def child_decisions(*, child_id: str, today: dt.date) -> list[ReviewDecisions]:
    """Each review held for the child, newest first, with its decisions: open ones first (soonest due
    first), then those marked, most recently marked first. Read from the database, not the page's
    snapshot, so a decision just saved shows at once."""
    columns = TABLES_BY_NAME["review_decisions"].column_names
    rows = [
        dict(row)
        for row in DATASET_MODELS["review_decisions"]._default_manager.filter(child_id=child_id).values(*columns)
    ]
    links: dict[str, list[Challenge]] = defaultdict(list)
    ids = [row["decision_id"] for row in rows]
    for link in DecisionChallenge.objects.filter(decision_id__in=ids):
        links[link.decision_id].append(Challenge(link.kind, link.challenge_id, link.raised_date))
    held: set[dt.date] = set()
    for table in ("reviews", "review_details"):
        held |= set(
            DATASET_MODELS[table]._default_manager.filter(child_id=child_id).values_list("review_date", flat=True)
        )
    by_review: dict[dt.date, list[Decision]] = defaultdict(list)
    for row in rows:
        by_review[row["review_date"]].append(
            _decision(row, today=today, challenges=tuple(links.get(row["decision_id"], ())))
        )

    def order(decision: Decision) -> tuple[Any, ...]:
        if decision.status is None:
            return (0, decision.due_date.toordinal(), decision.decision_id)
        marked = decision.status_date.toordinal() if decision.status_date else 0
        return (1, -marked, decision.decision_id)

    return [
        ReviewDecisions(review_date=day, decisions=sorted(by_review.get(day, []), key=order))
        for day in sorted(held | set(by_review), reverse=True)
    ]


def overdue_counts(*, child_ids: list[str], today: dt.date) -> dict[str, int]:
    """Open decisions past their due date, for each of these children that has any."""
    rows = DATASET_MODELS["review_decisions"]._default_manager.filter(
        child_id__in=child_ids, status__isnull=True, due_date__lt=today, review_date__lte=today
    )
    counts: dict[str, int] = defaultdict(int)
    for child_id in rows.values_list("child_id", flat=True):
        counts[str(child_id)] += 1
    return dict(counts)


def overdue_for_iro(*, iro_id: str, today: dt.date) -> int:
    """Open decisions past their due date of the children allocated to this IRO today, for the IRO's home
    page. Only the children with such a decision are checked for their IRO, by the one allocation rule."""
    counts = overdue_counts(child_ids=list(_children_with_overdue(today=today)), today=today)
    return sum(
        count for child_id, count in counts.items() if allocation_current_iro(child_id=child_id, on=today) == iro_id
    )


def _children_with_overdue(*, today: dt.date) -> set[str]:
    rows = DATASET_MODELS["review_decisions"]._default_manager.filter(
        status__isnull=True, due_date__lt=today, review_date__lte=today
    )
    return {str(child_id) for child_id in rows.values_list("child_id", flat=True).distinct()}
