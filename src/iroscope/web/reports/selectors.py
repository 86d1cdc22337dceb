"""What the report builder reads: the saved narrative, and the annual report built from the stored
dataset by exactly the code `iroscope report` runs (`build_report` and the registered formats)."""

from __future__ import annotations

from dataclasses import dataclass

from iroscope.data.dataset import Dataset, collection_year_label
from iroscope.metrics.registry import all_kpis
from iroscope.report.build import build_report
from iroscope.report.figures import ReportFigures
from iroscope.report.formats import output_format
from iroscope.report.key_messages import computed_messages
from iroscope.report.model import Report
from iroscope.report.narrative import (
    KEY_MESSAGE_HEADINGS,
    NARRATIVE_PARTS,
    NarrativeContent,
    NarrativePart,
    narrative_from_parts,
)
from iroscope.web.reports.models import NarrativeVersion

PARTS: dict[str, NarrativePart] = {part.id: part for part in NARRATIVE_PARTS}
DOWNLOADS = ("pdf", "docx")


def report_years(dataset: Dataset) -> list[int]:
    """The collection years held in the stored dataset, latest first."""
    return sorted(dataset.years, reverse=True)


def narrative_latest(*, year: int) -> dict[str, NarrativeVersion]:
    """The latest saved version of each part of a year's narrative that has one."""
    latest: dict[str, NarrativeVersion] = {}
    for version in NarrativeVersion.objects.filter(year=year).order_by("part", "-number"):
        latest.setdefault(version.part, version)
    return latest


def narrative_counts(*, year: int) -> dict[str, int]:
    return {part: version.number for part, version in narrative_latest(year=year).items()}


def narrative_history(*, year: int, part: str) -> list[NarrativeVersion]:
    """Every version of one part, latest first."""
    return list(NarrativeVersion.objects.filter(year=year, part=part).order_by("-number"))


def narrative_version(*, year: int, part: str, number: int) -> NarrativeVersion | None:
    return NarrativeVersion.objects.filter(year=year, part=part, number=number).first()


def narrative_for_year(*, year: int) -> NarrativeContent:
    return narrative_from_parts({part: version.text for part, version in narrative_latest(year=year).items()})


def report_for_year(*, dataset: Dataset, year: int, suppress: bool = False) -> Report:
    """The year's report; `suppress` hides small numbers for publication, as the command line's
    --suppress-small-numbers does."""
    return build_report(dataset, year, narrative=narrative_for_year(year=year), suppress=suppress)


def key_messages_computed(*, dataset: Dataset, year: int) -> dict[str, list[str]]:
    """What the report works out from the figures under each key-message heading today, judged against
    the saved targets, with every count shown (the builder is for the people who write the report)."""
    messages = computed_messages(ReportFigures(dataset, year), narrative_for_year(year=year))
    return {heading: [m.text for m in messages if m.heading == heading] for heading in KEY_MESSAGE_HEADINGS}


def target_figures() -> list[tuple[str, str]]:
    """The figures a target may name, as (name, id), by name."""
    return sorted(((kpi.title, kpi_id) for kpi_id, kpi in all_kpis().items()), key=lambda pair: pair[0].casefold())


@dataclass(frozen=True)
class ReportFile:
    name: str
    media_type: str
    content: bytes


def report_file(*, report: Report, year: int, format_name: str) -> ReportFile:
    """The report rendered by a registered format, named for the year: iro-annual-report-2024-25.pdf."""
    output = output_format(format_name)
    extension = output.file_name.rsplit(".", 1)[-1]
    name = f"iro-annual-report-{collection_year_label(year)}.{extension}"
    return ReportFile(name, output.media_type, output.render(report))
