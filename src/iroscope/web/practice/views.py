"""The settings page (IRO managers): parse the form, make one call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iroscope.rules import codes
from iroscope.web.accounts.access import MANAGERS, role_required
from iroscope.web.practice.forms import (
    STAGE_PARTS,
    errors_in_page_order,
    inputs_from_practice,
    late_reason_rows,
    settings_from_post,
    stage_rows,
)
from iroscope.web.practice.selectors import practice_current
from iroscope.web.practice.services import (
    RAG_LEVELS,
    TEXT_SETTINGS,
    WORKING_DAY_SETTINGS,
    PracticeSettingsInvalidError,
    practice_settings_update,
)

STAGE_LABELS = dict(zip(STAGE_PARTS, ("Code", "Name", "Escalated to", "Response time (working days)"), strict=True))


@role_required(MANAGERS)
def practice_settings(request: HttpRequest) -> HttpResponse:
    practice = practice_current()
    values: dict[str, Any] = inputs_from_practice(practice=practice)
    errors: dict[str, str] = {}
    stage_count = len(practice.dispute_stages)
    late_reason_count = len(practice.late_reasons)
    if request.method == "POST":
        raw = settings_from_post(post=request.POST)
        try:
            practice_settings_update(user=request.user, raw=raw)
        except PracticeSettingsInvalidError as invalid:
            values = {key: request.POST.get(key, "") for key in request.POST}
            stage_count = len(raw["dispute_stages"]) + 1
            late_reason_count = len(raw.get("late_reasons", practice.late_reasons)) + 1
            errors = errors_in_page_order(
                errors=invalid.errors, stage_count=stage_count, late_reason_count=late_reason_count
            )
        else:
            messages.success(request, "Settings saved.")
            return redirect("practice-settings")
    context = {
        "values": values,
        "errors": errors,
        "error_links": [(f"#{field}", message) for field, message in errors.items()],
        "working_day_settings": WORKING_DAY_SETTINGS,
        "text_settings": TEXT_SETTINGS,
        "rag_levels": RAG_LEVELS,
        "stage_rows": stage_rows(count=stage_count),
        "stage_labels": STAGE_LABELS,
        "late_reason_rows": late_reason_rows(count=late_reason_count),
        "code_lists": (codes.DISPUTE_CATEGORY, codes.DISPUTE_OUTCOME),
    }
    return render(request, "practice/settings.html", context, status=400 if errors else 200)
