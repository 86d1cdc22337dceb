"""The letter to the child: its first draft in words for each age band, and the Word and PDF files
written from the text the IRO saved, opened and read back."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from iroscope.report.figures import ReportFigures
from iroscope.report.letters import letter_blocks, letter_docx, letter_file_name, letter_pdf
from iroscope.report.model import Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.sections import participation
from iroscope.rules.letters import LetterDecision, LetterFacts, draft_letter
from tests.metrics.test_letters import authority

D = dt.date
REVIEW = D(2025, 3, 3)
DECISIONS = (
    LetterDecision("Arrange for Sam to see their brother every month", "SOCIAL_WORKER", D(2025, 4, 3)),
    LetterDecision("Ask the school for extra help with reading", "EDUCATION", D(2025, 5, 30)),
)
FACTS = LetterFacts(
    first_name="Sam",
    date_of_birth=D(2015, 1, 10),  # 10 on the day of the review
    review_date=REVIEW,
    talked_about="We talked about your new school and about seeing your brother.",
    decisions=DECISIONS,
    next_review=D(2025, 9, 1),
    next_review_booked=True,
    iro_name="Ann Example",
    service_contact="Call the IRO service on 01234 567890.",
    advocacy_contact="Ask your social worker or IRO for an advocate.",
    authority="Exampleshire County Council",
)
SEVEN = replace(FACTS, date_of_birth=D(2017, 3, 4))  # 8 the day after the review
FIFTEEN = replace(FACTS, date_of_birth=D(2009, 6, 1))


def test_a_letter_to_a_child_under_8_uses_short_sentences_and_simple_words() -> None:
    letter = draft_letter(SEVEN)
    assert letter.startswith("Dear Sam,")
    assert "My name is Ann Example. I am your IRO. My job is to check that you are safe and happy." in letter
    assert "We will meet again on 1 September 2025." in letter
    assert "- Ask the school for extra help with reading. Your school will do this by 30 May 2025." in letter
    assert "From Ann Example, your IRO" in letter
    assert "right" not in letter  # rights are explained from 13


def test_a_letter_to_a_child_of_8_to_12_explains_the_iro_and_an_advocate() -> None:
    letter = draft_letter(FACTS)
    assert "I am Ann Example, your Independent Reviewing Officer (IRO). I chair your reviews" in letter
    assert "I am writing to tell you about your review on 3 March 2025." in letter
    assert (
        "- Arrange for Sam to see their brother every month. Your social worker will do this by 3 April 2025." in letter
    )
    assert "Your next review is on 1 September 2025." in letter
    assert "An advocate is someone who can help you say what you think" in letter
    assert "Call the IRO service on 01234 567890." in letter
    assert letter.endswith("Independent Reviewing Officer, Exampleshire County Council")
    assert "Your rights" not in letter


def test_a_letter_to_a_child_of_13_or_over_gives_more_detail_and_their_rights() -> None:
    letter = draft_letter(FIFTEEN)
    assert "Your rights" in letter
    assert "You have the right to an advocate" in letter
    assert "to see what is written about you" in letter
    assert (
        "- Ask the school for extra help with reading. Your school or the virtual school is responsible for this, "
        "and it should be done by 30 May 2025." in letter
    )
    assert "Your next review is booked for 1 September 2025." in letter
    assert "Yours sincerely,\nAnn Example\nIndependent Reviewing Officer, Exampleshire County Council" in letter


def test_a_next_review_not_yet_booked_is_given_as_the_date_it_is_due_by() -> None:
    letter = draft_letter(replace(FACTS, next_review_booked=False))
    assert "Your next review will be by 1 September 2025. I will tell you the exact day." in letter


def test_contacts_typed_in_the_settings_without_a_full_stop_still_end_their_sentences() -> None:
    letter = draft_letter(replace(FACTS, service_contact="Call the IRO service on 01234 567890 "))
    assert "Call the IRO service on 01234 567890.\n" in letter
    assert "Ask your social worker or IRO for an advocate." in letter


def test_the_saved_text_is_read_as_headings_paragraphs_and_lists() -> None:
    kinds = [(block.kind, block.lines[0]) for block in letter_blocks(draft_letter(FACTS))]
    assert ("heading", "What we decided") in kinds
    assert (
        "list",
        "Arrange for Sam to see their brother every month. Your social worker will do this by 3 April 2025.",
    ) in kinds
    assert ("paragraph", "Dear Sam,") in kinds


def test_the_word_letter_holds_the_text_with_headings_in_a_readable_size() -> None:
    content = letter_docx(text=draft_letter(FACTS), authority=FACTS.authority, written_on=D(2025, 3, 10))
    document = Document(io.BytesIO(content))
    paragraphs = [(getattr(paragraph.style, "name", None), paragraph.text) for paragraph in document.paragraphs]
    texts = [text for _, text in paragraphs]
    assert texts[:3] == ["Exampleshire County Council", "A letter about your review", "10 March 2025"]
    assert "Dear Sam," in texts
    assert ("Heading 1", "What we decided") in paragraphs
    assert (
        "List Bullet",
        "Arrange for Sam to see their brother every month. Your social worker will do this by 3 April 2025.",
    ) in paragraphs
    assert "Your next review is on 1 September 2025." in texts
    assert document.styles["Normal"].font.size.pt == 14
    assert document.core_properties.language == "en-GB"


def pdf_text(content: bytes) -> str:
    """The PDF's words, each run of spaces and line breaks made one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_pdf_letter_holds_the_same_text_and_is_tagged() -> None:
    content = letter_pdf(text=draft_letter(FACTS), authority=FACTS.authority, written_on=D(2025, 3, 10))
    text = pdf_text(content)
    assert "Exampleshire County Council" in text
    assert "10 March 2025" in text
    assert "Dear Sam," in text
    assert "Your social worker will do this by 3 April 2025." in text
    assert "Your next review is on 1 September 2025." in text
    catalog: Any = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_the_files_are_named_by_the_review_not_the_child(file_format: str) -> None:
    assert letter_file_name(review_date=REVIEW, file_format=file_format) == (
        f"letter-about-the-review-of-2025-03-03.{file_format}"
    )


LETTERS_CAPTION = "Letters to children about their review"


def test_the_participation_section_counts_letters_sent_in_time_and_hides_a_small_count_when_asked() -> None:

    def letters_table(figures: ReportFigures) -> Table:
        blocks = participation(figures, NarrativeContent()).blocks
        return next(block for block in blocks if isinstance(block, Table) and block.caption == LETTERS_CAPTION)

    # One of the five August reviews' letters was sent by its deadline (tests/metrics/test_letters.py).
    shown = letters_table(ReportFigures(authority(), 2024))
    assert shown.rows == (("Letters to children sent within 20 working days of their review", "20.0% (1 of 5)"),)
    assert shown.row_kpis == ("letters_sent_on_time",)
    hidden = letters_table(ReportFigures(authority(), 2024, suppress=True))
    assert hidden.rows == (("Letters to children sent within 20 working days of their review", "not shown"),)


def test_a_service_that_records_no_letters_has_no_letters_table_in_its_report() -> None:

    blocks = participation(ReportFigures(authority(letters=False), 2024), NarrativeContent()).blocks
    assert LETTERS_CAPTION not in [block.caption for block in blocks if isinstance(block, Table)]
