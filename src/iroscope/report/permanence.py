"""Permanence plans, in the part of the report about care planning between reviews (the "oversight"
section): whether children had a plan for a permanent home by their second review, plans past their
target date at the year end, and the kinds of plan. Only a service that records permanence plans (the
`permanence_plans` table) has this part; any other report has no heading for it rather than a count
of none."""

from __future__ import annotations

from iroscope.report.figures import ReportFigures, Row
from iroscope.report.model import Block, Paragraph, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection
from iroscope.rules.calendar import long_date

BY_SECOND_REVIEW = "children_with_permanence_plan_by_second_review"
PAST_TARGET = "permanence_plans_past_target"
BY_TYPE = "permanence_plans_by_type"


def _past_target_sentence(figures: ReportFigures) -> str:
    past = int(figures.figure(PAST_TARGET).value or 0)
    year_end = long_date(figures.context().period.end)
    if past == 0:
        return f"No child in care on {year_end} had a permanence plan past its target date."
    plans = figures.how_many(past, "permanence plan")
    verb = "was" if past == 1 and not figures.suppress else "were"
    return (
        f"On {year_end}, {plans} of children in care {verb} past {'its' if verb == 'was' else 'their'} target "
        "date without having been achieved; the IRO follows each one up with the child's social worker."
    )


@subsection("oversight")
def permanence(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    if not figures.dataset["permanence_plans"].height:
        return None
    text = (
        "Every child in care should have a plan for a permanent home (returning to their family, adoption, "
        "special guardianship or long-term fostering, for example) by their second review, and a date by which "
        f"it should be achieved. In {figures.label(figures.year)}, "
        + figures.share(
            BY_SECOND_REVIEW,
            of_the="children whose second review was held",
            outcome="had a permanence plan by that review",
        )
        + " "
        + _past_target_sentence(figures)
    )
    blocks: list[Block] = [
        Paragraph(text),
        figures.trend_table(
            "Permanence plans",
            [
                Row(BY_SECOND_REVIEW, "Children with a permanence plan by their second review", of_what="children"),
                Row(PAST_TARGET, "Permanence plans past their target date at the year end"),
            ],
        ),
    ]
    if any(figures.figure(BY_TYPE, year).value for year in figures.years):
        blocks.append(
            figures.breakdown_table(
                BY_TYPE, "Permanence plans of children in care at the year end, by type", category="Type of plan"
            )
        )
    return Section("permanence", "Permanence plans", tuple(blocks))
