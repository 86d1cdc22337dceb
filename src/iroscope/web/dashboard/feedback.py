"""The dashboard's feedback table: each kind of person's feedback in the chosen period and scope, as the
metrics engine collates it (`metrics.feedback.feedback_collated`), in words for the page."""

from __future__ import annotations

from dataclasses import dataclass

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext
from iroscope.metrics.dashboard import for_iros
from iroscope.metrics.feedback import QUESTIONS, feedback_collated
from iroscope.web.dashboard.selectors import Choice, chosen_iros

QUESTION_TITLES = tuple(title for _, _, title, _ in QUESTIONS)


def share_text(part: int, whole: int) -> str:
    """ "3 of 5 (60.0%)"; a dash with nothing to divide."""
    if not whole:
        return "–"
    return f"{part:,} of {whole:,} ({100 * part / whole:.1f}%)"


def answers_text(yes: int, partly: int, no: int) -> str:
    if not yes + partly + no:
        return "Not asked"
    return f"Yes {share_text(yes, yes + partly + no)}; partly {partly:,}; no {no:,}"


@dataclass(frozen=True)
class FeedbackRow:
    respondent: str
    given: str
    rated_good: str
    answers: tuple[str, ...]


def feedback_rows(dataset: Dataset, choice: Choice) -> list[FeedbackRow]:
    iros = chosen_iros(dataset, choice)
    data = dataset if iros is None else for_iros(dataset, iro_ids=iros, period=choice.period)
    return [
        FeedbackRow(
            respondent=row.respondent,
            given=f"{row.given:,}",
            rated_good=share_text(row.rated_good, row.given),
            answers=tuple(answers_text(*row.answers[kpi_id]) for kpi_id, _, _, _ in QUESTIONS),
        )
        for row in feedback_collated(MetricContext(data, choice.period))
    ]
