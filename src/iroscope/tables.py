"""Tables printed by the command line: drawn for a person at a terminal, whole lines for a file or a
pipe, so that a log or `grep` sees whole file names and messages rather than a table folded to 80
columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

SEVERITY_STYLES = {"error": "red", "warning": "yellow"}


def print_table(
    console: Console,
    headings: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    title: str | None = None,
    right_aligned: Sequence[str] = (),
) -> None:
    """On a terminal, a table; otherwise the title, then the headings and each row on one line, cells
    separated by tabs. Cells are text, never console markup, so a value such as `[red]` prints as typed."""
    if console.is_terminal:
        table = Table(title=title, header_style="bold")
        for heading in headings:
            table.add_column(heading, overflow="fold", justify="right" if heading in right_aligned else "left")
        for row in rows:
            table.add_row(*(Text(cell, style=SEVERITY_STYLES.get(cell, "")) for cell in row))
        console.print(table)
        return
    lines = [] if title is None else [title]
    lines += ["\t".join(_one_line(cell) for cell in row) for row in (headings, *rows)]
    console.file.write("\n".join(lines) + "\n")


def _one_line(cell: str) -> str:
    return " ".join(cell.split("\t")).replace("\r", " ").replace("\n", " ")
