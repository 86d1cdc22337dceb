"""The letter to the child after their review, as the IRO approved it, written as Word (editable) and as
a tagged PDF (docs/decisions/0022). The first draft's words are `iroscope.rules.letters.draft_letter`.

The letter is plain text, as the IRO edits it: paragraphs are separated by a blank line, a line
starting "- " is a point in a list, and a short line of its own with no full stop is a heading ("What
we decided"). The Word and PDF files read the same text the same way, so what the IRO saved is what
the child gets."""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass
from typing import Literal

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from weasyprint import HTML  # type: ignore[import-untyped]

from iroscope.rules.calendar import long_date

FONT = "Arial"
BODY_POINTS = 14  # larger than a report's 11 points: children, and carers reading aloud
HEADING_POINTS = 18
TITLE_POINTS = 22
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
HEADING_MAX_CHARACTERS = 60
PDF_VARIANT = "pdf/ua-1"  # tagged, as the annual report is

# ---------------------------------------------------------------- reading the saved text ----------

BlockKind = Literal["heading", "paragraph", "list"]


@dataclass(frozen=True)
class LetterBlock:
    kind: BlockKind
    lines: tuple[str, ...]


def letter_blocks(text: str) -> list[LetterBlock]:
    """The saved text as headings, paragraphs (their lines kept) and lists, as the module says."""
    blocks: list[LetterBlock] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = tuple(line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip())
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            blocks.append(LetterBlock("list", tuple(line.lstrip()[2:].strip() for line in lines)))
        elif len(lines) == 1 and _is_heading(lines[0]):
            blocks.append(LetterBlock("heading", lines))
        else:
            blocks.append(LetterBlock("paragraph", lines))
    return blocks


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= HEADING_MAX_CHARACTERS and stripped[-1] not in ".,;:!?)" and not stripped.startswith("(")


TITLE = "A letter about your review"


def letter_docx(*, text: str, authority: str, written_on: dt.date) -> bytes:
    """The letter as an editable Word document: the authority's name, a title, the date, then the
    letter, in Arial at 14 points with real headings and lists."""
    document = Document()
    styles = document.styles
    for name, size, bold in (
        ("Normal", BODY_POINTS, False),
        ("Title", TITLE_POINTS, True),
        ("Heading 1", HEADING_POINTS, True),
        ("List Bullet", BODY_POINTS, False),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.color.rgb = TEXT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    styles["Normal"].paragraph_format.space_after = Pt(10)
    core = document.core_properties
    core.title = TITLE
    core.author = authority
    core.language = "en-GB"
    document.add_paragraph(authority, style="Normal").runs[0].bold = True
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(long_date(written_on))
    for block in letter_blocks(text):
        if block.kind == "heading":
            document.add_heading(block.lines[0], level=1)
        elif block.kind == "list":
            for line in block.lines:
                document.add_paragraph(line, style="List Bullet")
        else:
            paragraph = document.add_paragraph()
            for index, line in enumerate(block.lines):
                run = paragraph.add_run(line)
                if index < len(block.lines) - 1:
                    run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_html(*, text: str, authority: str, written_on: dt.date) -> str:
    """The letter as one HTML page, for the PDF."""
    body: list[str] = []
    for block in letter_blocks(text):
        if block.kind == "heading":
            body.append(f"<h2>{html.escape(block.lines[0])}</h2>")
        elif block.kind == "list":
            items = "".join(f"<li>{html.escape(line)}</li>" for line in block.lines)
            body.append(f"<ul>{items}</ul>")
        else:
            body.append("<p>" + "<br>".join(html.escape(line) for line in block.lines) + "</p>")
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{html.escape(TITLE)}</title><style>"
        "@page { size: A4; margin: 2cm; }"
        f"body {{ font-family: {FONT}, 'Liberation Sans', sans-serif; font-size: {BODY_POINTS}pt; "
        "line-height: 1.4; color: #0b0c0c; }"
        f"h1 {{ font-size: {TITLE_POINTS}pt; margin: 0 0 0.5em; }}"
        f"h2 {{ font-size: {HEADING_POINTS}pt; margin: 1em 0 0.3em; }}"
        ".authority { font-weight: bold; margin: 0 0 1em; }"
        "</style></head><body>"
        f'<p class="authority">{html.escape(authority)}</p>'
        f"<h1>{html.escape(TITLE)}</h1><p>{html.escape(long_date(written_on))}</p>" + "".join(body) + "</body></html>"
    )


def letter_pdf(*, text: str, authority: str, written_on: dt.date) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1) on A4, from `letter_html`."""
    pdf: bytes = HTML(string=letter_html(text=text, authority=authority, written_on=written_on)).write_pdf(
        pdf_variant=PDF_VARIANT
    )
    return pdf


def letter_file_name(*, review_date: dt.date, file_format: str) -> str:
    """Named by the review's date, never by the child's identifier or name."""
    return f"letter-about-the-review-of-{review_date.isoformat()}.{file_format}"
