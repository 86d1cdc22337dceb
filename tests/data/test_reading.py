import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from iroscope.data.folder import DataFolderError, read_data_folder
from tests.conftest import EPISODES, HEADER, REVIEWS, TODAY, write_return


def problems_of(root: Path) -> list[dict[str, object]]:
    return read_data_folder(root, today=TODAY).problems.frame.to_dicts()


def only(problems: list[dict[str, object]], check: str) -> list[dict[str, object]]:
    return [p for p in problems if p["check"] == check]


def test_a_clean_return_reads_without_problems(small_return: Path) -> None:
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.frame.to_dicts() == []
    assert result.dataset.years == (2024,)
    episodes = result.dataset["episodes"]
    assert episodes.filter(pl.col("child_id") == "A")["start_date"].item() == dt.date(2025, 1, 6)
    assert result.dataset["children"].filter(pl.col("child_id") == "B")["sex"].item() == "F"


def test_files_are_recognised_by_their_columns_not_their_names(tmp_path: Path) -> None:
    write_return(
        tmp_path,
        "2024-25",
        {
            "Children looked after - EXPORT 1.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"],
            "data2.csv": [EPISODES, "A,06/01/2025,S,C1,N1,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456"],
        },
    )
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.dataset["children"].height == 1
    assert result.dataset["episodes"].height == 1


def test_unknown_codes_are_named_with_file_row_and_column(small_return: Path) -> None:
    folder = small_return / "ssda903" / "2024-25"
    (folder / "reviews.csv").write_text(f"{REVIEWS}\nA,01/06/2012,03/02/2025,PN9\n", encoding="utf-8")
    [problem] = only(problems_of(small_return), "code")
    assert problem["severity"] == "error"
    assert problem["file"] == "ssda903/2024-25/reviews.csv"
    assert (problem["row"], problem["column"], problem["value"]) == (2, "REVIEW_CODE", "PN9")
    assert "'PN9' is not a participation code" in str(problem["message"])


def test_a_code_from_another_year_says_when_it_is_valid(small_return: Path) -> None:
    write_return(
        small_return,
        "2023-24",
        {
            "header.csv": [HEADER, "C,1,01/06/2012,WBRI,UN2,,"],
            "episodes.csv": [EPISODES, "C,06/01/2024,S,C1,N1,K3,PR4,,,,DN34 5JH,DN34 5JF,SC123456"],
        },
    )
    [problem] = only(problems_of(small_return), "code")
    assert problem["message"] == "K3 is a placement_type code only valid from 2024-25, not in 2023-24."


def test_impossible_and_future_dates_are_errors(small_return: Path) -> None:
    folder = small_return / "ssda903" / "2024-25"
    (folder / "reviews.csv").write_text(
        f"{REVIEWS}\nA,01/06/2012,31/02/2025,PN1\nA,01/06/2012,03/05/2025,PN1\nA,01/06/2012,03/03/1890,PN1\n",
        encoding="utf-8",
    )
    problems = problems_of(small_return)
    assert [(p["row"], p["message"]) for p in only(problems, "date")] == [
        (2, "31/02/2025 is not a real date (expected DD/MM/YYYY).")
    ]
    assert [(p["row"], p["message"]) for p in only(problems, "future_date")] == [
        (3, "03/05/2025 is after the end of the 2024-25 collection year.")
    ]
    assert [p["row"] for p in only(problems, "impossible_date")] == [4]


def test_duplicate_rows_are_reported_against_the_first(small_return: Path) -> None:
    folder = small_return / "ssda903" / "2024-25"
    (folder / "reviews.csv").write_text(
        f"{REVIEWS}\nA,01/06/2012,03/02/2025,PN1\nA,01/06/2012,03/02/2025,PN1\nA,01/06/2012,03/02/2025,PN6\n",
        encoding="utf-8",
    )
    duplicates = only(problems_of(small_return), "duplicate")
    assert [(p["row"], p["message"]) for p in duplicates] == [
        (3, "This row repeats row 2 exactly (CHILD, REVIEW)."),
        (4, "This row has the same CHILD, REVIEW as row 2 but different details."),
    ]


def test_overlapping_episodes_name_both_rows(small_return: Path) -> None:
    folder = small_return / "ssda903" / "2024-25"
    (folder / "episodes.csv").write_text(
        "\n".join(
            [
                EPISODES,
                "A,06/01/2025,S,C1,N1,U6,PR1,10/02/2025,X1,CARPL,DN34 5JH,DN34 5JF,SC123456",
                "A,01/02/2025,P,C1,N1,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456",
                "B,01/05/2024,S,V2,N4,U4,PR4,,,,DN34 5JH,DN36 5YQ,SC654321",
            ]
        ),
        encoding="utf-8",
    )
    [problem] = only(problems_of(small_return), "overlapping_episodes")
    assert problem["row"] == 3
    assert problem["message"] == (
        "This episode starts on 01/02/2025 while the child's previous episode "
        "(ssda903/2024-25/episodes.csv row 2) is still open until 10/02/2025."
    )


def test_participation_codes_are_checked_against_age_on_the_review_date(small_return: Path) -> None:
    # B was born 10 January 2022: under 4 until 9 January 2026. A (born 2012) can never be PN0.
    folder = small_return / "ssda903" / "2024-25"
    (folder / "reviews.csv").write_text(
        f"{REVIEWS}\nA,01/06/2012,03/02/2025,PN0\nB,10/01/2022,29/05/2024,PN1\n", encoding="utf-8"
    )
    problems = problems_of(small_return)
    assert [(p["row"], p["check"]) for p in problems if p["check"] in ("pn0_aged_4_or_over", "under_4_not_pn0")] == [
        (2, "pn0_aged_4_or_over"),
        (3, "under_4_not_pn0"),
    ]


def test_a_review_outside_any_period_of_care_is_an_error(small_return: Path) -> None:
    folder = small_return / "ssda903" / "2024-25"
    (folder / "reviews.csv").write_text(f"{REVIEWS}\nA,01/06/2012,03/12/2024,PN1\n", encoding="utf-8")
    [problem] = only(problems_of(small_return), "review_outside_care")
    assert problem["message"] == "The child was not looked after on 03/12/2024: no episode covers this review."


def test_references_to_unknown_children_and_iros_are_errors(small_return: Path) -> None:
    activity = small_return / "activity"
    activity.mkdir()
    (activity / "iro_staff.csv").write_text("iro_id,fte,start_date\nIRO1,1,2020-01-01\n", encoding="utf-8")
    (activity / "iro_allocations.csv").write_text(
        "child_id,iro_id,start_date\nA,IRO1,2025-01-08\nZ,IRO1,2025-01-08\nB,IRO9,2024-05-02\n", encoding="utf-8"
    )
    problems = only(problems_of(small_return), "unknown_reference")
    assert [(p["row"], p["column"], p["message"]) for p in problems] == [
        (3, "child_id", "There is no child Z in Children (SSDA903 Header)."),
        (4, "iro_id", "There is no IRO IRO9 in IRO staff."),
    ]


def test_a_later_return_wins_and_the_difference_is_reported(small_return: Path) -> None:
    write_return(
        small_return,
        "2025-26",
        {
            "header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"],
            "episodes.csv": [EPISODES, "A,06/01/2025,S,C1,N2,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456"],
            "reviews.csv": [REVIEWS, "A,01/06/2012,03/02/2025,PN6"],
        },
    )
    result = read_data_folder(small_return, today=TODAY)
    changes = only(result.problems.frame.to_dicts(), "changed_between_returns")
    assert sorted((p["column"], p["message"]) for p in changes) == [
        ("CIN", "Changed since the 2024-25 return: was N1, now N2. The later return is used."),
        ("REVIEW_CODE", "Changed since the 2024-25 return: was PN1, now PN6. The later return is used."),
    ]
    assert result.dataset["reviews"].filter(pl.col("child_id") == "A")["participation"].to_list() == ["PN6"]


def test_an_episode_closing_in_the_next_return_is_not_reported_as_a_change(small_return: Path) -> None:
    write_return(
        small_return,
        "2025-26",
        {
            "header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"],
            "episodes.csv": [EPISODES, "A,06/01/2025,S,C1,N1,U6,PR1,30/06/2025,E4A,,DN34 5JH,DN34 5JF,SC123456"],
        },
    )
    result = read_data_folder(small_return, today=TODAY)
    assert only(result.problems.frame.to_dicts(), "changed_between_returns") == []
    assert result.dataset["episodes"].filter(pl.col("child_id") == "A")["end_date"].item() == dt.date(2025, 6, 30)


def test_old_sex_codes_and_spreadsheet_numbers_are_understood(small_return: Path) -> None:
    write_return(
        small_return,
        "2023-24",
        {"header.csv": [HEADER, "C,2,01/06/2012,WBRI,UN2,0.0,"], "episodes.csv": [EPISODES]},
    )
    result = read_data_folder(small_return, today=TODAY)
    child = result.dataset["children"].filter(pl.col("child_id") == "C").to_dicts()[0]
    assert (child["sex"], child["mother"]) == ("F", "0")


def test_a_missing_folder_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(DataFolderError, match="There is no folder"):
        read_data_folder(tmp_path / "nowhere", today=TODAY)
    with pytest.raises(DataFolderError, match="Nothing in"):
        read_data_folder(tmp_path, today=TODAY)
