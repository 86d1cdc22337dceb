"""The demonstration shows the finished article: the report `iroscope demo` writes carries an
illustrative narrative, marked as such, and no placeholder. A report with no narrative lists what is
still to be written once, at the front, and no page or section holds only a placeholder."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from lxml import html as lxml_html  # type: ignore[import-untyped]
from pypdf import PdfReader
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Narrative
from iroscope.report.narrative import ILLUSTRATIVE, NarrativeContent, demo_narrative
from iroscope.report.pdf import html_to_pdf
from iroscope.synth.generator import SynthConfig, generate

TODAY = dt.date(2026, 5, 1)
PLACEHOLDER = "To be written"
UNWRITTEN_HEADING = "Still to be written before this report is published"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(SynthConfig(children=80, years=2, seed=2), today=TODAY)


def test_the_demo_narrative_is_marked_as_illustrative_and_fills_every_part() -> None:
    narrative = demo_narrative()
    assert narrative.foreword.startswith(ILLUSTRATIVE)
    assert narrative.practice_examples and narrative.childrens_words and narrative.progress and narrative.priorities


def test_the_demo_writes_a_report_with_no_placeholder(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--children", "60", "--years", "2"])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out / "report.pdf").pages)
    word = Document(str(out / "report.docx"))
    word_text = " ".join(p.text for p in word.paragraphs)
    for text in (page, pdf, word_text):
        assert PLACEHOLDER not in text and UNWRITTEN_HEADING not in text and "narrative file" not in text
        assert ILLUSTRATIVE in text
    assert "Progress on last year&#39;s priorities" in page and "Priorities for next year" in page


def test_without_a_narrative_what_is_unwritten_is_listed_once_at_the_front(dataset: Dataset) -> None:
    report = build_report(dataset, max(dataset.years), narrative=NarrativeContent(), prepared=TODAY)
    assert not any(
        isinstance(block, Narrative) and not block.text for section in report.all_sections() for block in section.blocks
    )
    assert len(report.unwritten) == 5 and report.unwritten[0].startswith("The foreword")
    # The sections that held nothing but a placeholder are not printed as empty pages.
    assert {"progress", "priorities"}.isdisjoint(section.id for section in report.sections)

    page = render_html(report)
    tree = lxml_html.document_fromstring(page)
    lists = tree.find_class("title-unwritten")
    assert len(lists) == 1 and lists[0].getparent().tag == "header"  # on the title page
    assert [" ".join(li.text_content().split()) for li in lists[0].iter("li")] == list(report.unwritten)
    assert PLACEHOLDER not in page and not tree.find_class("narrative-missing")

    word = Document(io.BytesIO(render_docx(report)))
    texts = [p.text for p in word.paragraphs]
    assert texts.count(UNWRITTEN_HEADING) == 1 and texts.index(UNWRITTEN_HEADING) < texts.index("Contents")
    assert not any(text.startswith("To be written:") for text in texts)


def test_without_a_narrative_no_pdf_page_holds_only_a_placeholder(dataset: Dataset) -> None:
    report = build_report(dataset, max(dataset.years), narrative=NarrativeContent(), prepared=TODAY)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(html_to_pdf(render_html(report)))).pages]
    for number, text in enumerate(pages[1:], start=2):  # the title page carries the list itself
        for part in report.unwritten:
            assert part not in text, f"page {number} holds a placeholder: {text[:200]}"
