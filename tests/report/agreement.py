"""The agreement check: reads a rendered report as a reader would (the HTML page, the Word document's
text, the PDF's text) and lists every figure that does not agree with itself. Two promises are
checked:

- every rate shown with its counts is those counts' quotient, to the precision shown: "74.1% (739 of
  997)" and "739 of the 997 midway reviews due were completed (74.1%)";
- every table row labelled "Total" is the sum of the rows above it, column by column. A last row that
  counts something else says so in its label ("Alerts (an alert may give several reasons)") and is
  not held to the sum;
- every headline tile whose value is a rate is the quotient of the "n of m" in its note.

A check that finds nothing is only worth something if it can fail, so the tests give it a report
made inconsistent on purpose as well as real ones."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx import Document
from lxml import html as lxml_html  # type: ignore[import-untyped]
from pypdf import PdfReader

from iroscope.report.docx import KEY_FIGURE

TOTAL = "Total"
# "91.9% (624 of 679" — the bracket may go on ("; 589 not dated)", " reviews)").
RATE_THEN_COUNTS = re.compile(r"(\d+(?:\.\d+)?)% \((\d[\d,]*) of (\d[\d,]*)\b")
# "739 of the 997 midway reviews due were completed (74.1%)" — within one sentence.
COUNTS_THEN_RATE = re.compile(r"\b(\d[\d,]*) of the (\d[\d,]*) [^().]{1,200}?\((\d+(?:\.\d+)?)%\)")
WHOLE_NUMBER = re.compile(r"\d[\d,]*")
# A tile: "90.1%" large, "1,100 of 1,221 reviews whose due date is known" beneath it.
TILE_RATE = re.compile(r"(\d+(?:\.\d+)?)%")
TILE_COUNTS = re.compile(r"(\d[\d,]*) of (\d[\d,]*)\b")

TableRows = list[list[str]]


@dataclass(frozen=True)
class Rendered:
    """What a reader sees of one format: its running text and its tables, each a list of rows of
    cell texts (the PDF's tables cannot be read back as tables, so it gives text alone)."""

    format: str
    text: str
    tables: list[TableRows]
    tiles: list[tuple[str, str]] = field(default_factory=list)  # (value, note) of each headline figure
    tile_labels: list[tuple[str, str]] = field(default_factory=list)  # (value, label) of each headline figure
    row_keys: list[list[str]] = field(default_factory=list)  # each table's rows' KPI keys (HTML only)


def _flat(text: str) -> str:
    return " ".join(text.split())


def read_html(page: str) -> Rendered:
    tree = lxml_html.document_fromstring(page)
    for hidden in tree.xpath("//style | //script"):
        hidden.drop_tree()
    tables = [
        [[_flat(cell.text_content()) for cell in row.xpath("./th | ./td")] for row in table.xpath(".//tr")]
        for table in tree.xpath("//table")
    ]
    tiles = [
        (
            _flat(tile.find_class("key-figure-value")[0].text_content()),
            _flat(" ".join(note.text_content() for note in tile.find_class("key-figure-note"))),
        )
        for tile in tree.find_class("key-figure")
    ]
    labels = [
        (
            _flat(tile.find_class("key-figure-value")[0].text_content()),
            _flat(tile.find_class("key-figure-label")[0].text_content()),
        )
        for tile in tree.find_class("key-figure")
    ]
    keys = [[row.get("data-kpi", "") for row in table.xpath("./tbody/tr")] for table in tree.xpath("//table")]
    return Rendered("HTML", _flat(tree.text_content()), tables, tiles, labels, keys)


def read_docx(content: bytes) -> Rendered:
    document = Document(io.BytesIO(content))
    tables = [[[_flat(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]
    cells = " ".join(cell for table in tables for row in table for cell in row)
    # A tile is one paragraph of lines: value, label and, when there is one, note.
    lines = [p.text.split("\n") for p in document.paragraphs if p.style is not None and p.style.name == KEY_FIGURE]
    tiles = [(line[0].strip(), line[2].strip() if len(line) > 2 else "") for line in lines]
    labels = [(line[0].strip(), line[1].strip() if len(line) > 1 else "") for line in lines]
    text = _flat(" ".join(p.text for p in document.paragraphs) + " " + cells)
    return Rendered("Word", text, tables, tiles, labels)


def read_pdf(content: bytes) -> Rendered:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return Rendered("PDF", _flat(" ".join(pages)), [])


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _quotient(numerator: int, denominator: int, shown: str) -> str:
    decimals = len(shown.partition(".")[2])
    return f"{100 * numerator / denominator:.{decimals}f}"


def rate_disagreements(rendered: Rendered) -> list[str]:
    found = []
    for shown, numerator, denominator in RATE_THEN_COUNTS.findall(rendered.text):
        n, m = _number(numerator), _number(denominator)
        if m == 0 or _quotient(n, m, shown) != shown:
            found.append(f"{rendered.format}: {shown}% ({numerator} of {denominator}) is not {numerator}/{denominator}")
    for numerator, denominator, shown in COUNTS_THEN_RATE.findall(rendered.text):
        n, m = _number(numerator), _number(denominator)
        if m == 0 or _quotient(n, m, shown) != shown:
            found.append(f"{rendered.format}: {numerator} of the {denominator} … ({shown}%) is not n/m")
    return found


def total_disagreements(rendered: Rendered) -> list[str]:
    """Each "Total" row against the sum of the rows above it (back to the header or an earlier total),
    in every column whose cells are all whole numbers; a column holding a suppressed or a non-count
    cell cannot be summed and is left out."""
    found = []
    for table in rendered.tables:
        above: TableRows = []
        for row in table[1:]:
            if row and row[0] != TOTAL:
                above.append(row)
                continue
            for column in range(1, len(row)):
                cells = [r[column] for r in above if column < len(r)] + [row[column]]
                if not all(WHOLE_NUMBER.fullmatch(cell) for cell in cells):
                    continue
                summed = sum(_number(cell) for cell in cells[:-1])
                if summed != _number(row[column]):
                    heading = table[0][column] if column < len(table[0]) else str(column)
                    found.append(
                        f"{rendered.format}: table {table[0][0]!r}, column {heading!r}: Total {row[column]} but "
                        f"the rows above add up to {summed:,}"
                    )
            above = []
    return found


def tile_disagreements(rendered: Rendered) -> list[str]:
    found = []
    for value, note in rendered.tiles:
        rate, counts = TILE_RATE.fullmatch(value), TILE_COUNTS.match(note)
        if rate and counts:
            n, m = _number(counts.group(1)), _number(counts.group(2))
            if m == 0 or _quotient(n, m, rate.group(1)) != rate.group(1):
                found.append(f"{rendered.format}: the tile {value} says {note}")
    return found


# -- one figure, one value, wherever it appears ----------------------------------------------------

# The figure a cell or tile leads with: "91.9%" of "91.9% (624 of 679)", "1,221" of "1,221".
LEADING = re.compile(r"^(\d[\d,]*(?:\.\d+)?%?)")
NOT_A_VALUE = ("fewer than 5", "not shown", "not available", "–")

Key = tuple[str, str]  # (the KPI, or the KPI and category, a row shows; the column: a year)


def _label(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _leading(cell: str) -> str | None:
    if cell in NOT_A_VALUE:
        return None
    match = LEADING.match(cell)
    return match.group(1) if match else None


def _rows_with_keys(rendered: Rendered) -> Iterator[tuple[int, list[str], list[str], str]]:
    """(table number, header, row, the row's KPI key) for every body row that names its KPI."""
    for number, (table, keys) in enumerate(zip(rendered.tables, rendered.row_keys, strict=False)):
        for row, key in zip(table[1:], keys, strict=False):
            if key:
                yield number, table[0], row, key


def figures_by_kpi(rendered: Rendered) -> dict[Key, dict[str, int]]:
    """Every figure a table row shows, keyed by the KPI the row is (`data-kpi`) and the column's year,
    with each value shown and the table it is first shown in. A figure in a trend table, in a chart's
    data table and in a breakdown's Total row collects every value it is shown with."""
    found: dict[Key, dict[str, int]] = {}
    for number, header, row, key in _rows_with_keys(rendered):
        for column in range(1, min(len(row), len(header))):
            value = _leading(row[column])
            if value is not None:
                found.setdefault((key, header[column]), {}).setdefault(value, number)
    return found


def kpi_disagreements(rendered: Rendered) -> list[str]:
    """A figure shown in two places with two values."""
    return [
        f"{rendered.format}: {kpi!r} in {column} reads {' and '.join(sorted(values))} in different tables"
        for (kpi, column), values in figures_by_kpi(rendered).items()
        if len(values) > 1
    ]


def tile_table_disagreements(rendered: Rendered, latest: str) -> list[str]:
    """A headline tile against every table row of the same name, in the latest year's column."""
    found = []
    for value, tile_label in rendered.tile_labels:
        for table in rendered.tables:
            if latest not in table[0]:
                continue
            column = table[0].index(latest)
            for row in table[1:]:
                if _label(row[0]) == _label(tile_label) and column < len(row) and _leading(row[column]) != value:
                    found.append(f"{rendered.format}: the tile {value} {tile_label!r} but a table says {row[column]}")
    return found


def format_disagreements(first: Rendered, second: Rendered) -> list[str]:
    """Two formats show the same tables, cell for cell, and the same headline figures."""
    found = []
    if len(first.tables) != len(second.tables):
        found.append(f"{first.format} has {len(first.tables)} tables and {second.format} {len(second.tables)}")
    for number, (a, b) in enumerate(zip(first.tables, second.tables, strict=False), start=1):
        for row_a, row_b in zip(a, b, strict=False):
            if row_a != row_b:
                found.append(f"table {number}: {first.format} reads {row_a} and {second.format} {row_b}")
    if first.tiles != second.tiles:
        found.append(f"the headline figures read {first.tiles} in {first.format} and {second.tiles} in {second.format}")
    return found


def pdf_disagreements(html: Rendered, pdf: Rendered) -> list[str]:
    """The PDF's text cannot be read back as tables, so each headline figure and each rate the page
    shows must be found in it as printed."""
    missing = [value for value, _ in html.tiles if value not in pdf.text]
    missing += [
        rate for rate in RATE_THEN_COUNTS.findall(html.text) if f"{rate[0]}% ({rate[1]} of {rate[2]}" not in pdf.text
    ]
    return [f"PDF: {item} is on the web page but not in the PDF" for item in missing]


def chart_disagreements(page: str) -> list[str]:
    """Each value a chart's data table gives is drawn on the chart with the same value (a bar's label,
    a point's label): the chart and its table say the same."""
    tree = lxml_html.document_fromstring(page)
    found = []
    for figure in tree.find_class("chart"):
        drawn = {" ".join((node.text or "").split()) for node in figure.xpath(".//*[local-name()='text']")}
        table = figure.xpath(".//table")
        if not table:
            continue
        number = (
            _flat(figure.find_class("figure-number")[0].text_content()) if figure.find_class("figure-number") else ""
        )
        for row in table[0].xpath(".//tbody/tr"):
            cells = [_flat(cell.text_content()) for cell in row.xpath("./th | ./td")]
            if not cells or cells[0] == TOTAL or ":" in cells[0]:  # totals and comparators are not drawn
                continue
            for cell in cells[1:]:
                value = _leading(cell)
                if value is not None and value not in drawn:
                    found.append(f"{number}: the data table's {cells[0]!r} {value} is not drawn on the chart")
    return found


def disagreements(*rendered: Rendered) -> list[str]:
    return [
        problem
        for one in rendered
        for problem in (
            *rate_disagreements(one),
            *total_disagreements(one),
            *tile_disagreements(one),
            *whole_year_disagreements(one),
            *kpi_disagreements(one),
        )
    ]


def checked_places(rendered: Rendered, latest: str) -> tuple[int, int]:
    """How many figures the check found in more than one table, and how many tiles it found a table
    row for, so a test can see that comparing places compared something."""
    places: dict[Key, set[int]] = {}
    for number, header, row, key in _rows_with_keys(rendered):
        for column in range(1, min(len(row), len(header))):
            places.setdefault((key, header[column]), set()).add(number)
    shared = sum(1 for tables in places.values() if len(tables) > 1)
    names = {_label(row[0]) for table in rendered.tables if latest in table[0] for row in table[1:]}
    tiles = sum(1 for _, tile_label in rendered.tile_labels if _label(tile_label) in names)
    return shared, tiles


def checked_figures(rendered: Rendered) -> tuple[int, int, int]:
    """How many rates, Total rows and rate tiles the check found, so a test can see it looked."""
    rates = len(RATE_THEN_COUNTS.findall(rendered.text)) + len(COUNTS_THEN_RATE.findall(rendered.text))
    totals = sum(1 for table in rendered.tables for row in table if row and row[0] == TOTAL)
    tiles = sum(1 for value, note in rendered.tiles if TILE_RATE.fullmatch(value) and TILE_COUNTS.match(note))
    return rates, totals, tiles


# -- a table by quarter: the quarters' counts add up to the whole year ---------------------------------
WHOLE_YEAR = "Whole year"


def whole_year_disagreements(rendered: Rendered) -> list[str]:
    """In a table whose last row is the whole year under its parts (quarters), each column of whole
    numbers adds up: a count by quarter sums to the year's count. Rates do not sum and are left to the
    rate check."""
    found = []
    for table in rendered.tables:
        if len(table) < 3 or not table[-1] or table[-1][0] != WHOLE_YEAR:
            continue
        parts, year = table[1:-1], table[-1]
        for column in range(1, len(year)):
            cells = [row[column] for row in parts if column < len(row)] + [year[column]]
            if all(WHOLE_NUMBER.fullmatch(cell) for cell in cells):
                summed = sum(_number(cell) for cell in cells[:-1])
                if summed != _number(year[column]):
                    heading = table[0][column] if column < len(table[0]) else str(column)
                    found.append(
                        f"{rendered.format}: {heading!r}: the whole year is {year[column]} but its parts add up "
                        f"to {summed:,}"
                    )
    return found
