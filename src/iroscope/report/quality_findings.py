"""What the service learned about its own quality: what audits found, and feedback from children,
parents, carers and professionals collated from the feedback records."""

from __future__ import annotations

from iroscope.metrics.oversight import GOOD_OR_BETTER
from iroscope.report import words
from iroscope.report.figures import TOTAL, ReportFigures, Row
from iroscope.report.model import Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection
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
    return Section(
        "feedback", "Feedback from children, parents, carers and professionals", (Paragraph(text), table, trend)
    )
