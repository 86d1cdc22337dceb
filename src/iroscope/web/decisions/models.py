"""Which practice alert or dispute was raised about a decision of a review, from the decision itself.

The dataset's tables have no column for it (an alert or a dispute can be about many things), so the
workspace keeps the link here, written in the same transaction as the alert or dispute it names
(docs/decisions/0020-decisions-of-the-review.md)."""

from __future__ import annotations

from django.db import models


class ChallengeKind(models.TextChoices):
    PRACTICE_ALERT = "practice_alert", "Practice alert"
    DISPUTE = "dispute", "Dispute"


class DecisionChallenge(models.Model):
    decision_id = models.CharField(max_length=50, db_index=True)
    kind = models.CharField(max_length=20, choices=ChallengeKind.choices)
    challenge_id = models.CharField(max_length=50)
    raised_date = models.DateField()

    class Meta:
        ordering = ("raised_date", "id")
        constraints = (models.UniqueConstraint(fields=("kind", "challenge_id"), name="one_decision_per_challenge"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.challenge_id} about decision {self.decision_id}"
