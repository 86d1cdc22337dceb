"""The IRO team's continuity, as the seed reports describe it in words: who joined and left, IROs
with a second role, how many IROs each child has had, and whether brothers and sisters share one."""

from __future__ import annotations

from iroscope.report import words
from iroscope.report.figures import ReportFigures, Row
from iroscope.report.model import Block, Paragraph, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection


@subsection("service")
def staff_continuity(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    year = figures.label(figures.year)
    joined, left = figures.figure("iro_starters"), figures.figure("iro_leavers")
    fte = figures.figure("iro_fte")
    headcount, dual = int(fte.details.get("headcount") or 0), int(fte.details.get("dual_role") or 0)

    def people(number: int | float | None, noun: str = "IRO") -> str:
        shown = words.count(number, suppress=figures.suppress)
        return f"{shown} {noun}{'' if number == 1 else 's'}"

    text = (
        f"In {year}, {people(joined.value)} joined the service and {people(left.value)} left it "
        f"({left.details.get('fte') or 0:g} full-time equivalent). "
    )
    if dual:
        text += (
            f"Of the {people(headcount)} in post on {words.long_date(figures.context().period.end)}, "
            f"{words.count(dual, suppress=figures.suppress)} also chaired child protection conferences, so not "
            "all of their time was for children in care. "
        )
    text += _posts(figures)
    agency = figures.figure("agency_iros")
    if agency.denominator:
        text += (
            figures.share(
                "agency_iros",
                of_the="IROs in post at the year end whose employment is recorded",
                outcome="worked through an agency",
            )
            + " "
        )
    text += (
        "A child who keeps the same IRO does not have to tell their story again; the table counts, for each "
        "child in care at the year end, the IROs allocated to them since their current period of care began."
    )
    blocks: list[Block] = [
        Paragraph(text),
        figures.trend_table(
            "IROs joining and leaving",
            [
                Row("iro_starters", "IROs who joined the service"),
                Row("iro_leavers", "IROs who left the service"),
                Row("agency_iros", "IROs working through an agency at the year end", of_what="IROs"),
            ],
        ),
        figures.breakdown_table(
            "iros_per_child",
            "Children in care at the year end by how many IROs they have had",
            category="IROs since coming into care",
        ),
    ]
    return Section("continuity", "Staff continuity and the IROs a child has had", tuple(blocks))


@subsection("service")
def brothers_and_sisters(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    sharing = figures.figure("sibling_groups_sharing_iro")
    if not sharing.denominator and not figures.dataset["sibling_groups"].height:
        return None
    text = (
        "Brothers and sisters in care usually have the same IRO, so that one person knows the family and their "
        "reviews can be held together. "
        + figures.share(
            "sibling_groups_sharing_iro",
            of_the=f"groups of brothers and sisters with two or more children allocated to an IRO on "
            f"{words.long_date(figures.context().period.end)}",
            outcome="shared one IRO",
        )
    )
    table = figures.trend_table(
        "Brothers and sisters sharing an IRO",
        [Row("sibling_groups_sharing_iro", "Sibling groups who share one IRO", of_what="groups")],
    )
    return Section("siblings", "Brothers and sisters", (Paragraph(text), table))


def _posts(figures: ReportFigures) -> str:
    """Posts funded, filled, vacant and covered by agency IROs, when the service gives its establishment."""
    vacancies = figures.figure("iro_vacancies")
    if vacancies.value is None:
        return ""
    details = vacancies.details
    funded, filled, agency = (float(details.get(name) or 0) for name in ("funded", "filled", "agency_fte"))
    cover = f", {agency:g} of them by agency IROs" if agency else ""
    vacant = f"{vacancies.value:g} full-time equivalent vacant" if vacancies.value else "no post vacant"
    return (
        f"The service was funded for {funded:g} full-time IRO posts; on "
        f"{words.long_date(figures.context().period.end)}, {filled:g} full-time equivalent were filled{cover}, "
        f"leaving {vacant}. "
    )
