"""The report as a tagged PDF, printed by WeasyPrint from the same HTML as the web report: the stylesheet's
print rules make the A4 pages, running header and footer, contents page numbers and page breaks."""

from __future__ import annotations

from weasyprint import HTML  # type: ignore[import-untyped]

from iroscope.report.html import render_html
from iroscope.report.model import Report

# Tagged for PDF/UA-1 (ISO 14289-1): a structure tree of headings, tables, lists and figures with
# their alternative text, the document's language and title, as the accessibility regulations ask.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(report: Report) -> bytes:
    """A4 pages: title page, contents with page numbers, then the sections one after another, with the
    appendices from a new page."""
    return html_to_pdf(render_html(report))


def html_to_pdf(page: str) -> bytes:
    """Prints an already rendered report page, for callers that also keep the HTML."""
    pdf: bytes = HTML(string=page, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
