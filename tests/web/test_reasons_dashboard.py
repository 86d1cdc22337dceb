"""The dashboard's counts of why reviews were late and what challenge achieved (decision 0021), on
the hand-made authority as at 31 March 2025 (tests/web/conftest.py): A's third review was due on
15 February 2025, so one held on 10 March 2025 is late."""

from __future__ import annotations

import re

from django.test import Client

from iroscope.data.dataset import Dataset
from tests.metrics.helpers import D
from tests.web.test_recording import date_fields, raise_alert, review_post

DASHBOARD = "/dashboard/?period=year-2024"


def breakdown(page: str, kpi_id: str) -> dict[str, str]:
    table = re.search(rf'<table class="govuk-table" id="breakdown-{kpi_id}">(.*?)</table>', page, re.S)
    assert table is not None, kpi_id
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th><td class="govuk-table__cell">([^<]+)<',
        table.group(1),
    )
    return {name.replace("&#x27;", "'"): figure for name, figure in rows}


def test_late_reasons_and_what_challenge_achieved_show_once_recorded(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro, manager = signed_in["allocated_iro"], signed_in["manager"]
    before = manager.get(DASHBOARD).content.decode()
    assert 'id="breakdown-late_reviews_by_recorded_reason"' not in before  # nothing recorded yet
    assert 'id="breakdown-challenge_impact"' not in before

    assert (
        iro.post("/children/A/reviews/new/", review_post(D(2025, 3, 10), late_reason="IRO_UNAVAILABLE")).status_code
        == 302
    )
    alert_id = raise_alert(iro, "A", D(2025, 2, 10))
    resolved = {**date_fields("resolved_date", D(2025, 3, 20)), "impact": "PLAN_CHANGED"}
    assert iro.post(f"/children/A/practice-alerts/{alert_id}/resolve/", resolved).status_code == 302

    page = manager.get(DASHBOARD).content.decode()
    assert breakdown(page, "late_reviews_by_recorded_reason")["IRO unavailable (sickness or staffing)"] == "1"
    assert breakdown(page, "challenge_impact") == {"The child's plan changed": "1", "Total": "1"}
