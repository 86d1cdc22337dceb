"""Nothing in a data folder, however malformed, may crash the reader: it reports and carries on."""

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from iroscope.data.folder import read_data_folder
from tests.conftest import EPISODES, HEADER, REVIEWS, TODAY, write_return


def checks(root: Path) -> list[tuple[str, str, str]]:
    return [
        (p["severity"], p["file"], p["check"]) for p in read_data_folder(root, today=TODAY).problems.frame.to_dicts()
    ]


def test_a_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    folder = write_return(tmp_path, "2024-25", {})
    (folder / "header.csv").write_bytes(f"{HEADER}\nA\xe9,M,01/06/2012,WBRI,UN2,,\n".encode("cp1252"))
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.dataset["children"]["child_id"].to_list() == ["Aé"]
    [problem] = result.problems.frame.to_dicts()
    assert problem["check"] == "encoding"
    assert problem["message"].startswith("The file is not UTF-8 (first at line 2); it was read as Windows-1252.")


def test_a_utf16_file_is_read_with_a_warning(tmp_path: Path) -> None:
    folder = write_return(tmp_path, "2024-25", {})
    (folder / "header.csv").write_bytes(f"{HEADER}\nA,M,01/06/2012,WBRI,UN2,,\n".encode("utf-16"))
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.dataset["children"].height == 1
    assert checks(tmp_path) == [("warning", "ssda903/2024-25/header.csv", "encoding")]


def test_a_workbook_saved_with_a_csv_name_is_read_as_a_workbook(tmp_path: Path) -> None:
    folder = write_return(tmp_path, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"]})
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(EPISODES.split(","))
    sheet.append(
        ["A", "06/01/2025", "S", "C1", "N1", "U6", "PR1", None, None, None, "DN34 5JH", "DN34 5JF", "SC123456"]
    )
    workbook.save(folder / "episodes.csv")
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.dataset["episodes"].height == 1
    assert ("warning", "ssda903/2024-25/episodes.csv › Sheet", "extra_column") not in checks(tmp_path)
    assert ("warning", "ssda903/2024-25/episodes.csv", "workbook_as_csv") in checks(tmp_path)


def test_missing_required_columns_are_an_error_naming_them(tmp_path: Path) -> None:
    write_return(tmp_path, "2024-25", {"episodes.csv": ["CHILD,DECOM,RNE,LS,CIN,DEC,REC", "A,06/01/2025,S,C1,N1,,"]})
    result = read_data_folder(tmp_path, today=TODAY)
    missing = [p for p in result.problems.frame.to_dicts() if p["check"] == "missing_column"]
    assert [(p["severity"], p["value"]) for p in missing] == [("error", "PLACE")]


def test_an_empty_file_a_binary_file_and_an_unrecognised_table_are_reported(tmp_path: Path) -> None:
    folder = write_return(tmp_path, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"]})
    (folder / "empty.csv").write_text("", encoding="utf-8")
    (folder / "image.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "budget.csv").write_text("cost centre,amount\nA1,100\n", encoding="utf-8")
    assert checks(tmp_path) == [
        ("error", "ssda903/2024-25/budget.csv", "unrecognised_table"),
        ("error", "ssda903/2024-25/empty.csv", "empty_file"),
        ("error", "ssda903/2024-25/image.csv", "encoding"),
    ]


def test_semicolons_blank_rows_and_padded_headers_are_handled(tmp_path: Path) -> None:
    folder = write_return(tmp_path, "2024-25", {})
    (folder / "reviews.csv").write_text(
        " CHILD ; DOB ;REVIEW;REVIEW_CODE\n\nA;01/06/2012;03/02/2025;pn1\n;;;\n", encoding="utf-8"
    )
    (folder / "header.csv").write_text(f"{HEADER},,\nA,M,01/06/2012,WBRI,UN2,,,,\n", encoding="utf-8")
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.dataset["reviews"].select("child_id", "participation").rows() == [("A", "PN1")]
    assert [p["check"] for p in result.problems.frame.to_dicts()] == ["separator"]


def test_a_row_with_too_many_values_is_an_error_on_that_row(tmp_path: Path) -> None:
    write_return(
        tmp_path, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,", "B,M,01/06/2012,WBRI,UN2,,,X"]}
    )
    [problem] = read_data_folder(tmp_path, today=TODAY).problems.frame.to_dicts()
    assert (problem["check"], problem["row"]) == ("ragged_row", 3)


def test_a_year_folder_with_a_wrong_name_is_reported(tmp_path: Path) -> None:
    write_return(tmp_path, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"]})
    write_return(tmp_path, "2024", {"header.csv": [HEADER]})
    problem = next(
        p for p in read_data_folder(tmp_path, today=TODAY).problems.frame.to_dicts() if p["check"] == "year_folder"
    )
    assert problem["message"] == "'2024' is not a collection year: expected the form 2024-25; the folder was not read."


cells = st.text(alphabet=string.printable + "éü£\u00a0\ufeff", max_size=12)
rows = st.lists(st.lists(cells, min_size=0, max_size=15), min_size=0, max_size=6)
headers = st.lists(
    st.sampled_from(["CHILD", "DOB", "REVIEW", "REVIEW_CODE", "DECOM", "RNE", "LS", "SEX", "x", "", "CHILD "]),
    min_size=0,
    max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=headers,
    body=rows,
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
    separator=st.sampled_from([",", ";", "\t"]),
)
def test_no_csv_file_crashes_the_reader(tmp_path_factory, header, body, encoding, separator) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("data")
    folder = write_return(root, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"]})
    text = "\n".join(separator.join(row) for row in [header, *body])
    (folder / "fuzz.csv").write_bytes(text.encode(encoding, errors="replace"))
    result = read_data_folder(root, today=TODAY)
    for problem in result.problems.frame.to_dicts():
        assert problem["message"]
        assert problem["file"]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_no_bytes_crash_the_reader(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("data")
    folder = write_return(root, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"]})
    (folder / "episodes.csv").write_bytes(data)
    (root / "activity.xlsx").write_bytes(data)
    read_data_folder(root, today=TODAY)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.tuples(cells, cells, cells, cells), max_size=8))
def test_no_cell_values_crash_the_parser(tmp_path_factory, values) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("data")
    lines = [",".join(f'"{v.replace(chr(34), "")}"' for v in row) for row in values]
    write_return(
        root, "2024-25", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"], "reviews.csv": [REVIEWS, *lines]}
    )
    read_data_folder(root, today=TODAY)
