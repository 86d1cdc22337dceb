"""Writes for feedback by link: making requests, taking an answer from the public form, and a
manager's choice to publish a comment. Each is one transaction; the workspace's ones are audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as Account
from django.db import transaction
from django.utils import timezone

from iroscope.rules import codes
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.feedback.models import FeedbackRequest
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.saving import ConcurrentSaveError, child_records_saved

User = AbstractBaseUser | AnonymousUser
FEEDBACK = DATASET_MODELS["feedback"]
REVIEWS = DATASET_MODELS["reviews"]

MOST_OF_EACH = 10
COMMENT_MOST_CHARACTERS = 1200

REQUESTS_MADE_MEANWHILE = (
    "Feedback requests were made for this child a moment ago, by someone else or by the button being pressed "
    "twice, after this page was opened, so these have not been made. Check the requests listed below before "
    "making more."
)


class FeedbackRequestInvalidError(ValueError):
    """What was asked for cannot be made; `errors` maps each field to a message for the person."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class LinkCannotBeUsedError(LookupError):
    """The link is unknown, used or expired: which of these is never said."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class MadeRequest:
    """A request just made, with its token: the only time the token exists outside the person's hands."""

    recipient: str
    token: str
    expires_at: dt.datetime


def child_requests_version(*, child_id: str) -> str:
    """A fingerprint of the child's requests as stored. The page that makes requests carries it, so a
    second press of its button (or two people on it at once) is refused rather than making twice."""
    ids = sorted(FeedbackRequest.objects.filter(child_id=child_id).values_list("id", flat=True))
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]


def feedback_requests_create(
    *,
    user: User,
    child_id: str,
    review_date: dt.date,
    iro_id: str | None,
    how_many: dict[str, int],
    link_days: int,
    version: str | None = None,
) -> list[MadeRequest]:
    """Make `how_many[recipient]` single-use links for each kind of person, for a review the child has
    had. Refuses (`FeedbackRequestInvalidError`) a review not held, none asked for, or too many."""
    errors: dict[str, str] = {}
    unknown = set(how_many) - set(codes.FEEDBACK_FROM.labels())
    if unknown:
        raise FeedbackRequestInvalidError({"__all__": "Choose who the feedback requests are for."})
    for recipient, count in how_many.items():
        if count < 0 or count > MOST_OF_EACH:
            errors[recipient.lower()] = f"Enter a number from 0 to {MOST_OF_EACH}"
    if not errors and not sum(how_many.values()):
        errors["child"] = "Enter how many feedback requests to make for at least one kind of person"
    if not REVIEWS._default_manager.filter(child_id=child_id, review_date=review_date).exists():
        errors["review_date"] = "Select a review the child has had"
    if errors:
        raise FeedbackRequestInvalidError(errors)
    now = timezone.now()
    expires = now + dt.timedelta(days=link_days)
    made: list[MadeRequest] = []
    with child_records_saved(child_ids=[child_id], refusal=REQUESTS_MADE_MEANWHILE):
        if version is not None and child_requests_version(child_id=child_id) != version:
            raise ConcurrentSaveError(REQUESTS_MADE_MEANWHILE)
        for recipient in codes.FEEDBACK_FROM.labels():
            for _ in range(how_many.get(recipient, 0)):
                token = secrets.token_urlsafe(32)
                FeedbackRequest.objects.create(
                    token_hash=token_hash(token),
                    recipient=recipient,
                    iro_id=iro_id,
                    child_id=child_id,
                    review_date=review_date,
                    created_by=user if isinstance(user, Account) else None,
                    created_by_name=user.get_username(),
                    created_at=now,
                    expires_at=expires,
                )
                made.append(MadeRequest(recipient=recipient, token=token, expires_at=expires))
        audit_record(
            user=user,
            action=Action.CREATE,
            child_id=child_id,
            table="feedback_request",
            subject="feedback requests",
            after={"review_date": review_date.isoformat(), **{k: v for k, v in how_many.items() if v}},
        )
    return made


def feedback_request_usable(*, token: str) -> FeedbackRequest:
    """The request this token opens, if it can still take an answer."""
    found = FeedbackRequest.objects.filter(
        token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if found is None:
        raise LinkCannotBeUsedError
    return found


@dataclass(frozen=True)
class FeedbackAnswers:
    listened_to: str
    understood_decisions: str
    could_take_part: str
    rating: int
    comment: str


def _new_feedback_id() -> str:
    while True:
        candidate = f"FB-{secrets.token_hex(5).upper()}"
        if not FEEDBACK._default_manager.filter(feedback_id=candidate).exists():
            return candidate


def feedback_respond(*, token: str, answers: FeedbackAnswers, on: dt.date) -> None:
    """Write the answer as one `feedback` row (naming no child) and mark the request used, together.
    The request is claimed by a conditional update, so of two sends of the same form only one writes."""
    now = timezone.now()
    with transaction.atomic(using="default"):
        request = FeedbackRequest.objects.filter(
            token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=now
        ).first()
        if request is None:
            raise LinkCannotBeUsedError
        claimed = FeedbackRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(used_at=now)
        if claimed != 1:
            raise LinkCannotBeUsedError
        FEEDBACK._default_manager.create(
            feedback_id=_new_feedback_id(),
            feedback_date=on,
            respondent=request.recipient,
            rating=answers.rating,
            iro_id=request.iro_id,
            listened_to=answers.listened_to,
            understood_decisions=answers.understood_decisions,
            could_take_part=answers.could_take_part,
            comment=answers.comment.strip() or None,
            publish_comment="N" if answers.comment.strip() else None,
            channel="LINK",
        )


def feedback_comment_publish(*, user: User, feedback_id: str, publish: bool) -> None:
    """Mark a comment for quoting in the report, or take that back. Audited with before and after."""
    with transaction.atomic(using="default"):
        row: Any = FEEDBACK._default_manager.select_for_update().filter(feedback_id=feedback_id).first()
        if row is None or not row.comment:
            raise LookupError(feedback_id)
        before = row.publish_comment
        after = "Y" if publish else "N"
        FEEDBACK._default_manager.filter(feedback_id=feedback_id).update(publish_comment=after)
        audit_record(
            user=user,
            action=Action.UPDATE,
            table="feedback",
            subject=f"the comment in feedback {feedback_id}",
            before={"feedback_id": feedback_id, "publish_comment": before},
            after={"feedback_id": feedback_id, "publish_comment": after},
        )
