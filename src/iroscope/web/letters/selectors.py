"""What the letter page reads: the review, its decisions, the next review, the chair's name and the
authority's name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iroscope.data.dataset import Dataset
from iroscope.rules.letters import LetterDecision
from iroscope.web.records.models import DATASET_MODELS

UNNAMED_AUTHORITY = "The local authority"


def review_held(*, child_id: str, review_date: dt.date) -> bool:
    return any(
        DATASET_MODELS[table]._default_manager.filter(child_id=child_id, review_date=review_date).exists()
        for table in ("reviews", "review_details")
    )


def review_decisions(*, child_id: str, review_date: dt.date) -> tuple[LetterDecision, ...]:
    """The review's decisions, soonest due first, as recorded (open or not: the letter tells the child
    what was decided)."""
    rows = (
        DATASET_MODELS["review_decisions"]
        ._default_manager.filter(child_id=child_id, review_date=review_date)
        .order_by("due_date", "decision_id")
        .values_list("decision", "responsible", "due_date")
    )
    return tuple(LetterDecision(decision, responsible, due) for decision, responsible, due in rows)


@dataclass(frozen=True)
class NextReview:
    day: dt.date | None
    fixed: bool  # held or booked for that day, rather than due by it


def next_review_after(*, child_id: str, review_date: dt.date, due_date: dt.date | None) -> NextReview:
    """The review after this one: held already, or booked, on its day; otherwise due by `due_date` (the
    statutory schedule's next due date, as the child's page shows it) when that is after this review."""
    held = (
        DATASET_MODELS["reviews"]
        ._default_manager.filter(child_id=child_id, review_date__gt=review_date)
        .order_by("review_date")
        .values_list("review_date", flat=True)
        .first()
    )
    if held is not None:
        return NextReview(held, fixed=True)
    booked = (
        DATASET_MODELS["scheduled_reviews"]
        ._default_manager.filter(child_id=child_id, scheduled_date__gt=review_date)
        .order_by("scheduled_date")
        .values_list("scheduled_date", flat=True)
        .first()
    )
    if booked is not None:
        return NextReview(booked, fixed=True)
    if due_date is not None and due_date > review_date:
        return NextReview(due_date, fixed=False)
    return NextReview(None, fixed=False)


def iro_name(*, iro_id: str | None) -> str | None:
    if iro_id is None:
        return None
    name: str | None = (
        DATASET_MODELS["iro_staff"]._default_manager.filter(iro_id=iro_id).values_list("name", flat=True).first()
    )
    return name


def review_chair(*, child_id: str, review_date: dt.date) -> str | None:
    chair: str | None = (
        DATASET_MODELS["review_details"]
        ._default_manager.filter(child_id=child_id, review_date=review_date)
        .values_list("iro_id", flat=True)
        .first()
    )
    return chair


def authority_name(dataset: Dataset) -> str:
    """The authority's name as the dataset knows it, or its code's name, or a neutral stand-in."""
    if dataset.authority_name:
        return dataset.authority_name
    if dataset.authority_code:
        from iroscope.data.geography import authority_names

        return authority_names().get(dataset.authority_code, dataset.authority_code)
    return UNNAMED_AUTHORITY
