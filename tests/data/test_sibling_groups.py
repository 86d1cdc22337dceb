"""Sibling groups in the activity records: read like any activity table, and checked so that each
group has at least two known children and each child is in one group."""

from pathlib import Path

from iroscope.data.folder import read_data_folder
from tests.conftest import TODAY

# small_return holds children A and B.


def write_groups(root: Path, *rows: str) -> None:
    folder = root / "activity"
    folder.mkdir(exist_ok=True)
    (folder / "sibling_groups.csv").write_text("\n".join(["child_id,sibling_group_id", *rows]) + "\n", encoding="utf-8")


def problems(root: Path) -> list[tuple[str, int | None, str | None, str | None, str, str]]:
    frame = read_data_folder(root, today=TODAY).problems.frame
    return [(p["file"], p["row"], p["column"], p["value"], p["check"], p["message"]) for p in frame.to_dicts()]


def test_a_group_of_two_known_children_reads_cleanly(small_return: Path) -> None:
    write_groups(small_return, "A,G1", "B,G1")
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.frame.to_dicts() == []
    assert result.dataset["sibling_groups"].select("child_id", "sibling_group_id").rows() == [("A", "G1"), ("B", "G1")]


def test_a_group_of_one_child_is_an_error_on_that_row(small_return: Path) -> None:
    write_groups(small_return, "A,G1", "B,G2")
    assert problems(small_return) == [
        (
            "activity/sibling_groups.csv",
            2,
            "sibling_group_id",
            "G1",
            "sibling_group_of_one",
            "Sibling group G1 has only this child (A): a group needs at least two children. "
            "Give the other siblings the same group, or remove this row.",
        ),
        (
            "activity/sibling_groups.csv",
            3,
            "sibling_group_id",
            "G2",
            "sibling_group_of_one",
            "Sibling group G2 has only this child (B): a group needs at least two children. "
            "Give the other siblings the same group, or remove this row.",
        ),
    ]


def test_a_child_not_in_the_ssda903_header_is_an_error_on_that_row(small_return: Path) -> None:
    write_groups(small_return, "A,G1", "B,G1", "Z,G1")
    assert problems(small_return) == [
        (
            "activity/sibling_groups.csv",
            4,
            "child_id",
            "Z",
            "unknown_reference",
            "There is no child Z in Children (SSDA903 Header).",
        )
    ]


def test_a_child_in_two_rows_is_an_error_on_the_second(small_return: Path) -> None:
    write_groups(small_return, "A,G1", "B,G1", "A,G1")
    assert problems(small_return) == [
        ("activity/sibling_groups.csv", 4, "child_id", "A", "duplicate", "This row repeats row 2 exactly (child_id).")
    ]


def test_a_child_given_two_groups_is_an_error_on_the_second_row(small_return: Path) -> None:
    write_groups(small_return, "A,G1", "B,G1", "A,G2")
    assert problems(small_return) == [
        (
            "activity/sibling_groups.csv",
            4,
            "child_id",
            "A",
            "duplicate",
            "This row has the same child_id as row 2 but different details.",
        )
    ]
