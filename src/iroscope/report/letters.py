"""The letter to the child after their review: the first draft in words for the child's age, and the
letter the IRO approved written as Word (editable) and as a tagged PDF (docs/decisions/0022).

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
from iroscope.rules.letters import AgeBand, letter_age_band

FONT = "Arial"
BODY_POINTS = 14  # larger than a report's 11 points: children, and carers reading aloud
HEADING_POINTS = 18
TITLE_POINTS = 22
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
HEADING_MAX_CHARACTERS = 60
PDF_VARIANT = "pdf/ua-1"  # tagged, as the annual report is

# Who carries a decision out, in words for each age band (codes.DECISION_RESPONSIBLE).
WHO: dict[str, tuple[str, str, str]] = {
    # code: (under 8, 8 to 12, 13 and over)
    "SOCIAL_WORKER": ("Your social worker", "Your social worker", "Your social worker"),
    "TEAM_MANAGER": ("Your social worker's boss", "Your social worker's manager", "Your social worker's team manager"),
    "CARER": ("The grown-ups you live with", "Your carer", "Your carer"),
    "PARENT": ("Your mum or dad", "Your parent", "Your parent"),
    "CHILD": ("You", "You", "You"),
    "IRO": ("I", "I", "I"),
    "HEALTH": ("Your doctor or nurse", "Your doctor or nurse", "Your health worker"),
    "EDUCATION": ("Your school", "Your school", "Your school or the virtual school"),
    "OTHER": ("Someone who helps you", "Someone who helps you", "Someone else"),
}
BANDS = (AgeBand.UNDER_8, AgeBand.EIGHT_TO_12, AgeBand.THIRTEEN_AND_OVER)


@dataclass(frozen=True)
class LetterDecision:
    """One decision of the review: what, who (a `DECISION_RESPONSIBLE` code), by when."""

    decision: str
    responsible: str
    due_date: dt.date


@dataclass(frozen=True)
class LetterFacts:
    """What the first draft says. `first_name` is typed by the IRO for this letter only: iroscope holds
    no names of children."""

    first_name: str
    date_of_birth: dt.date
    review_date: dt.date
    talked_about: str
    decisions: tuple[LetterDecision, ...]
    next_review: dt.date | None
    next_review_booked: bool
    iro_name: str | None
    service_contact: str
    advocacy_contact: str
    authority: str


def who_will(responsible: str, band: AgeBand) -> str:
    words = WHO.get(responsible, WHO["OTHER"])
    return words[BANDS.index(band)]


def _decision_line(decision: LetterDecision, band: AgeBand) -> str:
    what = decision.decision.strip().rstrip(".")
    who = who_will(decision.responsible, band)
    by = long_date(decision.due_date)
    if band is AgeBand.UNDER_8:
        return f"- {what}. {who} will do this by {by}."
    if band is AgeBand.EIGHT_TO_12:
        return f"- {what}. {who} will do this by {by}."
    return f"- {what}. {who} is responsible for this, and it should be done by {by}."


def _next_review(facts: LetterFacts, band: AgeBand) -> str:
    if facts.next_review is None:
        return {
            AgeBand.UNDER_8: "I will tell you when we will meet again.",
            AgeBand.EIGHT_TO_12: "I will let you know when your next review will be.",
            AgeBand.THIRTEEN_AND_OVER: "The date of your next review has not been set yet. I will let you know.",
        }[band]
    day = long_date(facts.next_review)
    if band is AgeBand.UNDER_8:
        return f"We will meet again on {day}." if facts.next_review_booked else f"We will meet again by {day}."
    if band is AgeBand.EIGHT_TO_12:
        return (
            f"Your next review is on {day}."
            if facts.next_review_booked
            else f"Your next review will be by {day}. I will tell you the exact day."
        )
    return (
        f"Your next review is booked for {day}. You can tell me how and where you would like it to be held, "
        "and who you would like to be there."
        if facts.next_review_booked
        else f"Your next review must be held by {day}. You can tell me how and where you would like it to be "
        "held, and who you would like to be there."
    )


def draft_letter(facts: LetterFacts) -> str:
    """The first draft, in words for the child's age on the day of the review; the IRO edits it."""
    band = letter_age_band(date_of_birth=facts.date_of_birth, review_date=facts.review_date)
    iro = facts.iro_name or "your IRO"
    held = long_date(facts.review_date)
    talked = facts.talked_about.strip() or "(Write here what was talked about.)"
    decisions = [_decision_line(decision, band) for decision in facts.decisions]
    parts: list[str] = [f"Dear {facts.first_name.strip()},"]
    if band is AgeBand.UNDER_8:
        parts += [
            f"My name is {iro}. I am your IRO. My job is to check that you are safe and happy.",
            f"We had a meeting about you on {held}. This letter tells you about it.",
            "What we talked about",
            talked,
            "What we decided",
            "\n".join(decisions) if decisions else "We did not need to change anything.",
            "When we will meet again",
            _next_review(facts, band),
            "Talking to me",
            "You can talk to me at any time. Ask your carer or social worker to help you. "
            + facts.service_contact.strip(),
            "If you want someone to help you say what you think, you can have an advocate. "
            + facts.advocacy_contact.strip(),
            f"From {iro}, your IRO",
        ]
    elif band is AgeBand.EIGHT_TO_12:
        parts += [
            f"I am {iro}, your Independent Reviewing Officer (IRO). I chair your reviews and check that the plan "
            "for you is working.",
            f"I am writing to tell you about your review on {held}.",
            "What we talked about",
            talked,
            "What we decided",
            "\n".join(decisions) if decisions else "We decided that your plan should stay as it is.",
            "Your next review",
            _next_review(facts, band),
            "Getting in touch",
            "You can contact me at any time if you are worried or want to tell me something. "
            + facts.service_contact.strip(),
            "An advocate is someone who can help you say what you think and make sure you are listened to. "
            + facts.advocacy_contact.strip(),
            f"Best wishes,\n{iro}\nIndependent Reviewing Officer, {facts.authority}",
        ]
    else:
        parts += [
            f"I am {iro}, your Independent Reviewing Officer (IRO). My role is to chair your reviews, to make sure "
            "your care plan meets your needs and that your views are heard, and to challenge the council if "
            "things are not happening as they should.",
            f"This letter is about your review on {held}: what we discussed, what was decided, and who will do "
            "what and by when.",
            "What we discussed",
            talked,
            "What was decided",
            "\n".join(decisions) if decisions else "No new decisions were made: your care plan continues as it is.",
            "Your next review",
            _next_review(facts, band),
            "Your rights",
            "You have the right to have your views listened to and taken seriously, to see what is written about "
            "you, and to disagree with decisions. If you are not happy with something, you can tell me and I will "
            "raise it. You can also make a complaint to the council.",
            "You have the right to an advocate: someone independent who is on your side and can help you say what "
            "you want. " + facts.advocacy_contact.strip(),
            "Contacting me",
            "You can contact me at any time, including between reviews. " + facts.service_contact.strip(),
            f"Yours sincerely,\n{iro}\nIndependent Reviewing Officer, {facts.authority}",
        ]
    return "\n\n".join(parts)


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
