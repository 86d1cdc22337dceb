"""The annual report built from a small hand-made year (2024-25), rendered in all three formats.

Children A, B, D and R1, R3, R4 are in care on 31 March 2025 (six children). R1, R3 and R4 had seven
reviews between them, six on time (85.7%); of the five reviews of children aged 4 or over, four
involved the child (80.0%). See tests/metrics for how each of these was counted.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Report, Table
from iroscope.report.narrative import NarrativeContent, parse_narrative
from iroscope.report.pdf import html_to_pdf
from tests.metrics.helpers import D, child, dataset, episode

SECTION_TITLES = [
    "2024-25 at a glance",
    "Key messages",
    "Introduction",
    "The IRO service and team",
    "Children in care",
    "Reviews and their timeliness",
    "Participation and the child's voice",
    "Midway reviews and oversight between reviews",
    "IRO visits and consultations",
    "Resolving concerns",
    "Good practice",
    "Advocacy and independent visitors",
    "Quality assurance",
    "Progress on last year's priorities",
    "Priorities for next year",
    "Appendix A: what each figure means",
    "Appendix B: the data behind this report",
]
# The narrative below gives no progress on last year's priorities: that section is listed at the front
# as still to be written, rather than printed as a page holding only a placeholder.
UNWRITTEN = "Progress on last year's priorities"
PRINTED_TITLES = [title for title in SECTION_TITLES if title != UNWRITTEN]
NARRATIVE = """
authority: Anytown Council (synthetic)
foreword: |
  This year the service welcomed two new IROs.

  We thank the children who told us what matters to them.
priorities:
  - Every child seen by their IRO before each review
"""


def review(child_id: str, day: Any, code: str) -> dict[str, Any]:
    return {"child_id": child_id, "review_date": day, "participation": code}


@pytest.fixture(scope="module")
def year() -> Dataset:
    return dataset(
        children=[
            child("A", sex="M", born=D(2010, 6, 1)),
            child("B", born=D(2024, 8, 1)),
            child("D", born=D(2015, 3, 1)),
            child("R1", sex="M", born=D(2012, 1, 1)),
            child("R3", born=D(2010, 1, 1)),
            child("R4", born=D(2021, 1, 10)),
        ],
        episodes=[
            episode("A", D(2019, 1, 10)),
            episode("B", D(2024, 9, 1), legal_status="C1"),
            episode("D", D(2020, 2, 1)),
            episode("R1", D(2024, 4, 15)),
            episode("R3", D(2024, 9, 2)),
            episode("R4", D(2024, 4, 2)),
        ],
        reviews=[
            review("R1", D(2024, 5, 13), "PN1"),
            review("R1", D(2024, 8, 20), "PN7"),
            review("R1", D(2025, 2, 20), "PN6"),
            review("R3", D(2024, 9, 27), "PN5"),
            review("R4", D(2024, 4, 30), "PN0"),
            review("R4", D(2024, 7, 30), "PN0"),
            review("R4", D(2025, 1, 28), "PN3"),
        ],
        iro_staff=[{"iro_id": "I1", "fte": 1.0, "start_date": D(2020, 1, 1), "gender": "FEMALE", "ethnicity": "WBRI"}],
        iro_allocations=[
            {"child_id": c, "iro_id": "I1", "start_date": D(2024, 4, 1)} for c in ("A", "B", "D", "R1", "R3", "R4")
        ],
    )


@pytest.fixture(scope="module")
def report(year: Dataset) -> Report:
    return build_report(year, 2024, narrative=parse_narrative(NARRATIVE), prepared=D(2025, 6, 30))


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def page_text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.fixture(scope="module")
def pdf_pages(page: str) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(html_to_pdf(page))).pages]


@pytest.fixture(scope="module")
def word(report: Report) -> Any:
    return Document(io.BytesIO(render_docx(report)))


def test_the_report_has_every_section_the_handbook_and_the_seeds_ask_for(report: Report) -> None:
    assert [section.title for section in report.sections] == PRINTED_TITLES
    assert [part for part in report.unwritten if part.startswith(UNWRITTEN)] == [
        "Progress on last year's priorities can be added in the narrative file."
    ]
    assert report.authority == "Anytown Council (synthetic)"
    assert report.prepared == "Prepared on 30 June 2025"


def test_the_html_shows_the_hand_counted_figures(page_text: str) -> None:
    assert "6 of the 7 reviews whose due date is known were held within the timescales of regulation 33 (85.7%)." in (
        page_text
    )
    assert "4 of the 5 reviews of children aged 4 or over involved the child (80.0%)." in page_text
    assert "This year the service welcomed two new IROs." in page_text
    assert "Every child seen by their IRO before each review" in page_text


def test_every_rate_shown_agrees_with_its_own_numerator_and_denominator(page_text: str) -> None:
    """A percentage printed with its "n of m" must be n/m, wherever it appears."""
    shown = re.findall(r"(\d+\.\d)% \((\d[\d,]*) of (\d[\d,]*)", page_text)
    assert len(shown) > 10
    for percentage, numerator, denominator in shown:
        n, m = int(numerator.replace(",", "")), int(denominator.replace(",", ""))
        assert float(percentage) == round(100 * n / m, 1), (percentage, numerator, denominator)


def test_a_figure_that_appears_twice_reads_the_same_both_times(report: Report, page_text: str) -> None:
    summary = report.sections[0].blocks[0]
    on_time = next(item for item in summary.items if item.label == "reviews held on time")  # type: ignore[union-attr]
    assert (on_time.value, on_time.note) == ("85.7%", "6 of 7 reviews whose due date is known")
    timeliness = next(s for s in report.sections if s.id == "timeliness")
    table = next(b for b in timeliness.blocks if isinstance(b, Table) and b.caption == "Reviews and their timeliness")
    assert ("Held on time", "85.7% (6 of 7)") in table.rows
    children = next(s for s in report.sections if s.id == "children")
    counts = next(
        b for b in children.blocks if isinstance(b, Table) and b.caption == "Children coming into and leaving care"
    )
    assert ("Children in care at the year end", "6") in counts.rows
    assert "6 children in care on 31 March 2025" in page_text


def test_the_pdf_has_a_cover_contents_and_page_numbers(pdf_pages: list[str]) -> None:
    assert len(pdf_pages) >= 12
    cover = " ".join(pdf_pages[0].split())
    assert "Anytown Council (synthetic)" in cover
    assert "Independent Reviewing Officer service annual report" in cover
    contents = pdf_pages[1]
    for title in PRINTED_TITLES:
        assert title in contents.replace("’", "'"), title
    assert f"Page 2 of {len(pdf_pages)}" in pdf_pages[1]
    flat = [" ".join(text.split()) for text in pdf_pages]
    timeliness = next(text for text in flat if "were held within the timescales" in text)
    assert "Reviews and their timeliness" in timeliness
    assert "6 of the 7 reviews whose due date is known were held within the timescales" in timeliness


def test_the_word_file_uses_real_headings_and_tables(word: Any) -> None:
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == PRINTED_TITLES
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert "85.7% (6 of 7)" in cells
    assert len(word.tables) > 20


def test_small_numbers_can_be_suppressed_for_publication(year: Dataset) -> None:
    published = build_report(year, 2024, suppress=True, prepared=D(2025, 6, 30))
    children = next(s for s in published.sections if s.id == "children")
    counts = next(
        b for b in children.blocks if isinstance(b, Table) and b.caption == "Children coming into and leaving care"
    )
    rows = dict((row[0], row[1]) for row in counts.rows)
    assert rows["Children in care at the year end"] == "6"
    assert rows["Children who came into care"] == "fewer than 5"  # R1, R3, R4 and B: four
    timeliness = next(s for s in published.sections if s.id == "timeliness")
    table = next(b for b in timeliness.blocks if isinstance(b, Table) and b.caption == "Reviews and their timeliness")
    assert ("Overdue and not held at the year end", "fewer than 5") in table.rows
    # A rate built on fewer than 5 cannot be shown either: 4 of 5 children took part.
    participation = next(s for s in published.sections if s.id == "participation")
    rates = next(b for b in participation.blocks if isinstance(b, Table) and b.caption == "Participation")
    assert ("Reviews of children aged 4 or over that involved the child", "not shown") in rates.rows
    assert "fewer than 5" in render_html(published)


def test_without_a_narrative_the_report_says_what_is_still_to_be_written(year: Dataset) -> None:
    plain = build_report(year, 2024, narrative=NarrativeContent(), prepared=D(2025, 6, 30))
    text = render_html(plain)
    assert "The foreword has not been written yet" in text
    assert "Next year's priorities can be added in the narrative file." in text.replace("&#39;", "'")


def test_comparators_appear_beside_our_figures(year: Dataset) -> None:
    import polars as pl

    from iroscope.data.schema import COMPARATORS

    comparators = pl.DataFrame(
        {"kpi_id": ["cic_rate_per_10k"], "year": ["2024-25"], "area": ["England"], "value": [70.0]},
        schema=COMPARATORS.polars_schema,
    )
    with_comparators = Dataset(
        tables={
            **year.tables,
            "comparators": comparators,
            "population": pl.DataFrame({"year": ["2024-25"], "population_0_17": [3000]}),
        },
        years=year.years,
        authority_code=year.authority_code,
    )
    built = build_report(with_comparators, 2024, prepared=D(2025, 6, 30))
    children = next(s for s in built.sections if s.id == "children")
    counts = next(
        b for b in children.blocks if isinstance(b, Table) and b.caption == "Children coming into and leaving care"
    )
    rows = dict((row[0], row[1]) for row in counts.rows)
    assert rows["Children in care per 10,000 children"] == "20.0"  # 6 of 3,000 children
    assert rows["Children in care per 10,000 children: England"] == "70"


def test_every_section_a_narrative_can_comment_on_exists() -> None:
    from iroscope.report.narrative import SECTION_PROMPTS
    from iroscope.report.sections import SECTIONS

    assert set(SECTION_PROMPTS) <= {section_id for section_id, _build in SECTIONS}


def section_of(report: Report, section_id: str) -> Any:
    return next(s for s in report.sections if s.id == section_id)


def test_the_caseload_says_it_counts_children_allocated_not_children_in_care(page_text: str) -> None:
    # Six children are allocated to I1, the one full-time IRO, on 31 March 2025; six are in care.
    assert (
        "6 children were allocated to an IRO in post: on average 6.0 children allocated to each full-time IRO. "
        "This counts the children allocated, not the 6 children in care that day."
    ) in page_text


def test_the_service_says_how_many_children_had_an_iro_within_the_timescale(page_text: str, report: Report) -> None:
    # B, R1, R3 and R4 came into care this year and I1's allocation was open on their first day; A and D
    # came into care years before, so their IROs were not due this year.
    assert (
        "An IRO should be allocated to each child within 5 working days of the child coming into care. "
        "All 4 children whose IRO was due to be allocated this year had one within 5 working days."
    ) in page_text
    team = next(b for b in section_of(report, "service").blocks if isinstance(b, Table) and b.caption == "The IRO team")
    assert any(row[0] == "Children allocated an IRO in time" and "100.0% (4 of 4)" in row for row in team.rows)


def test_the_team_and_the_children_each_have_a_total_that_adds_up(report: Report) -> None:
    # One IRO (female, White British); children A and R1 male, B, D, R3 and R4 female, all White British.
    blocks = section_of(report, "service").blocks
    by_sex = next(b for b in blocks if isinstance(b, Table) and b.caption.endswith("by sex"))
    assert by_sex.columns == ("Sex", "IROs", "Children in care")
    assert by_sex.rows == (("Female", "1", "4"), ("Male", "0", "2"), ("Total", "1", "6"))
    by_ethnicity = next(b for b in blocks if isinstance(b, Table) and b.caption.endswith("by ethnic group"))
    assert by_ethnicity.rows[-1] == ("Total", "1", "6")


def test_the_participation_tile_counts_reviews_not_children(report: Report) -> None:
    tile = next(item for item in report.sections[0].blocks[0].items if "aged 4 or over" in item.label)  # type: ignore[union-attr]
    # Five reviews of children aged 4 or over (R1 three, R3 one, R4's PN3); four involved the child.
    assert (tile.label, tile.value, tile.note) == (
        "of reviews of children aged 4 or over involved the child",
        "80.0%",
        "4 of 5 reviews",
    )


def test_a_year_in_which_no_midway_review_due_was_completed_says_none_in_words(page_text: str) -> None:
    # None of the year's reviews has a midway review recorded, so none of those due was completed.
    assert re.search(r"\. None of the \d+ midway reviews due was completed\.", page_text)
    assert "midway reviews due) midway reviews" not in page_text


def test_the_word_file_description_says_prepared_once(word: Any) -> None:
    assert word.core_properties.comments == (
        "Independent Reviewing Officer service annual report for Anytown Council (synthetic), "
        "2024-25: 1 April 2024 to 31 March 2025. Prepared on 30 June 2025."
    )


def test_appendix_a_gives_each_figure_and_its_definition_with_no_identifier_column(report: Report) -> None:
    definitions = next(b for b in section_of(report, "definitions").blocks if isinstance(b, Table))
    assert definitions.columns == ("Figure", "Definition")
    rows = dict((row[0], row[1]) for row in definitions.rows)
    assert rows["Children who took part in their review"].startswith(
        "Reviews of children aged 4 or over held during the period that involved the child: the child attended, "
        "briefed an advocate, or gave their views another way."
    )
    flat = " ".join(cell for row in definitions.rows for cell in row)
    for identifier in ("cic_at_period_end", "due_date_unknown", "stood_down", "outside_band", "sent:<recipient>"):
        assert identifier not in flat


def test_no_participation_code_appears_without_its_meaning_in_the_html_or_word(page_text: str, word: Any) -> None:
    word_text = " ".join(
        [p.text for p in word.paragraphs]
        + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    )
    assert re.findall(r"\bPN\d\b", page_text) == []
    assert re.findall(r"\bPN\d\b", word_text) == []
    assert "Child attends and speaks for themselves" in page_text
