"""The report's document model. Sections are built once into these blocks; every output format
renders the same blocks, so a figure reads the same in HTML, PDF and Word."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class KeyFigure:
    """A headline figure: `value` large, `label` what it is, `note` the "of how many" or the change."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]  # the first column heads the row headers
    rows: tuple[tuple[str, ...], ...]
    kpi_ids: tuple[str, ...] = ()
    note: str = ""
    # What each row shows, when it is a KPI ("cic_at_period_end") or a category of one
    # ("cic_by_gender: Male"): the same key wherever the figure appears, so a check can see it agrees.
    row_kpis: tuple[str, ...] = ()


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart with its data table and a text alternative. `kind`: bar (grouped), stacked (100%
    stacked bars), line, or horizontal (one series, long category names)."""

    kind: Literal["bar", "stacked", "line", "horizontal"]
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    alt: str
    table: Table


@dataclass(frozen=True)
class Narrative:
    """Text that only people can write, from the narrative file; `missing` says what to write when
    the file has none (shown as a short note, so the report still reads as complete)."""

    text: str
    missing: str = ""


Block = Paragraph | KeyFigures | Table | Chart | Narrative


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()
    appendix: bool = False


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    authority: str
    period_label: str
    prepared: str
    sections: tuple[Section, ...]
    suppressed: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    # What the author has still to write, listed once at the front rather than as boxes in the body.
    unwritten: tuple[str, ...] = ()

    def all_sections(self) -> list[Section]:
        ordered: list[Section] = []
        for section in self.sections:
            ordered.append(section)
            ordered.extend(section.subsections)
        return ordered
