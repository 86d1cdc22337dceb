"""Where the report starts a new page. Sections run on one after another, so the year at a glance (a
third of a page) and the short sections do not leave pages mostly white; the body starts after the
contents, and the appendices start a page of their own, in the PDF and in the Word file alike."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader

from iroscope.report.build import build_report
from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Report
from iroscope.report.pdf import html_to_pdf
from iroscope.synth.generator import SynthConfig, generate

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def report() -> Report:
    dataset = generate(SynthConfig(children=80, years=2, seed=2), today=TODAY)
    return build_report(dataset, max(dataset.years), prepared=TODAY)


def test_in_word_only_the_first_section_and_the_first_appendix_start_a_new_page(report: Report) -> None:
    document = Document(io.BytesIO(render_docx(report)))
    headings = [p for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [section.title for section in report.sections]
    starting = [p.text for p in headings if p.paragraph_format.page_break_before]
    first_appendix = next(section.title for section in report.sections if section.appendix)
    assert starting == [report.sections[0].title, first_appendix]
    assert not document.styles["Heading 1"].paragraph_format.page_break_before


def test_in_the_pdf_the_key_messages_share_the_page_of_the_year_at_a_glance(report: Report) -> None:
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(html_to_pdf(render_html(report)))).pages]
    glance, key_messages = report.sections[0].title, report.sections[1].title
    assert key_messages == "Key messages"
    [page] = [number for number, text in enumerate(pages) if glance in text and "Contents" not in text]
    assert key_messages in pages[page]
