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
    return Rendered("HTML", _flat(tree.text_content()), tables, tiles)


def read_docx(content: bytes) -> Rendered:
    document = Document(io.BytesIO(content))
    tables = [[[_flat(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]
    cells = " ".join(cell for table in tables for row in table for cell in row)
    # A tile is one paragraph of lines: value, label and, when there is one, note.
    lines = [p.text.split("\n") for p in document.paragraphs if p.style is not None and p.style.name == KEY_FIGURE]
    tiles = [(line[0].strip(), line[2].strip() if len(line) > 2 else "") for line in lines]
    return Rendered("Word", _flat(" ".join(p.text for p in document.paragraphs) + " " + cells), tables, tiles)


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


def disagreements(*rendered: Rendered) -> list[str]:
    return [
        problem
        for one in rendered
        for problem in (
            *rate_disagreements(one),
            *total_disagreements(one),
            *tile_disagreements(one),
            *whole_year_disagreements(one),
        )
    ]


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
