"""Local practice: the deadlines and bands that differ between authorities.

Defaults come from the IRO Handbook (statutory guidance) and the seed reports; an authority changes
them in one TOML file (`iroscope practice-template` writes one) or, in the workspace, on the
settings page. Statutory timescales (regulation 33) are not here: they are not negotiable.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from iroscope.rules.calendar import WorkingDayCalendar


@dataclass(frozen=True)
class DisputeStage:
    code: str
    name: str
    escalated_to: str
    response_working_days: int


@dataclass(frozen=True)
class LateReason:
    code: str
    name: str


# Why reviews were late, from the seed reports and the reasons they give for adjournments.
DEFAULT_LATE_REASONS = (
    LateReason("FAMILY_REQUEST", "Rescheduled at the child's or family's request"),
    LateReason("IRO_UNAVAILABLE", "IRO unavailable (sickness or staffing)"),
    LateReason("SOCIAL_WORKER_UNAVAILABLE", "Social worker unavailable"),
    LateReason("PROFESSIONAL_UNAVAILABLE", "Another key professional unavailable"),
    LateReason("LATE_NOTIFICATION", "Late notification that the child had come into care"),
    LateReason("REPORTS_NOT_READY", "Reports or assessments not ready"),
    LateReason("BOOKING_ERROR", "Booking or administrative error"),
    LateReason("VENUE_OR_WEATHER", "Venue or weather"),
    LateReason("OTHER", "Other"),
)

DEFAULT_DISPUTE_STAGES = (
    DisputeStage("INFORMAL", "Informal resolution", "Social worker or team manager", 5),
    DisputeStage("STAGE_1", "Stage 1", "Team manager", 5),
    DisputeStage("STAGE_2", "Stage 2", "Service manager", 5),
    DisputeStage("STAGE_3", "Stage 3", "Head of service", 5),
)


# Settings an authority may still have in its file, with why they went and what to do instead: a file
# that sets one is refused with this message rather than read as if the setting still did something.
RETIRED_SETTINGS = {
    "review_after_placement_move_working_days": "a placement move does not make a review due under the "
    "Care Planning, Placement and Case Review Regulations 2010, and the review schedule never followed it. A "
    "review the IRO holds after a move is recorded as a review and restarts the cycle as any early review does. "
    "Remove the line from the file (docs/decisions/0017-lost-typing-idle-settings-and-limits.md).",
}


@dataclass(frozen=True)
class LocalPractice:
    """Every local-practice setting, with its default and where the default comes from."""

    midway_review_fraction: float = 0.5
    """Midway review falls this far between one review and the next due date (Walsall, Wirral: halfway)."""
    record_distributed_working_days: int = 20
    """Full record of the review distributed within this many working days (NE Lincolnshire, Walsall)."""
    decisions_working_days: int = 5
    """Decisions and recommendations sent within this many working days (Walsall; Cheshire East)."""
    invitations_working_days_before: int = 10
    """Invitations and consultation forms sent at least this many working days before (NE Lincolnshire)."""
    iro_allocated_working_days: int = 5
    """IRO appointed within this many working days of the child becoming looked after (IRO Handbook)."""
    dispute_stages: tuple[DisputeStage, ...] = DEFAULT_DISPUTE_STAGES
    """Dispute resolution stages in order, each with its response time (Handbook chapter 6; seeds)."""
    dispute_formal_total_working_days: int = 20
    """The whole formal process should take no more than this many working days (IRO Handbook 6.2)."""
    adjourned_reconvene_working_days: int = 20
    """An adjourned review should reconvene within this many working days."""
    rag_oversight_days: dict[str, int] = field(default_factory=lambda: {"RED": 31, "AMBER": 62, "GREEN": 92})
    """Longest gap, in days, between the IRO's checks at each case-tracking level (North East
    Lincolnshire: red monthly, amber bi-monthly, green at the midpoint between reviews)."""
    caseload_band: tuple[int, int] = (50, 70)
    """Recommended children per full-time IRO (IRO Handbook 2010)."""
    late_reasons: tuple[LateReason, ...] = DEFAULT_LATE_REASONS
    """Reasons a review may be recorded as late for (seeds: NE Lincolnshire, Halton, Wirral)."""
    letter_sent_working_days: int = 20
    """The letter to the child about their review is sent within this many working days (Walsall)."""
    feedback_link_days: int = 28
    """A feedback link or QR code stops working this many days after it was made."""
    iro_service_contact: str = (
        "Your social worker or carer can give you the IRO service's telephone number and email address."
    )
    """How a child reaches the IRO service, as the letter to the child says it (a telephone number, an email
    address). The default names none: each authority sets its own."""
    advocacy_contact: str = "Ask your social worker or IRO for an advocate."
    """How a child gets an advocate, as the letter to the child says it. The default names no provider: each
    authority sets its own."""

    @classmethod
    def from_toml(cls, path: Path) -> LocalPractice:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        return cls.from_mapping(raw)

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> LocalPractice:
        retired = sorted(set(raw) & set(RETIRED_SETTINGS))
        if retired:
            raise ValueError(" ".join(f"{name} is no longer a setting: {RETIRED_SETTINGS[name]}" for name in retired))
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(
                f"Unknown practice setting: {', '.join(unknown)}. Known settings: {', '.join(sorted(known))}"
            )
        values = dict(raw)
        if "dispute_stages" in values:
            values["dispute_stages"] = tuple(DisputeStage(**stage) for stage in values["dispute_stages"])
        if "late_reasons" in values:
            values["late_reasons"] = tuple(LateReason(**reason) for reason in values["late_reasons"])
        if "caseload_band" in values:
            low, high = values["caseload_band"]
            values["caseload_band"] = (int(low), int(high))
        return replace(cls(), **values)

    def dispute_stage(self, code: str) -> DisputeStage:
        for stage in self.dispute_stages:
            if stage.code == code:
                return stage
        raise KeyError(f"{code!r} is not a dispute stage in this authority's settings")


def midway_review_due(*, previous_review: dt.date, next_review_due: dt.date, practice: LocalPractice) -> dt.date:
    span = (next_review_due - previous_review).days
    return previous_review + dt.timedelta(days=round(span * practice.midway_review_fraction))


def record_distributed_due(*, review_date: dt.date, practice: LocalPractice, calendar: WorkingDayCalendar) -> dt.date:
    return calendar.add_working_days(review_date, practice.record_distributed_working_days)


def decisions_due(*, review_date: dt.date, practice: LocalPractice, calendar: WorkingDayCalendar) -> dt.date:
    return calendar.add_working_days(review_date, practice.decisions_working_days)


def invitations_due(*, review_date: dt.date, practice: LocalPractice, calendar: WorkingDayCalendar) -> dt.date:
    return calendar.add_working_days(review_date, -practice.invitations_working_days_before)


def dispute_stage_response_due(
    *, escalated: dt.date, stage_code: str, practice: LocalPractice, calendar: WorkingDayCalendar
) -> dt.date:
    stage = practice.dispute_stage(stage_code)
    return calendar.add_working_days(escalated, stage.response_working_days)


def dispute_resolution_due(*, formal_start: dt.date, practice: LocalPractice, calendar: WorkingDayCalendar) -> dt.date:
    return calendar.add_working_days(formal_start, practice.dispute_formal_total_working_days)
