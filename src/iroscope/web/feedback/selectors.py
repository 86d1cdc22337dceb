"""Reads for feedback by link: a child's requests and their state, the authority's name for the public
page, and the comments a manager may publish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from iroscope.rules import codes
from iroscope.web.feedback.models import FeedbackRequest
from iroscope.web.records.models import DATASET_MODELS, DatasetInfo

WAITING, ANSWERED, EXPIRED = "Waiting for an answer", "Answered", "Expired"


@dataclass(frozen=True)
class RequestShown:
    recipient: str
    review_date: dt.date
    created_on: dt.date
    created_by: str
    expires_on: dt.date
    state: str


def requests_for_child(*, child_id: str) -> list[RequestShown]:
    """The child's requests, newest first, with their state; never their token (only its hash is kept)."""
    now = timezone.now()
    labels = codes.FEEDBACK_FROM.labels()
    shown = []
    for request in FeedbackRequest.objects.filter(child_id=child_id):
        state = ANSWERED if request.used_at else EXPIRED if request.expires_at <= now else WAITING
        shown.append(
            RequestShown(
                recipient=labels.get(request.recipient, request.recipient),
                review_date=request.review_date,
                created_on=timezone.localdate(request.created_at),
                created_by=request.created_by_name,
                expires_on=timezone.localdate(request.expires_at),
                state=state,
            )
        )
    return shown


def reviews_held(*, child_id: str) -> list[dt.date]:
    rows = DATASET_MODELS["reviews"]._default_manager.filter(child_id=child_id)
    return sorted(rows.values_list("review_date", flat=True), reverse=True)


def authority_name() -> str | None:
    """The authority's name, the one thing the public page says about where it comes from."""
    name: str | None = DatasetInfo.objects.values_list("authority_name", flat=True).first()
    return name


@dataclass(frozen=True)
class CommentShown:
    feedback_id: str
    feedback_date: dt.date
    respondent: str
    comment: str
    published: bool


def comments_received() -> list[CommentShown]:
    """Every comment written in feedback, newest first. The feedback table names no child, so neither
    does this list."""
    labels = codes.FEEDBACK_FROM.labels()
    rows: Any = (
        DATASET_MODELS["feedback"]
        ._default_manager.exclude(comment__isnull=True)
        .exclude(comment="")
        .order_by("-feedback_date", "feedback_id")
    )
    return [
        CommentShown(
            feedback_id=row.feedback_id,
            feedback_date=row.feedback_date,
            respondent=labels.get(row.respondent, row.respondent),
            comment=row.comment,
            published=row.publish_comment == "Y",
        )
        for row in rows
    ]
