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
    values["caseload_band"] = list(values["caseload_band"])
    return values


def practice_current() -> LocalPractice:
    stored = PracticeSettings.objects.first()
    if stored is not None:
        return LocalPractice.from_mapping(stored.values)
    info = DatasetInfo.objects.first()
    if info is not None and info.practice:
        return LocalPractice.from_mapping(info.practice)
    return LocalPractice()
