"""Build the annual report's document model from a dataset, a year and the narrative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from iroscope.data.dataset import Dataset, collection_year_label
from iroscope.data.problems import Problems
from iroscope.report import (
    challenge,
    continuity,
    decisions,
    forecast,
    pathway_plans,
    permanence,
    quality_findings,
    review_meetings,
    targets,
    voices,
    words,
)
from iroscope.report.figures import ReportFigures
from iroscope.report.key_messages import key_messages
from iroscope.report.model import Narrative, Report, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.sections import SECTIONS, data_quality_appendix, definitions_appendix
from iroscope.report.subsections import with_subsections
from iroscope.rules.calendar import WorkingDayCalendar

# The parts of sections that the seed reports add register themselves with `report.subsections` on import.
REGISTERED_SUBSECTIONS = (
    continuity,
    decisions,
    pathway_plans,
    permanence,
    quality_findings,
    review_meetings,
    targets,
    voices,
    challenge,
    forecast,
)


def authority_name(dataset: Dataset, narrative: NarrativeContent) -> str:
    if narrative.authority:
        return narrative.authority
    if dataset.authority_name:
        return dataset.authority_name
    if dataset.authority_code:
        from iroscope.data.geography import authority_names

        return authority_names().get(dataset.authority_code, dataset.authority_code)
    return "The local authority"


def build_report(
    dataset: Dataset,
    year: int,
    *,
    narrative: NarrativeContent | None = None,
    problems: Problems | None = None,
    suppress: bool = False,
    prepared: dt.date | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Report:
    narrative = narrative or NarrativeContent()
    figures = ReportFigures(dataset, year, suppress=suppress, calendar=calendar)
    sections = with_subsections([build(figures, narrative) for _section_id, build in SECTIONS], figures, narrative)
    # The key messages open the report, after the year at a glance, and are written from the same figures.
    at_a_glance = next((number for number, built in enumerate(sections) if built.id == "summary"), -1)
    sections.insert(at_a_glance + 1, key_messages(figures, narrative))
    # The appendices come last so that the definitions list exactly the figures the sections used.
    sections += [definitions_appendix(figures), data_quality_appendix(figures, problems)]
    sections, unwritten = without_placeholders(sections)
    authority = authority_name(dataset, narrative)
    prepared_by = f" by {narrative.prepared_by}" if narrative.prepared_by else ""
    return Report(
        title="Independent Reviewing Officer service annual report",
        subtitle=f"{collection_year_label(year)}: 1 April {year} to 31 March {year + 1}",
        authority=authority,
        period_label=collection_year_label(year),
        prepared=f"Prepared{prepared_by} on {words.long_date(prepared or dt.date.today())}",
        sections=tuple(sections),
        suppressed=suppress,
        unwritten=tuple(unwritten),
    )


def without_placeholders(sections: Sequence[Section]) -> tuple[list[Section], list[str]]:
    """Takes out every part only people can write that nobody has, returning the sections without them
    (a section left with nothing goes, so no page holds only a placeholder) and what each missing part
    asks for, in reading order, for the list at the front of the report."""
    kept: list[Section] = []
    unwritten: list[str] = []
    for section in sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Narrative) and not block.text.strip():
                if block.missing:
                    unwritten.append(block.missing)
            else:
                blocks.append(block)
        subsections, missing = without_placeholders(section.subsections)
        unwritten.extend(missing)
        if blocks or subsections:
            kept.append(replace(section, blocks=tuple(blocks), subsections=tuple(subsections)))
    return kept, unwritten
