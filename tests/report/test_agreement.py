"""The agreement check run on whole reports of three synthetic authorities of different sizes, in
HTML, Word and PDF, and on a report made inconsistent on purpose, which it must catch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest

from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Chart, KeyFigure, KeyFigures, Paragraph, Report, Section, Series, Table
from iroscope.report.pdf import html_to_pdf
from iroscope.synth.generator import SynthConfig, generate
from tests.report.agreement import (
    Rendered,
    chart_disagreements,
    checked_figures,
    checked_places,
    disagreements,
    format_disagreements,
    pdf_disagreements,
    read_docx,
    read_html,
    read_pdf,
    tile_table_disagreements,
)

TODAY = dt.date(2026, 5, 1)


@dataclass(frozen=True)
class RenderedReport:
    html: Rendered
    word: Rendered
    pdf: Rendered
    page: str
    latest: str


def render_all(report: Report) -> RenderedReport:
    page = render_html(report)
    return RenderedReport(
        read_html(page), read_docx(render_docx(report)), read_pdf(html_to_pdf(page)), page, report.period_label
    )


@pytest.fixture(
    scope="module",
    params=[
        SynthConfig(children=80, years=2, seed=2),
        SynthConfig(children=150, years=2, seed=7),
        SynthConfig(children=250, years=2, seed=13),
    ],
    ids=lambda config: f"{config.children}-children-seed-{config.seed}",
)
def authority(request: pytest.FixtureRequest) -> RenderedReport:
    dataset: Dataset = generate(request.param, today=TODAY)
    return render_all(build_report(dataset, max(dataset.years), prepared=TODAY))


def test_every_rate_and_total_agrees_with_itself_in_the_html_word_and_pdf(authority: RenderedReport) -> None:
    assert disagreements(authority.html, authority.word, authority.pdf) == []


def test_the_check_looks_at_many_rates_and_totals_in_each_format(authority: RenderedReport) -> None:
    html_rates, html_totals, html_tiles = checked_figures(authority.html)
    word_rates, word_totals, word_tiles = checked_figures(authority.word)
    pdf_rates, _, _ = checked_figures(authority.pdf)
    assert html_rates > 30 and html_totals > 10 and html_tiles == 3  # on time, took part, midway
    assert word_rates > 30 and word_totals > 10 and word_tiles == 3
    assert pdf_rates > 30


def inconsistent_report() -> Report:
    """A report whose sentence, rate cell and total each disagree with their own counts."""
    table = Table(
        "Children by sex",
        ("Sex", "2025-26"),
        (("Female", "9"), ("Male", "3"), ("Total", "11")),
    )
    rates = Table(
        "Reviews", ("", "2025-26"), (("Held on time", "80.0% (8 of 10)"), ("Involved the child", "75.0% (2 of 3)"))
    )
    tiles = KeyFigures(
        (
            KeyFigure("reviews held on time", "90.0%", "8 of 10 reviews"),
            KeyFigure("midway reviews completed", "50.0%", "1 of 2 due"),
        )
    )
    text = Paragraph("739 of the 997 midway reviews due were completed (75.1%). 50.0% (1 of 3 reviews) were late.")
    return Report(
        title="Independent Reviewing Officer service annual report",
        subtitle="2025-26",
        authority="Anytown Council (synthetic)",
        period_label="2025-26",
        prepared="Prepared on 1 May 2026",
        sections=(Section("figures", "Figures", (tiles, text, table, rates)),),
    )


def test_the_check_finds_every_figure_of_an_inconsistent_report_in_each_format() -> None:
    rendered = render_all(inconsistent_report())
    for one in (rendered.html, rendered.word):
        found = disagreements(one)
        assert any("Total 11 but the rows above add up to 12" in problem for problem in found), found
        assert any("75.0% (2 of 3)" in problem for problem in found), found
        assert any("50.0% (1 of 3)" in problem for problem in found), found
        assert any("739 of the 997" in problem for problem in found), found
        assert not any("80.0% (8 of 10)" in problem for problem in found), found
        assert any("the tile 90.0% says 8 of 10 reviews" in problem for problem in found), found
        assert not any("the tile 50.0%" in problem for problem in found), found
    pdf_found = disagreements(rendered.pdf)
    assert len(pdf_found) == 3, pdf_found  # the PDF's text holds the three rates, not its tables


def test_the_check_finds_quarters_that_do_not_add_up_to_the_whole_year_in_html_and_word() -> None:
    quarters = Table(
        "Reviews by quarter, 2025-26",
        ("Quarter", "Reviews held", "Held on time"),
        (
            ("April to June 2025", "10", "90.0% (9 of 10)"),
            ("July to September 2025", "12", "75.0% (9 of 12)"),
            ("Whole year", "23", "–"),
        ),
    )
    report = replace(inconsistent_report(), sections=(Section("quarters", "Quarters", (quarters,)),))
    for one in (read_html(render_html(report)), read_docx(render_docx(report))):
        assert disagreements(one) == [
            f"{one.format}: 'Reviews held': the whole year is 23 but its parts add up to 22"
        ], one.format


# -- one figure, one value, in every place and format ---------------------------------------------


def _places(report: RenderedReport) -> list[str]:
    return [
        *disagreements(report.html),  # a KPI shown in two tables with two values, among the rest
        *tile_table_disagreements(report.html, report.latest),
        *tile_table_disagreements(report.word, report.latest),
        *format_disagreements(report.html, report.word),
        *pdf_disagreements(report.html, report.pdf),
        *chart_disagreements(report.page),
    ]


def test_each_figure_reads_the_same_in_every_place_and_format(authority: RenderedReport) -> None:
    assert _places(authority) == []
    shared, tiles = checked_places(authority.html, authority.latest)
    assert shared >= 5 and tiles >= 2  # figures found in two tables; tiles found in a table


def inconsistent_places() -> Report:
    """A figure that reads one way in one place and another way elsewhere, in each kind of place."""
    tiles = KeyFigures((KeyFigure("Reviews held on time", "90.0%", "9 of 10 reviews"),))
    trend = Table(
        "Reviews",
        ("", "2025-26"),
        (("Reviews held on time", "80.0% (8 of 10)"),),
        row_kpis=("reviews_on_time",),
    )
    chart = Chart(
        "bar",
        "Reviews held on time",
        ("2025-26",),
        (Series("This authority", (85.0,)),),
        "%",
        "Reviews held on time: 85.0%.",
        Table("Reviews held on time", ("", "2025-26"), (("This authority", "85.0%"),), row_kpis=("reviews_on_time",)),
    )
    return Report(
        title="Independent Reviewing Officer service annual report",
        subtitle="2025-26",
        authority="Anytown Council (synthetic)",
        period_label="2025-26",
        prepared="Prepared on 1 May 2026",
        sections=(Section("figures", "Figures", (tiles, trend, chart)),),
    )


def test_the_check_finds_a_figure_that_reads_differently_in_two_places_or_formats() -> None:
    rendered = render_all(inconsistent_places())
    found = disagreements(rendered.html)
    assert any("'reviews_on_time' in 2025-26 reads 80.0% and 85.0%" in problem for problem in found), found
    tiles = tile_table_disagreements(rendered.html, "2025-26")
    assert any("the tile 90.0% 'Reviews held on time' but a table says 80.0% (8 of 10)" in p for p in tiles), tiles

    drawn = rendered.page.replace(">85.0%</text>", ">86.0%</text>")  # the bar's label, not the table's cell
    assert chart_disagreements(rendered.page) == []
    assert chart_disagreements(drawn) == ["Figure 1: the data table's 'This authority' 85.0% is not drawn on the chart"]

    word = Rendered("Word", rendered.word.text, [[list(row) for row in table] for table in rendered.word.tables])
    word.tables[0][1][1] = "81.0% (8 of 10)"
    assert any("table 1: HTML reads" in problem for problem in format_disagreements(rendered.html, word))
    pdf = Rendered("PDF", rendered.pdf.text.replace("90.0%", "91.0%"), [])
    assert pdf_disagreements(rendered.html, pdf) == ["PDF: 90.0% is on the web page but not in the PDF"]
