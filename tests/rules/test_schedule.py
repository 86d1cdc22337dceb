import datetime as dt

import polars as pl

from iroscope.rules.calendar import england_calendar
from iroscope.rules.schedule import (
    HELD,
    HELD_DUE_DATE_UNKNOWN,
    OVERDUE_DUE_DATE_UNKNOWN,
    OVERDUE_NOT_HELD,
    first_review_due,
    next_review_due,
    review_schedule,
    reviews_overdue_at,
    reviews_overdue_on,
    short_break_review_due,
)

D = dt.date
CALENDAR = england_calendar()
DATA_START = D(2023, 4, 1)


def episode(
    child: str,
    start: dt.date,
    end: dt.date | None = None,
    *,
    rne: str = "S",
    rec: str | None = None,
    legal_status: str = "C2",
) -> dict[str, object]:
    return {
        "child_id": child,
        "start_date": start,
        "end_date": end,
        "reason_new_episode": rne,
        "legal_status": legal_status,
        "reason_ceased": rec,
    }


def episodes(*rows: dict[str, object]) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema={
            "child_id": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
            "reason_new_episode": pl.String,
            "legal_status": pl.String,
            "reason_ceased": pl.String,
        },
    )


def reviews(child: str, *dates: dt.date) -> pl.DataFrame:
    return pl.DataFrame(
        {"child_id": [child] * len(dates), "review_date": list(dates)},
        schema={"child_id": pl.String, "review_date": pl.Date},
    )


def schedule(eps: pl.DataFrame, revs: pl.DataFrame, data_start: dt.date = DATA_START) -> list[dict[str, object]]:
    return review_schedule(episodes=eps, reviews=revs, data_start=data_start, calendar=CALENDAR).to_dicts()


def test_the_scalar_rules_match_regulation_33() -> None:
    assert first_review_due(period_start=D(2024, 12, 16), calendar=CALENDAR) == D(2025, 1, 16)
    assert next_review_due(previous_review=D(2024, 11, 30), previous_sequence=1) == D(2025, 2, 28)
    assert next_review_due(previous_review=D(2024, 11, 30), previous_sequence=2) == D(2025, 5, 30)


def test_a_late_review_moves_every_later_deadline() -> None:
    rows = schedule(
        episodes(episode("A", D(2025, 1, 6))),
        reviews("A", D(2025, 2, 3), D(2025, 5, 6), D(2025, 11, 6)),
    )
    first, second, third = rows
    # First review: 20 working days from Monday 6 January 2025 is Monday 3 February; held that day.
    assert (first["review_sequence"], first["due_date"], first["on_time"], first["working_days_late"]) == (
        1,
        D(2025, 2, 3),
        True,
        0,
    )
    # Second: 3 months after 3 February is Saturday 3 May. Held Tuesday 6 May: Monday 5 May was the
    # early May bank holiday, so it is one working day late.
    assert (second["due_date"], second["on_time"], second["working_days_late"]) == (D(2025, 5, 3), False, 1)
    # Third: 6 months from the day the second was actually held (6 May), not from its due date.
    assert (third["previous_review_date"], third["due_date"], third["on_time"]) == (D(2025, 5, 6), D(2025, 11, 6), True)
    assert {row["status"] for row in rows} == {HELD}


def test_a_period_starting_over_christmas_skips_the_bank_holidays() -> None:
    [row] = schedule(episodes(episode("A", D(2024, 12, 16))), reviews("A", D(2025, 1, 17)))
    assert row["due_date"] == D(2025, 1, 16)
    assert (row["on_time"], row["working_days_late"]) == (False, 1)


def test_a_period_starting_on_a_saturday_counts_from_the_monday() -> None:
    [row] = schedule(episodes(episode("A", D(2025, 1, 4))), reviews("A", D(2025, 1, 31)))
    assert (row["due_date"], row["on_time"]) == (D(2025, 1, 31), True)


def test_month_end_clamping_in_a_leap_year() -> None:
    # First review 29 November 2023: the second is due 29 February 2024 (a leap year); held that day,
    # the third is due 29 August 2024.
    rows = schedule(
        episodes(episode("A", D(2023, 11, 1))),
        reviews("A", D(2023, 11, 29), D(2024, 2, 29), D(2024, 8, 30)),
    )
    assert [row["due_date"] for row in rows] == [D(2023, 11, 29), D(2024, 2, 29), D(2024, 8, 29)]
    assert [row["on_time"] for row in rows] == [True, True, False]
    assert rows[2]["working_days_late"] == 1


def test_placement_moves_and_legal_status_changes_do_not_restart_the_cycle() -> None:
    eps = episodes(
        episode("A", D(2024, 5, 1), D(2024, 6, 10), rec="X1", legal_status="V2"),
        episode("A", D(2024, 6, 10), D(2024, 9, 2), rne="P", rec="X1", legal_status="V2"),
        episode("A", D(2024, 9, 2), rne="B", legal_status="C1"),
    )
    rows = schedule(eps, reviews("A", D(2024, 5, 29), D(2024, 8, 28), D(2024, 9, 20)))
    assert [row["review_sequence"] for row in rows] == [1, 2, 3]
    assert rows[0]["due_date"] == D(2024, 5, 31)  # 20 working days from 1 May, skipping 6 and 27 May
    assert rows[2]["due_date"] == D(2025, 2, 28)  # 6 months after 28 August, clamped to February


def test_a_child_who_leaves_and_returns_starts_a_new_period() -> None:
    eps = episodes(
        episode("A", D(2024, 5, 1), D(2024, 7, 1), rec="E4A"),
        episode("A", D(2024, 7, 8)),
    )
    rows = schedule(eps, reviews("A", D(2024, 5, 20), D(2024, 8, 5)))
    assert [(row["period_start"], row["review_sequence"]) for row in rows] == [(D(2024, 5, 1), 1), (D(2024, 7, 8), 1)]
    # 20 working days from Monday 8 July 2024 is Monday 5 August (no holidays in between).
    assert (rows[1]["due_date"], rows[1]["on_time"]) == (D(2024, 8, 5), True)


def test_the_first_review_held_in_a_period_older_than_the_data_has_no_knowable_deadline() -> None:
    eps = episodes(episode("A", D(2019, 3, 4)))
    rows = schedule(eps, reviews("A", D(2023, 6, 12), D(2023, 12, 12), D(2024, 6, 13)))
    assert rows[0]["status"] == HELD_DUE_DATE_UNKNOWN
    assert (rows[0]["due_date"], rows[0]["on_time"], rows[0]["working_days_late"]) == (None, None, None)
    # The first review of a 2019 period fell due long before the data, so the ones we hold run on
    # the 6-month cycle; the sequence number itself stays unknown.
    assert [(row["review_sequence"], row["due_date"], row["on_time"]) for row in rows[1:]] == [
        (None, D(2023, 12, 12), True),
        (None, D(2024, 6, 12), False),
    ]


def test_a_period_that_began_just_before_the_data_keeps_two_deadlines_unknown() -> None:
    # The period began 24 March 2023: its first review (due 24 April 2023, after the data begins)
    # may or may not have been held before 1 April, so neither the first nor the second review we
    # hold can be placed in the cycle. The third follows a review that was at least the second:
    # due 6 months after 14 July 2023.
    eps = episodes(episode("A", D(2023, 3, 24)))
    rows = schedule(eps, reviews("A", D(2023, 4, 20), D(2023, 7, 14), D(2024, 1, 10)))
    assert [row["status"] for row in rows] == [HELD_DUE_DATE_UNKNOWN, HELD_DUE_DATE_UNKNOWN, HELD]
    assert (rows[2]["due_date"], rows[2]["on_time"]) == (D(2024, 1, 14), True)


def test_reviews_outside_every_period_and_short_breaks_are_left_out() -> None:
    eps = episodes(
        episode("A", D(2024, 5, 1), D(2024, 6, 1), rec="E13"),
        episode("B", D(2024, 5, 1), D(2024, 5, 3), legal_status="V3", rec="E4A"),
    )
    rows = schedule(eps, pl.concat([reviews("A", D(2024, 5, 20), D(2024, 9, 1)), reviews("B", D(2024, 5, 2))]))
    assert [(row["child_id"], row["review_date"]) for row in rows] == [("A", D(2024, 5, 20))]


def test_overdue_reviews_at_the_year_end() -> None:
    year_end = D(2025, 3, 31)
    eps = episodes(
        episode("LATE", D(2024, 4, 15)),
        episode("NEW", D(2025, 3, 17)),
        episode("GONE", D(2024, 4, 15), D(2024, 10, 1), rec="E4A"),
        episode("OLD", D(2018, 1, 8)),
        episode("FINE", D(2024, 4, 15)),
    )
    revs = pl.concat(
        [
            reviews("LATE", D(2024, 5, 13), D(2024, 8, 12)),  # third review due 12 February 2025
            reviews("GONE", D(2024, 5, 13)),
            reviews("FINE", D(2024, 5, 13), D(2024, 8, 12), D(2025, 2, 10)),
        ]
    )
    rows = reviews_overdue_at(episodes=eps, reviews=revs, as_at=year_end, data_start=DATA_START, calendar=CALENDAR)
    by_child = {row["child_id"]: row for row in rows.to_dicts()}
    assert set(by_child) == {"LATE", "OLD"}
    late = by_child["LATE"]
    assert (late["review_sequence"], late["previous_review_date"], late["due_date"], late["status"]) == (
        3,
        D(2024, 8, 12),
        D(2025, 2, 12),
        OVERDUE_NOT_HELD,
    )
    # Working days after Wednesday 12 February up to Monday 31 March 2025: 12 in February, 21 in March.
    assert (late["on_time"], late["working_days_late"]) == (False, 33)
    # No review at all in two years of data: certainly overdue, though the exact due date is unknown.
    assert (by_child["OLD"]["status"], by_child["OLD"]["due_date"]) == (OVERDUE_DUE_DATE_UNKNOWN, None)


def test_overdue_on_several_days_is_overdue_at_each_day() -> None:
    """One numbering serves the days that see the same reviews; a day after another review is held
    numbers them again. FINE's review of 10 February 2025 is held between the first two days."""
    eps = episodes(episode("LATE", D(2024, 4, 15)), episode("FINE", D(2024, 4, 15)), episode("OLD", D(2018, 1, 8)))
    late, fine = reviews("LATE", D(2024, 5, 13), D(2024, 8, 12)), reviews("FINE", D(2024, 5, 13), D(2024, 8, 12))
    revs = pl.concat([late, fine, reviews("FINE", D(2025, 2, 10))])
    days = [D(2025, 2, 5), D(2025, 3, 31), D(2025, 8, 31)]
    each = reviews_overdue_on(episodes=eps, reviews=revs, days=days, data_start=DATA_START, calendar=CALENDAR)
    for day, rows in zip(days, each, strict=True):
        alone = reviews_overdue_at(episodes=eps, reviews=revs, as_at=day, data_start=DATA_START, calendar=CALENDAR)
        assert rows.equals(alone), day
    # FINE's third review was due 12 February 2025: not yet on 5 February; held by 31 March; its fourth,
    # due 10 August 2025, is overdue on 31 August.
    assert [sorted(rows["child_id"]) for rows in each] == [["OLD"], ["LATE", "OLD"], ["FINE", "LATE", "OLD"]]


def test_a_review_due_on_the_last_day_and_not_held_is_overdue_that_evening() -> None:
    eps = episodes(episode("A", D(2025, 3, 3)))
    rows = reviews_overdue_at(
        episodes=eps, reviews=reviews("A"), as_at=D(2025, 3, 31), data_start=DATA_START, calendar=CALENDAR
    ).to_dicts()
    assert [(row["review_sequence"], row["due_date"], row["working_days_late"]) for row in rows] == [
        (1, D(2025, 3, 31), 0)
    ]


def test_short_breaks_follow_regulation_48() -> None:
    assert short_break_review_due(first_break_start=D(2024, 11, 30), previous_review=None) == D(2025, 2, 28)
    assert short_break_review_due(first_break_start=D(2024, 11, 30), previous_review=D(2025, 2, 20)) == D(2025, 8, 20)


def test_after_two_reviews_in_the_data_the_next_deadline_is_known_even_for_an_older_period() -> None:
    # Period began 24 March 2023, just before the data; two reviews held, so the second of them is
    # at least the period's second review. The next is due 6 months after 14 July 2023: Sunday
    # 14 January 2024, and not held by 31 March 2024.
    eps = episodes(episode("A", D(2023, 3, 24)))
    [row] = reviews_overdue_at(
        episodes=eps,
        reviews=reviews("A", D(2023, 4, 20), D(2023, 7, 14)),
        as_at=D(2024, 3, 31),
        data_start=DATA_START,
        calendar=CALENDAR,
    ).to_dicts()
    assert (row["status"], row["due_date"], row["review_sequence"]) == (OVERDUE_NOT_HELD, D(2024, 1, 14), None)
