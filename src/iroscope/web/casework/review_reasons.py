"""Why a review was late, why the child did not attend, and whether the child chaired it (decision 0021).

The review services call `review_reasons_checked` with what the form sent; it works out whether the
review was held after its statutory due date (asking the engine, as the child's page does) and
returns the three `review_details` values to store, or adds a message naming each field to correct:

- a late reason is needed only for a review held after its due date, and is stored only then (a
  reason sent for a review held on time is dropped, so the figures never count an on-time review as
  late); it is a code from the authority's practice settings, or the code already stored when the
  settings have since dropped it;
- a reason for not attending is needed only when participation is PN5, PN6 or PN7 (a child of 4 or
  over who did not attend) and is stored only then;
- whether the child chaired or co-chaired their review is optional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from iroscope.data.dataset import Dataset
from iroscope.metrics.next_review import next_reviews_at
from iroscope.rules import codes
from iroscope.rules.practice import LocalPractice
from iroscope.web.practice.selectors import practice_current
from iroscope.web.records.selectors import DatasetSnapshot, NoDatasetError, dataset_from_database

ONE_DAY = dt.timedelta(days=1)
DUE_DATE_TABLES = frozenset({"episodes", "reviews"})
DID_NOT_ATTEND = frozenset({"PN5", "PN6", "PN7"})  # aged 4 or over and did not attend (PN0 is under 4)
LATE_MESSAGE = "Select why the review was late"
NON_ATTENDANCE_MESSAGE = "Select why the child did not attend their review"
CHAIRED_MESSAGE = "Select yes or no"
NO_LONGER_IN_SETTINGS = "no longer in the settings"


@dataclass(frozen=True)
class ReviewReasons:
    """What the form sent about why the review was late, why the child did not attend, and chairing."""

    late_reason: str | None = None
    non_attendance_reason: str | None = None
    child_chaired: bool | None = None


def review_due_date(*, child_id: str, review_date: dt.date, snapshot: DatasetSnapshot | None = None) -> dt.date | None:
    """The statutory due date of the review held on `review_date`: the child's next review as it stood
    the day before, from the reviews held before it (later ones are not counted, so a review recorded
    between two others gets its own due date). None when the engine cannot tell (decision 0002), in
    a short-break period, or when no data is loaded. A form being shown may pass the worker's
    `snapshot` (once it holds the tables whole, nothing is read); a form sent is checked against the
    database."""

    def due_in(dataset: Dataset) -> dt.date | None:
        due = next_reviews_at(dataset=dataset, as_at=review_date - ONE_DAY)
        dates = [day for day in due.filter(due["child_id"] == child_id)["due_date"].to_list() if day is not None]
        return dates[0] if dates else None

    try:
        if snapshot is not None and snapshot.whole:
            return snapshot.result(
                ("review due date", child_id, review_date),
                tables=DUE_DATE_TABLES,
                child_id=child_id,
                compute=due_in,
            )
        return due_in(dataset_from_database(tables=DUE_DATE_TABLES, child_ids=[child_id]))
    except NoDatasetError:
        return None


def held_late(*, review_date: dt.date, due_date: dt.date | None) -> bool:
    """Held after its due date: a review held on the day it is due is on time."""
    return due_date is not None and review_date > due_date


def late_reason_label(code: str | None, *, practice: LocalPractice) -> str | None:
    """The reason's name in the settings, or the code with a note when the settings no longer have it
    (a reason removed after it was recorded stays readable)."""
    if code is None:
        return None
    names = {reason.code: reason.name for reason in practice.late_reasons}
    return names.get(code, f"{code} ({NO_LONGER_IN_SETTINGS})")


def late_reason_choices(*, practice: LocalPractice, stored: str | None = None) -> list[tuple[str, str]]:
    """The select's options: the settings' reasons, and the stored one too if the settings dropped it."""
    choices = [(reason.code, reason.name) for reason in practice.late_reasons]
    if stored and stored not in {code for code, _ in choices}:
        choices.append((stored, late_reason_label(stored, practice=practice) or stored))
    return choices


def review_reasons_checked(
    *,
    errors: dict[str, str],
    reasons: ReviewReasons,
    participation: str,
    review_date: dt.date,
    due_date: dt.date | None,
    practice: LocalPractice,
    stored_late_reason: str | None = None,
) -> dict[str, str | None]:
    """The `review_details` values for the three fields; a message in `errors` for each one to correct."""
    late_reason: str | None = None
    if held_late(review_date=review_date, due_date=due_date):
        allowed = {reason.code for reason in practice.late_reasons} | {stored_late_reason}
        if not reasons.late_reason or reasons.late_reason not in allowed:
            errors["late_reason"] = LATE_MESSAGE
        late_reason = reasons.late_reason
    non_attendance: str | None = None
    if participation in DID_NOT_ATTEND:
        if reasons.non_attendance_reason not in codes.NON_ATTENDANCE_REASON:
            errors["non_attendance_reason"] = NON_ATTENDANCE_MESSAGE
        non_attendance = reasons.non_attendance_reason
    chaired = None if reasons.child_chaired is None else ("Y" if reasons.child_chaired else "N")
    return {"late_reason": late_reason, "non_attendance_reason": non_attendance, "child_chaired": chaired}


def review_reasons_for(
    *,
    errors: dict[str, str],
    reasons: ReviewReasons,
    child_id: str,
    participation: str,
    review_date: dt.date,
    stored_late_reason: str | None = None,
) -> dict[str, str | None]:
    """`review_reasons_checked` against the review's due date and the practice settings in force."""
    return review_reasons_checked(
        errors=errors,
        reasons=reasons,
        participation=participation,
        review_date=review_date,
        due_date=review_due_date(child_id=child_id, review_date=review_date),
        practice=practice_current(),
        stored_late_reason=stored_late_reason,
    )


def review_reasons_shown(
    details: list[dict[str, Any]], *, practice: Callable[[], LocalPractice]
) -> list[dict[str, dt.date | str | None]]:
    """For the child's page: each review with a late reason, a reason for not attending or chairing
    recorded, in words (the reason's name in the settings, the code list's meaning, "Yes" or "No").
    `practice` is asked for only when a late reason is to be named, so a page without one reads no
    settings."""
    settings = practice() if any(row.get("late_reason") for row in details) else LocalPractice()
    shown: list[dict[str, dt.date | str | None]] = []
    for row in details:
        late, absent, chaired = row.get("late_reason"), row.get("non_attendance_reason"), row.get("child_chaired")
        if late is None and absent is None and chaired is None:
            continue
        shown.append(
            {
                "review_date": row["review_date"],
                "late_reason": late_reason_label(late, practice=settings),
                "non_attendance_reason": codes.NON_ATTENDANCE_REASON.label(absent) if absent else None,
                "child_chaired": {"Y": "Yes", "N": "No"}.get(chaired or ""),
            }
        )
    return shown
