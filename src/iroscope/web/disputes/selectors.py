"""Reads for dispute resolution: each dispute as its lifecycle, and each stage with its deadline in
working days from `rules.practice.dispute_stage_response_due` and the England calendar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from iroscope.rules import codes
from iroscope.rules.calendar import england_calendar
from iroscope.rules.practice import LocalPractice, dispute_stage_response_due
from iroscope.web.disputes.lifecycle import DisputeLifecycle, DisputeState, StageReached
from iroscope.web.records.models import DATASET_MODELS

DISPUTES = DATASET_MODELS["disputes"]
STAGES = DATASET_MODELS["dispute_stages"]


class DisputeNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class StageView:
    code: str
    name: str
    escalated: dt.date
    escalated_to: str | None
    responded: dt.date | None
    due: dt.date | None  # None when the stage is no longer in the settings
    working_days: int | None

    @property
    def late(self) -> bool:
        """Passed its deadline: answered after it, or not answered and the deadline is behind us."""
        return self.due is not None and self.responded is not None and self.responded > self.due

    def overdue_on(self, today: dt.date) -> bool:
        return self.due is not None and self.responded is None and today > self.due


@dataclass(frozen=True)
class DisputeView:
    dispute_id: str
    child_id: str
    iro_id: str | None
    category: str
    category_label: str
    lifecycle: DisputeLifecycle
    stages: tuple[StageView, ...]
    today: dt.date

    @property
    def state(self) -> DisputeState:
        return self.lifecycle.state

    @property
    def current(self) -> StageView:
        return self.stages[-1]

    @property
    def overdue(self) -> bool:
        return self.state.is_open and self.current.overdue_on(self.today)

    @property
    def outcome_label(self) -> str | None:
        outcome = self.lifecycle.outcome
        return codes.DISPUTE_OUTCOME.labels().get(outcome, outcome) if outcome else None

    @property
    def impact_label(self) -> str | None:
        """What the challenge achieved, in words (decision 0021)."""
        impact = self.lifecycle.impact
        return codes.CHALLENGE_IMPACT.labels().get(impact, impact) if impact else None


def stage_order(*, practice: LocalPractice) -> tuple[str, ...]:
    return tuple(stage.code for stage in practice.dispute_stages)


def lifecycle_from_rows(row: Any, stage_rows: list[Any], order: tuple[str, ...]) -> DisputeLifecycle:
    def position(stage: Any) -> tuple[dt.date, int]:
        return (stage.escalated_date, order.index(stage.stage) if stage.stage in order else len(order))

    stages = tuple(
        StageReached(stage.stage, stage.escalated_date, stage.escalated_to, stage.response_date)
        for stage in sorted(stage_rows, key=position)
    )
    if not stages:  # a dispute imported without stages is treated as raised informally
        stages = (StageReached(order[0] if order else "INFORMAL", row.raised_date),)
    return DisputeLifecycle(row.raised_date, row.category, stages, row.outcome, row.resolved_date, row.impact)


def _view(row: Any, stage_rows: list[Any], *, practice: LocalPractice, today: dt.date) -> DisputeView:
    lifecycle = lifecycle_from_rows(row, stage_rows, stage_order(practice=practice))
    configured = {stage.code: stage for stage in practice.dispute_stages}
    calendar = england_calendar()
    stages = []
    for stage in lifecycle.stages:
        setting = configured.get(stage.code)
        due = (
            dispute_stage_response_due(
                escalated=stage.escalated, stage_code=stage.code, practice=practice, calendar=calendar
            )
            if setting
            else None
        )
        stages.append(
            StageView(
                code=stage.code,
                name=setting.name if setting else stage.code,
                escalated=stage.escalated,
                escalated_to=stage.escalated_to,
                responded=stage.responded,
                due=due,
                working_days=setting.response_working_days if setting else None,
            )
        )
    labels = codes.DISPUTE_CATEGORY.labels()
    return DisputeView(
        dispute_id=row.dispute_id,
        child_id=row.child_id,
        iro_id=row.iro_id,
        category=row.category,
        category_label=labels.get(row.category, row.category),
        lifecycle=lifecycle,
        stages=tuple(stages),
        today=today,
    )


def _views(rows: list[Any], *, practice: LocalPractice, today: dt.date) -> list[DisputeView]:
    by_dispute: dict[str, list[Any]] = defaultdict(list)
    for stage in STAGES._default_manager.filter(dispute_id__in=[row.dispute_id for row in rows]):
        by_dispute[stage.dispute_id].append(stage)  # type: ignore[attr-defined]
    return [_view(row, by_dispute[row.dispute_id], practice=practice, today=today) for row in rows]


def dispute_get(*, dispute_id: str, practice: LocalPractice, today: dt.date) -> DisputeView:
    row = DISPUTES._default_manager.filter(dispute_id=dispute_id).first()
    if row is None:
        raise DisputeNotFoundError(dispute_id)
    return _views([row], practice=practice, today=today)[0]


def disputes_for_child(*, child_id: str, practice: LocalPractice, today: dt.date) -> list[DisputeView]:
    rows = list(DISPUTES._default_manager.filter(child_id=child_id).order_by("-raised_date", "dispute_id"))
    return _views(rows, practice=practice, today=today)


def disputes_overdue(*, practice: LocalPractice, today: dt.date) -> list[DisputeView]:
    """Open disputes whose current stage has had no response by its deadline, longest overdue first."""
    rows = list(DISPUTES._default_manager.filter(outcome__isnull=True).order_by("raised_date", "dispute_id"))
    overdue = [view for view in _views(rows, practice=practice, today=today) if view.overdue]
    return sorted(overdue, key=lambda view: (view.current.due or today, view.dispute_id))


def later_stages(*, dispute: DisputeView, practice: LocalPractice) -> list[tuple[str, str]]:
    """The configured stages a dispute may be escalated to: any after its current one."""
    order = stage_order(practice=practice)
    code = dispute.current.code
    start = order.index(code) + 1 if code in order else 0
    return [(stage.code, stage.name) for stage in practice.dispute_stages[start:]]
