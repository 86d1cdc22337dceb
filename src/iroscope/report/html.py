"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no external files, so
it can be emailed, published or opened offline. The PDF is printed from this same page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from iroscope.report.charts import chart_svg
from iroscope.report.model import Block, Chart, KeyFigure, KeyFigures, Narrative, Paragraph, Report, Section, Table

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
SUPPRESSION_NOTE = (
    "To protect children’s privacy, numbers from 1 to 4 are shown as “fewer than 5”, and charts leave them out."
)

# Cells such as "84.7% (830 of 980)", "1,234", "–" or "fewer than 5" read best right-aligned, so
# figures line up down a column; words stay left-aligned.
_FIGURE = re.compile(r"^[\d.,%()£+\-–\s]*(of[\d.,%()\s]*)*$")
_NOT_A_FIGURE = frozenset({"fewer than 5", "not shown", "not available", "–", "-", ""})


# -- presenters: what the template needs, worked out in Python rather than in Jinja ----------------


@dataclass(frozen=True)
class TableView:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    prose: int | None  # the column of running text, if any, which is given half the width
    note: str
    kpi_ids: tuple[str, ...]
    row_kpis: tuple[str, ...] = ()
    kind: str = "table"


@dataclass(frozen=True)
class ChartView:
    number: int
    id: str
    title: str
    svg: Markup
    table: TableView
    kind: str = "chart"


@dataclass(frozen=True)
class NarrativeView:
    paragraphs: tuple[str, ...]
    missing: str
    kind: str = "narrative"


@dataclass(frozen=True)
class ParagraphView:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class KeyFiguresView:
    items: tuple[KeyFigure, ...]
    kind: str = "key_figures"

    @property
    def per_row(self) -> int:
        """Cards a row: all of up to four; then rows of three or four, whichever leaves no lone card."""
        count = len(self.items)
        if count <= 4:
            return max(count, 1)
        return 3 if count % 3 == 0 or count % 4 == 1 else 4


BlockView = TableView | ChartView | NarrativeView | ParagraphView | KeyFiguresView


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    blocks: tuple[BlockView, ...]
    subsections: tuple[SectionView, ...]
    appendix: bool


def numeric_columns(table: Table) -> tuple[bool, ...]:
    """Which columns hold figures (right-aligned). The first column heads the rows, so never."""
    flags = [False]
    for index in range(1, len(table.columns)):
        cells = [row[index].strip() for row in table.rows if index < len(row)]
        figures = [cell for cell in cells if cell not in _NOT_A_FIGURE]
        flags.append(bool(figures) and all(_FIGURE.match(cell) and any(c.isdigit() for c in cell) for cell in figures))
    return tuple(flags)


def prose_column(table: Table) -> int | None:
    """The column holding sentences (definitions, say), if one does: its cells average over 40
    characters. Left to automatic table layout it would be squeezed by its neighbours."""
    averages = {
        index: sum(len(row[index]) for row in table.rows if index < len(row)) / max(len(table.rows), 1)
        for index in range(len(table.columns))
    }
    index, average = max(averages.items(), key=lambda item: item[1], default=(0, 0.0))
    return index if average > 40 else None


def narrative_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs split on blank lines; single line breaks inside a paragraph are just spaces."""
    return tuple(" ".join(part.split()) for part in re.split(r"\n\s*\n", text.strip()) if part.strip())


def report_notes(report: Report) -> list[str]:
    """The notes on the title page: how small numbers are shown, when they are, then the report's own."""
    return ([SUPPRESSION_NOTE] if report.suppressed else []) + list(report.notes)


def _table(table: Table) -> TableView:
    return TableView(
        table.caption,
        table.columns,
        table.rows,
        numeric_columns(table),
        prose_column(table),
        table.note,
        table.kpi_ids,
        table.row_kpis,
    )


class _Presenter:
    """Numbers figures in reading order and gives each chart a page-unique id."""

    def __init__(self) -> None:
        self.figures = 0

    def section(self, section: Section) -> SectionView:
        return SectionView(
            id=section.id,
            title=section.title,
            blocks=tuple(self.block(block) for block in section.blocks),
            subsections=tuple(self.section(sub) for sub in section.subsections),
            appendix=section.appendix,
        )

    def block(self, block: Block) -> BlockView:
        if isinstance(block, Paragraph):
            return ParagraphView(block.text)
        if isinstance(block, KeyFigures):
            return KeyFiguresView(block.items)
        if isinstance(block, Table):
            return _table(block)
        if isinstance(block, Narrative):
            return NarrativeView(narrative_paragraphs(block.text), block.missing)
        return self.chart(block)

    def chart(self, chart: Chart) -> ChartView:
        self.figures += 1
        element_id = f"figure-{self.figures}"
        svg = Markup(chart_svg(chart, element_id=f"{element_id}-chart"))  # our own SVG; its alt text is escaped
        return ChartView(self.figures, element_id, chart.title, svg, _table(chart.table))


# -- rendering --------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("iroscope.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _template() -> Template:
    return _environment().get_template(TEMPLATE)


@cache
def stylesheet() -> str:
    return resources.files("iroscope.report").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")


@lru_cache(maxsize=2)
def render_html(report: Report) -> str:
    """The whole report as one HTML5 document (screen and print styles inline). Cached, because the
    PDF is made from the same HTML and drawing the charts is most of the work."""
    presenter = _Presenter()
    sections = [presenter.section(section) for section in report.sections]
    return _template().render(
        report=report,
        sections=sections,
        notes=report_notes(report),
        # CSS is ours and must not be HTML-escaped: quotes in `content: "Page "` would break.
        css=Markup(stylesheet()),
    )
