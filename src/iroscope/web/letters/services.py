"""Writing, approving and sending the letter to the child after a review (docs/decisions/0022).

Who may: the IRO allocated to the child and IRO managers write, save and approve the letter (mark it
final); they and business support mark it sent. Everyone who may read the child's record may read it.
Every save is checked against the `version` the page was opened with, under the child's lock
(`iroscope.web.saving`), so a save over someone else's later save is refused and changes nothing; the
view shows the refusal above the letter as it was typed. Each change is audited with the row before
and after."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules.calendar import long_date
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_iro_id, user_roles
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.casework.recording import may_record
from iroscope.web.casework.selectors import ChildFacts
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import SaveInvalidError, SaveRefusedError, StaleSaveError, child_records_saved

AnyUser = AbstractBaseUser | AnonymousUser
TABLE = "review_letters"
LETTER_MAX_CHARACTERS = 20_000  # about eight pages: far more than any letter to a child needs
NEW = "new"  # the version of a letter not yet saved


class LetterRefusedError(SaveRefusedError):
    """The person may not do this to this child's letter."""


class LetterInvalidError(SaveInvalidError):
    """What was entered breaks a rule; `errors` maps each field to a message naming it."""


class LetterStaleError(StaleSaveError):
    MESSAGE = (
        "Someone else saved this letter after you opened it, so your changes have not been saved. Your letter "
        "is below as you typed it: copy anything you want to keep, then open the letter again to see theirs."
    )

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


def may_write_letter(*, user: AnyUser, facts: ChildFacts) -> bool:
    """Those who may record the review: IRO managers for any child, an IRO for the children allocated to them."""
    return may_record(user=user, facts=facts)


def may_mark_sent(*, user: AnyUser, facts: ChildFacts) -> bool:
    """Business support post the letters, so they may say one was sent, as may those who write them."""
    return may_write_letter(user=user, facts=facts) or Role.BUSINESS_SUPPORT in user_roles(user=user)


def _json_safe(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in row.items()}


def letter_stored(*, child_id: str, review_date: dt.date, lock: bool = False) -> dict[str, Any] | None:
    """The letter's row (its columns), or None when no letter has been saved for the review."""
    manager = DATASET_MODELS[TABLE]._default_manager
    rows = manager.select_for_update() if lock else manager.all()
    values = rows.filter(child_id=child_id, review_date=review_date).values(*TABLES_BY_NAME[TABLE].column_names)
    first = values.first()
    return None if first is None else dict(first)


def letter_version(row: dict[str, Any] | None) -> str:
    """A fingerprint of the letter as stored: it changes with every save."""
    if row is None:
        return NEW
    return hashlib.sha256(json.dumps(_json_safe(row), sort_keys=True).encode()).hexdigest()[:32]


def _locked_current(*, child_id: str, review_date: dt.date, version: str) -> dict[str, Any] | None:
    stored = letter_stored(child_id=child_id, review_date=review_date, lock=True)
    if letter_version(stored) != version:
        raise LetterStaleError()
    return stored


def letter_save(
    *,
    user: AnyUser,
    facts: ChildFacts,
    review_date: dt.date,
    version: str,
    letter: str,
    finalise: bool,
    today: dt.date,
) -> dict[str, Any]:
    """Save the letter as typed and, with `finalise`, approve it as final (dated today). A final letter
    is not changed again: it is what the child was, or will be, sent."""
    if not may_write_letter(user=user, facts=facts):
        raise LetterRefusedError("You cannot write this child's letter.")
    text = letter.replace("\r\n", "\n").strip()
    if not text:
        raise LetterInvalidError({"letter": "Enter the letter to the child"})
    if len(text) > LETTER_MAX_CHARACTERS:
        raise LetterInvalidError(
            {"letter": f"The letter to the child must be {LETTER_MAX_CHARACTERS:,} characters or fewer"}
        )
    child_id = facts.child_id
    with child_records_saved(child_ids=[child_id], refusal=LetterStaleError.MESSAGE):
        before = _locked_current(child_id=child_id, review_date=review_date, version=version)
        if before is not None and before["finalised_date"] is not None:
            raise LetterInvalidError(
                {
                    "letter": f"The letter to the child was made final on {long_date(before['finalised_date'])}: "
                    "it cannot be changed"
                }
            )
        values = {
            "letter": text,
            "finalised_date": today if finalise else None,
            "iro_id": user_iro_id(user=user) or (before or {}).get("iro_id") or facts.allocated_iro_id,
        }
        model = DATASET_MODELS[TABLE]._default_manager
        if before is None:
            model.create(child_id=child_id, review_date=review_date, **values)
        else:
            model.filter(child_id=child_id, review_date=review_date).update(**values)
        after = letter_stored(child_id=child_id, review_date=review_date)
        audit_record(
            user=user,
            action=Action.CREATE if before is None else Action.UPDATE,
            child_id=child_id,
            table=TABLE,
            subject="the letter to the child",
            before=_json_safe(before),
            after=_json_safe(after),
        )
    assert after is not None
    return after


def letter_sent_record(
    *, user: AnyUser, facts: ChildFacts, review_date: dt.date, version: str, sent_date: dt.date, today: dt.date
) -> dict[str, Any]:
    """Record the day a final letter was sent: not before the review, not in the future."""
    if not may_mark_sent(user=user, facts=facts):
        raise LetterRefusedError("You cannot record that this child's letter was sent.")
    errors: dict[str, str] = {}
    if sent_date > today:
        errors["sent_date"] = "Date sent must be today or in the past"
    elif sent_date < review_date:
        errors["sent_date"] = f"Date sent must be on or after the date of the review, {long_date(review_date)}"
    if errors:
        raise LetterInvalidError(errors)
    child_id = facts.child_id
    with child_records_saved(child_ids=[child_id], refusal=LetterStaleError.MESSAGE):
        before = _locked_current(child_id=child_id, review_date=review_date, version=version)
        if before is None or before["finalised_date"] is None:
            raise LetterInvalidError({"sent_date": "The letter must be made final before it is sent"})
        if sent_date < before["finalised_date"]:
            raise LetterInvalidError(
                {
                    "sent_date": "Date sent must be on or after the day the letter was made final, "
                    f"{long_date(before['finalised_date'])}"
                }
            )
        return _updated(user=user, before=before, subject="the letter to the child", sent_date=sent_date)


def letter_reopen(*, user: AnyUser, facts: ChildFacts, review_date: dt.date, version: str) -> dict[str, Any]:
    """Take a final letter back to a draft to correct it, while it has not been sent: once sent, the
    letter stays as the child received it."""
    if not may_write_letter(user=user, facts=facts):
        raise LetterRefusedError("You cannot change this child's letter.")
    child_id = facts.child_id
    with child_records_saved(child_ids=[child_id], refusal=LetterStaleError.MESSAGE):
        before = _locked_current(child_id=child_id, review_date=review_date, version=version)
        if before is None or before["finalised_date"] is None:
            raise LetterInvalidError({"letter": "The letter is not final, so there is nothing to reopen"})
        if before["sent_date"] is not None:
            raise LetterInvalidError(
                {
                    "letter": f"The letter was sent on {long_date(before['sent_date'])}: it stays as the child "
                    "received it. Write to the child again if something in it needs correcting"
                }
            )
        return _updated(
            user=user, before=before, subject="the letter to the child, reopened to correct it", finalised_date=None
        )


def _updated(*, user: AnyUser, before: dict[str, Any], subject: str, **values: Any) -> dict[str, Any]:
    """Change the stored letter `before` (read under the child's lock) and audit it, before and after."""
    child_id, review_date = before["child_id"], before["review_date"]
    DATASET_MODELS[TABLE]._default_manager.filter(child_id=child_id, review_date=review_date).update(**values)
    after = letter_stored(child_id=child_id, review_date=review_date)
    assert after is not None
    audit_record(
        user=user,
        action=Action.UPDATE,
        child_id=child_id,
        table=TABLE,
        subject=subject,
        before=_json_safe(before),
        after=_json_safe(after),
    )
    return after
