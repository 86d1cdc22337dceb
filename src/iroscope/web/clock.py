"""What "today" is for the workspace, and how the pages say how old the data is (docs/decisions/0014).

Every page, list, figure and permission is worked out as at `workspace_today()`: the real date in the
service's time zone, never the end of the data. Views ask this module (as `clock.workspace_today()`,
so that tests can pin the day in one place) and hand the day on; nothing below the views asks the
clock itself.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.report.words import data_known_from


def workspace_today() -> dt.date:
    """The day the workspace is worked out as at: today in the service's time zone (`TIME_ZONE`)."""
    return timezone.localdate()


def data_coverage(*, dataset: Dataset, today: dt.date) -> str | None:
    """The sentence every page that reads the dataset shows about what it holds, such as "Children in
    care known from the return extracted on 31 March 2026 (249 days ago)"; None before any return."""
    if not dataset.years:
        return None
    return data_known_from(dataset=dataset, today=today)
