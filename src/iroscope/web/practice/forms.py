"""Reading the settings page's inputs into the mapping `practice_settings_validate` checks, and
back: input names are the settings' paths (`caseload_band.low`, `dispute_stages.0.code`)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from iroscope.rules.practice import LocalPractice
from iroscope.web.practice.services import RAG_LEVELS, TEXT_SETTINGS, WORKING_DAY_SETTINGS

STAGE_PARTS = ("code", "name", "escalated_to", "response_working_days")
SPARE_STAGE_ROWS = 1
LATE_REASON_PARTS = ("code", "name")
SPARE_LATE_REASON_ROWS = 1


def settings_from_post(*, post: QueryDict) -> dict[str, Any]:
    raw: dict[str, Any] = {key: post.get(key, "").strip() for key in WORKING_DAY_SETTINGS}
    raw |= {key: post.get(key, "").strip() for key in TEXT_SETTINGS}
    raw["midway_review_fraction"] = post.get("midway_review_fraction", "").strip()
    raw["rag_oversight_days"] = {level: post.get(f"rag_oversight_days.{level}", "").strip() for level in RAG_LEVELS}
    raw["caseload_band"] = [post.get("caseload_band.low", "").strip(), post.get("caseload_band.high", "").strip()]
    stages = []
    index = 0
    while f"dispute_stages.{index}.code" in post:
        row = {part: post.get(f"dispute_stages.{index}.{part}", "").strip() for part in STAGE_PARTS}
        if any(row.values()):  # a row left blank is no stage: clearing a row removes it
            stages.append(row)
        index += 1
    raw["dispute_stages"] = stages
    if "late_reasons.0.code" in post:  # a page from before the late reasons leaves them as they are
        raw["late_reasons"] = _rows(post, "late_reasons", LATE_REASON_PARTS)
    return raw


def _rows(post: QueryDict, prefix: str, parts: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows `prefix.0.part`, `prefix.1.part` and so on, leaving out a row left blank: clearing a
    row removes it."""
    rows = []
    index = 0
    while f"{prefix}.{index}.{parts[0]}" in post:
        row = {part: post.get(f"{prefix}.{index}.{part}", "").strip() for part in parts}
        if any(row.values()):
            rows.append(row)
        index += 1
    return rows


def inputs_from_practice(*, practice: LocalPractice) -> dict[str, Any]:
    values: dict[str, Any] = {key: getattr(practice, key) for key in WORKING_DAY_SETTINGS}
    values |= {key: getattr(practice, key) for key in TEXT_SETTINGS}
    values["midway_review_fraction"] = practice.midway_review_fraction
    for level in RAG_LEVELS:
        values[f"rag_oversight_days.{level}"] = practice.rag_oversight_days.get(level, "")
    values["caseload_band.low"], values["caseload_band.high"] = practice.caseload_band
    for index, stage in enumerate(practice.dispute_stages):
        for part in STAGE_PARTS:
            values[f"dispute_stages.{index}.{part}"] = getattr(stage, part)
    for index, reason in enumerate(practice.late_reasons):
        for part in LATE_REASON_PARTS:
            values[f"late_reasons.{index}.{part}"] = getattr(reason, part)
    return values


def page_order(*, stage_count: int, late_reason_count: int = 0) -> list[str]:
    """Every input's name in the order the settings page shows them, so the error summary lists
    mistakes in the same order as the page, as the Design System asks."""
    stages = [name for row in stage_rows(count=stage_count) for name in row]
    reasons = [name for row in late_reason_rows(count=late_reason_count) for name in row]
    rag = [f"rag_oversight_days.{level}" for level in RAG_LEVELS]
    return [
        *stages,
        *reasons,
        *WORKING_DAY_SETTINGS,
        "midway_review_fraction",
        *TEXT_SETTINGS,
        *rag,
        "caseload_band.low",
        "caseload_band.high",
    ]


def errors_in_page_order(*, errors: dict[str, str], stage_count: int, late_reason_count: int = 0) -> dict[str, str]:
    names = page_order(stage_count=stage_count, late_reason_count=late_reason_count)
    order = {name: index for index, name in enumerate(names)}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))


def stage_rows(*, count: int) -> list[list[str]]:
    """The input names of each stage row shown, with spare rows to add a stage."""
    return [[f"dispute_stages.{index}.{part}" for part in STAGE_PARTS] for index in range(count + SPARE_STAGE_ROWS)]


def late_reason_rows(*, count: int) -> list[list[str]]:
    """The input names of each late reason row shown, with a spare row to add a reason."""
    return [
        [f"late_reasons.{index}.{part}" for part in LATE_REASON_PARTS]
        for index in range(count + SPARE_LATE_REASON_ROWS)
    ]
