"""Targets the service set itself, from the narrative file, each beside this year's figure with
whether it was met (decision 0018: the narrative, because the service sets them for a year and says
why, as the seed reports do; the settings hold how the authority works, not what it aims for)."""

from __future__ import annotations

from iroscope.metrics.registry import Unit
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent, Target
from iroscope.report.subsections import subsection

MET, NOT_MET, NOT_KNOWN = "Met", "Not met", "Cannot be judged"


def target_met(figures: ReportFigures, target: Target) -> str:
    figure = figures.figure(target.figure)
    if figure.value is None:
        return NOT_KNOWN
    unit = figures.kpi(target.figure).unit
    if figures.suppress and unit is Unit.PERCENT and figures.value(target.figure) == "not shown":
        return NOT_KNOWN
    value = float(figure.value)
    met = value <= target.target if target.at_most else value >= target.target
    return MET if met else NOT_MET


def target_text(figures: ReportFigures, target: Target) -> str:
    unit = figures.kpi(target.figure).unit
    shown = f"{target.target:g}%" if unit is Unit.PERCENT else f"{target.target:,g}"
    return f"{'at most' if target.at_most else 'at least'} {shown}"


def this_year(figures: ReportFigures, target: Target) -> str:
    figure = figures.figure(target.figure)
    if figures.kpi(target.figure).unit is Unit.PERCENT:
        return figures.rate_cell(figure.numerator, figure.denominator)
    return figures.value(target.figure)


@subsection("progress")
def targets(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    if not narrative.targets:
        return None
    rows = tuple(
        (
            figures.kpi(target.figure).title,
            target_text(figures, target),
            this_year(figures, target),
            target_met(figures, target),
        )
        for target in narrative.targets
    )
    met = sum(1 for row in rows if row[3] == MET)
    text = f"The service set {len(rows)} targets for {figures.label(figures.year)} and met {met} of them."
    table = Table(
        f"Targets for {figures.label(figures.year)}",
        ("Figure", "Target", figures.label(figures.year), "Met or not met"),
        rows,
        kpi_ids=tuple(target.figure for target in narrative.targets),
    )
    return Section("targets", "Targets the service set", (Paragraph(text), table))
