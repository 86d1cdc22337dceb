"""Validating and changing the local-practice configuration.

Errors are keyed by the setting's path, which is also the input's name on the settings page
(`caseload_band.low`, `rag_oversight_days.RED`, `dispute_stages.1.response_working_days`), so each
message can link to its field; every message starts with the setting's label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import DEFAULT_DB_ALIAS, transaction

from iroscope.rules.practice import LocalPractice
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.practice.models import PracticeSettings
from iroscope.web.practice.selectors import practice_as_mapping, practice_current
from iroscope.web.records.models import DATASET_MODELS, DatasetInfo, dataset_version_bump

WORKING_DAY_SETTINGS = {
    "record_distributed_working_days": "Record distributed within (working days)",
    "decisions_working_days": "Decisions sent within (working days)",
    "invitations_working_days_before": "Invitations sent at least (working days before)",
    "iro_allocated_working_days": "IRO allocated within (working days)",
    "dispute_formal_total_working_days": "Whole formal dispute process within (working days)",
    "adjourned_reconvene_working_days": "Adjourned review reconvenes within (working days)",
    "letter_sent_working_days": "Letter to the child sent within (working days after the review)",
}
# Words the letter to the child quotes as they are written here.
TEXT_SETTINGS = {
    "iro_service_contact": "How a child contacts the IRO service (the letter to the child quotes it)",
    "advocacy_contact": "How a child gets an advocate (the letter to the child quotes it)",
}
TEXT_SETTING_MAX_CHARACTERS = 300
RAG_LEVELS = ("RED", "AMBER", "GREEN")
# Bounds on what the page accepts: a stage's name and who it escalates to are short labels, numbers
# are of days, and an authority has a handful of stages.
STAGE_TEXT_MAX_CHARACTERS = 100
NUMBER_MAX_DIGITS = 6
MAX_DISPUTE_STAGES = 20
MAX_LATE_REASONS = 30
STAGE_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,29}$")


class PracticeSettingsInvalidError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _whole(value: Any, *, key: str, label: str, errors: dict[str, str], least: int = 1) -> int | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and re.fullmatch(rf"\s*-?\d{{1,{NUMBER_MAX_DIGITS}}}\s*", value):
        value = int(value)
    if not isinstance(value, int) or value < least:
        errors[key] = f"{label} must be a whole number of at least {least}"
        return None
    return value


def practice_settings_validate(*, raw: dict[str, Any]) -> LocalPractice:
    """The configuration in `raw`, checked setting by setting; raises `PracticeSettingsInvalidError`."""
    errors: dict[str, str] = {}
    values = {**practice_as_mapping(practice=LocalPractice()), **raw}
    clean: dict[str, Any] = {}
    for key, label in WORKING_DAY_SETTINGS.items():
        clean[key] = _whole(values[key], key=key, label=label, errors=errors)

    for key, label in TEXT_SETTINGS.items():
        written = " ".join(str(values[key] or "").split())
        if not written:
            errors[key] = f"{label} must not be blank"
        elif len(written) > TEXT_SETTING_MAX_CHARACTERS:
            errors[key] = f"{label} must be {TEXT_SETTING_MAX_CHARACTERS} characters or fewer"
        clean[key] = written

    try:
        fraction = float(values["midway_review_fraction"])
    except (TypeError, ValueError):
        fraction = -1.0
    if not 0 < fraction < 1:
        errors["midway_review_fraction"] = "Midway review fraction must be a number between 0 and 1, such as 0.5"
    clean["midway_review_fraction"] = fraction

    rag = values["rag_oversight_days"] if isinstance(values["rag_oversight_days"], dict) else {}
    clean["rag_oversight_days"] = {
        level: _whole(
            rag.get(level),
            key=f"rag_oversight_days.{level}",
            label=f"{level.title()} tracking: longest gap between checks (days)",
            errors=errors,
        )
        for level in RAG_LEVELS
    }

    band = values["caseload_band"]
    low, high = band if isinstance(band, list | tuple) and len(band) == 2 else (None, None)
    low = _whole(low, key="caseload_band.low", label="Caseload band, lowest", errors=errors, least=0)
    high = _whole(high, key="caseload_band.high", label="Caseload band, highest", errors=errors, least=1)
    if low is not None and high is not None and low > high:
        errors["caseload_band.high"] = "Caseload band, highest must be at least the lowest"
    clean["caseload_band"] = [low, high]

    def response_days(index: int, stage: dict[str, Any], label: str) -> dict[str, Any]:
        days = _whole(
            stage.get("response_working_days"),
            key=f"dispute_stages.{index}.response_working_days",
            label=f"{label}, response time (working days)",
            errors=errors,
        )
        return {"response_working_days": days}

    clean["dispute_stages"] = _coded_list_checked(
        values["dispute_stages"] if isinstance(values["dispute_stages"], list) else [],
        key="dispute_stages",
        heading="Dispute stages",
        row="Dispute stage",
        noun=("stage", "stages"),
        limit=MAX_DISPUTE_STAGES,
        texts=(("name", "name"), ("escalated_to", "escalated to")),
        errors=errors,
        more=response_days,
    )
    clean["late_reasons"] = _late_reasons_checked(values["late_reasons"], errors=errors)

    unknown = sorted(set(raw) - set(practice_as_mapping(practice=LocalPractice())))
    if unknown:
        errors["settings"] = f"Unknown practice setting: {', '.join(unknown)}"
    if errors:
        raise PracticeSettingsInvalidError(errors)
    return LocalPractice.from_mapping(clean)


def _late_reasons_checked(reasons: Any, *, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Why a review was late: at least one reason, each with a code (unique) and a name. A reason may be
    removed even if reviews were recorded with it: they show its code (decision 0021)."""
    return _coded_list_checked(
        list(reasons) if isinstance(reasons, list | tuple) else [],
        key="late_reasons",
        heading="Late reasons",
        row="Late reason",
        noun=("reason", "reasons"),
        limit=MAX_LATE_REASONS,
        texts=(("name", "name"),),
        errors=errors,
    )


def _coded_list_checked(
    rows: list[Any],
    *,
    key: str,
    heading: str,
    row: str,
    noun: tuple[str, str],
    limit: int,
    texts: tuple[tuple[str, str], ...],
    errors: dict[str, str],
    more: Callable[[int, dict[str, Any], str], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """A list of settings each with a code and some text (dispute stages, late reasons): at least one and
    at most `limit`, each code well formed and used once, each text given and not too long; `more` checks
    and adds a row's other values. Errors are keyed `key.index.part`, named by `row` and its number."""
    one, many = noun
    if not rows:
        errors[f"{key}.0.code"] = f"{heading}: at least one {one} is needed"
    elif len(rows) > limit:
        errors[f"{key}.0.code"] = f"{heading}: there can be at most {limit} {many}"
        rows = rows[:limit]
    seen: set[str] = set()
    clean = []
    for index, given in enumerate(rows):
        item = given if isinstance(given, dict) else {}
        label = f"{row} {index + 1}"
        code = str(item.get("code") or "").strip().upper()
        if not STAGE_CODE.match(code):
            errors[f"{key}.{index}.code"] = (
                f"{label}, code must be capital letters, digits or underscores, starting with a letter"
            )
        elif code in seen:
            errors[f"{key}.{index}.code"] = f"{label}, code {code} is used by an earlier {one}"
        seen.add(code)
        text = {}
        for part, part_label in texts:
            text[part] = str(item.get(part) or "").strip()
            if not text[part]:
                errors[f"{key}.{index}.{part}"] = f"{label}, {part_label} must not be blank"
            elif len(text[part]) > STAGE_TEXT_MAX_CHARACTERS:
                errors[f"{key}.{index}.{part}"] = (
                    f"{label}, {part_label} must be {STAGE_TEXT_MAX_CHARACTERS} characters or fewer"
                )
        clean.append({"code": code, **text, **(more(index, item, label) if more else {})})
    return clean


def practice_settings_update(*, user: AbstractBaseUser | AnonymousUser, raw: dict[str, Any]) -> LocalPractice:
    """Validate and store the configuration, refusing to drop a dispute stage that recorded disputes
    use; audited with before and after values."""
    practice = practice_settings_validate(raw=raw)
    stage_model = DATASET_MODELS["dispute_stages"]
    in_use = set(stage_model._default_manager.values_list("stage", flat=True).distinct())
    dropped = sorted(in_use - {stage.code for stage in practice.dispute_stages})
    if dropped:
        raise PracticeSettingsInvalidError(
            {"dispute_stages.0.code": f"Dispute stages: {', '.join(dropped)} is used by recorded disputes, keep it"}
        )
    with transaction.atomic():
        before = practice_as_mapping(practice=practice_current())
        after = practice_as_mapping(practice=practice)
        stored = PracticeSettings.objects.select_for_update().first() or PracticeSettings()
        stored.values = after
        stored.updated_by = user if isinstance(user, User) else None
        stored.save()
        # Every figure, list and due date is worked out under the stored dataset's practice: change it
        # with the settings, and have every worker read the dataset again.
        DatasetInfo.objects.update(practice=after)
        dataset_version_bump(using=DEFAULT_DB_ALIAS)
        audit_record(user=user, action=Action.UPDATE, table="practice_settings", before=before, after=after)
    return practice
