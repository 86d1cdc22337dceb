"""Care leavers' pathway plan reviews chaired by the IRO service, as Cheshire East's report gives them.
Only a service that records them (the optional `pathway_plan_reviews` table) has this part; any other
report has no heading for it rather than a count of none."""

from __future__ import annotations

from iroscope.report.figures import ReportFigures, Row
from iroscope.report.model import Paragraph, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection


@subsection("service")
def pathway_plan_reviews(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    if not figures.dataset["pathway_plan_reviews"].height:
        return None
    year = figures.label(figures.year)
    text = (
        "Young people leaving care have a pathway plan, reviewed with them at least every six months; in this "
        f"authority IROs chair some of those reviews. In {year}, "
        + figures.share(
            "pathway_plan_reviews_chaired",
            of_the="pathway plan reviews held where the service recorded who chaired them",
            outcome="were chaired by an IRO from the service",
        )
    )
    if figures.figure("pathway_plan_reviews_on_time").denominator:
        text += " " + figures.share(
            "pathway_plan_reviews_on_time",
            of_the="reviews chaired by the service with a due date recorded",
            outcome="were held on time",
        )
    table = figures.trend_table(
        "Pathway plan reviews chaired by the IRO service",
        [
            Row("pathway_plan_reviews_chaired", "Pathway plan reviews chaired by the IRO service", of_what="reviews"),
            Row("pathway_plan_reviews_on_time", "Of those with a due date, held on time", of_what="reviews"),
        ],
    )
    return Section("pathway_plans", "Care leavers' pathway plan reviews", (Paragraph(text), table))
