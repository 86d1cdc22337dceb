"""The optional fields added for the annual report's participation and staffing sections (decision
0018): an activity workbook written before them still reads, and when given they are checked like any
other code."""

from __future__ import annotations

from pathlib import Path

from iroscope.data.folder import read_data_folder
from tests.conftest import TODAY


def write_activity(root: Path, review_details: str) -> None:
    activity = root / "activity"
    activity.mkdir()
    (activity / "review_details.csv").write_text(review_details, encoding="utf-8")


def test_review_details_without_the_optional_fields_read_with_them_blank(small_return: Path) -> None:
    write_activity(small_return, "child_id,review_date,format\nA,2025-02-03,IN_PERSON\n")
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.error_count == 0
    row = result.dataset["review_details"].row(0, named=True)
    assert (row["non_attendance_reason"], row["child_chaired"], row["parents_participated"]) == (None, None, None)


def test_the_optional_fields_are_read_and_an_unknown_reason_is_named(small_return: Path) -> None:
    write_activity(
        small_return,
        "child_id,review_date,non_attendance_reason,child_chaired,parents_participated,carers_participated\n"
        "A,2025-02-03,CHOSE_NOT_TO,N,Y,Y\n"
        "B,2024-05-29,BORED,N,N,Y\n",
    )
    result = read_data_folder(small_return, today=TODAY)
    frame = result.dataset["review_details"]
    assert frame.filter(frame["child_id"] == "A")["non_attendance_reason"].to_list() == ["CHOSE_NOT_TO"]
    unknown = [p for p in result.problems.frame.to_dicts() if p["column"] == "non_attendance_reason"]
    assert [(p["row"], p["severity"]) for p in unknown] == [(3, "error")]


def test_a_late_reason_not_in_the_practice_settings_is_a_located_warning(small_return: Path) -> None:
    write_activity(
        small_return,
        "child_id,review_date,late_reason\nA,2025-02-03,IRO_UNAVAILABLE\nB,2024-05-29,HOLIDAYS\n",
    )
    result = read_data_folder(small_return, today=TODAY)
    unknown = [p for p in result.problems.frame.to_dicts() if p["column"] == "late_reason"]
    # The header is row 1, so B's row is row 3; a warning, so a workspace export with a reason since
    # removed from the settings still loads back.
    assert [(p["row"], p["severity"], p["value"]) for p in unknown] == [(3, "warning", "HOLIDAYS")]
    assert unknown[0]["message"].startswith("HOLIDAYS is not one of this authority's late reasons (FAMILY_REQUEST, ")
    assert result.dataset["review_details"]["late_reason"].to_list() == ["IRO_UNAVAILABLE", "HOLIDAYS"]
