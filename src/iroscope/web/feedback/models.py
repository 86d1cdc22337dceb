"""Feedback requests: each a single-use link (and its QR code) to the public feedback form, and the
visits to that form that its throttle counts (docs/decisions/0023-feedback-by-link-and-qr-code.md).

A request knows the child and review it was made for, so that the child's record can list it; the
link itself never leads back to them, and the answer written to the `feedback` table names no child.
Only a SHA-256 hash of the link's token is stored: the token is shown once, when it is made."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from iroscope.rules import codes

RECIPIENT_CHOICES = list(codes.FEEDBACK_FROM.labels().items())


class FeedbackRequest(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    recipient = models.CharField(max_length=20, choices=RECIPIENT_CHOICES)
    iro_id = models.TextField(null=True)
    child_id = models.TextField(db_index=True)
    review_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.TextField()  # kept if the account is later removed
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "feedback_request"
        ordering = ("-created_at", "id")


class PublicFormVisit(models.Model):
    """One request to the public form, kept for a few minutes so that every worker counts the same
    visits. The address is stored only as a keyed hash."""

    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "feedback_public_form_visit"
        indexes = (models.Index(fields=["address_hash", "at"], name="feedback_visit_address_at"),)
