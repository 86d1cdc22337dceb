"""Participation beyond the SSDA903 codes, as the seed reports count it: why children did not attend
their review, children who chaired their own, and parents and carers taking part."""

from __future__ import annotations

from iroscope.report import words
from iroscope.report.figures import ReportFigures, Row
from iroscope.report.model import Block, Paragraph, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection


def _not_recorded(figures: ReportFigures, kpi_id: str) -> str:
    missing = int(figures.figure(kpi_id).details.get("not_recorded") or 0)
    if not missing:
        return ""
    return f" For {words.plural(missing, 'review')} this was not recorded; they are left out."


@subsection("participation")
def why_children_did_not_attend(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    absent = figures.figure("non_attendance_reasons")
    if not absent.value:
        return None
    text = (
        f"The child was not at the meeting for {words.count(absent.value, suppress=figures.suppress)} of the reviews "
        f"held in {figures.label(figures.year)}. A child under 4 is not expected to attend; for older children the "
        "IRO records why they did not. A child who did not attend may still have given their views another way."
    )
    blocks: list[Block] = [
        Paragraph(text),
        figures.breakdown_table("non_attendance_reasons", "Why children did not attend their review", category="Why"),
    ]
    return Section("non_attendance", "Why children did not attend", tuple(blocks))


@subsection("participation")
def chairing_and_families(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    kpi_ids = ("child_chaired_reviews", "parents_participated", "carers_participated")
    if not any(figures.figure(kpi_id).denominator for kpi_id in kpi_ids):
        return None
    chaired = figures.share(
        "child_chaired_reviews",
        of_the="reviews of children aged 4 or over where it was recorded",
        outcome="were chaired or co-chaired by the child",
    )
    parents = figures.share(
        "parents_participated", of_the="reviews where it was recorded", outcome="had a parent take part"
    )
    carers = figures.share(
        "carers_participated", of_the="reviews where it was recorded", outcome="had the child's carer take part"
    )
    text = (
        "Some young people chair their own review, with the IRO's support. "
        + chaired
        + _not_recorded(figures, "child_chaired_reviews")
        + " Parents and carers take part by attending or by giving their views beforehand. "
        + parents
        + " "
        + carers
        + _not_recorded(figures, "parents_participated")
    )
    table = figures.trend_table(
        "Children chairing their reviews, and parents and carers taking part",
        [
            Row("child_chaired_reviews", "Reviews chaired or co-chaired by the child", of_what="reviews"),
            Row("parents_participated", "Reviews a parent took part in", of_what="reviews"),
            Row("carers_participated", "Reviews the child's carer took part in", of_what="reviews"),
        ],
    )
    return Section(
        "chairing_and_families", "Children chairing their reviews, and their families", (Paragraph(text), table)
    )
