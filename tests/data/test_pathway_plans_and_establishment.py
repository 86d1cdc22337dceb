"""The optional pathway_plan_reviews activity table (decision 0018): a workbook without it still reads,
a care leaver need not be in the SSDA903 Header, and a bad date or code is named where it is. The
optional establishment reference file (funded IRO posts) is read beside population.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iroscope.data.folder import read_data_folder
from tests.conftest import TODAY


def write_pathway_plan_reviews(root: Path, text: str) -> None:
    activity = root / "activity"
    activity.mkdir()
    (activity / "pathway_plan_reviews.csv").write_text(text, encoding="utf-8")


def test_a_return_without_pathway_plan_reviews_reads_with_the_table_empty(small_return: Path) -> None:
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.error_count == 0
    assert result.dataset["pathway_plan_reviews"].height == 0


def test_a_care_leaver_not_in_the_header_is_accepted(small_return: Path) -> None:
    write_pathway_plan_reviews(
        small_return,
        "child_id,review_date,chaired_by_iro_service,due_date\nLEFT_IN_2019,2025-01-06,Y,2025-01-10\n",
    )
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.error_count == 0
    row = result.dataset["pathway_plan_reviews"].row(0, named=True)
    assert (row["child_id"], row["review_date"], row["chaired_by_iro_service"], row["due_date"]) == (
        "LEFT_IN_2019",
        dt.date(2025, 1, 6),
        "Y",
        dt.date(2025, 1, 10),
    )


def test_a_bad_date_and_an_unknown_answer_are_named_by_row_and_column(small_return: Path) -> None:
    write_pathway_plan_reviews(
        small_return,
        "child_id,review_date,chaired_by_iro_service\nA,2025-13-40,Y\nB,2025-02-03,MAYBE\n",
    )
    result = read_data_folder(small_return, today=TODAY)
    located = {
        (p["column"], p["row"], p["severity"])
        for p in result.problems.frame.to_dicts()
        if "pathway_plan_reviews" in (p["file"] or "")
    }
    assert ("review_date", 2, "error") in located
    assert ("chaired_by_iro_service", 3, "error") in located


def test_the_establishment_is_read_from_its_own_file_and_a_bad_number_is_named(small_return: Path) -> None:
    (small_return / "establishment.csv").write_text("year,funded_fte\n2024-25,12.5\n2023-24,twelve\n", encoding="utf-8")
    result = read_data_folder(small_return, today=TODAY)
    frame = result.dataset["establishment"]
    assert frame.filter(frame["year"] == "2024-25")["funded_fte"].to_list() == [12.5]
    located = [
        (p["column"], p["row"]) for p in result.problems.frame.to_dicts() if "establishment" in (p["file"] or "")
    ]
    assert ("funded_fte", 3) in located
