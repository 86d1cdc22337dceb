"""What the service learned about its own quality: what audits found, and feedback from children,
parents, carers and professionals collated from the feedback records."""

from __future__ import annotations

from iroscope.metrics.feedback import QUESTIONS, published_comments
from iroscope.metrics.oversight import GOOD_OR_BETTER
from iroscope.metrics.registry import Figure
from iroscope.report import words
from iroscope.report.figures import TOTAL, ReportFigures, Row
from iroscope.report.model import Block, Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection
from iroscope.report.suppression import NOT_SHOWN
from iroscope.rules import codes

BELOW_GOOD = ("REQUIRES_IMPROVEMENT", "INADEQUATE")


def audit_counts(figures: ReportFigures) -> tuple[int, int, int]:
    """Audits completed in the year: graded good or better, graded below good, and in all."""
    labels = codes.AUDIT_GRADE.labels()
    grades = figures.figure("audit_grades").breakdown or {}
    good = int(sum(grades.get(labels[code], 0) for code in GOOD_OR_BETTER))
    below = int(sum(grades.get(labels[code], 0) for code in BELOW_GOOD))
    return good, below, int(figures.figure("audit_grades").value or 0)


def share_of(figures: ReportFigures, numerator: int, denominator: int, *, of_the: str, outcome: str) -> str:
    """A share worked out here from a breakdown, written as `ReportFigures.share` writes a KPI's."""
    if not denominator:
        return f"There were no {of_the}."
    if figures.suppress and words.rate_hidden(numerator, denominator):
        return f"How many of the {of_the} {outcome} is not shown, because fewer than 5 are involved."
    if numerator == 0:
        return f"None of the {denominator:,} {of_the} {outcome}."
    shown = words.percent(round(100 * numerator / denominator, 1))
    return f"{numerator:,} of the {denominator:,} {of_the} {outcome} ({shown})."


@subsection("quality")
def audit_findings(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    good, below, audits = audit_counts(figures)
    if not audits:
        return None
    text = (
        share_of(
            figures,
            below,
            audits,
            of_the=f"audits completed in {figures.label(figures.year)}",
            outcome="were graded requires improvement or inadequate",
        )
        + " "
        + share_of(figures, good, audits, of_the="audits", outcome="were graded good or outstanding")
    )
    return Section("audit_findings", "What audits found", (Paragraph(text),))


@subsection("quality")
def feedback(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    given = figures.figure("feedback_received")
    rated = figures.figure("feedback_rated_good")
    if not given.value:
        return Section(
            "feedback",
            "Feedback from children, parents, carers and professionals",
            (Paragraph(f"No feedback on the IRO service was recorded in {figures.label(figures.year)}."),),
        )
    by_label = given.breakdown or {}
    rows = []
    for code, label in codes.FEEDBACK_FROM.labels().items():
        if by_label.get(label):
            good = rated.details.get(f"good:{code}")
            rows.append(
                (
                    label,
                    words.count(by_label[label], suppress=figures.suppress),
                    figures.rate_cell(good, by_label[label]),
                )
            )
    rows.append(
        (
            TOTAL,
            words.count(given.value, suppress=figures.suppress),
            figures.rate_cell(rated.numerator, rated.denominator),
        )
    )
    table = Table(
        f"Feedback on the IRO service, {figures.label(figures.year)}",
        ("Given by", "Feedback given", "Rated good or excellent"),
        tuple(rows),
        kpi_ids=("feedback_received", "feedback_rated_good"),
        note="Feedback is a rating from 1 (poor) to 5 (excellent); good or excellent is 4 or 5.",
    )
    text = (
        "Children, parents, carers and professionals are asked after reviews what they thought of the IRO "
        "service. "
        + figures.share(
            "feedback_rated_good",
            of_the="ratings given",
            outcome="rated the service good or excellent, 4 or 5 out of 5",
        )
    )
    trend = figures.trend_table(
        "Feedback by year",
        [
            Row("feedback_received", "Feedback given"),
            Row("feedback_rated_good", "Rated good or excellent", of_what="ratings"),
        ],
    )
    blocks: list[Block] = [Paragraph(text), table]
    answers = answers_table(figures)
    if answers is not None:
        blocks.append(answers)
    blocks.append(trend)
    blocks.extend(quotes(figures))
    return Section("feedback", "Feedback from children, parents, carers and professionals", tuple(blocks))


def answer_cell(figures: ReportFigures, yes: int, partly: int, no: int) -> str:
    """ "Yes 60.0% (3 of 5); partly 1; no 1". When small numbers are hidden, partly and no are joined
    whenever either is small, since the one shown would reveal the other."""
    answered = yes + partly + no
    if not answered:
        return "–"
    share = figures.rate_cell(yes, answered)
    if share == NOT_SHOWN:
        return NOT_SHOWN
    if figures.suppress and (words.is_small(partly) or words.is_small(no)):
        return f"Yes {share}; partly or no {answered - yes:,}"
    return f"Yes {share}; partly {partly:,}; no {no:,}"


def _answers(figure: Figure, who: str) -> tuple[int, int, int]:
    """Yes, partly and no, as this kind of person answered the question of `figure`."""
    yes, partly, no = (int(figure.details.get(f"{answer}:{who}") or 0) for answer in ("yes", "partly", "no"))
    return yes, partly, no


def answers_table(figures: ReportFigures) -> Table | None:
    """A row per question, a column per kind of person who answered any, and one for everyone."""
    asked = [(kpi_id, title, figures.figure(kpi_id)) for kpi_id, _, title, _ in QUESTIONS]
    if not any(figure.denominator for _, _, figure in asked):
        return None
    labels = codes.FEEDBACK_FROM.labels()

    who_answered = [who for who in labels if any(sum(_answers(figure, who)) for _, _, figure in asked)]
    rows = []
    for _, title, figure in asked:
        cells = [answer_cell(figures, *_answers(figure, who)) for who in who_answered]
        everyone = figures.rate_cell(figure.numerator, figure.denominator)
        rows.append((title, *cells, everyone))
    return Table(
        f"What people said about the review, {figures.label(figures.year)}",
        ("Question", *(labels[who] for who in who_answered), "Everyone who answered: yes"),
        tuple(rows),
        kpi_ids=tuple(kpi_id for kpi_id, _, _ in asked),
        note="Each person answered yes, partly or no. Feedback that left a question blank is not counted for it.",
        row_kpis=tuple(kpi_id for kpi_id, _, _ in asked),
    )


MOST_QUOTES = 6


def quotes(figures: ReportFigures) -> list[Paragraph]:
    """What people wrote, quoted only where a manager marked the comment for publication."""
    # The same words from two people are quoted once: a report repeating a line reads as padding.
    distinct = {quote.comment: quote for quote in published_comments(figures.context())}
    chosen = list(distinct.values())[-MOST_QUOTES:]
    if not chosen:
        return []
    return [
        Paragraph("In their own words (comments a manager has agreed may be published, as they were written):"),
        *(Paragraph(f"\u201c{quote.comment}\u201d – {quote.respondent.lower()}") for quote in chosen),
    ]
