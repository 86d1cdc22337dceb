"""Reviews booked, in the activity records: read like any activity table (the date booked for may be
after the return's year), with the dates checked in the order they must happen: booked, invitations
sent, the review; and a consultation form returned only after it was sent."""

from pathlib import Path

from iroscope.data.folder import read_data_folder
from tests.conftest import TODAY

# small_return is the 2024-25 return, holding children A and B.


def write_activity(root: Path, name: str, *lines: str) -> None:
    folder = root / "activity"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def problems(root: Path) -> list[tuple[str, int | None, str | None, str, str]]:
    frame = read_data_folder(root, today=TODAY).problems.frame
    return [(p["file"], p["row"], p["column"], p["check"], p["message"]) for p in frame.to_dicts()]


HEADING = "child_id,scheduled_date,format,booked_date,invitations_sent_date"


def test_a_booking_after_the_return_s_year_reads_cleanly(small_return: Path) -> None:
    write_activity(small_return, "scheduled_reviews.csv", HEADING, "A,12/05/2025,VIRTUAL,03/03/2025,14/03/2025")
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.frame.to_dicts() == []
    [row] = result.dataset["scheduled_reviews"].select("child_id", "scheduled_date", "format").rows()
    assert (row[0], row[1].isoformat(), row[2]) == ("A", "2025-05-12", "VIRTUAL")


def test_invitations_sent_before_the_booking_or_after_the_review_are_errors(small_return: Path) -> None:
    write_activity(
        small_return,
        "scheduled_reviews.csv",
        HEADING,
        "A,12/03/2025,VIRTUAL,03/03/2025,28/02/2025",
        "B,12/03/2025,,03/02/2025,13/03/2025",
    )
    assert problems(small_return) == [
        (
            "activity/scheduled_reviews.csv",
            2,
            "invitations_sent_date",
            "end_before_start",
            "28/02/2025 is before booked_date (03/03/2025), which is impossible.",
        ),
        (
            "activity/scheduled_reviews.csv",
            3,
            "scheduled_date",
            "end_before_start",
            "12/03/2025 is before invitations_sent_date (13/03/2025), which is impossible.",
        ),
    ]


def test_a_consultation_form_returned_before_it_was_sent_is_an_error(small_return: Path) -> None:
    write_activity(
        small_return,
        "consultations.csv",
        "child_id,review_date,recipient,sent_date,returned_date",
        "A,12/03/2025,CHILD,20/02/2025,19/02/2025",
        "A,12/03/2025,CARER,20/02/2025,20/02/2025",
    )
    assert problems(small_return) == [
        (
            "activity/consultations.csv",
            2,
            "returned_date",
            "end_before_start",
            "19/02/2025 is before sent_date (20/02/2025), which is impossible.",
        )
    ]
