"""Feedback on the IRO service from children, parents, carers and professionals: how many gave it, how
they rated it, and their answers to three questions (listened to, understood what was decided, could
take part). The feedback table names no child; a comment is quoted only once a manager has marked it
for publication (`published_comments`)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, all_kpis, breakdown, kpi, labelled_breakdown, rate
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


RATING_WORDS = {5: "5 Excellent", 4: "4 Good", 3: "3 OK", 2: "2 Poor", 1: "1 Very poor"}


@kpi(
    id="feedback_ratings",
    title="Feedback by rating given",
    definition="Feedback given during the period, by the rating it gave the IRO service from 5 (excellent) to "
    "1 (very poor).",
    unit=Unit.COUNT,
    section=SECTION,
)
def feedback_ratings(context: MetricContext) -> Figure:
    ratings = {str(rating): int(n) for rating, n in _feedback(context).group_by("rating").len().iter_rows()}
    counts = {word: ratings.get(str(rating), 0) for rating, word in RATING_WORDS.items()}
    return breakdown(counts, order=list(RATING_WORDS.values()))


# (KPI id, the question's column, title, what a Yes means, for the definition)
QUESTIONS = (
    ("feedback_listened_to", "listened_to", "Felt listened to", "felt listened to"),
    (
        "feedback_understood_decisions",
        "understood_decisions",
        "Understood what was decided",
        "understood what was decided",
    ),
    (
        "feedback_could_take_part",
        "could_take_part",
        "Could take part as they wanted",
        "could take part as they wanted to",
    ),
)


ANSWER_DETAILS_MEANING = (
    ", ".join(
        f"{answer.lower()}:{who}" for who in codes.FEEDBACK_FROM.labels() for answer in codes.FEEDBACK_ANSWER.labels()
    )
    + " count each answer (Yes, Partly, No) each kind of person gave; not_answered counts feedback that left "
    "the question blank (a paper form, say, that did not ask it)."
)


def _answers_figure(context: MetricContext, column: str) -> Figure:
    """Yes of all who answered the question, with Yes, Partly and No for each kind of person."""
    feedback = _feedback(context)
    answered = feedback.filter(pl.col(column).is_not_null())
    counts = {
        (str(who), str(answer)): int(n) for who, answer, n in answered.group_by("respondent", column).len().iter_rows()
    }
    details: dict[str, int | float | None] = {
        f"{answer.lower()}:{who}": counts.get((who, answer), 0)
        for who in codes.FEEDBACK_FROM.labels()
        for answer in codes.FEEDBACK_ANSWER.labels()
    }
    details["not_answered"] = feedback.height - answered.height
    yes = answered.filter(pl.col(column) == "YES").height
    return rate(yes, answered.height).with_details(details)


def _register_question(kpi_id: str, column: str, title: str, meaning: str) -> None:
    @kpi(
        id=kpi_id,
        title=title,
        definition=f"Feedback given during the period by someone who said Yes, they {meaning}, of all feedback "
        "during the period that answered the question (Yes, Partly or No).",
        details_meaning=ANSWER_DETAILS_MEANING,
        unit=Unit.PERCENT,
        section=SECTION,
    )
    def compute(context: MetricContext) -> Figure:
        return _answers_figure(context, column)


for _kpi_id, _column, _title, _meaning in QUESTIONS:
    _register_question(_kpi_id, _column, _title, _meaning)


@dataclass(frozen=True)
class Quote:
    respondent: str
    comment: str


def published_comments(context: MetricContext) -> list[Quote]:
    """Comments given during the period that a manager has marked for publication, oldest first: the
    only free text the report may quote. Not a figure, so not a KPI."""
    labels = codes.FEEDBACK_FROM.labels()
    chosen = (
        _feedback(context)
        .filter((pl.col("publish_comment") == "Y") & pl.col("comment").is_not_null())
        .sort("feedback_date", "feedback_id")
    )
    return [
        Quote(labels.get(str(row["respondent"]), str(row["respondent"])), str(row["comment"]))
        for row in chosen.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class FeedbackBy:
    """One kind of person's feedback in a period, read from the registered figures: how many gave it,
    how many rated the service 4 or 5, and (yes, partly, no) to each question by its KPI id."""

    respondent: str
    given: int
    rated_good: int
    answers: dict[str, tuple[int, int, int]]


def feedback_collated(context: MetricContext) -> list[FeedbackBy]:
    """Feedback by who gave it, for the kinds of person who gave any: what the dashboard shows."""
    kpis = all_kpis()
    received = kpis["feedback_received"].compute(context).breakdown or {}
    rated = kpis["feedback_rated_good"].compute(context).details
    asked = {kpi_id: kpis[kpi_id].compute(context).details for kpi_id, _, _, _ in QUESTIONS}
    collated = []
    for code, label in codes.FEEDBACK_FROM.labels().items():
        given = int(received.get(label, 0))
        if not given:
            continue
        answers = {
            kpi_id: (
                int(details.get(f"yes:{code}") or 0),
                int(details.get(f"partly:{code}") or 0),
                int(details.get(f"no:{code}") or 0),
            )
            for kpi_id, details in asked.items()
        }
        collated.append(FeedbackBy(label, given, int(rated.get(f"good:{code}") or 0), answers))
    return collated
