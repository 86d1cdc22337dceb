"""What the pages show about booked reviews: a child's booking still to be held, the statutory due
date beside it, consultation forms per review, and for the caseload each child's booked date.

These are reads only (writes go through `services`). The due date comes from the statutory engine by
way of the child's record, as everywhere else: nothing here works out when a review is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.next_review import reviews_booked
from iroscope.rules import codes
from iroscope.web.casework import booking_recording, recording
from iroscope.web.casework.selectors import REVIEW_DAYS, ChildNotFoundError, child_facts, child_record
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.selectors import DatasetSnapshot, NoDatasetError, dataset_from_database, dataset_snapshot

BOOKING_TABLES = frozenset({"scheduled_reviews", "reviews", "review_details"})


def next_review_due(*, child_id: str, today: dt.date, snapshot: DatasetSnapshot | None = None) -> dt.date | None:
    """The statutory due date of the child's next review, or None when none is due or it is unknown."""
    try:
        record = child_record(child_id=child_id, today=today, snapshot=snapshot)
    except (ChildNotFoundError, NoDatasetError):
        return None
    return record.next_review.due_date if record.next_review is not None else None


def _booked_by_child(dataset: Dataset) -> dict[str, dict[str, Any]]:
    return {row["child_id"]: row for row in reviews_booked(dataset).iter_rows(named=True)}


def booked_reviews(*, child_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each child's review booked and not yet held (`metrics.next_review.reviews_booked`); children with
    none are left out. For the caseload's "booked for"."""
    return _booked_by_child(dataset_from_database(tables=BOOKING_TABLES, child_ids=list(child_ids)))


def booked_review(*, child_id: str) -> dict[str, Any] | None:
    return booked_reviews(child_ids=[child_id]).get(child_id)


def _booked_review_shown(*, child_id: str, snapshot: DatasetSnapshot) -> dict[str, Any] | None:
    """`booked_review` for a page: from the bookings the worker holds, once it holds the whole tables."""
    if not snapshot.whole:
        return booked_review(child_id=child_id)
    # Kept by child, so a page looks its child up rather than sifting the authority's bookings.
    booked: dict[str, dict[str, Any]] = snapshot.by_child(
        "reviews booked", tables=BOOKING_TABLES, compute=_booked_by_child, child_ids=[child_id], reads=REVIEW_DAYS
    )
    return booked.get(child_id)


def consultation_forms(
    *, child_id: str, review_date: dt.date, snapshot: DatasetSnapshot | None = None
) -> list[dict[str, Any]]:
    """One entry per recipient on the code list, with their form's dates (None when none was sent).
    With a snapshot that holds the whole tables (a page), its forms; otherwise read afresh."""
    if snapshot is not None and snapshot.whole:
        forms = snapshot.dataset({"consultations"})["consultations"].filter(
            (pl.col("child_id") == child_id) & (pl.col("review_date") == review_date)
        )
        rows = forms.select("recipient", "sent_date", "returned_date").rows(named=True)
    else:
        rows = list(
            DATASET_MODELS["consultations"]
            ._default_manager.filter(child_id=child_id, review_date=review_date)
            .values("recipient", "sent_date", "returned_date")
        )
    stored = {row["recipient"]: row for row in rows}
    return [
        {
            "recipient": code.code,
            "label": code.label,
            "sent_date": stored.get(code.code, {}).get("sent_date"),
            "returned_date": stored.get(code.code, {}).get("returned_date"),
        }
        for code in codes.CONSULTATION_RECIPIENT.codes
    ]


@dataclass(frozen=True)
class ChildBookings:
    """The child page's panel about booking the next review."""

    may_book: bool
    due_date: dt.date | None
    booking: dict[str, Any] | None
    late_warning: str | None
    forms_returned: dict[str, int] = field(default_factory=dict)  # "sent" and "returned" for the booking


def child_bookings(
    *, user: recording.AnyUser, child_id: str, today: dt.date, snapshot: DatasetSnapshot | None = None
) -> ChildBookings:
    """With the page's snapshot, if given (or one of its own for the whole panel): what the worker
    already holds will do for showing the page; every write checks afresh."""
    try:
        snapshot = snapshot or dataset_snapshot()
        facts = child_facts(child_id=child_id, today=today, snapshot=snapshot)
    except (ChildNotFoundError, NoDatasetError):
        return ChildBookings(may_book=False, due_date=None, booking=None, late_warning=None)
    booking = _booked_review_shown(child_id=child_id, snapshot=snapshot)
    due = next_review_due(child_id=child_id, today=today, snapshot=snapshot)
    warning = (
        booking_recording.booking_late_warning(scheduled_date=booking["scheduled_date"], due_date=due)
        if booking
        else None
    )
    counts: dict[str, int] = {}
    if booking is not None:
        forms = consultation_forms(child_id=child_id, review_date=booking["scheduled_date"], snapshot=snapshot)
        counts = {
            "sent": sum(form["sent_date"] is not None for form in forms),
            "returned": sum(form["returned_date"] is not None for form in forms),
        }
    return ChildBookings(
        may_book=booking_recording.may_book(user=user, facts=facts),
        due_date=due,
        booking=booking,
        late_warning=warning,
        forms_returned=counts,
    )
