"""Parts of the report that sit inside one of its sections, registered beside it rather than written
into it: each names the section it belongs to and is built after it, in registration order. A
section's own text stays in `report/sections.py`; what the seed reports add to it (reviews stood down,
feedback, staff continuity) lives in a module of its own and joins here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from iroscope.report.figures import ReportFigures
from iroscope.report.model import Section
from iroscope.report.narrative import NarrativeContent

SubsectionBuilder = Callable[[ReportFigures, NarrativeContent], Section | None]
SUBSECTIONS: list[tuple[str, SubsectionBuilder]] = []


def subsection(parent_id: str) -> Callable[[SubsectionBuilder], SubsectionBuilder]:
    """Register a builder of a subsection of the section `parent_id`; it may return None when the data
    holds nothing for it (a report shows no empty heading)."""

    def register(build: SubsectionBuilder) -> SubsectionBuilder:
        SUBSECTIONS.append((parent_id, build))
        return build

    return register


def with_subsections(sections: list[Section], figures: ReportFigures, narrative: NarrativeContent) -> list[Section]:
    """The sections with each one's registered subsections added after its own."""
    known = {section.id for section in sections}
    unknown = sorted({parent for parent, _ in SUBSECTIONS} - known)
    if unknown:
        raise ValueError(f"Subsections registered for sections the report does not have: {', '.join(unknown)}")
    result = []
    for section in sections:
        built = [build(figures, narrative) for parent, build in SUBSECTIONS if parent == section.id]
        extra = tuple(sub for sub in built if sub is not None)
        result.append(replace(section, subsections=section.subsections + extra) if extra else section)
    return result
