"""Every transition of the dispute lifecycle, legal and illegal (no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from iroscope.rules import codes
from iroscope.web.disputes.lifecycle import (
    DisputeLifecycle,
    DisputeState,
    IllegalDisputeTransitionError,
    dispute_escalate,
    dispute_raise,
    dispute_resolve,
    dispute_respond,
)

STAGES = ("INFORMAL", "STAGE_1", "STAGE_2", "STAGE_3")
OUTCOMES = codes.DISPUTE_OUTCOME.valid_codes()
RAISED = dt.date(2025, 4, 1)


def informal() -> DisputeLifecycle:
    return dispute_raise(raised=RAISED, category="DRIFT_AND_DELAY", stage_code="INFORMAL", stage_codes=STAGES)


def at_stage_1() -> DisputeLifecycle:
    return dispute_escalate(dispute=informal(), stage_code="STAGE_1", on=dt.date(2025, 4, 8), stage_codes=STAGES)


# raise


def test_a_dispute_raised_informally_starts_informal() -> None:
    dispute = informal()
    assert dispute.state is DisputeState.INFORMAL
    assert [stage.code for stage in dispute.stages] == ["INFORMAL"]


def test_a_dispute_raised_formally_starts_at_a_formal_stage() -> None:
    dispute = dispute_raise(raised=RAISED, category="OTHER", stage_code="STAGE_1", stage_codes=STAGES)
    assert dispute.state is DisputeState.FORMAL


def test_a_dispute_cannot_be_raised_at_a_stage_the_authority_does_not_have() -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="STAGE_9 is not one of this authority's dispute stages"):
        dispute_raise(raised=RAISED, category="OTHER", stage_code="STAGE_9", stage_codes=STAGES)


# escalate


def test_an_informal_dispute_escalates_to_stage_1() -> None:
    assert at_stage_1().state is DisputeState.FORMAL
    assert at_stage_1().current.code == "STAGE_1"


def test_an_informal_dispute_may_skip_straight_to_stage_3() -> None:
    dispute = dispute_escalate(dispute=informal(), stage_code="STAGE_3", on=RAISED, stage_codes=STAGES)
    assert [stage.code for stage in dispute.stages] == ["INFORMAL", "STAGE_3"]


def test_a_formal_stage_escalates_to_a_later_one() -> None:
    dispute = dispute_escalate(dispute=at_stage_1(), stage_code="STAGE_2", on=dt.date(2025, 4, 15), stage_codes=STAGES)
    assert dispute.current.code == "STAGE_2" and dispute.state is DisputeState.FORMAL


@pytest.mark.parametrize("back_to", ["STAGE_1", "INFORMAL"])
def test_a_dispute_cannot_go_back_or_stay_at_its_stage(back_to: str) -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="can only move to a later stage"):
        dispute_escalate(dispute=at_stage_1(), stage_code=back_to, on=dt.date(2025, 5, 1), stage_codes=STAGES)


def test_a_dispute_cannot_escalate_to_an_unknown_stage() -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="not one of this authority's dispute stages"):
        dispute_escalate(dispute=informal(), stage_code="TRIBUNAL", on=RAISED, stage_codes=STAGES)


def test_a_dispute_cannot_escalate_before_it_reached_its_stage() -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="before the dispute reached INFORMAL"):
        dispute_escalate(dispute=informal(), stage_code="STAGE_1", on=dt.date(2025, 3, 31), stage_codes=STAGES)


# respond


def test_a_response_is_recorded_against_the_current_stage() -> None:
    dispute = dispute_respond(dispute=at_stage_1(), on=dt.date(2025, 4, 10))
    assert dispute.current.responded == dt.date(2025, 4, 10)
    assert dispute.stages[0].responded is None
    assert dispute.state is DisputeState.FORMAL


def test_a_stage_cannot_be_answered_twice() -> None:
    answered = dispute_respond(dispute=informal(), on=RAISED)
    with pytest.raises(IllegalDisputeTransitionError, match="already recorded on 01/04/2025"):
        dispute_respond(dispute=answered, on=dt.date(2025, 4, 2))


def test_a_response_cannot_come_before_the_stage_was_reached() -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="before the dispute reached STAGE_1"):
        dispute_respond(dispute=at_stage_1(), on=dt.date(2025, 4, 7))


# resolve and refer


def test_an_informal_dispute_is_resolved_with_an_outcome() -> None:
    dispute = dispute_resolve(dispute=informal(), outcome="RESOLVED", on=dt.date(2025, 4, 3), outcomes=OUTCOMES)
    assert dispute.state is DisputeState.RESOLVED and dispute.resolved == dt.date(2025, 4, 3)


def test_a_formal_dispute_is_referred_to_cafcass() -> None:
    dispute = dispute_resolve(dispute=at_stage_1(), outcome="CAFCASS", on=dt.date(2025, 5, 1), outcomes=OUTCOMES)
    assert dispute.state is DisputeState.CAFCASS


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="SETTLED is not a dispute outcome"):
        dispute_resolve(dispute=informal(), outcome="SETTLED", on=RAISED, outcomes=OUTCOMES)


def test_a_dispute_cannot_close_before_it_reached_its_stage() -> None:
    with pytest.raises(IllegalDisputeTransitionError, match="closing date"):
        dispute_resolve(dispute=at_stage_1(), outcome="RESOLVED", on=RAISED, outcomes=OUTCOMES)


@pytest.mark.parametrize("outcome", ["RESOLVED", "CAFCASS"])
def test_a_closed_dispute_cannot_change(outcome: str) -> None:
    closed = dispute_resolve(dispute=at_stage_1(), outcome=outcome, on=dt.date(2025, 5, 1), outcomes=OUTCOMES)
    later = dt.date(2025, 6, 1)
    attempts: list[Callable[[], DisputeLifecycle]] = [
        lambda: dispute_escalate(dispute=closed, stage_code="STAGE_2", on=later, stage_codes=STAGES),
        lambda: dispute_respond(dispute=closed, on=later),
        lambda: dispute_resolve(dispute=closed, outcome="RESOLVED", on=later, outcomes=OUTCOMES),
    ]
    for attempt in attempts:
        with pytest.raises(IllegalDisputeTransitionError, match="already closed"):
            attempt()


def test_the_lifecycle_is_written_out_for_the_audit_trail() -> None:
    assert at_stage_1().as_dict()["stages"][1] == {
        "stage": "STAGE_1",
        "escalated_date": "2025-04-08",
        "escalated_to": None,
        "response_date": None,
    }
