"""The three renderers of one report model: what a reader, a screen reader and an editor rely on."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import html as lxml_html  # type: ignore[import-untyped]
from pypdf import PdfReader

from iroscope.report.charts import chart_png, chart_svg
from iroscope.report.docx import render_docx
from iroscope.report.formats import FORMATS, OutputFormat, write_report
from iroscope.report.html import render_html
from iroscope.report.model import Report
from iroscope.report.pdf import html_to_pdf
from tests.report.sample import KNOWN_FIGURE, TEAM_ROWS, charts, sample_report, table_blocks


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def page_source(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def page(page_source: str) -> Any:
    return lxml_html.document_fromstring(page_source)


@pytest.fixture(scope="module")
def pdf_pages(page_source: str) -> list[str]:
    reader = PdfReader(io.BytesIO(html_to_pdf(page_source)))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def word(report: Report) -> Any:
    return Document(io.BytesIO(render_docx(report)))


def text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


def lines_of(page_text: str) -> list[str]:
    return [line.strip() for line in page_text.splitlines() if line.strip()]


def contents_page_numbers(pdf_pages: list[str], titles: list[str]) -> dict[str, int]:
    """Each title's page number as the contents page prints it ("Summary . . . . 3")."""
    contents = next(text for text in pdf_pages if "Contents" in lines_of(text))
    numbers: dict[str, int] = {}
    for title in titles:
        found = re.search(re.escape(title) + r"[\s.]*?(\d+)\s*$", contents, re.MULTILINE)
        if found:
            numbers[title] = int(found.group(1))
    return numbers


# -- charts -----------------------------------------------------------------------------------


def test_the_same_chart_draws_the_same_svg_every_time(report: Report) -> None:
    chart = charts(report)[0]
    assert chart_svg(chart, element_id="a") == chart_svg(chart, element_id="a")


def test_every_kind_of_chart_draws_as_svg_and_png(report: Report) -> None:
    kinds = {chart.kind for chart in charts(report)}
    assert kinds == {"bar", "stacked", "line", "horizontal"}
    for chart in charts(report):
        assert chart_svg(chart).startswith("<svg ")
        assert chart_png(chart, dpi=40).startswith(b"\x89PNG")


def test_drawing_a_chart_leaves_matplotlib_settings_as_they_were(report: Report) -> None:
    before = dict(matplotlib.rcParams)
    chart_svg(charts(report)[1])
    assert dict(matplotlib.rcParams) == before


def test_two_charts_on_one_page_share_no_element_ids(report: Report) -> None:
    first, second = charts(report)[:2]
    ids = re.findall(r'\bid="([^"]+)"', chart_svg(first, element_id="one") + chart_svg(second, element_id="two"))
    assert len(ids) == len(set(ids))


# -- HTML -------------------------------------------------------------------------------------


def test_the_page_is_marked_as_uk_english(page: Any) -> None:
    assert page.get("lang") == "en-GB"


def test_headings_run_title_then_contents_then_sections_with_subsections_beneath(page: Any, report: Report) -> None:
    headings = [(element.tag, text_of(element)) for element in page.iter("h1", "h2", "h3", "h4")]
    expected = [("h1", report.title), ("h2", "Contents")]
    for section in report.sections:
        expected.append(("h2", section.title))
        expected.extend(("h3", sub.title) for sub in section.subsections)
    assert headings == expected


def test_the_title_page_gives_the_authority_period_and_date_prepared(page: Any, report: Report) -> None:
    title_page = text_of(page.xpath("//header[@class='title-page']")[0])
    for fact in (report.authority, report.subtitle, report.period_label, report.prepared):
        assert fact in title_page


def test_the_contents_links_to_every_section_and_subsection(page: Any, report: Report) -> None:
    links = [link.get("href") for link in page.xpath("//nav//a")]
    assert links == [f"#{section.id}" for section in report.all_sections()]
    for section in report.all_sections():
        assert len(page.get_element_by_id(section.id)) > 0


def test_every_table_has_a_caption_and_header_cells_scoped_to_columns_and_rows(page: Any, report: Report) -> None:
    tables = page.xpath("//table")
    assert len(tables) == len(table_blocks(report))
    for table, block in zip(tables, table_blocks(report), strict=True):
        assert block.caption in text_of(table.xpath("caption")[0])
        assert [th.get("scope") for th in table.xpath("thead//th")] == ["col"] * len(block.columns)
        assert [th.get("scope") for th in table.xpath("tbody//th")] == ["row"] * len(block.rows)


def test_each_chart_is_an_image_named_by_its_alt_text_inside_a_captioned_figure(page: Any, report: Report) -> None:
    figures = page.xpath("//figure")
    assert len(figures) == len(charts(report))
    for figure, chart in zip(figures, charts(report), strict=True):
        svg = figure.xpath(".//svg")[0]
        assert svg.get("role") == "img"
        assert svg.get("aria-label") == chart.alt
        assert chart.title in text_of(figure.xpath("figcaption")[0])
        assert figure.xpath(".//details//table/caption")


def test_key_figures_show_each_value_with_its_label(page: Any) -> None:
    cards = [text_of(card) for card in page.xpath("//ul[contains(@class, 'key-figures')]/li")]
    assert cards[0] == "89.1% reviews held on time 873 of 980 reviews"


def test_narrative_is_split_into_paragraphs_and_its_markup_is_escaped(page: Any, page_source: str) -> None:
    paragraphs = [text_of(p) for p in page.xpath("//div[@class='narrative']/p")]
    assert paragraphs[1] == "Children & young people told us they want shorter meetings <and> fewer adults present."
    assert "&lt;and&gt;" in page_source


def test_a_missing_narrative_says_what_is_still_to_be_written(page: Any) -> None:
    notes = [text_of(note) for note in page.xpath("//div[contains(@class, 'narrative-missing')]")]
    assert notes == ["To be written How children's views changed their plans this year."]


def test_no_two_elements_on_the_page_share_an_id(page: Any) -> None:
    ids = [element.get("id") for element in page.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


def test_the_page_needs_no_other_file(page: Any) -> None:
    external = [
        value
        for element in page.iter()
        for attribute in ("src", "href")
        if (value := element.get(attribute)) and not value.startswith("#")
    ]
    assert external == []


# -- PDF --------------------------------------------------------------------------------------


def test_the_pdf_runs_to_several_pages_and_opens_with_the_title(pdf_pages: list[str], report: Report) -> None:
    assert len(pdf_pages) > 1
    assert report.title in " ".join(pdf_pages[0].split())


def test_the_contents_page_gives_a_page_number_for_every_section(pdf_pages: list[str], report: Report) -> None:
    titles = [section.title for section in report.all_sections()]
    numbers = contents_page_numbers(pdf_pages, titles)
    assert list(numbers) == titles
    assert all(2 < number <= len(pdf_pages) for number in numbers.values())
    assert list(numbers.values()) == sorted(numbers.values())


def test_page_two_has_a_footer_with_its_number_and_the_total(pdf_pages: list[str]) -> None:
    assert f"Page 2 of {len(pdf_pages)}" in pdf_pages[1]


def test_only_the_title_page_goes_without_the_running_header(pdf_pages: list[str], report: Report) -> None:
    header = f"{report.title} {report.period_label}"
    headed = [header in lines_of(text) for text in pdf_pages]
    assert headed == [False] + [True] * (len(pdf_pages) - 1)


def test_the_contents_give_the_page_each_section_heading_is_on(pdf_pages: list[str], report: Report) -> None:
    # Sections run on under their headings (decision 0019); the first starts a page of its own.
    titles = [section.title for section in report.sections]
    numbers = contents_page_numbers(pdf_pages, titles)
    assert list(numbers) == titles
    for title, number in numbers.items():
        assert title in lines_of(pdf_pages[number - 1]), title
    # WeasyPrint draws the running header after the page body, so the body's text comes first.
    assert lines_of(pdf_pages[numbers[titles[0]] - 1])[0] == titles[0]


def test_a_long_table_repeats_its_header_row_on_the_next_page(pdf_pages: list[str]) -> None:
    last_row = next(text for text in pdf_pages if f"IRO {TEAM_ROWS}" in text)
    first_row = next(text for text in pdf_pages if "IRO 01" in text)
    assert last_row != first_row
    assert "Reviews chaired" in last_row


# -- Word -------------------------------------------------------------------------------------


def test_heading_1_paragraphs_are_the_section_titles_in_order(word: Any, report: Report) -> None:
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [section.title for section in report.sections]


def test_subsections_are_heading_2_and_the_title_uses_the_title_style(word: Any, report: Report) -> None:
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 2"] == ["The child's voice"]
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == [report.title]


def test_the_document_has_a_table_of_contents_field_after_the_title_page(word: Any) -> None:
    codes = [node.text for node in word.element.body.iter(qn("w:instrText"))]
    assert r'TOC \o "1-3" \h \z \u' in [code.strip() for code in codes]
    names = [p.style.name for p in word.paragraphs]
    assert names.index("TOC Heading") < names.index("Heading 1")


def test_there_is_a_word_table_for_every_table_and_chart_data_table(word: Any, report: Report) -> None:
    assert len(word.tables) == len(table_blocks(report))


def test_every_table_repeats_its_header_row_on_each_page(word: Any) -> None:
    for table in word.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"


def test_there_is_a_picture_for_every_chart_with_its_alt_text(word: Any, report: Report) -> None:
    descriptions = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert descriptions == [chart.alt for chart in charts(report)]


def test_a_known_figure_appears_in_a_table_cell(word: Any) -> None:
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert KNOWN_FIGURE in cells


def test_pages_are_a4_with_page_numbers_in_the_footer(word: Any) -> None:
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (round(Mm(210).mm), round(Mm(297).mm))
    codes = [node.text.strip() for node in section.footer._element.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]


# -- formats ----------------------------------------------------------------------------------


def test_html_pdf_and_word_are_registered_under_their_file_names() -> None:
    assert {name: output.file_name for name, output in FORMATS.items()} == {
        "html": "report.html",
        "pdf": "report.pdf",
        "docx": "report.docx",
    }


def test_an_added_format_is_written_alongside_a_built_in_one(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = OutputFormat("titles", "titles.txt", "text/plain", "Section titles", lambda r: r.title.encode())
    monkeypatch.setitem(FORMATS, "titles", titles)
    paths = write_report(report, tmp_path / "out", formats=["titles", "html"])
    assert paths == [tmp_path / "out" / "titles.txt", tmp_path / "out" / "report.html"]
    assert paths[0].read_text() == report.title
    assert paths[1].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unknown_format_is_refused_with_the_formats_there_are(report: Report, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Choose from: docx, html, pdf"):
        write_report(report, tmp_path, formats=["odt"])
    assert list(tmp_path.iterdir()) == []
