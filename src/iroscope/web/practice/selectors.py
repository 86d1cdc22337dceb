"""The local-practice configuration in force: the settings page's, else the loaded dataset's, else
the defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

from iroscope.rules.practice import LocalPractice
from iroscope.web.practice.models import PracticeSettings
from iroscope.web.records.models import DatasetInfo


def practice_as_mapping(*, practice: LocalPractice) -> dict[str, Any]:
    """JSON-ready, and readable again by `LocalPractice.from_mapping`."""
    values = dataclasses.asdict(practice)
    values["dispute_stages"] = [dict(stage) for stage in values["dispute_stages"]]
    values["late_reasons"] = [dict(reason) for reason in values["late_reasons"]]
    values["caseload_band"] = list(values["caseload_band"])
    return values


def practice_configured() -> LocalPractice | None:
    """The configuration set on the settings page, if one has been: loading data keeps it."""
    stored = PracticeSettings.objects.first()
    return None if stored is None else LocalPractice.from_mapping(stored.values)


def practice_current() -> LocalPractice:
    configured = practice_configured()
    if configured is not None:
        return configured
    info = DatasetInfo.objects.first()
    if info is not None and info.practice:
        return LocalPractice.from_mapping(info.practice)
    return LocalPractice()
