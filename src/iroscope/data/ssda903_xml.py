"""The SSDA903 return in XML, as authorities submit it to the Department for Education, read into the
same text sheets as the CSV return (so `parse_sheet` stays the one place that reads codes and dates),
and written from a dataset. A year held in both forms is compared by `iroscope.data.return_forms`.

    <EXPSSDA903>
      <CHILD>
        <HEADER>
          <CHILDID/> <UPN/> <SEX/> <DOB/> <ETHNIC/> <UASC/> <DUC/> <MOTHER/> <MC_DOB/>
          <AREVIEW><REVIEW/><REVIEW_CODE/></AREVIEW> ...        reviews
          <AMISSING><MISSING/><MIS_START/><MIS_END/></AMISSING>   missing
          <OC2>...</OC2> <PERMANENCE>...</PERMANENCE> <AD_PLACED>...</AD_PLACED>
          <IN_TOUCH/> <ACTIV/> <ACCOM/>                           OC3, on the header
          <DATE_INT/> <DATE_MATCH/> ... <LS_ADOPTR/>              AD1, on the header
        </HEADER>
        <EPISODE><DECOM/> ... <PL/> ...</EPISODE> ...
      </CHILD>
    </EXPSSDA903>

A group of fields (an EPISODE, an AREVIEW, a social worker episode, a deprivation of liberty order)
is recognised by the fields it holds, not by its element's name, as CSV files are by their columns:
the names of the newest groups differ between case-management systems' exports. `CHILDID` is the
CSV's `CHILD` and `PL` its `PLACE`.

Hostile files are refused by name, never with a traceback: a file larger than the limit is refused
before it is opened; the parser resolves no entities, loads no DTD and uses no network; a document
type declaration (the carrier of entity-expansion and external-entity attacks) is refused before any
content is read; the file is read one CHILD at a time, each cleared once read, so memory stays
bounded by one child's record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import polars as pl
from lxml import etree  # type: ignore[import-untyped]

from iroscope.data.dataset import ROW_COLUMN
from iroscope.data.files import DEFAULT_WORKBOOK_LIMITS, RawSheet, WorkbookLimits
from iroscope.data.problems import ERROR, WARNING, Problems
from iroscope.data.schema import (
    AD1,
    CHILDREN,
    DOLO,
    EPISODES,
    MISSING,
    OC2,
    OC3,
    PLACED_FOR_ADOPTION,
    PREVIOUS_PERMANENCE,
    REVIEWS,
    SSDA903_TABLES,
    SW_EPISODES,
    UASC,
    Table,
)

XML_SUFFIX = ".xml"
ReturnForm = Literal["csv", "xml"]  # the forms a return is written in
ROOT_ELEMENT = "EXPSSDA903"
CHILD_ELEMENT = "CHILD"
HEADER_ELEMENT = "HEADER"
UASC_ELEMENT = "UASC"  # on the header: 1 if the child was an unaccompanied asylum-seeking child
# XML element names that differ from the CSV's column names.
XML_TO_CSV = {"CHILDID": "CHILD", "PL": "PLACE"}
CSV_TO_XML = {csv: xml for xml, csv in XML_TO_CSV.items()}
# The element names this module writes for each group; reading recognises a group by its fields.
GROUP_ELEMENTS = {
    EPISODES.name: "EPISODE",
    REVIEWS.name: "AREVIEW",
    MISSING.name: "AMISSING",
    OC2.name: "OC2",
    PREVIOUS_PERMANENCE.name: "PERMANENCE",
    PLACED_FOR_ADOPTION.name: "AD_PLACED",
    SW_EPISODES.name: "SW_EPISODE",
    DOLO.name: "DOLO",
}
GROUP_TABLES: tuple[Table, ...] = (
    EPISODES,
    REVIEWS,
    MISSING,
    OC2,
    PREVIOUS_PERMANENCE,
    PLACED_FOR_ADOPTION,
    SW_EPISODES,
    DOLO,
)
# Tables whose fields sit on the header itself, one row per child that has any of them.
HEADER_TABLES: tuple[Table, ...] = (CHILDREN, UASC, OC3, AD1)
_CHILD_FIELDS = {"CHILD", "DOB", "SEX"}  # taken from the header into every table that repeats them


def _own_fields(table: Table) -> frozenset[str]:
    return frozenset(table.ssda903_columns) - _CHILD_FIELDS


GROUP_FIELDS = {table.name: _own_fields(table) for table in GROUP_TABLES}
_TABLE_OF_FIELD = {name: table for table in GROUP_TABLES for name in GROUP_FIELDS[table.name]}
assert len(_TABLE_OF_FIELD) == sum(len(fields) for fields in GROUP_FIELDS.values()), "a field of two groups"
HEADER_FIELDS = (
    frozenset(CHILDREN.ssda903_columns) | {UASC_ELEMENT} | _own_fields(UASC) | _own_fields(OC3) | _own_fields(AD1)
)
# Far more than any child's record (a child with 500 reviews and 100 episodes takes about 90KB): a CHILD
# longer than this is refused rather than built in memory.
MAX_CHILD_BYTES = 16 * 1024 * 1024
_READ_BYTES = 64 * 1024
_BATCH_ROWS = 10_000  # rows of a table gathered in Python before they become a frame
_LINE, _CHILD = "_line", "_child"  # where each row was: its element's line, and which CHILD it is in
# lxml ends a syntax error's message with its position, which the message gives once already.
_POSITION_SUFFIX = re.compile(r",\s*line \d+, column \d+\s*$")

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
    "dtd_validation": False,
    "remove_comments": True,
    "remove_pis": True,
}


class _RefusedError(Exception):
    """The file cannot be used at all; the message says why, and the row where."""

    def __init__(self, message: str, *, check: str, row: int | None = None, value: str | None = None) -> None:
        super().__init__(message)
        self.message, self.check, self.row, self.value = message, check, row, value


@dataclass
class _Rows:
    """The text cells of one table as they are read, with where each row was: the line of its element
    and which CHILD it is in (counting from 1). Rows are gathered in Python a batch at a time and kept
    as frames, so a national return is not held as millions of Python strings."""

    table: Table
    cells: dict[str, list[str | None]] = field(default_factory=dict)
    batches: list[pl.DataFrame] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        self._start_batch()

    def _start_batch(self) -> None:
        self.cells = {name: [] for name in (*self.table.ssda903_columns, _LINE, _CHILD)}

    def add(self, values: dict[str, str | None], *, line: int, child: int) -> None:
        for name, column in self.cells.items():
            column.append(values.get(name))
        self.cells[_LINE][-1] = line  # type: ignore[call-overload]
        self.cells[_CHILD][-1] = child  # type: ignore[call-overload]
        self.count += 1
        if len(self.cells[_LINE]) >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.cells[_LINE]:
            self.batches.append(
                pl.DataFrame(
                    {
                        name: pl.Series(name, values, dtype=pl.Int64 if name in (_LINE, _CHILD) else pl.String)
                        for name, values in self.cells.items()
                    }
                )
            )
            self._start_batch()

    def frame(self) -> pl.DataFrame:
        self._flush()
        return pl.concat(self.batches) if self.batches else pl.DataFrame()

    def __len__(self) -> int:
        return self.count


@dataclass
class _Unknown:
    """Elements that are not part of the return: the first place each was found, and how many."""

    first: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, path: str, line: int, child: str | None = None) -> None:
        self.first.setdefault(name, (path, line, child))
        self.count[name] += 1


def _tag(element: etree._Element) -> str | None:
    """The element's name; None for one in a namespace (no SSDA903 element has one)."""
    tag = element.tag
    if not isinstance(tag, str) or tag.startswith("{"):
        return None
    return tag


def _text(element: etree._Element) -> str | None:
    text = (element.text or "").strip()
    return text or None


def _elements(element: etree._Element) -> Iterator[etree._Element]:
    return (child for child in element if isinstance(child.tag, str))


class _ChildReader:
    """Turns one CHILD element into rows of every table it holds, reporting what it cannot use."""

    def __init__(self, label: str, problems: Problems, limits: WorkbookLimits) -> None:
        self.label = label
        self.problems = problems
        self.limits = limits
        self.rows = {table.name: _Rows(table) for table in (*HEADER_TABLES, *GROUP_TABLES)}
        self.unknown = _Unknown()
        self.long_cells = 0
        self.lines: dict[str, int] = {}  # the line of each field of the element last read
        self.child_id: str | None = None  # the identifier of the child being read

    def _leaves(self, element: etree._Element, path: str) -> tuple[dict[str, str | None], list[etree._Element]]:
        """The element's fields (children with no elements of their own) by their CSV names, and its
        groups (children that hold elements). A field given twice is an error: only one can be used.
        The line of each field is kept in `self.lines`."""
        values: dict[str, str | None] = {}
        self.lines = {}
        groups: list[etree._Element] = []
        seen: dict[str, int] = defaultdict(int)
        for child in _elements(element):
            name = _tag(child)
            seen[name or str(child.tag)] += 1
            where = f"{path}/{name or child.tag}"
            if len(child):
                groups.append(child)
                continue
            if name is None:
                self.unknown.add(str(child.tag), where, child.sourceline or 0, self.child_id)
                continue
            csv_name = XML_TO_CSV.get(name, name)
            text = _text(child)
            if text is not None and len(text) > self.limits.cell_characters:
                self.long_cells += 1
                if self.long_cells <= 10:
                    self._problem(
                        ERROR,
                        "cell_too_long",
                        f"{where} holds {len(text):,} characters: more than {self.limits.cell_characters:,}, "
                        "the most one value may hold.",
                        line=child.sourceline,
                        column=csv_name,
                        value=f"{len(text):,} characters",
                    )
            if csv_name in values:
                if text != values[csv_name]:
                    self._problem(
                        ERROR,
                        "xml_repeated_element",
                        f"{where}[{seen[name]}] gives {csv_name} a second time ({text or 'blank'}, after "
                        f"{values[csv_name] or 'blank'}); only the first is read. Give each field once.",
                        line=child.sourceline,
                        column=csv_name,
                        value=text,
                    )
                continue
            values[csv_name] = text
            self.lines[csv_name] = child.sourceline or 0
        return values, groups

    def _problem(
        self,
        severity: str,
        check: str,
        message: str,
        *,
        line: int | None,
        column: str | None = None,
        value: str | None = None,
        child: str | None = None,
    ) -> None:
        self.problems.add(
            severity=ERROR if severity == ERROR else WARNING,
            file=self.label,
            row=line,
            column=column,
            value=value,
            message=message,
            check=check,
            child=child or self.child_id,
        )

    def read(self, element: etree._Element, number: int) -> None:
        path = f"{CHILD_ELEMENT}[{number}]"
        self.child_id = None
        headers = [child for child in _elements(element) if _tag(child) == HEADER_ELEMENT]
        if not headers:
            self._problem(
                ERROR,
                "xml_structure",
                f"{path} has no {HEADER_ELEMENT}, so the child's identifier is not known and nothing in it was read.",
                line=element.sourceline,
            )
            return
        header = headers[0]
        header_path = f"{path}/{HEADER_ELEMENT}"
        self.child_id = (header.findtext("CHILDID") or "").strip() or None
        fields, groups = self._leaves(header, header_path)
        child_id = fields.get("CHILD")
        if len(headers) > 1:
            self._problem(
                ERROR,
                "xml_structure",
                f"{path} has {len(headers)} {HEADER_ELEMENT} elements; only the first was read.",
                line=headers[1].sourceline,
                child=child_id,
            )
        line = header.sourceline or element.sourceline or 0
        for name in sorted(set(fields) - HEADER_FIELDS - frozenset().union(*GROUP_FIELDS.values())):
            where = f"{header_path}/{CSV_TO_XML.get(name, name)}"
            self.unknown.add(name, where, self.lines.get(name, line), child_id)
        repeated = {name: fields.get(name) for name in _CHILD_FIELDS}
        self.rows[CHILDREN.name].add(fields, line=line, child=number)
        uasc = fields.get(UASC_ELEMENT)
        if uasc not in (None, "0", "1"):
            self._problem(
                ERROR,
                "code",
                f"{header_path}/{UASC_ELEMENT} is {uasc!r}: it must be 1 (the child was an unaccompanied "
                "asylum-seeking child) or 0.",
                line=line,
                column=UASC_ELEMENT,
                value=uasc,
                child=child_id,
            )
        if uasc == "1" or fields.get("DUC") is not None:
            self.rows[UASC.name].add(fields, line=line, child=number)
        for table in (OC3, AD1):
            if any(fields.get(name) is not None for name in _own_fields(table)):
                self.rows[table.name].add(fields, line=line, child=number)
        # Fields of a group given on the header itself (some exports flatten OC2 or PERMANENCE).
        for table in GROUP_TABLES:
            own = {name: fields[name] for name in GROUP_FIELDS[table.name] if fields.get(name) is not None}
            if own:
                self.rows[table.name].add(own | repeated, line=line, child=number)
        self._groups(groups, header_path, repeated, number, child_id)
        others = [child for child in _elements(element) if child is not header and _tag(child) != HEADER_ELEMENT]
        self._groups([child for child in others if len(child)], path, repeated, number, child_id)
        for child in others:
            if not len(child):
                self.unknown.add(str(child.tag), f"{path}/{child.tag}", child.sourceline or 0, child_id)

    def _groups(
        self,
        groups: list[etree._Element],
        path: str,
        repeated: dict[str, str | None],
        number: int,
        child_id: str | None,
    ) -> None:
        counted: dict[str, int] = defaultdict(int)
        for group in groups:
            name = _tag(group) or str(group.tag)
            counted[name] += 1
            where = f"{path}/{name}[{counted[name]}]"
            values, inner = self._leaves(group, where)
            if inner:  # a wrapper around groups, as some exports write <SWEPISODES><SWEPISODE>…
                self._groups(inner, where, repeated, number, child_id)
            if not values:
                continue
            table = self._recognise(values)
            line = group.sourceline or 0
            stray = set(values) if table is None else set(values) - GROUP_FIELDS[table.name]
            for field_name in sorted(stray):
                where_field = f"{where}/{CSV_TO_XML.get(field_name, field_name)}"
                self.unknown.add(field_name, where_field, self.lines.get(field_name, line), child_id)
            if table is None:
                continue
            if all(value is None for value in values.values()):
                continue  # an empty group, as some systems write for "none"
            self.rows[table.name].add(values | repeated, line=group.sourceline or 0, child=number)

    @staticmethod
    def _recognise(values: dict[str, str | None]) -> Table | None:
        """The table most of the group's fields belong to (the tables' own fields are distinct)."""
        tables = [table for name in values if (table := _TABLE_OF_FIELD.get(name)) is not None]
        if not tables:
            return None
        if all(table is tables[0] for table in tables):
            return tables[0]
        return max(tables, key=tables.count)


def _refuse_declarations(root: etree._Element) -> None:
    """A document type declaration is refused before any content is read: an SSDA903 return has none,
    and entities are how a small file expands to gigabytes or reads another file."""
    info = root.getroottree().docinfo
    dtd = info.internalDTD
    entities = list(dtd.iterentities()) if dtd is not None else []
    if not (info.doctype or dtd is not None or info.system_url):
        return
    raise _doctype_refusal(
        doctype=info.doctype or "<!DOCTYPE>",
        external=[(entity.name, entity.system_url) for entity in entities if entity.system_url],
        entities=[entity.name for entity in entities],
        system_url=info.system_url,
        line=1,
    )


_DOCTYPE = re.compile(rb"<!DOCTYPE\s+([^\s\[>]+)")
_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s]+)\s+(?:(?:SYSTEM|PUBLIC)\s+(?:\"[^\"]*\"\s+)?\"([^\"]*)\")?")
_HEAD_BYTES = 1024 * 1024


def _declaration_in_head(path: Path) -> _RefusedError | None:
    """When the parser stops before the root element (libxml2 refuses an entity-expansion attack as it
    reads the declarations), the refusal of the document type declaration, read from the file's start."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    doctype = _DOCTYPE.search(head)
    if doctype is None:
        return None
    entities = [(match[1].decode("utf-8", "replace"), match[2]) for match in _ENTITY.finditer(head)]
    external = [(name, url.decode("utf-8", "replace")) for name, url in entities if url]
    return _doctype_refusal(
        doctype="<!DOCTYPE " + doctype[1].decode("utf-8", "replace") + ">",
        external=external,
        entities=[name for name, _ in entities],
        system_url=None,
        line=head[: doctype.start()].count(b"\n") + 1,
    )


def _doctype_refusal(
    *, doctype: str, external: list[tuple[str, str]], entities: list[str], system_url: str | None, line: int
) -> _RefusedError:
    if external:
        detail = f" declaring the external entity {external[0][0]!r} ({external[0][1]})"
    elif entities:
        names = [repr(name) for name in entities]
        listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        detail = f" declaring the entities {listed}"
    elif system_url:
        detail = f" pointing to {system_url}"
    else:
        detail = ""
    return _RefusedError(
        f"The file has a document type declaration{detail}. An SSDA903 return has none, and such a "
        "declaration can make a small file expand to gigabytes or read other files, so the file was refused "
        "and nothing in it was used.",
        check="xml_doctype",
        row=line,
        value=doctype[:80],
    )


def _check_root(root: etree._Element) -> None:
    tag = str(root.tag)
    if tag.startswith("{"):
        namespace, name = tag[1:].split("}", 1)
        if name == ROOT_ELEMENT:
            raise _RefusedError(
                f"The root element <{ROOT_ELEMENT}> is in the namespace {namespace!r}, but an SSDA903 return's "
                f"elements are in no namespace: <{ROOT_ELEMENT}> with no xmlns. Nothing in the file was used.",
                check="xml_root",
                row=root.sourceline,
                value=namespace,
            )
        raise _RefusedError(
            f"The root element is <{name}> in the namespace {namespace!r}, so this is not an SSDA903 return: "
            f"one in XML starts with <{ROOT_ELEMENT}>, in no namespace. Nothing in the file was used.",
            check="xml_root",
            row=root.sourceline,
            value=tag,
        )
    if tag != ROOT_ELEMENT:
        raise _RefusedError(
            f"The root element is <{tag}>, so this is not an SSDA903 return: one in XML starts with "
            f"<{ROOT_ELEMENT}>. Nothing in the file was used.",
            check="xml_root",
            row=root.sourceline,
            value=tag,
        )


class _Bounded:
    """The file as the parser reads it, refused once more than `MAX_CHILD_BYTES` have been read since the
    last CHILD closed: no one CHILD (nor anything between two) can be held in memory larger than that."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.read_so_far = 0
        self.mark = 0
        self.children = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size if size >= 0 else _READ_BYTES)
        self.read_so_far += len(data)
        if self.read_so_far - self.mark > MAX_CHILD_BYTES:
            raise _RefusedError(
                f"{CHILD_ELEMENT}[{self.children + 1}] runs to more than {MAX_CHILD_BYTES:,} bytes, far more than "
                "any child's record, so the file was refused and nothing in it was used.",
                check="xml_too_large",
            )
        return data


def _check_start(handle: IO[bytes]) -> None:
    """The declarations and the root element, read before anything else: the parser stops at the root's
    start tag."""
    for _event, root in etree.iterparse(handle, events=("start",), **_PARSER_OPTIONS):
        _refuse_declarations(root)
        _check_root(root)
        return


def _stream(handle: IO[bytes], reader: _ChildReader, limits: WorkbookLimits) -> int:
    """Read the file one CHILD at a time, each cleared once read; returns how many CHILD elements it held.
    Only the CHILD elements' ends come back from the parser, so the parsing stays in C."""
    _check_start(handle)
    handle.seek(0)
    bounded = _Bounded(handle)
    parsing = etree.iterparse(bounded, events=("end",), tag=CHILD_ELEMENT, **_PARSER_OPTIONS)
    for _event, element in parsing:
        parent = element.getparent()
        if parent is None or parent.getparent() is not None:
            continue  # a CHILD inside another element is read, or reported, with that element
        bounded.children += 1
        reader.read(element, bounded.children)
        for rows in reader.rows.values():
            if len(rows) > limits.table_rows:
                raise _RefusedError(
                    f"The file holds more than {limits.table_rows:,} rows of {rows.table.title}, the most one "
                    "table may have, so nothing in it was used. Check that it holds one authority's return "
                    "for one year.",
                    check="too_many_rows",
                    value=f"{len(rows):,}",
                )
        # Free what has been read: the CHILD, and whatever came before it in the root.
        element.clear(keep_tail=False)
        while (previous := element.getprevious()) is not None:
            _not_a_child(previous, reader)
            del parent[0]
        bounded.mark = bounded.read_so_far
    root = parsing.root
    for element in [] if root is None else list(_elements(root)):
        _not_a_child(element, reader)
    return bounded.children


def _not_a_child(element: etree._Element, reader: _ChildReader) -> None:
    """Report an element beside the CHILD elements that is not one (a CHILD has been read already)."""
    if isinstance(element.tag, str) and _tag(element) != CHILD_ELEMENT:
        name = _tag(element) or str(element.tag)
        reader.unknown.add(name, f"{ROOT_ELEMENT}/{name}", element.sourceline or 0)


def _sheets(frames: dict[str, pl.DataFrame], label: str, *, by_line: bool) -> list[RawSheet]:
    return [
        RawSheet(
            label, name, frame.with_columns(pl.col(_LINE if by_line else _CHILD).alias(ROW_COLUMN)).drop(_LINE, _CHILD)
        )
        for name, frame in frames.items()
    ]


def _lines_tell_children_apart(frames: dict[str, pl.DataFrame]) -> bool:
    """Whether no line holds rows of two children, so a line number finds one child's row."""
    places = pl.concat([frame.select(_LINE, _CHILD) for frame in frames.values()])
    return bool(places.group_by(_LINE).agg(pl.col(_CHILD).n_unique()).select((pl.col(_CHILD) <= 1).all()).item())


def read_ssda903_xml(
    path: Path, label: str, problems: Problems, *, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS
) -> list[RawSheet]:
    """One SSDA903 XML return as raw sheets, one per table it holds, in the CSV return's columns. Each
    row's number is the line of the element it came from (of the HEADER for the child's own tables),
    or, in a file that puts several children on one line, the child's position in the file. Never
    raises: a file that cannot be used is reported and gives no sheets."""

    def refuse(message: str, check: str, row: int | None = None, value: str | None = None) -> list[RawSheet]:
        problems.add(severity=ERROR, file=label, row=row, value=value, check=check, message=message)
        return []

    try:
        size = path.stat().st_size
    except OSError as error:
        return refuse(f"The file could not be read: {error.strerror or error}.", "unreadable")
    if size > limits.unzipped_bytes:
        most = limits.unzipped_bytes // (1024 * 1024)
        return refuse(
            f"The file is {size / (1024 * 1024):,.0f}MB: more than {most:,}MB, the most an XML return may be, so it "
            "was not opened. Check that it holds one authority's return for one year.",
            "xml_too_large",
            value=f"{size:,} bytes",
        )
    if size == 0:
        return refuse(
            "The file is empty. Export the return again, or remove the file if it should not be here.", "empty_file"
        )
    reader = _ChildReader(label, problems, limits)
    try:
        with path.open("rb") as handle:
            children = _stream(handle, reader, limits)
    except _RefusedError as refused:
        if refused.check == "xml_doctype":  # the parser does not say the declaration's line; its text does
            declared = _declaration_in_head(path)
            refused.row = declared.row if declared is not None else None
        return refuse(refused.message, refused.check, refused.row, refused.value)
    except etree.XMLSyntaxError as error:
        declared = _declaration_in_head(path)
        if declared is not None:
            return refuse(declared.message, declared.check, declared.row, declared.value)
        line, column = error.position if error.position else (error.lineno, 0)
        reason = _POSITION_SUFFIX.sub("", str(error.msg or "it could not be read")).strip().rstrip(".")
        return refuse(
            f"The file is not well-formed XML at line {line}, column {column}: {reason}. Nothing in it was used.",
            "xml_malformed",
            row=line,
            value=f"line {line}, column {column}",
        )
    except OSError as error:
        return refuse(f"The file could not be read: {error.strerror or error}.", "unreadable")
    for name, (where, line, child) in sorted(reader.unknown.first.items(), key=lambda item: item[1][1]):
        more = reader.unknown.count[name] - 1
        problems.add(
            severity=WARNING,
            file=label,
            row=line or None,
            child=child,
            column=name,
            check="xml_unknown_element",
            value=where,
            message=f"{where} is not an element of the SSDA903 return, so its value was not read"
            + (f" (nor the {more:,} more like it)." if more else "."),
        )
    if reader.long_cells > 10:
        problems.add(
            severity=ERROR,
            file=label,
            check="cell_too_long",
            message=f"{reader.long_cells - 10:,} more values hold more than {limits.cell_characters:,} characters.",
        )
    if children == 0:
        return refuse(
            f"The file holds no {CHILD_ELEMENT} elements, so it has no children to read. Export the return again.",
            "empty_table",
        )
    if not len(reader.rows[EPISODES.name]):
        problems.add(
            severity=ERROR,
            file=label,
            check="empty_table",
            message=f"The file holds {children:,} children but no EPISODE elements: every return has episodes. "
            "Export the return again.",
        )
    frames = {name: rows.frame() for name, rows in reader.rows.items() if len(rows)}
    by_line = _lines_tell_children_apart(frames)
    if not by_line:
        problems.add(
            severity=WARNING,
            file=label,
            check="xml_rows_numbered_by_child",
            message="Several children are written on one line of this file, so a line number would not find a "
            f"row: problems in it give the child's position in the file as the row (row 12 is the 12th "
            f"{CHILD_ELEMENT}), with the child's identifier.",
        )
    return _sheets(frames, label, by_line=by_line)


# -- writing ------------------------------------------------------------------------------------------------

XML_FILE_NAME = "ssda903.xml"
# The order of the fields as the DfE's XML return lists them; groups where they stand among them.
_HEADER_LAYOUT: tuple[str, ...] = (
    "CHILD",
    "UPN",
    "SEX",
    "DOB",
    "ETHNIC",
    UASC_ELEMENT,
    "DUC",
    REVIEWS.name,
    MISSING.name,
    "MOTHER",
    "MC_DOB",
    PREVIOUS_PERMANENCE.name,
    OC2.name,
    *OC3.ssda903_columns[2:],
    *AD1.ssda903_columns[2:],
    PLACED_FOR_ADOPTION.name,
    SW_EPISODES.name,
    DOLO.name,
)
_EPISODE_FIELDS = (
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PL_POST",
    "HOME_POST",
    "URN",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
)
# Characters XML 1.0 cannot hold: written as U+FFFD rather than refused, so a damaged value is seen.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _field(parent: etree._Element, name: str, value: str | None) -> None:
    element = etree.SubElement(parent, CSV_TO_XML.get(name, name))
    if value is not None and value != "":
        element.text = _NOT_XML.sub("\ufffd", value)


def _group(parent: etree._Element, table: Table, row: dict[str, str | None]) -> None:
    group = etree.SubElement(parent, GROUP_ELEMENTS[table.name])
    fields = _EPISODE_FIELDS if table is EPISODES else [n for n in table.ssda903_columns if n not in _CHILD_FIELDS]
    for name in fields:
        _field(group, name, row.get(name))


def _child_element(child_id: str, rows: dict[str, list[dict[str, str | None]]]) -> etree._Element:
    """One child's CHILD element, from their rows of each table (in the CSV's columns)."""
    element = etree.Element(CHILD_ELEMENT)
    header = etree.SubElement(element, HEADER_ELEMENT)
    own = (rows.get(CHILDREN.name) or [{"CHILD": child_id}])[0]
    uasc = rows.get(UASC.name, [])
    on_header = {**own, UASC_ELEMENT: "1" if uasc else "0", "DUC": uasc[0].get("DUC") if uasc else None}
    for table in (OC3, AD1):
        on_header |= rows.get(table.name, [{}])[0]
    by_name = {table.name: table for table in GROUP_TABLES}
    for name in _HEADER_LAYOUT:
        if name in by_name:
            for row in rows.get(name, []):
                _group(header, by_name[name], row)
        elif name in {"CHILD", "UPN", "SEX", "DOB", "ETHNIC", UASC_ELEMENT, "MOTHER", "MC_DOB"} or on_header.get(name):
            _field(header, name, on_header.get(name) if name != "CHILD" else child_id)
    for row in rows.get(EPISODES.name, []):
        _group(element, EPISODES, row)
    return element


def write_ssda903_xml(tables: dict[str, pl.DataFrame], path: Path) -> Path:
    """A year's return as one XML file, from each table's rows in the CSV return's columns (text, dates
    as DD/MM/YYYY): one CHILD per child, in the order of the Header rows. Written a child at a time,
    each on lines of its own, so a national return is never held whole as XML."""
    by_child: dict[str, dict[str, list[dict[str, str | None]]]] = defaultdict(lambda: defaultdict(list))
    order: dict[str, None] = {}
    for name in (CHILDREN.name, *(table.name for table in SSDA903_TABLES if table is not CHILDREN)):
        frame = tables.get(name)
        if frame is None:
            continue
        for row in frame.iter_rows(named=True):
            child_id = str(row["CHILD"])
            order.setdefault(child_id, None)
            by_child[child_id][name].append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with etree.xmlfile(str(path), encoding="utf-8") as document:
        document.write_declaration()
        with document.element(ROOT_ELEMENT):
            document.write("\n")
            for child_id in order:
                document.write(_child_element(child_id, by_child[child_id]), pretty_print=True)
    return path
