"""The report as a Word document, for a council to edit and brand. Everything is carried by named
styles (Word's own Title, Heading 1-3, Caption, Table Grid, plus a few of ours), so changing a
style, or pasting the document into a council template, restyles it all; nothing is drawn by hand."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.table import Table as WordTable
from docx.table import _Row
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from iroscope.report.charts import WIDTH_INCHES, chart_png
from iroscope.report.html import narrative_paragraphs, numeric_columns, report_notes
from iroscope.report.model import Block, Chart, KeyFigures, Narrative, Paragraph, Report, Section, Table

FONT = "Arial"
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
BLUE = "1D70B8"
LIGHT_GREY = "F3F2F1"
MID_GREY = "B1B4B6"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Mm(20)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TABLE_STYLE = "Table Grid"
CHARACTER = Cm(0.21)  # an average character of 10 pt Arial, bold, rounded up
CELL_PADDING = Cm(0.55)  # Word's default cell margins, 0.19 cm a side, with room to spare
KEEP_TOGETHER_ROWS = 15  # tables up to this long are kept on one page; longer ones may run on

# Our own paragraph styles, so an editor can restyle every key figure or table note at once.
KEY_FIGURE = "Key figure"
TABLE_TEXT = "Table text"
TABLE_NOTE = "Table note"
TO_BE_WRITTEN = "To be written"
REPORT_FACTS = "Report facts"

TOC_INSTRUCTION = r'TOC \o "1-3" \h \z \u'
TOC_LEVELS = ("TOC 1", "TOC 2", "TOC 3")  # Word's own names, so updating the field keeps the look


def render_docx(report: Report) -> bytes:
    """An A4 Word document: title page, a contents field, then the sections, each under a Heading 1."""
    document: WordDocument = Document()
    _page_setup(document, report)
    _styles(document)
    _properties(document, report)
    _title_page(document, report)
    _contents(document, report)
    writer = _Writer(document)
    for number, section in enumerate(report.sections):
        # As in the PDF: the body starts on the page after the contents and the appendices on a page of
        # their own; other sections run on, so a short section does not leave a page mostly white.
        starts_appendices = section.appendix and not report.sections[number - 1].appendix
        writer.section(section, level=1, new_page=number == 0 or starts_appendices)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- document setup ---------------------------------------------------------------------------


def _page_setup(document: WordDocument, report: Report) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(10)
    # The title page carries the title itself, so its header and footer stay empty.
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run(report.title)
    header.add_run("\t")
    header.add_run(report.period_label)

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run(report.authority)
    footer.add_run("\tPage ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _styles(document: WordDocument) -> None:
    styles = document.styles
    _language(document, "en-GB")

    normal = styles["Normal"]
    _font(normal, FONT, size=11, colour=TEXT)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15

    for name, size, before, after in (
        ("Title", 32, 0, 12),
        ("Heading 1", 24, 24, 12),
        ("Heading 2", 18, 18, 8),
        ("Heading 3", 14, 14, 6),
    ):
        style = styles[name]
        _font(style, FONT, size=size, colour=TEXT, bold=True)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    _bottom_border(styles["Heading 1"], BLUE, eighths=16)
    _bottom_border(styles["Title"], BLUE, eighths=24)

    subtitle = styles["Subtitle"]
    _font(subtitle, FONT, size=16, colour=TEXT, italic=False)
    subtitle.paragraph_format.space_after = Pt(36)

    toc_heading = styles["TOC Heading"]
    _font(toc_heading, FONT, size=24, colour=TEXT, bold=True)
    toc_heading.paragraph_format.page_break_before = True

    caption = styles["Caption"]
    _font(caption, FONT, size=11, colour=TEXT, bold=True)
    caption.paragraph_format.space_before = Pt(10)
    caption.paragraph_format.space_after = Pt(6)
    caption.paragraph_format.keep_with_next = True

    for name in ("Header", "Footer"):
        style = styles[name]
        _font(style, FONT, size=8.5, colour=SECONDARY)
        tabs = style.element.pPr.find(qn("w:tabs"))
        if tabs is not None:  # the template's tabs suit US Letter, not A4
            style.element.pPr.remove(tabs)
        style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    facts = _paragraph_style(document, REPORT_FACTS)
    facts.paragraph_format.space_after = Pt(4)

    # No border or shading: Word merges identical borders of neighbouring paragraphs into one box.
    key_figure = _paragraph_style(document, KEY_FIGURE)
    key_figure.paragraph_format.space_after = Pt(10)
    key_figure.paragraph_format.line_spacing = 1.0
    key_figure.paragraph_format.keep_together = True

    table_text = _paragraph_style(document, TABLE_TEXT)
    _font(table_text, FONT, size=10)
    table_text.paragraph_format.space_before = Pt(2)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0

    for depth, name in enumerate(TOC_LEVELS):
        entry = _paragraph_style(document, name)
        entry.paragraph_format.left_indent = Cm(0.75 * depth)
        entry.paragraph_format.space_after = Pt(4)

    table_note = _paragraph_style(document, TABLE_NOTE)
    _font(table_note, FONT, size=9, colour=SECONDARY)
    table_note.paragraph_format.space_before = Pt(4)

    to_be_written = _paragraph_style(document, TO_BE_WRITTEN)
    to_be_written.paragraph_format.left_indent = Pt(10)
    _left_border(to_be_written, MID_GREY, eighths=36)


def _properties(document: WordDocument, report: Report) -> None:
    core = document.core_properties
    core.title = report.title
    core.subject = report.subtitle
    core.author = report.authority
    core.last_modified_by = report.authority
    core.comments = f"{report.title} for {report.authority}, {report.subtitle}. {report.prepared}."
    core.language = "en-GB"
    core.category = "Annual report"
    core.keywords = "Independent Reviewing Officer; annual report; Corporate Parenting Board"
    # The blank template carries python-docx's own dates from 2013; the document is made now.
    core.created = core.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    core.revision = 1


def _title_page(document: WordDocument, report: Report) -> None:
    authority = document.add_paragraph(style=REPORT_FACTS)
    authority.paragraph_format.space_before = Pt(120)
    authority.paragraph_format.space_after = Pt(12)
    _run(authority, report.authority, bold=True, colour=SECONDARY, size=13)
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(report.subtitle, style="Subtitle")
    period = document.add_paragraph(style=REPORT_FACTS)
    _run(period, "Period: ", bold=True)
    period.add_run(report.period_label)
    document.add_paragraph(report.prepared, style=REPORT_FACTS)  # a sentence: "Prepared by … on 3 June 2025"
    notes = report_notes(report)
    if notes:
        heading = document.add_paragraph(style=REPORT_FACTS)
        heading.paragraph_format.space_before = Pt(36)
        _run(heading, "About the figures", bold=True)
        for note in notes:
            document.add_paragraph(note, style="List Bullet")
    if report.unwritten:
        heading = document.add_paragraph(style=REPORT_FACTS)
        heading.paragraph_format.space_before = Pt(24)
        tag = _run(heading, "Still to be written before this report is published", bold=True)
        tag.font.highlight_color = WD_COLOR_INDEX.YELLOW  # so whoever edits the document sees it at once
        for part in report.unwritten:
            document.add_paragraph(part, style="List Bullet")


def bookmark_name(section: Section) -> str:
    """The hidden bookmark on a section's heading that its contents entry links to (Word allows 40
    characters; a leading underscore keeps it out of the Bookmarks dialog, as Word's own TOC does)."""
    return f"_Toc_{section.id}"[:40]


def _contents(document: WordDocument, report: Report) -> None:
    """The contents as Word's own TOC field, whose result is written here rather than left for Word to
    fill: a reader sees every entry, each a link to its heading, without pressing F9. Updating the
    field in Word adds page numbers; nothing is lost if nobody does."""
    # TOC Heading is Word's own style for this: it sits outside the outline, so it does not list itself.
    document.add_paragraph("Contents", style="TOC Heading")
    entries = [(level, s) for top in report.sections for level, s in ((1, top), *((2, sub) for sub in top.subsections))]
    for index, (level, section) in enumerate(entries):
        paragraph = document.add_paragraph(style=TOC_LEVELS[level - 1])
        if index == 0:
            _field_start(paragraph, TOC_INSTRUCTION)
        _internal_link(paragraph, section.title, bookmark_name(section))
        if index == len(entries) - 1:
            _field_end(paragraph)


# -- content ----------------------------------------------------------------------------------


class _Writer:
    """Writes sections and their blocks, numbering figures in reading order as the HTML does."""

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.figures = 0
        self.bookmarks = 0

    def section(self, section: Section, *, level: int, new_page: bool = False) -> None:
        heading = self.document.add_heading(section.title, level=min(level, 3))
        if new_page:
            heading.paragraph_format.page_break_before = True
        _bookmark(heading, bookmark_name(section), self.bookmarks)
        self.bookmarks += 1
        for block in section.blocks:
            self.block(block)
        for sub in section.subsections:
            self.section(sub, level=level + 1)

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.document.add_paragraph(block.text)
        elif isinstance(block, KeyFigures):
            for item in block.items:
                paragraph = self.document.add_paragraph(style=KEY_FIGURE)
                _run(paragraph, item.value, bold=True, size=20)
                paragraph.add_run().add_break()
                _run(paragraph, item.label, bold=True)
                if item.note:
                    paragraph.add_run().add_break()
                    _run(paragraph, item.note, size=9.5, colour=SECONDARY)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Narrative):
            self.narrative(block)
        else:
            self.chart(block)

    def narrative(self, narrative: Narrative) -> None:
        paragraphs = narrative_paragraphs(narrative.text)
        for text in paragraphs:
            self.document.add_paragraph(text)
        if not paragraphs and narrative.missing:
            # Highlighted so that whoever edits the document sees at once what is still to write.
            paragraph = self.document.add_paragraph(style=TO_BE_WRITTEN)
            tag = _run(paragraph, "To be written:", bold=True)
            tag.font.highlight_color = WD_COLOR_INDEX.YELLOW
            paragraph.add_run(f" {narrative.missing}")

    def chart(self, chart: Chart) -> None:
        self.figures += 1
        number = self.figures
        caption = self.document.add_paragraph(style="Caption")
        caption.add_run(f"Figure {number}: {chart.title}")
        picture = self.document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.LEFT
        picture.paragraph_format.keep_with_next = True
        width = min(TEXT_WIDTH, Cm(WIDTH_INCHES * 2.54))
        shape = picture.add_run().add_picture(io.BytesIO(chart_png(chart)), width=width)
        properties = shape._inline.docPr
        properties.set("name", f"Figure {number}")
        properties.set("descr", chart.alt)  # the alt text Word shows and reads aloud
        self.table(chart.table, prefix=f"Data for figure {number}: ")

    def table(self, table: Table, *, prefix: str = "") -> None:
        caption = self.document.add_paragraph(style="Caption")
        caption.add_run(f"{prefix}{table.caption}")
        numeric = numeric_columns(table)
        word_table = self.document.add_table(rows=1, cols=len(table.columns))
        word_table.style = self.document.styles[TABLE_STYLE]
        word_table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _fill_row(word_table.rows[0], table.columns, numeric, bold=True)
        _repeat_as_header(word_table.rows[0])
        for cell in word_table.rows[0].cells:
            _shading(cell._tc.get_or_add_tcPr(), LIGHT_GREY, order=_TCPR_ORDER)
        for row in table.rows:
            cells = word_table.add_row()
            _fill_row(cells, row, numeric, bold=False)
            _keep_row_whole(cells)
        _set_widths(word_table, column_widths(table, TEXT_WIDTH))
        if len(table.rows) <= KEEP_TOGETHER_ROWS:
            _keep_on_one_page(word_table)
        if table.note:
            self.document.add_paragraph(table.note, style=TABLE_NOTE)
        else:
            # Word runs a table straight into the next one; an empty paragraph keeps them apart.
            spacer = self.document.add_paragraph(style=TABLE_TEXT)
            spacer.paragraph_format.space_after = Pt(6)


# -- helpers ----------------------------------------------------------------------------------


def column_widths(table: Table, total: int) -> list[int]:
    """Each column's width, so that figures never wrap and row names get the room that is left.
    Every column first gets what its longest cell needs (text capped at a comfortable line; a
    heading counts by its longest word, or whole if it is a short figure heading such as
    "2024 to 2025"), then any spare width is shared out in proportion."""
    numeric = numeric_columns(table)
    needs: list[int] = []
    for index, heading in enumerate(table.columns):
        cells = max((len(row[index]) for row in table.rows if index < len(row)), default=0)
        words = max((len(word) for word in heading.split()), default=0)
        heading_chars = len(heading) if numeric[index] and len(heading) <= 14 else words
        cell_chars = cells if numeric[index] else min(cells, 45)
        needs.append(int(max(CHARACTER * cell_chars, CHARACTER * heading_chars * 1.15) + CELL_PADDING))
    if sum(needs) <= total:
        spare = total - sum(needs)
        return [need + spare * need // sum(needs) for need in needs]
    figures = sum(need for need, is_figure in zip(needs, numeric, strict=True) if is_figure)
    if figures > total * 0.85:  # too many figures to keep whole: everything shares the width
        return [total * need // sum(needs) for need in needs]
    text = sum(needs) - figures
    return [
        need if is_figure else (total - figures) * need // text for need, is_figure in zip(needs, numeric, strict=True)
    ]


def _keep_on_one_page(table: WordTable) -> None:
    """Word keeps a table together only if every row but the last is kept with the next."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _set_widths(table: WordTable, widths: list[int]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = width  # each cell, which Word reads


def _fill_row(row: _Row, values: Iterable[str], numeric: tuple[bool, ...], *, bold: bool) -> None:
    for index, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
        paragraph = cell.paragraphs[0]
        paragraph.style = TABLE_TEXT
        if index < len(numeric) and numeric[index]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, value, bold=bold)


def _repeat_as_header(row: _Row) -> None:
    """Marks the row as the table's header: Word repeats it on every page and reads it as headings."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    _keep_row_whole(row)


def _keep_row_whole(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.insert(0, cant_split)


def _field_start(paragraph: WordParagraph, instruction: str) -> None:
    """Opens a field whose result runs over the following paragraphs, as Word writes a TOC."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = paragraph.add_run()._r
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run.append(mark)
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run.append(code)


def _field_end(paragraph: WordParagraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _internal_link(paragraph: WordParagraph, text: str, anchor: str) -> None:
    """A link to a bookmark in the document: Word and LibreOffice follow it on Ctrl+click, and a PDF
    made from the document keeps it."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.set(qn("xml:space"), "preserve")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def _bookmark(paragraph: WordParagraph, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _field(paragraph: WordParagraph, instruction: str, placeholder: str, *, dirty: bool = False) -> None:
    """A Word field (PAGE, NUMPAGES, TOC): begin, instruction, separator, last result, end. A dirty
    field is one Word offers to update when the document opens."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _run(
    paragraph: WordParagraph,
    text: str,
    *,
    bold: bool | None = None,
    size: float | None = None,
    colour: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    if bold is not None:
        run.bold = bold
    if size is not None:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _paragraph_style(document: WordDocument, name: str) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    return style


def _font(
    style: CharacterStyle,
    name: str,
    *,
    size: float | None = None,
    colour: RGBColor | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
) -> None:
    font = style.font
    font.name = name
    # The template's headings name theme fonts, which Word prefers over a named font; drop them.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), name)
    fonts.set(qn("w:eastAsia"), name)
    if size is not None:
        font.size = Pt(size)
    if colour is not None:
        font.color.rgb = colour
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


# Word refuses a document whose paragraph properties are out of the schema's order, so borders and
# shading are inserted before whichever of their successors is already there.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
    "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip
_BORDER_ORDER = ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar")


def _insert_in_order(properties: object, element: object, tag: str, *, order: tuple[str, ...] = _PPR_ORDER) -> None:
    successors = order[order.index(tag) + 1 :]
    properties.insert_element_before(element, *successors)  # type: ignore[attr-defined]


def _border(style: ParagraphStyle, side: str, colour: str, *, eighths: int) -> None:
    properties = style.element.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _insert_in_order(properties, borders, "w:pBdr")
    for old in borders.findall(qn(f"w:{side}")):
        borders.remove(old)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), "6")
    line.set(qn("w:color"), colour)
    later = [b for b in borders if b.tag in {qn(t) for t in _BORDER_ORDER[_BORDER_ORDER.index(f"w:{side}") + 1 :]}]
    if later:
        later[0].addprevious(line)
    else:
        borders.append(line)


def _bottom_border(style: ParagraphStyle, colour: str, *, eighths: int) -> None:
    _border(style, "bottom", colour, eighths=eighths)


def _left_border(style: ParagraphStyle, colour: str, *, eighths: int) -> None:
    _border(style, "left", colour, eighths=eighths)


def _shading(properties: object, fill: str, *, order: tuple[str, ...]) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _insert_in_order(properties, shading, "w:shd", order=order)


def _language(document: WordDocument, tag: str) -> None:
    """UK English for the spelling checker, set once on the document defaults."""
    properties = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if properties is None:  # a template without run defaults: Word's own language setting applies
        return
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), tag)
    language.set(qn("w:eastAsia"), tag)
