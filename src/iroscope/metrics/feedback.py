"""Feedback on the IRO service from children, parents, carers and professionals: how many gave it and
how they rated it. The feedback table holds ratings only (1 poor to 5 excellent), never free text, so
that no personal details are stored with it."""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, kpi, labelled_breakdown, rate
from iroscope.rules import codes

SECTION = "Quality assurance"
GOOD_RATING = 4  # 4 good, 5 excellent


def _feedback(context: MetricContext) -> pl.DataFrame:
    return context.in_period("feedback", "feedback_date")


@kpi(
    id="feedback_received",
    title="Feedback received, by who gave it",
    definition="Feedback on the IRO service given during the period by children and young people, parents, "
    "carers and professionals, by who gave it.",
    unit=Unit.COUNT,
    section=SECTION,
)
def feedback_received(context: MetricContext) -> Figure:
    return labelled_breakdown(_feedback(context), "respondent", codes.FEEDBACK_FROM)


@kpi(
    id="feedback_rated_good",
    title="Feedback rating the service good or excellent",
    definition="Feedback given during the period that rated the IRO service 4 or 5 on a scale from 1 (poor) to "
    "5 (excellent), of all feedback given during the period.",
    details_meaning="good:CHILD, good:PARENT, good:CARER and good:PROFESSIONAL count the ratings of 4 or 5 each "
    "kind of person gave; feedback_received's breakdown gives how many each gave in all.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def feedback_rated_good(context: MetricContext) -> Figure:
    feedback = _feedback(context)
    good = feedback.filter(pl.col("rating") >= GOOD_RATING)
    by_respondent = {str(who): int(n) for who, n in good.group_by("respondent").len().iter_rows()}
    details = {f"good:{code}": by_respondent.get(code, 0) for code in codes.FEEDBACK_FROM.labels()}
    return rate(good.height, feedback.height).with_details(details)
