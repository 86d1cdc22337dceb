"""The SSDA903 return in XML: read into the same tables as the CSV return, every problem located by
file and line (or child), hostile files refused by name, a year held in both forms compared, and the
synthetic authority written as XML reading back to the same dataset as its CSV return."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data import ssda903_xml
from iroscope.data.dataset import PROVENANCE_COLUMNS, SOURCE_COLUMN, Source
from iroscope.data.files import WorkbookLimits
from iroscope.data.folder import read_data_folder
from iroscope.data.problems import Problems
from iroscope.data.schema import DOLO, OC2, OC3, SSDA903_TABLES
from iroscope.data.ssda903_xml import read_ssda903_xml
from iroscope.data.writers import write_data_folder
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import FAKE_903, SMALL_RETURN, TODAY, write_return

LABEL = "ssda903/2024-25/return.xml"
Found = tuple[str, int | None, str | None, str | None, str | None, str]


def _child(child_id: str, sex: str, dob: str, ethnic: str, upn: str, review: str, code: str, episode: str) -> str:
    """One CHILD element of 30 lines: HEADER on its 2nd line, AREVIEW on its 9th, EPISODE on its 16th."""
    decom, rne, ls, cin, place, provider, home, placed, urn = episode.split(",")
    return f"""  <CHILD>
    <HEADER>
      <CHILDID>{child_id}</CHILDID>
      <UPN>{upn}</UPN>
      <SEX>{sex}</SEX>
      <DOB>{dob}</DOB>
      <ETHNIC>{ethnic}</ETHNIC>
      <UASC>0</UASC>
      <AREVIEW>
        <REVIEW>{review}</REVIEW>
        <REVIEW_CODE>{code}</REVIEW_CODE>
      </AREVIEW>
      <MOTHER/>
      <MC_DOB/>
    </HEADER>
    <EPISODE>
      <DECOM>{decom}</DECOM>
      <RNE>{rne}</RNE>
      <LS>{ls}</LS>
      <CIN>{cin}</CIN>
      <PL>{place}</PL>
      <PL_POST>{placed}</PL_POST>
      <HOME_POST>{home}</HOME_POST>
      <URN>{urn}</URN>
      <PLACE_PROVIDER>{provider}</PLACE_PROVIDER>
      <DEC/>
      <REC/>
      <REASON_PLACE_CHANGE/>
    </EPISODE>
  </CHILD>
"""


# `SMALL_RETURN` (tests/conftest.py) as the XML return: child A's CHILD starts on line 3 (HEADER line 4,
# AREVIEW line 11, EPISODE line 18); child B's on line 33 (HEADER 34, AREVIEW 41, EPISODE 48).
SMALL_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<EXPSSDA903>\n'
    + _child(
        "A",
        "M",
        "01/06/2012",
        "WBRI",
        "UN2",
        "03/02/2025",
        "PN1",
        "06/01/2025,S,C1,N1,U6,PR1,DN34 5JH,DN34 5JF,SC123456",
    )
    + _child(
        "B",
        "F",
        "10/01/2022",
        "MWBC",
        "UN1",
        "29/05/2024",
        "PN0",
        "01/05/2024,S,V2,N4,U4,PR4,DN34 5JH,DN36 5YQ,SC654321",
    )
    + "</EXPSSDA903>\n"
)


def xml_return(root: Path, text: str | bytes, *, year: str = "2024-25", name: str = "return.xml") -> Path:
    folder = root / "ssda903" / year
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def found(root: Path, *, severity: str | None = None) -> list[Found]:
    frame = read_data_folder(root, today=TODAY).problems.frame
    if severity is not None:
        frame = frame.filter(severity=severity)
    return [(p["file"], p["row"], p["child"], p["column"], p["value"], p["message"]) for p in frame.to_dicts()]


def refusal(text: str | bytes, tmp_path: Path, **limits: int) -> list[tuple[int | None, str | None, str, str]]:
    """What reading one XML file alone reports, and that it gives no tables."""
    path = xml_return(tmp_path, text)
    problems = Problems()
    sheets = read_ssda903_xml(path, LABEL, problems, limits=WorkbookLimits(**limits))
    assert sheets == []
    return [(p.row, p.value, p.check, p.message) for p in problems]


def without_provenance(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop(PROVENANCE_COLUMNS, strict=False)


# -- reading --------------------------------------------------------------------------------------------


def test_the_small_return_as_xml_reads_to_the_same_tables_as_its_csv_files(tmp_path: Path) -> None:
    xml_return(tmp_path / "xml", SMALL_XML)
    write_return(tmp_path / "csv", "2024-25", SMALL_RETURN)
    from_xml = read_data_folder(tmp_path / "xml", today=TODAY)
    from_csv = read_data_folder(tmp_path / "csv", today=TODAY)
    assert from_xml.problems.frame.is_empty() and from_csv.problems.frame.is_empty()
    for table in SSDA903_TABLES:
        assert without_provenance(from_xml.dataset[table.name]).equals(
            without_provenance(from_csv.dataset[table.name])
        ), table.name
    assert from_xml.dataset["episodes"].select("child_id", "placement_type").rows() == [("A", "U6"), ("B", "U4")]


def test_a_bad_value_is_located_at_its_elements_line_with_the_child_and_field(tmp_path: Path) -> None:
    xml_return(tmp_path, SMALL_XML.replace("<DECOM>01/05/2024</DECOM>", "<DECOM>31/02/2024</DECOM>"))
    assert (LABEL, 48, "B", "DECOM", "31/02/2024", "31/02/2024 is not a real date (expected DD/MM/YYYY).") in found(
        tmp_path, severity="error"
    )


def test_a_review_code_that_is_not_a_participation_code_names_the_areview_line(tmp_path: Path) -> None:
    xml_return(tmp_path, SMALL_XML.replace("<REVIEW_CODE>PN1</REVIEW_CODE>", "<REVIEW_CODE>PN9</REVIEW_CODE>"))
    errors = [problem for problem in found(tmp_path, severity="error") if problem[3] == "REVIEW_CODE"]
    assert [problem[:5] for problem in errors] == [(LABEL, 11, "A", "REVIEW_CODE", "PN9")]


def test_an_element_that_is_not_in_the_return_is_a_warning_naming_its_path_and_line(tmp_path: Path) -> None:
    # Child B's MOTHER is on line 45; a field the 903 does not have sits beside it.
    lines = SMALL_XML.splitlines()
    assert lines[44].strip() == "<MOTHER/>"
    lines[44] = "      <MOTHER/><FAVOURITE_COLOUR>blue</FAVOURITE_COLOUR>"
    xml_return(tmp_path, "\n".join(lines) + "\n")
    assert found(tmp_path) == [
        (
            LABEL,
            45,
            "B",
            "FAVOURITE_COLOUR",
            "CHILD[2]/HEADER/FAVOURITE_COLOUR",
            "CHILD[2]/HEADER/FAVOURITE_COLOUR is not an element of the SSDA903 return, so its value was not read.",
        )
    ]


def test_an_element_beside_the_children_is_a_warning_and_the_children_are_still_read(tmp_path: Path) -> None:
    xml_return(tmp_path, SMALL_XML.replace("<EXPSSDA903>\n", "<EXPSSDA903>\n<SOFTWARE>CMS 7.2</SOFTWARE>\n", 1))
    assert found(tmp_path) == [
        (
            LABEL,
            3,
            None,
            "SOFTWARE",
            "EXPSSDA903/SOFTWARE",
            "EXPSSDA903/SOFTWARE is not an element of the SSDA903 return, so its value was not read.",
        )
    ]
    assert read_data_folder(tmp_path, today=TODAY).dataset["children"].height == 2


def test_a_field_given_twice_in_one_episode_is_an_error_naming_both_values(tmp_path: Path) -> None:
    lines = SMALL_XML.splitlines()
    assert lines[22].strip() == "<PL>U6</PL>"  # child A's episode, line 23
    lines[22] = "      <PL>U6</PL><PL>U4</PL>"
    xml_return(tmp_path, "\n".join(lines) + "\n")
    assert found(tmp_path, severity="error") == [
        (
            LABEL,
            23,
            "A",
            "PLACE",
            "U4",
            "CHILD[1]/EPISODE[1]/PL[2] gives PLACE a second time (U4, after U6); only the first is read. "
            "Give each field once.",
        )
    ]


def test_uasc_other_than_0_or_1_is_an_error_and_1_makes_a_uasc_row(tmp_path: Path) -> None:
    text = SMALL_XML.replace("<UASC>0</UASC>", "<UASC>Y</UASC>", 1).replace(
        "<UASC>0</UASC>", "<UASC>1</UASC><DUC>10/01/2040</DUC>", 1
    )
    xml_return(tmp_path, text)
    result = read_data_folder(tmp_path, today=TODAY)
    errors = [(p.file, p.row, p.child, p.column, p.value, p.check) for p in result.problems if p.severity == "error"]
    assert errors == [(LABEL, 4, "A", "UASC", "Y", "code")]
    assert result.dataset["uasc"].select("child_id", "uasc_ceased").rows() == [("B", dt.date(2040, 1, 10))]


def test_social_worker_episodes_and_deprivation_of_liberty_orders_are_recognised_by_their_fields(
    tmp_path: Path,
) -> None:
    """Their element names differ between exports (here a wrapper, as some systems write): the fields say
    which table a group is."""
    extra = (
        "      <SWEPISODES><SWEPISODE><SW_ID>SW123</SW_ID><SW_DECOM>06/01/2025</SW_DECOM><SW_DEC/>"
        "<SW_REASON/></SWEPISODE></SWEPISODES>\n"
        "      <DEPRIVATION><DOLO_START>10/01/2025</DOLO_START><DOLO_END>20/01/2025</DOLO_END></DEPRIVATION>\n"
    )
    lines = SMALL_XML.splitlines(keepends=True)
    assert lines[14].strip() == "<MOTHER/>"
    xml_return(tmp_path, "".join([*lines[:14], extra, *lines[14:]]))
    dataset = read_data_folder(tmp_path, today=TODAY).dataset
    assert dataset["sw_episodes"].select("child_id", "social_worker_id", "start_date").rows() == [
        ("A", "SW123", dt.date(2025, 1, 6))
    ]
    assert dataset["dolo"].select("child_id", "start_date", "end_date").rows() == [
        ("A", dt.date(2025, 1, 10), dt.date(2025, 1, 20))
    ]


def test_a_file_with_every_child_on_one_line_numbers_rows_by_child_and_says_so(tmp_path: Path) -> None:
    one_line = "".join(line.strip() for line in SMALL_XML.splitlines())
    xml_return(tmp_path, one_line.replace("<DECOM>01/05/2024</DECOM>", "<DECOM>31/02/2024</DECOM>"))
    problems = found(tmp_path)
    assert (LABEL, 2, "B", "DECOM", "31/02/2024", "31/02/2024 is not a real date (expected DD/MM/YYYY).") in problems
    assert (
        LABEL,
        None,
        None,
        None,
        None,
        "Several children are written on one line of this file, so a line number would not find a row: problems "
        "in it give the child's position in the file as the row (row 12 is the 12th CHILD), with the child's "
        "identifier.",
    ) in problems


def test_the_dfe_validators_fake_xml_return_reads_every_child_episode_and_review_it_holds(tmp_path: Path) -> None:
    """Data to Insight's fake XML return: 253 CHILD, 459 EPISODE and 1,206 AREVIEW elements (counted with
    `grep -o`), and 12 children with UASC 1, 6 with OC3 fields, 3 with AD1 fields, 3 AD_PLACED, 6 AMISSING,
    253 OC2 and 253 PERMANENCE. Its children are not those of the CSV files beside it (none is in both),
    so it is read on its own: its problems are the messy data's, never a failure to read."""
    folder = tmp_path / "ssda903" / "2017-18"
    folder.mkdir(parents=True)
    (folder / "fake_903.xml").symlink_to(FAKE_903 / "fake_903.xml")
    result = read_data_folder(tmp_path, today=TODAY)
    counts = {table.name: result.dataset[table.name].height for table in SSDA903_TABLES}
    assert counts == {
        "children": 253,
        "episodes": 459,
        "reviews": 1206,
        "uasc": 12,
        "missing": 6,
        "oc2": 253,
        "oc3": 6,
        "ad1": 3,
        "placed_for_adoption": 3,
        "previous_permanence": 253,
        "sw_episodes": 0,
        "dolo": 0,
    }
    header = pl.read_csv(FAKE_903 / "header.csv", infer_schema=False)
    assert set(result.dataset["children"]["child_id"]).isdisjoint(header["CHILD"])
    problems = result.problems.frame
    # The file is one line: rows are children. Its second child, 228005, has REC E2 with no DEC.
    assert problems.filter(check="episode_end_reason", child="228005").select("row", "column", "value").rows() == [
        (2, "REC", "E2")
    ]
    assert set(problems["file"]) == {"ssda903/2017-18/fake_903.xml"}


# -- hostile XML ---------------------------------------------------------------------------------------


def test_malformed_xml_is_refused_with_its_line_and_column(tmp_path: Path) -> None:
    assert refusal("<EXPSSDA903>\n<CHILD>\n</CHLD></EXPSSDA903>", tmp_path) == [
        (
            3,
            "line 3, column 8",
            "xml_malformed",
            "The file is not well-formed XML at line 3, column 8: Opening and ending tag mismatch: CHILD line 2 "
            "and CHLD. Nothing in it was used.",
        )
    ]


def test_xml_that_is_not_a_903_return_is_refused_naming_the_root_expected(tmp_path: Path) -> None:
    assert refusal("<?xml version='1.0'?>\n<CINCensus><Child/></CINCensus>", tmp_path) == [
        (
            2,
            "CINCensus",
            "xml_root",
            "The root element is <CINCensus>, so this is not an SSDA903 return: one in XML starts with "
            "<EXPSSDA903>. Nothing in the file was used.",
        )
    ]


def test_a_903_root_in_a_namespace_is_refused_naming_the_namespace(tmp_path: Path) -> None:
    assert refusal('<EXPSSDA903 xmlns="urn:example:903"><CHILD/></EXPSSDA903>', tmp_path) == [
        (
            1,
            "urn:example:903",
            "xml_root",
            "The root element <EXPSSDA903> is in the namespace 'urn:example:903', but an SSDA903 return's "
            "elements are in no namespace: <EXPSSDA903> with no xmlns. Nothing in the file was used.",
        )
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE EXPSSDA903 [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&lol9;</CHILDID></HEADER></CHILD></EXPSSDA903>
"""


def test_an_entity_expansion_attack_is_refused_before_anything_is_expanded(tmp_path: Path) -> None:
    assert refusal(BILLION_LAUGHS, tmp_path) == [
        (
            2,
            "<!DOCTYPE EXPSSDA903>",
            "xml_doctype",
            "The file has a document type declaration declaring the entities 'lol', 'lol1', 'lol2' and 7 more. "
            "An SSDA903 return has none, and such a declaration can make a small file expand to gigabytes or "
            "read other files, so the file was refused and nothing in it was used.",
        )
    ]


def test_an_external_entity_is_refused_and_the_file_it_names_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("NOT-FOR-THE-RETURN", encoding="utf-8")
    text = (
        f'<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&xxe;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    problems = Problems()
    assert read_ssda903_xml(xml_return(tmp_path / "data", text), LABEL, problems) == []
    assert [(p.row, p.check, p.message) for p in problems] == [
        (
            2,
            "xml_doctype",
            f"The file has a document type declaration declaring the external entity 'xxe' (file://{secret}). "
            "An SSDA903 return has none, and such a declaration can make a small file expand to gigabytes or "
            "read other files, so the file was refused and nothing in it was used.",
        )
    ]
    assert "NOT-FOR-THE-RETURN" not in problems.to_json()


def test_a_document_type_pointing_to_a_dtd_elsewhere_is_refused_without_fetching_it(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 SYSTEM "http://192.0.2.1/ssda903.dtd">\n'
        "<EXPSSDA903><CHILD/></EXPSSDA903>"
    )
    assert refusal(text, tmp_path) == [
        (
            2,
            '<!DOCTYPE EXPSSDA903 SYSTEM "http://192.0.2.1/ssda903.dtd">',
            "xml_doctype",
            "The file has a document type declaration pointing to http://192.0.2.1/ssda903.dtd. An SSDA903 "
            "return has none, and such a declaration can make a small file expand to gigabytes or read other "
            "files, so the file was refused and nothing in it was used.",
        )
    ]


def test_validate_on_a_folder_holding_only_a_hostile_return_says_why_and_exits_unreadable(tmp_path: Path) -> None:
    xml_return(tmp_path, BILLION_LAUGHS)
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--today", TODAY.isoformat()])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        f"{LABEL}: The file has a document type declaration declaring the entities 'lol', 'lol1', 'lol2' and 7 more."
        in " ".join(result.output.split())
    )


def test_a_1_gb_file_is_refused_by_its_size_before_it_is_opened(tmp_path: Path) -> None:
    path = xml_return(tmp_path, b"")
    os.truncate(path, 1024**3)  # sparse: nothing is written to the disc
    problems = Problems()
    assert read_ssda903_xml(path, LABEL, problems) == []
    assert [(p.file, p.value, p.check, p.message) for p in problems] == [
        (
            LABEL,
            "1,073,741,824 bytes",
            "xml_too_large",
            "The file is 1,024MB: more than 256MB, the most an XML return may be, so it was not opened. Check "
            "that it holds one authority's return for one year.",
        )
    ]


def test_an_empty_file_and_a_return_without_children_are_refused(tmp_path: Path) -> None:
    assert refusal(b"", tmp_path / "empty") == [
        (
            None,
            None,
            "empty_file",
            "The file is empty. Export the return again, or remove the file if it should not be here.",
        )
    ]
    assert refusal("<EXPSSDA903/>", tmp_path / "no-children") == [
        (
            None,
            None,
            "empty_table",
            "The file holds no CHILD elements, so it has no children to read. Export the return again.",
        )
    ]


def test_a_child_longer_than_any_record_could_be_is_refused_before_it_is_held_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ssda903_xml, "MAX_CHILD_BYTES", 100_000)
    review = "<AREVIEW><REVIEW>01/05/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>\n"  # 77 bytes
    text = f"<EXPSSDA903>\n<CHILD>\n<HEADER>\n<CHILDID>A</CHILDID>\n{review * 2000}</HEADER></CHILD></EXPSSDA903>"
    assert refusal(text, tmp_path) == [
        (
            None,
            None,
            "xml_too_large",
            "CHILD[1] runs to more than 100,000 bytes, far more than any child's record, so the file was refused "
            "and nothing in it was used.",
        )
    ]


def test_many_children_each_within_the_bound_are_read_whatever_the_files_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound is on one CHILD, not on the file: 3,000 children of about 670 bytes each (2MB) read
    under a bound of 100,000 bytes."""
    monkeypatch.setattr(ssda903_xml, "MAX_CHILD_BYTES", 100_000)
    children = "".join(
        SMALL_XML.split("<EXPSSDA903>\n")[1]
        .split("</EXPSSDA903>")[0]
        .replace(">A<", f">A{n}<")
        .replace(">B<", f">B{n}<")
        for n in range(1500)
    )
    path = xml_return(tmp_path, f"<EXPSSDA903>\n{children}</EXPSSDA903>\n")
    assert path.stat().st_size > 2_000_000
    problems = Problems()
    sheets = {sheet.name: sheet.frame.height for sheet in read_ssda903_xml(path, LABEL, problems)}
    assert problems.frame.is_empty()
    assert sheets == {"children": 3000, "episodes": 3000, "reviews": 3000}


def test_a_file_with_more_rows_than_a_table_may_hold_is_refused(tmp_path: Path) -> None:
    assert refusal(SMALL_XML, tmp_path, table_rows=1) == [
        (
            None,
            "2",
            "too_many_rows",
            "The file holds more than 1 rows of Children (SSDA903 Header), the most one table may have, so "
            "nothing in it was used. Check that it holds one authority's return for one year.",
        )
    ]


# -- both forms in one year -----------------------------------------------------------------------------


def test_a_year_in_both_forms_that_disagree_is_reported_by_child_and_the_csv_return_is_used(
    tmp_path: Path,
) -> None:
    write_return(tmp_path, "2024-25", SMALL_RETURN)
    lines = SMALL_XML.splitlines(keepends=True)
    assert lines[22].strip() == "<PL>U6</PL>" and lines[40].strip() == "<AREVIEW>"
    lines[22] = "      <PL>U4</PL>\n"  # child A's episode: another placement type
    del lines[40:44]  # child B's review is left out
    xml_return(tmp_path, "".join(lines))
    result = read_data_folder(tmp_path, today=TODAY)
    warnings = [(p.file, p.row, p.child, p.message) for p in result.problems if p.check == "return_forms_disagree"]
    assert warnings == [
        (
            "ssda903/2024-25/episodes.csv",
            2,
            "A",
            "2024-25: the XML return and the CSV return disagree: child A's episode starting 6 January 2025: "
            f"PLACE is U6 in the CSV return and U4 in the XML return ({LABEL} row 18). The CSV return is used.",
        ),
        (
            "ssda903/2024-25/reviews.csv",
            3,
            "B",
            "2024-25: the XML return and the CSV return disagree: child B's review on 29 May 2024 is in the CSV "
            "return but not in the XML return. The CSV return is used.",
        ),
    ]
    assert result.problems.error_count == 0
    assert result.dataset["episodes"].filter(child_id="A")["placement_type"].to_list() == ["U6"]
    assert result.dataset["reviews"].height == 2


def test_a_table_only_one_form_holds_is_reported_row_by_row(tmp_path: Path) -> None:
    sw_episodes = ["CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON", "A,01/06/2012,SW123,06/01/2025,,"]
    write_return(tmp_path, "2024-25", {**SMALL_RETURN, "sw_episodes.csv": sw_episodes})
    xml_return(tmp_path, SMALL_XML)
    warnings = [(p.file, p.row, p.child, p.message) for p in read_data_folder(tmp_path, today=TODAY).problems]
    assert warnings == [
        (
            "ssda903/2024-25/sw_episodes.csv",
            2,
            "A",
            "2024-25: the XML return and the CSV return disagree: child A's social worker episode starting "
            "6 January 2025 is in the CSV return but not in the XML return. The CSV return is used.",
        )
    ]


def test_two_forms_holding_different_children_list_100_rows_of_a_table_and_count_the_rest(tmp_path: Path) -> None:
    """The DfE validator's fake return as a flat folder: 2,675 children in header.csv and 253 other
    children in fake_903.xml, so 2,928 Header rows differ: 100 listed and 2,828 counted."""
    for path in FAKE_903.iterdir():
        if path.suffix in {".csv", ".xml"}:
            (tmp_path / path.name).symlink_to(path)
    problems = read_data_folder(tmp_path, today=TODAY).problems.frame.filter(check="return_forms_disagree")
    children = problems.filter(pl.col("message").str.contains("Children|child [^ ]+'s Header"))
    assert children.height == 101
    assert children.filter(pl.col("value") == "2,928 rows").select("file", "message").rows() == [
        (
            "header.csv",
            "The XML return and the CSV return disagree: 2,828 more rows of Children (SSDA903 Header) differ "
            "between the two forms than the 100 listed. Check that both files are the same return; the CSV return "
            "is used.",
        )
    ]


def test_a_year_in_both_forms_that_agree_reads_as_the_csv_return_with_nothing_to_report(tmp_path: Path) -> None:
    write_return(tmp_path, "2024-25", SMALL_RETURN)
    xml_return(tmp_path, SMALL_XML)
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.problems.frame.is_empty()
    assert set(result.dataset["episodes"]["_file"]) == {"ssda903/2024-25/episodes.csv"}


# -- writing and the round trip ------------------------------------------------------------------------


def _with_the_rarer_tables(dataset_children: pl.Series, tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """OC2, OC3 and deprivation of liberty rows the synthetic authority does not make, so that the round
    trip carries every table of the return."""
    first, second, third = dataset_children.sort().to_list()[:3]
    rows = {
        OC2.name: {"child_id": [first], "sdq_score": [14], "convicted": ["0"], "health_check": ["1"]},
        OC3.name: {"child_id": [second], "in_touch": ["YES"], "activity": ["F2"], "accommodation": ["S"]},
        DOLO.name: {"child_id": [third], "start_date": [dt.date(2026, 1, 5)], "end_date": [dt.date(2026, 2, 1)]},
    }
    added = dict(tables)
    for name, values in rows.items():
        table = next(table for table in SSDA903_TABLES if table.name == name)
        frame = pl.DataFrame(values).with_columns(pl.lit(Source.SSDA903).alias(SOURCE_COLUMN))
        added[name] = pl.concat([tables[name], frame], how="diagonal_relaxed").select(
            [*(pl.col(column.name).cast(column.polars_type) for column in table.columns), pl.col(SOURCE_COLUMN)]
        )
    return added


def test_the_synthetic_authority_written_as_xml_reads_back_to_the_same_dataset_as_its_csv_return(
    tmp_path: Path,
) -> None:
    dataset = generate(SynthConfig(children=60, years=2, seed=3), today=TODAY)
    in_care = dataset["episodes"].filter(pl.col("end_date").is_null())["child_id"].unique()
    dataset = dataclasses.replace(dataset, tables=_with_the_rarer_tables(in_care, dict(dataset.tables)))
    write_data_folder(dataset, tmp_path / "csv")
    write_data_folder(dataset, tmp_path / "xml", ssda903_as="xml")
    assert sorted(p.name for p in (tmp_path / "xml" / "ssda903").rglob("*.*")) == ["ssda903.xml", "ssda903.xml"]
    from_csv = read_data_folder(tmp_path / "csv", today=TODAY)
    from_xml = read_data_folder(tmp_path / "xml", today=TODAY)
    for table in SSDA903_TABLES:
        csv_rows, xml_rows = from_csv.dataset[table.name], from_xml.dataset[table.name]
        assert not csv_rows.is_empty(), table.name
        assert without_provenance(xml_rows).equals(without_provenance(csv_rows)), table.name
    assert from_xml.dataset.years == from_csv.dataset.years == (2024, 2025)
    checks = {
        source: sorted(result.problems.frame["check"].to_list())
        for source, result in (("csv", from_csv), ("xml", from_xml))
    }
    assert checks["xml"] == checks["csv"]


AS_XML = ("--ssda903-as", "xml")


def test_validate_reads_a_folder_whose_returns_iroscope_synth_wrote_as_xml(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        app,
        ["synth", "--out", str(tmp_path), "--children", "20", "--years", "1", "--today", "2026-05-01", *AS_XML],
    )
    assert made.exit_code == 0, made.output
    assert [p.name for p in (tmp_path / "ssda903" / "2025-26").iterdir()] == ["ssda903.xml"]
    checked = runner.invoke(app, ["validate", str(tmp_path), "--today", "2026-05-01"])
    assert checked.exit_code == 0, checked.output
    assert f"No problems found in {tmp_path}." in " ".join(checked.output.split())


def test_an_xml_return_put_directly_in_ssda903_is_named_and_not_read(tmp_path: Path) -> None:
    xml_return(tmp_path, SMALL_XML)
    (tmp_path / "ssda903" / "return.xml").write_text(SMALL_XML, encoding="utf-8")
    [misplaced] = [
        p for p in read_data_folder(tmp_path, today=TODAY).problems.frame.to_dicts() if p["check"] == "year_folder"
    ]
    assert misplaced["severity"] == "error" and misplaced["value"] == "return.xml"
    assert misplaced["message"].startswith("Files directly in ssda903/ were not read")
