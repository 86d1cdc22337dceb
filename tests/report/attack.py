"""An attack on a report published with small numbers suppressed: reads it as an outsider would, with
nothing but what it shows, and lists every count from 1 to 4 that it shows or that can be worked out.

What the attacker knows: "fewer than 5" is 1 to 4; "not shown" is 5 or more, unless every count in a
column reads "not shown" (a column withheld whole), when it is anything from 0; every "Total" row is
the sum of the rows above it. What the attacker tries:

- a count from 1 to 4 printed in a table;
- a rate or "n of m" (in a table, a sentence or a headline note) whose n, m or m - n is from 1 to 4;
- in each column with a Total, the total less the counts shown is the sum of the hidden counts: with
  each hidden count's range, can any be narrowed to one value (differences of totals and rows)?
- a hidden total under a column whose every count is shown;
- a chart whose text alternative states a count its own data table hides.

It is written apart from the code that suppresses, so that a mistake in one is not repeated in the other."""

from __future__ import annotations

import re

from lxml import html as lxml_html  # type: ignore[import-untyped]

from tests.report.agreement import Rendered

SMALL = range(1, 5)
FEWER = "fewer than 5"
HIDDEN = "not shown"
TOTAL = "Total"
WHOLE = re.compile(r"\d[\d,]*")
# Not days or months ("in 11 of 12 months"): only counts of people are protected.
N_OF_M = re.compile(r"(?<![\d.,])(\d[\d,]*) of (?:the )?(\d[\d,]*)(?![\d.,]*%)(?! working)(?! months)")
# "All 4 reviews …", "None of the 3 midway reviews due …": a whole, said in words.
ALL_OR_NONE = re.compile(r"\b(?:All|None of the) (\d[\d,]*) ")
# "1 IRO had …", "3 children …": a small count said in a sentence.
SMALL_IN_WORDS = re.compile(r"(?<![\d.,])[1-4] (?:IROs?|child|children|reviews?|concerns?|visits?)\b")
# The tables that count neither children nor staff: the problems validation found in the data, and next
# year's expected reviews (numbers worked out from rates, which name no one; decision 0029).
NOT_ABOUT_PEOPLE = (
    ["Check", "Severity", "Count", "Example"],
    ["Month", "First reviews", "Second reviews", "Later reviews", "All reviews", "Range", "Midway reviews"],
)


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _small_rates(text: str, where: str) -> list[str]:
    found = [
        f"{where}: '{match.group(0).strip()}' shows a whole of {match.group(1)}"
        for match in ALL_OR_NONE.finditer(text)
        if _int(match.group(1)) in SMALL
    ]
    for numerator, denominator in N_OF_M.findall(text):
        n, m = _int(numerator), _int(denominator)
        if n > m:  # "1 April 2024 to 31 March 2025" and the like are not counts of a whole
            continue
        for name, value in (("part", n), ("whole", m), ("remainder", m - n)):
            if value in SMALL:
                found.append(f"{where}: '{numerator} of {denominator}' shows or reveals a {name} of {value}")
    return found


def _pinned(shown_sum: int, total: int, ranges: list[tuple[int, int | None]]) -> list[int]:
    """Which hidden cells (by position) have exactly one possible value."""
    hidden_sum = total - shown_sum
    found = []
    for index, (low, high) in enumerate(ranges):
        others_low = sum(r[0] for i, r in enumerate(ranges) if i != index)
        others = [r[1] for i, r in enumerate(ranges) if i != index]
        others_high = None if any(h is None for h in others) else sum(h for h in others if h is not None)
        least = low if others_high is None else max(low, hidden_sum - others_high)
        most = hidden_sum - others_low if high is None else min(high, hidden_sum - others_low)
        if least == most:
            found.append(index)
    return found


def _column_attack(table: list[list[str]], column: int) -> list[str]:
    caption = table[0][0] if table and table[0] else ""
    heading = table[0][column] if column < len(table[0]) else str(column)
    found: list[str] = []
    above: list[list[str]] = []
    for row in table[1:]:
        if column >= len(row):
            continue
        if row[0] != TOTAL:
            above.append(row)
            continue
        cells = [r[column] for r in above if column < len(r)]
        total = row[column]
        above = []
        if not all(WHOLE.fullmatch(c) or c in (FEWER, HIDDEN) for c in cells):
            continue
        withheld = bool(cells) and all(c == HIDDEN for c in cells)
        hidden = [(r[0], c) for r, c in zip(table[1:], cells, strict=False) if c in (FEWER, HIDDEN)]
        if total in (FEWER, HIDDEN):
            if not hidden and cells:
                found.append(f"table {caption!r}, column {heading!r}: a hidden total under counts all shown")
            continue
        if not WHOLE.fullmatch(total) or not hidden:
            continue
        shown_sum = sum(_int(c) for c in cells if WHOLE.fullmatch(c))
        ranges: list[tuple[int, int | None]] = [
            (0, None) if withheld else ((1, 4) if c == FEWER else (5, None)) for c in cells if c in (FEWER, HIDDEN)
        ]
        for index in _pinned(shown_sum, _int(total), ranges):
            found.append(
                f"table {caption!r}, column {heading!r}: a hidden count can be worked out from the total "
                f"{total} (cell {index + 1} of {len(ranges)} hidden)"
            )
    return found


def attack_tables(rendered: Rendered) -> list[str]:
    found = []
    for table in rendered.tables:
        if not table:
            continue
        caption = table[0][0] if table[0] else ""
        if table[0] in NOT_ABOUT_PEOPLE:
            continue
        for row in table[1:]:
            for cell in row[1:]:
                if WHOLE.fullmatch(cell) and _int(cell) in SMALL:
                    found.append(f"{rendered.format}: table {caption!r}, row {row[0]!r}: the count {cell} is shown")
                found.extend(f"{rendered.format}: {p}" for p in _small_rates(cell, f"table {caption!r} {row[0]!r}"))
        for column in range(1, max(len(row) for row in table)):
            found.extend(f"{rendered.format}: {p}" for p in _column_attack(table, column))
    return found


def attack_text(rendered: Rendered) -> list[str]:
    """Every "n of m" in the running text, headline notes included, and every small count of children,
    staff or their reviews, visits and concerns said in a sentence ("1 IRO had a caseload …")."""
    found = [f"{rendered.format}: {p}" for p in _small_rates(rendered.text, "text")]
    found += [
        f"{rendered.format}: text: '{match.group(0)}' is a small count"
        for match in SMALL_IN_WORDS.finditer(rendered.text)
    ]
    return found


def attack_chart_alternatives(page: str) -> list[str]:
    """A chart's text alternative must hide what its data table hides (the table's last column is the
    year the text describes)."""
    tree = lxml_html.document_fromstring(page)
    found = []
    for figure in tree.find_class("chart"):
        svgs = figure.xpath(".//svg[@aria-label]")
        tables = figure.xpath(".//table")
        if not svgs or not tables:
            continue
        alt = svgs[0].get("aria-label")
        for row in tables[0].xpath(".//tbody/tr"):
            cells = [" ".join(c.text_content().split()) for c in row.xpath("./th | ./td")]
            if len(cells) > 1 and cells[-1] in (FEWER, HIDDEN) and re.search(re.escape(cells[0]) + r" \d", alt):
                found.append(f"chart {alt[:40]!r}: its description gives the count of {cells[0]!r} its table hides")
    return found


def attack(rendered: Rendered, page: str | None = None) -> list[str]:
    """Every small count the published report shows or gives away."""
    found = attack_tables(rendered) + attack_text(rendered)
    if page is not None:
        found += attack_chart_alternatives(page)
    return found
