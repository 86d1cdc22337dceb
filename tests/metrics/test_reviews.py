"""Review KPIs on a hand-made year, 2024-25, with the due dates counted on a calendar.

R1 (born 2012) in care from Monday 15 April 2024. First review due 14 May (20 working days,
   skipping the early May bank holiday); held 13 May (PN1). Second due 13 August; held 20 August,
   5 working days late (PN7). Third due 20 February 2025; held that day (PN6).
R3 (born 2010) in care from Monday 2 September 2024. First review due 30 September; held 27
   September (PN5). Second due 27 December 2024, never held: overdue at the year end.
R4 (born 10 January 2021) in care from Tuesday 2 April 2024. Reviews 30 April (due 30 April), 30 July
   (due 30 July), both PN0 at age 3, and 28 January 2025 (due 30 January), aged 4: PN3.
"""

import pytest

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D, child, compute, dataset, episode


def review(child_id: str, day: object, code: str) -> dict[str, object]:
    return {"child_id": child_id, "review_date": day, "participation": code}


@pytest.fixture(scope="module")
def year() -> Dataset:
    return dataset(
        children=[
            child("R1", sex="M", born=D(2012, 1, 1)),
            child("R3", sex="F", born=D(2010, 1, 1)),
            child("R4", sex="F", born=D(2021, 1, 10)),
        ],
        episodes=[episode("R1", D(2024, 4, 15)), episode("R3", D(2024, 9, 2)), episode("R4", D(2024, 4, 2))],
        reviews=[
            review("R1", D(2024, 5, 13), "PN1"),
            review("R1", D(2024, 8, 20), "PN7"),
            review("R1", D(2025, 2, 20), "PN6"),
            review("R3", D(2024, 9, 27), "PN5"),
            review("R4", D(2024, 4, 30), "PN0"),
            review("R4", D(2024, 7, 30), "PN0"),
            review("R4", D(2025, 1, 28), "PN3"),
        ],
        review_details=[
            # Decisions due 20 May (sent 20 May: on time); record due 11 June (sent 12 June: late);
            # invitations due by 26 April (sent 29 April: late).
            {
                "child_id": "R1",
                "review_date": D(2024, 5, 13),
                "format": "IN_PERSON",
                "decisions_date": D(2024, 5, 20),
                "record_distributed_date": D(2024, 6, 12),
                "invitations_sent_date": D(2024, 4, 29),
            },
            # Decisions due 27 August (23rd: on time); record due 18 September (10th: on time);
            # invitations due by 6 August (1st: on time). A series of meetings; permanence plan in place.
            {
                "child_id": "R1",
                "review_date": D(2024, 8, 20),
                "format": "VIRTUAL",
                "series_of_meetings": "Y",
                "decisions_date": D(2024, 8, 23),
                "record_distributed_date": D(2024, 9, 10),
                "invitations_sent_date": D(2024, 8, 1),
                "permanence_plan": "Y",
            },
        ],
        review_meetings=[
            {
                "child_id": "R1",
                "meeting_date": D(2024, 8, 6),
                "outcome": "ADJOURNED",
                "reason": "DOCUMENTS_NOT_READY",
                "reconvened_date": D(2024, 8, 20),
            },
            # R4's third review was adjourned twice before it was held.
            {
                "child_id": "R4",
                "meeting_date": D(2025, 1, 6),
                "outcome": "ADJOURNED",
                "reason": "CHILD_OR_FAMILY_NOT_READY",
                "reconvened_date": D(2025, 1, 14),
            },
            {
                "child_id": "R4",
                "meeting_date": D(2025, 1, 14),
                "outcome": "ADJOURNED",
                "reason": "CHILD_OR_FAMILY_NOT_READY",
                "reconvened_date": D(2025, 1, 28),
            },
            # 20 working days after 3 June is 1 July: reconvening on 30 July is too late.
            {
                "child_id": "R4",
                "meeting_date": D(2024, 6, 3),
                "outcome": "ADJOURNED",
                "reason": "KEY_PROFESSIONAL_UNAVAILABLE",
                "reconvened_date": D(2024, 7, 30),
            },
            {
                "child_id": "R3",
                "meeting_date": D(2024, 9, 20),
                "outcome": "STOOD_DOWN",
                "reason": "CARE_PLAN_NOT_READY",
                "reconvened_date": D(2024, 9, 27),
            },
        ],
    )


def test_reviews_held_and_on_time(year: Dataset) -> None:
    assert compute("reviews_held", year).value == 7
    on_time = compute("reviews_on_time", year)
    assert (on_time.value, on_time.numerator, on_time.denominator) == (85.7, 6, 7)  # R1's second was late
    assert on_time.details == {"due_date_unknown": 0}
    assert compute("reviews_late_by_working_days", year).breakdown == {
        "1 to 5 working days": 1,
        "6 to 20 working days": 0,
        "More than 20 working days": 0,
    }
    initial = compute("initial_reviews", year)
    assert (initial.value, initial.numerator, initial.denominator) == (100.0, 3, 3)


def test_a_review_due_before_the_year_end_and_not_held_is_overdue(year: Dataset) -> None:
    overdue = compute("reviews_overdue_not_held", year)
    assert (overdue.value, overdue.details) == (1, {"due_date_known": 1, "due_date_unknown": 0})  # R3


def test_participation_counts_a_child_who_turned_4_between_reviews(year: Dataset) -> None:
    codes = compute("reviews_by_participation_code", year)
    assert codes.breakdown == {"PN0": 2, "PN1": 1, "PN2": 0, "PN3": 1, "PN4": 0, "PN5": 1, "PN6": 1, "PN7": 1}
    # Aged 4 or over: PN1, PN7, PN6, PN5 and R4's PN3 (she turned 4 on 10 January 2025).
    took_part = compute("participation_rate", year)
    assert (took_part.value, took_part.numerator, took_part.denominator) == (80.0, 4, 5)
    attended = compute("attendance_rate", year)
    assert (attended.value, attended.numerator, attended.denominator) == (40.0, 2, 5)  # PN1 and PN3


def test_formats_series_and_permanence_plans(year: Dataset) -> None:
    assert compute("reviews_by_format", year).breakdown == {
        "In person": 1,
        "Virtual": 1,
        "Hybrid (some in person, some virtual)": 0,
        "Not recorded": 5,
    }
    series = compute("reviews_series_of_meetings", year)
    assert (series.value, series.numerator, series.denominator) == (14.3, 1, 7)
    # Second reviews held: R1's (plan in place) and R4's (nothing recorded).
    plans = compute("permanence_plan_by_second_review", year)
    assert (plans.value, plans.numerator, plans.denominator) == (50.0, 1, 2)


def test_what_happens_after_the_review(year: Dataset) -> None:
    records = compute("records_distributed_on_time", year)
    assert (records.numerator, records.denominator) == (1, 7)
    decisions = compute("decisions_on_time", year)
    assert (decisions.numerator, decisions.denominator) == (2, 7)
    invitations = compute("invitations_on_time", year)
    assert (invitations.value, invitations.numerator, invitations.denominator) == (50.0, 1, 2)


def test_adjourned_reviews_count_each_adjournment(year: Dataset) -> None:
    adjourned = compute("reviews_adjourned", year)
    assert adjourned.value == 4
    assert adjourned.details == {"stood_down": 1}
    breakdown = {reason: n for reason, n in (adjourned.breakdown or {}).items() if n}
    assert breakdown == {
        "Reports or documents not ready or not shared": 1,
        "Child or family not ready": 2,
        "Key professional unavailable": 1,
    }
    reconvened = compute("adjourned_reconvened_within_20wd", year)
    assert (reconvened.value, reconvened.numerator, reconvened.denominator) == (75.0, 3, 4)
