"""What every casework record shares: who may record for a child, the checks on dates and
participation, reading and writing the dataset's rows, and storing a new row with its audit entry.

Each recording service (reviews, bookings, consultation forms, the IRO's work between reviews, feedback
on practice) checks who may record (the IRO allocated to the child, or an IRO manager; business support
only the decisions and record-distributed dates of a review already held, and bookings), checks the
dates against the child's periods of care, writes the dataset's rows in one transaction and calls
`audit_record` with the values before and after. Nothing here works out when a review is due: the
child's page asks the statutory engine again after each save.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_iro_id, user_roles
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.selectors import ChildFacts, child_facts
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import (
    ConcurrentSaveError,
    SaveInvalidError,
    SaveRefusedError,
    StaleSaveError,
    child_records_saved,
)

AnyUser = AbstractBaseUser | AnonymousUser


PN0_AGE_LIMIT = 4  # PN0: "child under 4 at the time of the review"


class RecordingRefusedError(SaveRefusedError):
    """The person may not record this for this child."""


class RecordingInvalidError(SaveInvalidError):
    """What was entered breaks a rule; `errors` maps each field to a message naming it."""


class StaleEditError(StaleSaveError):
    """Someone else saved the record after this form was opened."""

    MESSAGE = (
        "Someone else changed this review after you opened it. Your changes have not been saved. "
        "Check the review as it is now, then save your changes again."
    )

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


def recorded_meanwhile(what: str) -> str:
    """The refusal for a second save of the same new record: another person's, or the same person's
    second press of the button, reached the database first (see `iroscope.web.saving`)."""
    return (
        f"This {what} was recorded a moment ago, by someone else or by the button being pressed twice, "
        "so it has not been recorded again. Your entries are below: check the child's record before saving again."
    )


def age_on(*, date_of_birth: dt.date, day: dt.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def pn0_allowed(*, date_of_birth: dt.date, review_date: dt.date) -> bool:
    return age_on(date_of_birth=date_of_birth, day=review_date) < PN0_AGE_LIMIT


def child_attended(participation: str | None) -> bool | None:
    """Attendance is not entered separately: PN1–PN4 mean the child attended."""
    if participation is None:
        return None
    return participation in codes.ATTENDED


def may_record(*, user: AnyUser, facts: ChildFacts) -> bool:
    """IRO managers may record for any child; an IRO for the children allocated to them."""
    roles = user_roles(user=user)
    if Role.MANAGER in roles:
        return True
    return Role.IRO in roles and facts.allocated_iro_id is not None and user_iro_id(user=user) == facts.allocated_iro_id


def may_record_review_dates(*, user: AnyUser, facts: ChildFacts) -> bool:
    """Business support distribute records and decisions, so they may record those two dates too."""
    return may_record(user=user, facts=facts) or Role.BUSINESS_SUPPORT in user_roles(user=user)


def require(allowed: bool) -> None:
    if not allowed:
        raise RecordingRefusedError("You cannot record this for this child.")


def facts_for_recorder(
    *,
    user: AnyUser,
    child_id: str,
    today: dt.date,
    may: Callable[..., bool] = may_record,
    facts: ChildFacts | None = None,
) -> ChildFacts:
    """The child's facts, once `may` (by default: may record for this child) allows this person.

    `facts`, when given, are the ones the recording page read from the database for this request
    (`child_facts` without a snapshot, never a worker's copy) to refuse a person before the form: the
    person is checked against them again here, but they are not read a second time."""
    if facts is None:
        facts = child_facts(child_id=child_id, today=today)
    elif facts.child_id != child_id:
        raise ValueError(f"The facts given are another child's, not {child_id}'s")
    require(may(user=user, facts=facts))
    return facts


def recording_iro(*, user: AnyUser, facts: ChildFacts) -> str | None:
    """The IRO the record belongs to: the person themselves when an IRO, else the allocated IRO."""
    return user_iro_id(user=user) or facts.allocated_iro_id


def check_event_date(
    *,
    errors: dict[str, str],
    field: str,
    label: str,
    day: dt.date,
    facts: ChildFacts,
    today: dt.date,
    during_care: bool = True,
) -> None:
    """Not in the future, not before the child came into care and, unless `during_care` is False
    (feedback about the work around a child may be sent between periods of care), inside a period of care."""
    if day > today:
        errors[field] = f"{label} must be today or in the past"
    elif facts.first_in_care is None or day < facts.first_in_care:
        came = f", {long_date(facts.first_in_care)}" if facts.first_in_care else ""
        errors[field] = f"{label} must be on or after the day the child came into care{came}"
    elif during_care and not facts.looked_after_on(day):
        errors[field] = f"{label} must be during a period of care: the child was not looked after on {long_date(day)}"


def check_later_date(
    *, errors: dict[str, str], field: str, label: str, day: dt.date | None, held: dt.date, today: dt.date
) -> None:
    if day is None:
        return
    if day > today:
        errors[field] = f"{label} must be today or in the past"
    elif day < held:
        errors[field] = f"{label} must be on or after the date the review was held, {long_date(held)}"


def check_participation(*, errors: dict[str, str], participation: str, review_date: dt.date, facts: ChildFacts) -> None:
    if participation not in codes.PARTICIPATION:
        errors["participation"] = "Select how the child took part in the review"
    elif participation == "PN0" and not pn0_allowed(date_of_birth=facts.date_of_birth, review_date=review_date):
        age = age_on(date_of_birth=facts.date_of_birth, day=review_date)
        errors["participation"] = (
            f"Participation cannot be PN0 (child under 4): the child was {age} on {long_date(review_date)}"
        )


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise RecordingInvalidError(errors)


def json_safe(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in row.items()}


def stored_row(table: str, **key: Any) -> dict[str, Any] | None:
    """The row's columns (not where it came from, which the audit trail need not repeat)."""
    model = DATASET_MODELS[table]
    values = model._default_manager.filter(**key).values(*TABLES_BY_NAME[table].column_names).first()
    return None if values is None else dict(values)


def locked_row(table: str, **key: Any) -> dict[str, Any] | None:
    model = DATASET_MODELS[table]
    values = (
        model._default_manager.select_for_update().filter(**key).values(*TABLES_BY_NAME[table].column_names).first()
    )
    return None if values is None else dict(values)


def upsert(table: str, *, key: dict[str, Any], values: dict[str, Any]) -> None:
    model = DATASET_MODELS[table]
    model._default_manager.update_or_create(**key, defaults=values)


def write_locked(table: str, *, key: dict[str, Any], values: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """`upsert` for a row already read (and locked) in this transaction: `stored` says whether it
    exists, so it is not looked for again."""
    model = DATASET_MODELS[table]
    if stored is None:
        model._default_manager.create(**key, **values)
    else:
        model._default_manager.filter(**key).update(**values)


def yes_no_code(value: bool | None) -> str | None:
    return None if value is None else ("Y" if value else "N")


def version_of(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:32]


def create_audited(
    *,
    user: AnyUser,
    table: str,
    child_id: str,
    row: dict[str, Any],
    taken: Callable[[], bool] | None = None,
    refusal: str | None = None,
) -> dict[str, Any]:
    """Store a new row and its audit entry together, or neither. `taken`, asked again once the child's
    records are locked, says whether another save stored the same thing since it was checked: the save
    is then refused with `refusal`."""
    refusal = refusal or recorded_meanwhile("record")
    with child_records_saved(child_ids=[child_id], refusal=refusal):
        if taken is not None and taken():
            raise ConcurrentSaveError(refusal)
        DATASET_MODELS[table]._default_manager.create(**row)
        audit_record(user=user, action=Action.CREATE, child_id=child_id, table=table, before=None, after=json_safe(row))
    return row


def record_simple(
    *,
    user: AnyUser,
    table: str,
    child_id: str,
    key: dict[str, Any],
    date_field: str,
    date_label: str,
    values: dict[str, Any],
    errors: dict[str, str],
    facts: ChildFacts,
    duplicate: str,
    what: str,
    today: dt.date,
) -> dict[str, Any]:
    day = key[date_field]
    check_event_date(errors=errors, field=date_field, label=date_label, day=day, facts=facts, today=today)
    model = DATASET_MODELS[table]._default_manager

    def taken() -> bool:
        return bool(model.filter(child_id=child_id, **key).exists())

    if date_field not in errors and taken():
        errors[date_field] = duplicate
    raise_if(errors)
    row = {"child_id": child_id, **key, **values, "iro_id": recording_iro(user=user, facts=facts)}
    return create_audited(
        user=user, table=table, child_id=child_id, row=row, taken=taken, refusal=recorded_meanwhile(what)
    )


def new_id(*, table: str, column: str, prefix: str) -> str:
    """A short identifier nobody has to type: the prefix and eight random hexadecimal digits."""
    model = DATASET_MODELS[table]._default_manager
    while True:
        candidate = f"{prefix}-{secrets.token_hex(4).upper()}"
        if not model.filter(**{column: candidate}).exists():
            return candidate
