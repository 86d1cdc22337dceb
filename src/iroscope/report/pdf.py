"""The report as a PDF, printed by WeasyPrint from the same HTML as the web report: the stylesheet's
print rules make the A4 pages, running header and footer, contents page numbers and page breaks."""

from __future__ import annotations

from weasyprint import HTML  # type: ignore[import-untyped]

from iroscope.report.html import render_html
from iroscope.report.model import Report


def render_pdf(report: Report) -> bytes:
    """A4 pages: title page, contents with page numbers, then one new page per top-level section."""
    return html_to_pdf(render_html(report))


def html_to_pdf(page: str) -> bytes:
    """Prints an already rendered report page, for callers that also keep the HTML."""
    pdf: bytes = HTML(string=page, base_url=None).write_pdf()
    return pdf
