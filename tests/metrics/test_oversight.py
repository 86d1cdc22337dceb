"""Oversight and challenge KPIs on tiny hand-made 2024-25 years (1 April 2024 to 31 March 2025).

Working days are counted on England's calendar. The bank holidays that matter here: Good Friday 29
March 2024, Easter Monday 1 April 2024, early May 6 May 2024, spring 27 May 2024.
"""

from typing import Any

import pytest

from iroscope.data.dataset import Dataset
from iroscope.metrics import oversight
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import REGISTRY, Unit, all_kpis
from iroscope.rules.calendar import add_months, england_calendar
from iroscope.rules.practice import DisputeStage, LocalPractice, midway_review_due
from tests.metrics.helpers import YEAR, D, child, compute, dataset, episode

OVERSIGHT_KPIS = [
    "midway_reviews_completed",
    "children_seen_before_review",
    "iro_visits",
    "iro_visits_failed",
    "informal_resolutions",
    "disputes_raised",
    "disputes_by_resolution_stage",
    "disputes_by_category",
    "disputes_resolved_in_timescale",
    "disputes_open_past_timescale",
    "good_practice_notifications",
    "good_practice_by_service",
    "practice_alerts",
    "case_tracking_compliance",
    "consultation_return_rate",
    "advocacy_referrals",
    "independent_visitors_matched",
    "independent_visitors_waiting",
    "audit_grades",
]


def review(child_id: str, day: object, code: str = "PN1") -> dict[str, Any]:
    return {"child_id": child_id, "review_date": day, "participation": code}


# -- registration -----------------------------------------------------------------------------------------
def test_every_oversight_kpi_is_registered_with_a_definition_in_its_section() -> None:
    registry = all_kpis()
    for kpi_id in OVERSIGHT_KPIS:
        kpi = registry[kpi_id]
        assert kpi.section == "Oversight and challenge"
        assert len(kpi.definition) > 60, kpi_id
    rates = {kpi_id for kpi_id in OVERSIGHT_KPIS if registry[kpi_id].unit is Unit.PERCENT}
    assert rates == {
        "midway_reviews_completed",
        "children_seen_before_review",
        "iro_visits_failed",
        "informal_resolutions",
        "disputes_resolved_in_timescale",
        "case_tracking_compliance",
        "consultation_return_rate",
    }


@pytest.mark.parametrize("kpi_id", OVERSIGHT_KPIS)
def test_an_empty_year_gives_zero_or_no_value_and_never_fails(kpi_id: str) -> None:
    figure = compute(kpi_id, Dataset(tables={}, years=(YEAR,)))
    assert figure.value in (0, 0.0, None)
    if REGISTRY[kpi_id].unit is Unit.PERCENT:
        assert figure.value is None
        assert figure.denominator == 0


# -- midway reviews -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def midways() -> Dataset:
    """M1 in care from 15 April 2024: reviews 13 May (first, 3-month cycle: no midway), 5 August (second:
       next due 5 February 2025, 184 days on, so the midway is due 92 days on, 5 November), 3 February 2025
       (its midway falls in May 2025). Midway recorded 1 November 2024: completed.
    M2 in care since 2023 (before the data; its first review fell due before the data, so the reviews we
       hold run on the 6-month cycle). Review 10 April 2024 (midway due 11 July: 183 days, half is 91.5,
       rounded to even 92); no midway before the next review on 2 October, so not completed. Review 2
       October (182 days: midway due 1 January 2025); midway recorded 3 October: completed.
    M3 in care since 2023, left on 30 September 2024. Review 1 May 2024 (midway due 1 August) but the next
       review was held early on 20 July: not due. Review 20 July (midway due 20 October): left care before
       then, not due.
    M4 in care since 2022. Review 20 December 2024 (midway due 21 March 2025); midway recorded 2 April
       2025, after the year: not completed.
    M5 in care from 1 December 2024, first review 20 December: 3-month cycle, no midway due; the midway
       recorded on 10 February 2025 is counted only in recorded_in_period.
    """
    return dataset(
        children=[child(name) for name in ("M1", "M2", "M3", "M4", "M5")],
        episodes=[
            episode("M1", D(2024, 4, 15)),
            episode("M2", D(2023, 1, 1)),
            episode("M3", D(2023, 6, 1), end=D(2024, 9, 30), reason_ceased="E4A"),
            episode("M4", D(2022, 3, 1)),
            episode("M5", D(2024, 12, 1)),
        ],
        reviews=[
            review("M1", D(2024, 5, 13)),
            review("M1", D(2024, 8, 5)),
            review("M1", D(2025, 2, 3)),
            review("M2", D(2024, 4, 10)),
            review("M2", D(2024, 10, 2)),
            review("M3", D(2024, 5, 1)),
            review("M3", D(2024, 7, 20)),
            review("M4", D(2024, 12, 20)),
            review("M5", D(2024, 12, 20)),
        ],
        midway_reviews=[
            {"child_id": "M1", "midway_date": D(2024, 11, 1)},
            {"child_id": "M2", "midway_date": D(2024, 10, 3)},
            {"child_id": "M4", "midway_date": D(2025, 4, 2)},
            {"child_id": "M5", "midway_date": D(2025, 2, 10)},
        ],
    )


def test_midway_reviews_due_in_the_year_are_counted_completed_only_between_the_review_and_the_next(
    midways: Dataset,
) -> None:
    figure = compute("midway_reviews_completed", midways)
    # Due: M1 5 Nov, M2 11 Jul, M2 1 Jan, M4 21 Mar = 4. Completed: M1 5 Nov, M2 1 Jan = 2.
    assert (figure.value, figure.numerator, figure.denominator) == (50.0, 2, 4)
    # Recorded in the year: M1 1 Nov, M2 3 Oct, M5 10 Feb (M4's 2 April 2025 is after it) = 3.
    assert figure.details == {"recorded_in_period": 3}


def test_midway_due_dates_agree_with_the_practice_rule(midways: Dataset) -> None:
    due = oversight._midways_due(MetricContext(midways, Period.collection_year(YEAR)))
    practice = LocalPractice()
    expected = {
        D(2024, 8, 5): D(2024, 11, 5),
        D(2024, 4, 10): D(2024, 7, 11),
        D(2024, 10, 2): D(2025, 1, 1),
        D(2024, 12, 20): D(2025, 3, 21),
    }
    got = dict(zip(due["review_date"].to_list(), due["midway_due_date"].to_list(), strict=True))
    assert got == expected
    for held, midway in expected.items():
        next_due = add_months(held, 6)
        assert midway_review_due(previous_review=held, next_review_due=next_due, practice=practice) == midway


# -- children seen before their review ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def seen() -> Dataset:
    """S1 (aged 11) in care from 15 April 2024. Review 13 May: visited that day, seen. Review 5 August: the
       only completed visit is on 13 May, the previous review's day, and the 1 August visit failed: not seen.
       Review 3 February 2025: telephone consultation 20 January, seen.
    S2 (born 10 May 2020) in care from 12 April 2024. Review 9 May 2024 at 3: not counted though visited.
       Review 8 August at 4: visited 5 June, seen.
    S3 (aged 14) in care since 2020. Review 15 July 2024, no earlier review in the data: the window opens
       6 months before, 15 January 2024; visited 1 February 2024, seen. Review 14 January 2025: the child
       declined the visit on 10 January, not seen.
    S4 (aged 13) in care since 2019. Review 15 October 2024: last visit 1 March 2024, more than 6 months
       before: not seen.
    """
    completed = {"outcome": "COMPLETED", "kind": "VISIT", "method": "IN_PERSON"}
    return dataset(
        children=[
            child("S1", born=D(2012, 6, 1)),
            child("S2", born=D(2020, 5, 10)),
            child("S3", born=D(2010, 1, 1)),
            child("S4", born=D(2011, 1, 1)),
        ],
        episodes=[
            episode("S1", D(2024, 4, 15)),
            episode("S2", D(2024, 4, 12)),
            episode("S3", D(2020, 3, 1)),
            episode("S4", D(2019, 3, 1)),
        ],
        reviews=[
            review("S1", D(2024, 5, 13)),
            review("S1", D(2024, 8, 5)),
            review("S1", D(2025, 2, 3)),
            review("S2", D(2024, 5, 9), "PN0"),
            review("S2", D(2024, 8, 8)),
            review("S3", D(2024, 7, 15)),
            review("S3", D(2025, 1, 14)),
            review("S4", D(2024, 10, 15)),
        ],
        iro_contacts=[
            {"child_id": "S1", "contact_date": D(2024, 5, 13), **completed},
            {"child_id": "S1", "contact_date": D(2024, 8, 1), **completed, "outcome": "FAILED"},
            {"child_id": "S1", "contact_date": D(2025, 1, 20), **completed, "kind": "CONSULTATION", "method": "PHONE"},
            {"child_id": "S2", "contact_date": D(2024, 5, 1), **completed},
            {"child_id": "S2", "contact_date": D(2024, 6, 5), **completed},
            {"child_id": "S3", "contact_date": D(2024, 2, 1), **completed},
            {"child_id": "S3", "contact_date": D(2025, 1, 10), **completed, "outcome": "DECLINED"},
            {"child_id": "S4", "contact_date": D(2024, 3, 1), **completed},
        ],
    )


def test_children_aged_4_or_over_seen_by_their_iro_since_the_previous_review(seen: Dataset) -> None:
    figure = compute("children_seen_before_review", seen)
    # Reviews aged 4+: S1 x3, S2 8 Aug, S3 x2, S4 = 7. Seen: S1 13 May, S1 3 Feb, S2 8 Aug, S3 15 Jul = 4.
    assert (figure.value, figure.numerator, figure.denominator) == (57.1, 4, 7)


# -- visits ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def visits() -> Dataset:
    def visit(
        child_id: str, day: object, outcome: str = "COMPLETED", method: str | None = "IN_PERSON"
    ) -> dict[str, Any]:
        return {"child_id": child_id, "contact_date": day, "kind": "VISIT", "method": method, "outcome": outcome}

    return dataset(
        iro_contacts=[
            visit("V1", D(2024, 4, 1)),
            visit("V1", D(2024, 9, 1), method="VIRTUAL"),
            visit("V1", D(2025, 3, 31)),
            visit("V2", D(2024, 6, 1)),
            visit("V2", D(2024, 7, 1), method=None),
            visit("V2", D(2024, 8, 1), outcome="FAILED"),
            visit("V3", D(2024, 8, 1), outcome="DECLINED"),
            visit("V3", D(2024, 3, 31)),  # before the year
            {"child_id": "V3", "contact_date": D(2024, 9, 9), "kind": "CONSULTATION", "outcome": "COMPLETED"},
        ]
    )


def test_completed_visits_in_the_year_by_method(visits: Dataset) -> None:
    figure = compute("iro_visits", visits)
    # In person: V1 1 Apr, V1 31 Mar, V2 1 Jun = 3; video V1 1 Sep = 1; no method V2 1 Jul = 1.
    assert figure.value == 5
    assert figure.breakdown == {
        "In person": 3,
        "Video call": 1,
        "Telephone": 0,
        "Written or app (for example Mind of My Own)": 0,
        "Not recorded": 1,
    }


def test_failed_and_declined_visits_as_a_share_of_visits_arranged(visits: Dataset) -> None:
    figure = compute("iro_visits_failed", visits)
    # Visits arranged in the year: 5 completed + 1 failed + 1 declined = 7; the consultation is not a visit.
    assert (figure.value, figure.numerator, figure.denominator) == (28.6, 2, 7)
    assert figure.breakdown == {"Failed": 1, "Declined": 1}


# -- disputes ----------------------------------------------------------------------------------------------------
def stage(dispute_id: str, code: str, day: object, response: object = None) -> dict[str, Any]:
    return {"dispute_id": dispute_id, "stage": code, "escalated_date": day, "response_date": response}


def dispute(
    dispute_id: str, raised: object, category: str, resolved: object = None, outcome: str | None = None
) -> dict[str, Any]:
    return {
        "dispute_id": dispute_id,
        "child_id": "C" + dispute_id,
        "raised_date": raised,
        "category": category,
        "resolved_date": resolved,
        "outcome": outcome if outcome or resolved is None else "RESOLVED",
    }


@pytest.fixture(scope="module")
def disputes() -> Dataset:
    """Default stages (Informal resolution, Stage 1, 2, 3; 5 working days each; 20 for the formal process).

    D1  raised 2 Apr 2024, informal, resolved 10 Apr.
    D2  raised 25 Apr, Stage 1 on Thursday 2 May, resolved Monday 3 June: the 20th working day (6 and 27
        May are bank holidays): in timescale.
    D3  raised 2 May straight to Stage 2 (skipping informal and Stage 1), resolved Tuesday 4 June: the 21st
        working day: late.
    D4  raised 1 Oct, no stage recorded (informal from the day raised), open: its 5 days ran out 8 Oct.
    D5  raised 3 Mar 2025, Stage 1 on Monday 24 March, open: the 5 days end on 31 March, not yet passed.
    D6  raised 10 Feb 2025, Stage 1 17 Feb (answered 20 Feb), Stage 3 3 Mar (skipping Stage 2), open: Stage 3
        was due 10 Mar; and the formal 20 working days from 17 Feb ran out 17 Mar.
    D7  raised 15 Jan 2024 (before the year), Stage 1 1 Mar 2024, resolved 8 Apr 2024: 20 working days from
        1 March end 2 April (Good Friday and Easter Monday skipped): late.
    D8  raised 20 Mar 2025, informal (answered 22 Mar), resolved 4 Apr 2025 after the year: open at the end,
        its 5 days ran out 27 Mar.
    D9  raised 5 Jun 2024, Stage 1 12 Jun, Stage 2 19 Jun, referred to Cafcass 1 Jul: within 20 working days.
    D10 raised 25 Mar 2025, informal; its Stage 1 on 2 Apr 2025 is after the year: informal and open at the
        end, due 1 Apr.
    """
    return dataset(
        disputes=[
            dispute("D1", D(2024, 4, 2), "DRIFT_AND_DELAY", D(2024, 4, 10)),
            dispute("D2", D(2024, 4, 25), "QUALITY_OF_PLANNING", D(2024, 6, 3)),
            dispute("D3", D(2024, 5, 2), "DRIFT_AND_DELAY", D(2024, 6, 4)),
            dispute("D4", D(2024, 10, 1), "STATUTORY_REQUIREMENTS"),
            dispute("D5", D(2025, 3, 3), "RISK_AND_SAFETY"),
            dispute("D6", D(2025, 2, 10), "PLACEMENT"),
            dispute("D7", D(2024, 1, 15), "OTHER", D(2024, 4, 8)),
            dispute("D8", D(2025, 3, 20), "CHILD_VOICE", D(2025, 4, 4)),
            dispute("D9", D(2024, 6, 5), "RESOURCES", D(2024, 7, 1), "CAFCASS"),
            dispute("D10", D(2025, 3, 25), "MULTI_AGENCY"),
        ],
        dispute_stages=[
            stage("D1", "INFORMAL", D(2024, 4, 2)),
            stage("D2", "INFORMAL", D(2024, 4, 25)),
            stage("D2", "STAGE_1", D(2024, 5, 2)),
            stage("D3", "STAGE_2", D(2024, 5, 2)),
            stage("D5", "INFORMAL", D(2025, 3, 3)),
            stage("D5", "STAGE_1", D(2025, 3, 24)),
            stage("D6", "INFORMAL", D(2025, 2, 10)),
            stage("D6", "STAGE_1", D(2025, 2, 17), D(2025, 2, 20)),
            stage("D6", "STAGE_3", D(2025, 3, 3)),
            stage("D7", "INFORMAL", D(2024, 1, 15)),
            stage("D7", "STAGE_1", D(2024, 3, 1)),
            stage("D8", "INFORMAL", D(2025, 3, 20), D(2025, 3, 22)),
            stage("D9", "INFORMAL", D(2024, 6, 5)),
            stage("D9", "STAGE_1", D(2024, 6, 12)),
            stage("D9", "STAGE_2", D(2024, 6, 19)),
            stage("D10", "INFORMAL", D(2025, 3, 25)),
            stage("D10", "STAGE_1", D(2025, 4, 2)),
        ],
    )


def test_the_twentieth_working_day_over_two_bank_holidays_is_3_june_2024() -> None:
    calendar = england_calendar()
    assert calendar.add_working_days(D(2024, 5, 2), 20) == D(2024, 6, 3)
    assert calendar.add_working_days(D(2024, 3, 1), 20) == D(2024, 4, 2)


def test_disputes_raised_in_the_year_split_by_the_furthest_stage_reached(disputes: Dataset) -> None:
    figure = compute("disputes_raised", disputes)
    # Raised in the year: D1-D6, D8-D10 = 9 (D7 was raised in January 2024).
    # Formal by 31 March: D2, D3 (skipped informal), D5, D6, D9 = 5; informal: D1, D4, D8, D10 = 4.
    assert figure.value == 9
    assert figure.breakdown == {"Informal": 4, "Formal": 5}


def test_informal_resolutions_are_disputes_closed_without_reaching_a_formal_stage(disputes: Dataset) -> None:
    figure = compute("informal_resolutions", disputes)
    # Only D1: D8 was resolved after the year, D4 and D10 are open.
    assert (figure.value, figure.numerator, figure.denominator) == (11.1, 1, 9)


def test_disputes_by_the_stage_they_were_resolved_at_with_open_ones_apart(disputes: Dataset) -> None:
    figure = compute("disputes_by_resolution_stage", disputes)
    # Resolved: D1 informal; D2 Stage 1; D3 (skipped to Stage 2) and D9 Stage 2. Open: D4, D5, D6, D8, D10.
    assert figure.value == 9
    assert figure.breakdown == {"Informal resolution": 1, "Stage 1": 1, "Stage 2": 2, "Stage 3": 0, "Open": 5}
    assert figure.details == {"referred_to_cafcass": 1}  # D9


def test_disputes_by_category_use_the_code_list_labels(disputes: Dataset) -> None:
    figure = compute("disputes_by_category", disputes)
    assert figure.value == 9
    assert figure.breakdown == {
        "Drift and delay in the care plan, permanence or transition to adulthood": 2,  # D1, D3
        "Minimum statutory requirements not met": 1,  # D4
        "Quality of assessment or planning": 1,  # D2
        "Child's lived experience not informing assessment and planning": 1,  # D8
        "Escalation of risks or immediate safety": 1,  # D5
        "Placement not meeting the child's needs, or unassessed": 1,  # D6
        "Resource issues affecting progress of the plan": 1,  # D9
        "Multi-agency working": 1,  # D10
        "Other": 0,  # D7 was raised before the year
    }


def test_a_formal_dispute_resolved_on_the_20th_working_day_is_in_timescale_and_on_the_21st_is_not(
    disputes: Dataset,
) -> None:
    figure = compute("disputes_resolved_in_timescale", disputes)
    # Formal and resolved in the year: D2 (20th day, in), D3 (21st, late), D7 (raised last year, late), D9 (in).
    assert (figure.value, figure.numerator, figure.denominator) == (50.0, 2, 4)


def test_open_disputes_past_their_current_stage_deadline_at_the_year_end(disputes: Dataset) -> None:
    figure = compute("disputes_open_past_timescale", disputes)
    # Open at 31 March: D4 (due 8 Oct), D5 (due 31 Mar: not passed), D6 (Stage 3 due 10 Mar),
    # D8 (due 27 Mar), D10 (due 1 Apr). Past: D4, D6, D8 = 3.
    assert figure.value == 3
    assert figure.breakdown == {"Informal resolution": 2, "Stage 1": 0, "Stage 2": 0, "Stage 3": 1}
    # No response recorded: D4 and D6's Stage 3 (D8's informal stage was answered). Past 20 days formal: D6.
    # Open at the end, past their deadline or not: D4, D5, D6, D8, D10.
    assert figure.details == {"no_response_recorded": 2, "past_formal_total": 1, "open_at_end": 5}


def test_stage_names_and_response_times_come_from_the_authoritys_settings() -> None:
    practice = LocalPractice(
        dispute_stages=(
            DisputeStage("INFORMAL", "Informal", "Practice supervisor", 5),
            DisputeStage("STAGE_1", "Stage 1 – Practice Supervisor level", "Practice supervisor", 10),
        )
    )
    data = dataset(
        practice,
        disputes=[dispute("E1", D(2025, 3, 3), "OTHER"), dispute("E2", D(2025, 3, 3), "OTHER")],
        # E1 reached Stage 1 on Monday 17 March: 10 working days is 31 March, not passed. E2 has no stage:
        # informal from 3 March, due 10 March.
        dispute_stages=[stage("E1", "STAGE_1", D(2025, 3, 17))],
    )
    figure = compute("disputes_open_past_timescale", data)
    assert figure.value == 1
    assert figure.breakdown == {"Informal": 1, "Stage 1 – Practice Supervisor level": 0}
    assert compute("disputes_by_resolution_stage", data).breakdown == {
        "Informal": 0,
        "Stage 1 – Practice Supervisor level": 0,
        "Open": 2,
    }


# -- good practice and practice alerts ---------------------------------------------------------------------------
def test_good_practice_notifications_by_theme_and_by_service() -> None:
    def notification(number: int, day: object, theme: str, service: str) -> dict[str, Any]:
        return {"notification_id": f"G{number}", "notification_date": day, "theme": theme, "service": service}

    data = dataset(
        good_practice=[
            notification(1, D(2024, 5, 1), "CONSISTENTLY_GOOD", "FOSTERING"),
            notification(2, D(2024, 9, 1), "CONSISTENTLY_GOOD", "CHILDREN_IN_CARE"),
            notification(3, D(2025, 3, 31), "LIVED_EXPERIENCE", "FOSTERING"),
            notification(4, D(2024, 3, 31), "ADVOCATING_FOR_CHILD", "ADOPTION"),  # before the year
        ]
    )
    themes = compute("good_practice_notifications", data)
    assert themes.value == 3
    assert themes.breakdown == {
        "Consistently good practice": 2,
        "Exemplary practice in advocating for or supporting the child": 0,
        "Lived experience well evidenced": 1,
        "Good quality assessment or plan": 0,
        "Good working relationship with the child": 0,
        "Good relationship with others, such as carers": 0,
    }
    services = compute("good_practice_by_service", data)
    assert services.value == 3
    assert services.breakdown is not None
    assert services.breakdown["Fostering service"] == 2
    assert services.breakdown["Children in care team"] == 1
    assert services.breakdown["Adoption service"] == 0


def test_a_practice_alert_with_three_reasons_counts_once_in_the_total_and_once_under_each_reason() -> None:
    def alert(number: int, day: object, reasons: list[str] | None) -> dict[str, Any]:
        return {"alert_id": f"A{number}", "raised_date": day, "reasons": reasons}

    data = dataset(
        practice_alerts=[
            alert(1, D(2024, 6, 1), ["NO_PLAN", "DRIFT_LEGAL", "CARE_PLANNING"]),
            alert(2, D(2024, 7, 1), ["NO_PLAN"]),
            alert(3, D(2024, 8, 1), ["NO_PLAN", "NO_PLAN"]),  # a repeated reason counts once
            alert(4, D(2025, 4, 1), ["SAFEGUARDING"]),  # after the year
            alert(5, D(2024, 9, 1), None),
            alert(6, D(2024, 9, 2), []),
        ]
    )
    figure = compute("practice_alerts", data)
    assert figure.value == 5  # A1, A2, A3, A5, A6
    assert figure.breakdown is not None
    assert figure.breakdown["No plan, or plan not updated: review stood down"] == 3  # A1, A2, A3
    assert figure.breakdown["Drift or legal issues, such as applying for or discharging an order"] == 1
    assert figure.breakdown["Deficiencies in care planning"] == 1
    assert figure.breakdown["Safeguarding issues, including risk assessment"] == 0
    assert figure.breakdown["Not recorded"] == 2  # A5, A6
    assert sum(figure.breakdown.values()) == 7


# -- case tracking ------------------------------------------------------------------------------------------------
def test_case_tracking_is_compliant_when_no_gap_exceeds_the_days_for_the_level_set_before_it() -> None:
    """Red 31, amber 62, green 92 days.
    C1 since 2020: 15 Mar 2024 green; 10 Jun green (87 days); 5 Sep amber (87); 1 Nov red (57 of 62);
       2 Dec red (31 of 31: on the limit); 2 Jan 2025 green (31 of 31); 88 of 92 days to 31 Mar: compliant.
    C2 since 2020: 1 Apr 2024 red, 5 May red (34 of 31): not compliant.
    C3 since 2020: 1 Feb 2024 green, 10 May 2024 green (99 of 92; the gap began before the year): not.
    C4 since 2020, never checked: 364 days since 1 April of the longest (green) 92: not compliant.
    C5 new to care on 15 Feb 2025, not yet checked: 44 days of 92: compliant.
    C6 left care in January 2025: not counted.
    C7 left care on 1 Mar 2024 (red check 20 Feb 2024) and came back on 1 May 2024: the old check does not
       count. 1 Jul green (61 days since 1 May), 20 Sep green (81), 15 Dec (86), 10 Mar 2025 (85), 21 days
       to the end: compliant.
    """

    def check(child_id: str, day: object, level: str) -> dict[str, Any]:
        return {"child_id": child_id, "check_date": day, "rag_level": level}

    data = dataset(
        children=[child(name) for name in ("C1", "C2", "C3", "C4", "C5", "C6", "C7")],
        episodes=[
            episode("C1", D(2020, 1, 1)),
            episode("C2", D(2020, 1, 1)),
            episode("C3", D(2020, 1, 1)),
            episode("C4", D(2020, 1, 1)),
            episode("C5", D(2025, 2, 15)),
            episode("C6", D(2020, 1, 1), end=D(2025, 1, 10), reason_ceased="E4A"),
            episode("C7", D(2022, 1, 1), end=D(2024, 3, 1), reason_ceased="E4A"),
            episode("C7", D(2024, 5, 1)),
        ],
        case_tracking=[
            check("C1", D(2024, 3, 15), "GREEN"),
            check("C1", D(2024, 6, 10), "GREEN"),
            check("C1", D(2024, 9, 5), "AMBER"),
            check("C1", D(2024, 11, 1), "RED"),
            check("C1", D(2024, 12, 2), "RED"),
            check("C1", D(2025, 1, 2), "GREEN"),
            check("C2", D(2024, 4, 1), "RED"),
            check("C2", D(2024, 5, 5), "RED"),
            check("C3", D(2024, 2, 1), "GREEN"),
            check("C3", D(2024, 5, 10), "GREEN"),
            check("C6", D(2024, 6, 1), "GREEN"),
            check("C7", D(2024, 2, 20), "RED"),
            check("C7", D(2024, 7, 1), "GREEN"),
            check("C7", D(2024, 9, 20), "GREEN"),
            check("C7", D(2024, 12, 15), "GREEN"),
            check("C7", D(2025, 3, 10), "GREEN"),
        ],
    )
    figure = compute("case_tracking_compliance", data)
    # In care at the end: C1, C2, C3, C4, C5, C7 = 6. Compliant: C1, C5, C7 = 3.
    assert (figure.value, figure.numerator, figure.denominator) == (50.0, 3, 6)
    assert figure.details == {"never_checked": 2}  # C4, C5


# -- consultation, advocacy, independent visitors, audits ------------------------------------------------------------
def test_consultation_forms_returned_by_recipient() -> None:
    def form(child_id: str, review_day: object, recipient: str, returned: object = None) -> dict[str, Any]:
        return {
            "child_id": child_id,
            "review_date": review_day,
            "recipient": recipient,
            "sent_date": review_day,
            "returned_date": returned,
        }

    data = dataset(
        consultations=[
            form("K1", D(2024, 6, 10), "CHILD", D(2024, 6, 5)),
            form("K1", D(2024, 6, 10), "PARENT"),
            form("K1", D(2024, 6, 10), "CARER", D(2024, 6, 9)),
            form("K2", D(2025, 3, 20), "CHILD", D(2025, 4, 2)),  # back after the year: not returned
            form("K2", D(2025, 3, 20), "SOCIAL_WORKER", D(2025, 3, 15)),
            form("K3", D(2024, 3, 25), "CHILD", D(2024, 3, 20)),  # a review before the year
        ]
    )
    figure = compute("consultation_return_rate", data)
    # Sent 5, returned 3 (K1 child, K1 carer, K2 social worker).
    assert (figure.value, figure.numerator, figure.denominator) == (60.0, 3, 5)
    assert figure.breakdown == {
        "Child or young person": 50.0,
        "Parent or person with parental responsibility": 0.0,
        "Foster carer or residential worker": 100.0,
        "Social worker": 100.0,
    }
    assert figure.details == {
        "sent:Child or young person": 2,
        "returned:Child or young person": 1,
        "sent:Parent or person with parental responsibility": 1,
        "returned:Parent or person with parental responsibility": 0,
        "sent:Foster carer or residential worker": 1,
        "returned:Foster carer or residential worker": 1,
        "sent:Social worker": 1,
        "returned:Social worker": 1,
    }


def test_advocacy_referrals_in_the_year_by_outcome() -> None:
    def referral(number: int, day: object, outcome: str | None) -> dict[str, Any]:
        return {"referral_id": f"R{number}", "child_id": f"K{number}", "referral_date": day, "outcome": outcome}

    data = dataset(
        advocacy_referrals=[
            referral(1, D(2024, 4, 1), "ALLOCATED"),
            referral(2, D(2024, 10, 1), "ALLOCATED"),
            referral(3, D(2025, 1, 1), "DECLINED"),
            referral(4, D(2025, 3, 31), None),
            referral(5, D(2025, 4, 1), "WAITING"),  # after the year
        ]
    )
    figure = compute("advocacy_referrals", data)
    assert figure.value == 4
    assert figure.breakdown == {
        "Advocate allocated": 2,
        "Declined by the child": 1,
        "Waiting for an advocate": 0,
        "Not recorded": 1,
    }


def test_independent_visitors_matched_and_waiting_at_the_year_end() -> None:
    def iv(child_id: str, referred: object, matched: object = None, ended: object = None) -> dict[str, Any]:
        return {"child_id": child_id, "referral_date": referred, "matched_date": matched, "ended_date": ended}

    data = dataset(
        independent_visitors=[
            iv("V1", D(2023, 1, 1), D(2023, 3, 1)),  # matched
            iv("V2", D(2024, 6, 1), D(2025, 3, 31)),  # matched on the last day
            iv("V3", D(2023, 1, 1), D(2023, 2, 1), D(2025, 3, 31)),  # match ended on the last day
            iv("V4", D(2023, 1, 1), D(2023, 2, 1), D(2025, 4, 1)),  # ended after the year: matched
            iv("V5", D(2024, 9, 1)),  # waiting
            iv("V6", D(2025, 2, 1), D(2025, 4, 10)),  # matched after the year: waiting at the end
            iv("V7", D(2024, 5, 1), None, D(2025, 1, 1)),  # referral closed unmatched
            iv("V8", D(2022, 1, 1), D(2022, 2, 1), D(2023, 1, 1)),  # an old match, then...
            iv("V8", D(2025, 3, 1)),  # ... a new referral: waiting
            iv("V9", D(2023, 1, 1), D(2023, 2, 1)),  # matched, and a second referral...
            iv("V9", D(2025, 1, 1)),  # ... does not make the child wait
            iv("V10", D(2025, 4, 1)),  # referred after the year
        ]
    )
    matched = compute("independent_visitors_matched", data)
    assert matched.value == 4  # V1, V2, V4, V9
    waiting = compute("independent_visitors_waiting", data)
    assert waiting.value == 3  # V5, V6, V8


def test_audits_by_grade_with_the_share_good_or_better() -> None:
    grades = ["OUTSTANDING", "GOOD", "GOOD", "REQUIRES_IMPROVEMENT", "REQUIRES_IMPROVEMENT", "REQUIRES_IMPROVEMENT"]
    rows = [
        {"audit_id": f"Q{number}", "audit_date": D(2024, 7, 1), "kind": "CASE_FILE", "grade": grade}
        for number, grade in enumerate([*grades, "INADEQUATE"])
    ]
    rows.append({"audit_id": "Q99", "audit_date": D(2024, 3, 1), "kind": "CASE_FILE", "grade": "GOOD"})  # before
    figure = compute("audit_grades", dataset(audits=rows))
    assert figure.value == 7
    assert figure.breakdown == {"Outstanding": 1, "Good": 2, "Requires improvement": 3, "Inadequate": 1}
    assert figure.details == {"good_or_better": 42.9}  # 3 of 7
