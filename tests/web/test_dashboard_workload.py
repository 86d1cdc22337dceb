"""The dashboard's panel on next year's workload (decision 0029): the whole service's next 12 months from
the workspace's today (decision 0014), with the same sentences and rows as `iroscope forecast`.

Every web test runs on 31 March 2025 (tests/web/conftest.py), the last day of the hand-made authority's
one year, so the panel covers April 2025 to March 2026."""

from __future__ import annotations

import html
import re

from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.metrics.forecast import forecast
from iroscope.report.forecast import forecast_sentences, table_rows
from tests.metrics.helpers import D


def _panel(page: str) -> str:
    found = re.search(
        r'<h2 class="govuk-heading-m" id="workload">(.*?)<h2 class="govuk-heading-m">Month by month', page, re.DOTALL
    )
    assert found, "the workload panel is missing"
    return found.group(1)


def test_the_dashboard_shows_the_next_twelve_months_from_today(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/dashboard/").content.decode()
    panel = _panel(page)
    made = forecast(authority, as_at=D(2025, 3, 31))
    for sentence in forecast_sentences(made):
        assert f'<p class="govuk-body">{html.escape(sentence)}</p>' in panel
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', panel, re.DOTALL)
    assert body
    rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body.group(1))
    ]
    assert rows == [list(row) for row in table_rows(made)]
    assert rows[0][0] == "April 2025" and rows[-1][0] == "Total"
    assert "Reviews expected in each month of 2025-26, for the whole service" in panel


def test_an_iro_sees_the_same_service_wide_panel(authority: Dataset, signed_in: dict[str, Client]) -> None:
    manager = _panel(signed_in["manager"].get("/dashboard/").content.decode())
    iro = _panel(signed_in["allocated_iro"].get("/dashboard/?iro=I1").content.decode())
    assert iro == manager
