"""Output formats of the annual report, in one registry. HTML, PDF and Word register here exactly as
any other format would (a CSV of every table, say), and the command line and the web app offer
whatever is registered."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Report
from iroscope.report.pdf import render_pdf


@dataclass(frozen=True)
class OutputFormat:
    name: str
    file_name: str
    media_type: str
    description: str
    render: Callable[[Report], bytes]


FORMATS: dict[str, OutputFormat] = {}


def register_format(output: OutputFormat) -> OutputFormat:
    """Adds a format; a second format with the same name is a mistake, not an override."""
    if output.name in FORMATS:
        raise ValueError(f"An output format called {output.name!r} is already registered")
    FORMATS[output.name] = output
    return output


def output_format(name: str) -> OutputFormat:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"There is no output format called {name!r}. Choose from: {known}.") from None


def write_report(report: Report, out_dir: Path, formats: Iterable[str] | None = None) -> list[Path]:
    """Renders the report in each format (all registered ones by default) into `out_dir`, returning
    the files written in the order asked for. Every format is rendered before any file is written,
    so a failure leaves no half-written set of reports behind."""
    chosen = [output_format(name) for name in (FORMATS if formats is None else formats)]
    rendered = [(output, output.render(report)) for output in chosen]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for output, content in rendered:
        path = out_dir / output.file_name
        path.write_bytes(content)
        paths.append(path)
    return paths


def _html_bytes(report: Report) -> bytes:
    return render_html(report).encode("utf-8")


register_format(
    OutputFormat(
        "html", "report.html", "text/html; charset=utf-8", "One web page, with its charts and styles", _html_bytes
    )
)
register_format(OutputFormat("pdf", "report.pdf", "application/pdf", "A4 pages to print or publish", render_pdf))
register_format(
    OutputFormat(
        "docx",
        "report.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "A Word document to edit and brand",
        render_docx,
    )
)
