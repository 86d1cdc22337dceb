"""The published files meet what the accessibility regulations ask of a council's documents, read from
the files themselves: the PDF's tags and structure tree (pikepdf), the Word document's XML
(python-docx), and every PDF page's text (no empty page, none holding only the tail of a table)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator

import pikepdf
import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

from iroscope.report.build import build_report
from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Chart, Report
from iroscope.report.pdf import html_to_pdf
from iroscope.synth.generator import SynthConfig, generate

TODAY = dt.date(2026, 5, 1)
# A page with a heading on it, or at least this many lines of text, is a page worth turning to.
MIN_LINES_WITHOUT_HEADING = 8


@pytest.fixture(scope="module")
def report() -> Report:
    dataset = generate(SynthConfig(children=80, years=2, seed=2), today=TODAY)
    return build_report(dataset, max(dataset.years), prepared=TODAY)


@pytest.fixture(scope="module")
def pdf(report: Report) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(html_to_pdf(render_html(report))))


@pytest.fixture(scope="module")
def word(report: Report) -> WordDocument:
    return Document(io.BytesIO(render_docx(report)))


def _charts(report: Report) -> list[Chart]:
    return [block for section in report.all_sections() for block in section.blocks if isinstance(block, Chart)]


def _elements(node: object) -> Iterator[pikepdf.Dictionary]:
    """Every element of the structure tree, depth first."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _elements(child)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from _elements(node.K)


# -- the PDF ------------------------------------------------------------------------------------


def test_the_pdf_is_tagged_and_identifies_itself_as_pdf_ua(pdf: pikepdf.Pdf, report: Report) -> None:
    assert bool(pdf.Root.MarkInfo.Marked)
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title).startswith(report.title)
    metadata = pdf.open_metadata()
    assert metadata.get("pdfuaid:part") == "1"
    assert str(metadata.get("dc:title")).startswith(report.title)
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_the_pdf_structure_has_headings_tables_with_headers_and_figures_with_alternative_text(
    pdf: pikepdf.Pdf, report: Report
) -> None:
    elements = list(_elements(pdf.Root.StructTreeRoot))
    tags = Counter(str(element.S) for element in elements)
    assert tags["/H1"] == 1  # the report's title
    assert tags["/H2"] >= len(report.sections) + 1  # each section, and the contents
    assert tags["/Table"] > 10 and tags["/TH"] > tags["/Table"]
    figures = [element for element in elements if str(element.S) == "/Figure"]
    charts = _charts(report)
    assert len(figures) == len(charts) > 3
    assert [str(figure.Alt) for figure in figures] == [chart.alt for chart in charts]


def test_no_pdf_page_is_empty_or_only_the_tail_of_a_table(report: Report) -> None:
    page = render_html(report)
    headings = [report.title, "Contents", *(section.title for section in report.all_sections())]
    for number, text in enumerate((p.extract_text() for p in PdfReader(io.BytesIO(html_to_pdf(page))).pages), 1):
        lines = [line for line in text.splitlines() if line.strip()]
        flat = " ".join(text.split())
        assert any(heading in flat for heading in headings) or len(lines) > MIN_LINES_WITHOUT_HEADING, (
            f"page {number} holds only: {flat[:300]}"
        )


# -- the Word document ---------------------------------------------------------------------------


def test_every_section_title_is_a_real_heading(word: WordDocument, report: Report) -> None:
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings == [
        (style, title)
        for section in report.sections
        for style, title in (
            ("Heading 1", section.title),
            *(("Heading 2", part.title) for part in section.subsections),
        )
    ]
    assert [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Title"] == [report.title]


def test_every_image_has_its_charts_alternative_text(word: WordDocument, report: Report) -> None:
    described = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert described == [chart.alt for chart in _charts(report)]
    assert all(described)


def test_every_table_marks_its_header_row_to_repeat(word: WordDocument) -> None:
    assert len(word.tables) > 10
    for table in word.tables:
        first = table.rows[0]._tr
        header = first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        assert header is not None and header.get(qn("w:val")) == "true"


def test_the_contents_list_every_section_as_a_link_to_its_heading_without_pressing_f9(
    word: WordDocument, report: Report
) -> None:
    entries = [p for p in word.paragraphs if p.style is not None and p.style.name == "TOC 1"]
    assert [p.text for p in entries] == [section.title for section in report.sections]
    bookmarks = {mark.get(qn("w:name")) for mark in word.element.body.iter(qn("w:bookmarkStart"))}
    for entry in entries:
        links = entry._p.findall(qn("w:hyperlink"))
        assert len(links) == 1 and links[0].get(qn("w:anchor")) in bookmarks
    body = " ".join(p.text for p in word.paragraphs)
    assert "Update Field" not in body and "F9" not in body
    fields = list(word.element.body.iter(qn("w:fldChar")))
    assert fields and not any(mark.get(qn("w:dirty")) for mark in fields)  # Word asks nothing on opening


def test_the_document_properties_name_the_report_its_authority_and_language(word: WordDocument, report: Report) -> None:
    properties = word.core_properties
    assert properties.title == report.title
    assert properties.author == report.authority
    assert properties.subject == report.subtitle
    assert properties.language == "en-GB"
    assert "Prepared Prepared" not in properties.comments
    assert properties.comments.endswith(f"{report.prepared}.")
