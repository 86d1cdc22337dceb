"""The service dashboard: who may see it, that its figures are the command line's, the records behind
a figure, and the choice of period, IRO and team.

The hand-made authority (tests/web/conftest.py) holds one year, 2024-25, as at 31 March 2025:
reviews held in the year: A on 20 May and 15 August 2024, C on 20 June 2024, D on 1 May 2024 (4 in
all, every child aged 12, every one PN1); overdue and not held at the end: A (due 15 February 2025),
C (due 20 September 2024) and D (due 1 August 2024), 3 in all; B's first review is not due until April.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import Dataset
from iroscope.metrics.dashboard import headlines_shown
from iroscope.metrics.registry import Figure, all_kpis
from iroscope.report.model import Chart
from iroscope.web.dashboard import views
from iroscope.web.dashboard.charts import trend_svg
from iroscope.web.dashboard.selectors import figure_text
from iroscope.web.records import selectors
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_load_folder, dataset_replace
from tests.metrics.helpers import D
from tests.web.test_recording import review_post
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

YEAR = "?period=year-2024"
URLS = {
    "dashboard": "/dashboard/" + YEAR,
    "dashboard-records": "/dashboard/reviews_on_time/" + YEAR,
    "dashboard-chart": "/dashboard/reviews_held/chart.svg" + YEAR,
}
FIGURE_READERS = {"allocated_iro", "colleague_iro", "manager", "business_support", "analyst"}
EXPECTED = {
    person: {name: ALLOW if person in FIGURE_READERS else (SIGN_IN if person == "anonymous" else DENY) for name in URLS}
    for person in [*FIGURE_READERS, "administrator", "no_role", "anonymous"]
}


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_the_dashboard(
    person: str, url_name: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = client_for(person, signed_in)
    response = client.get(URLS[url_name])
    expected = EXPECTED[person][url_name]
    assert_allowed_or_refused(response, expected)


def _cell(html: str, kpi_id: str) -> str:
    """The figure in the headline row of `kpi_id`, as a reader sees it (tags and hidden text removed)."""
    row = re.search(rf'<tr class="govuk-table__row" id="kpi-{kpi_id}">(.*?)</tr>', html, re.DOTALL)
    assert row, kpi_id
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row.group(1), re.DOTALL)
    visible = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", cells[0])
    return re.sub(r"<[^>]+>", "", visible).strip()


def test_the_dashboard_shows_the_years_figures(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get(URLS["dashboard"]).content.decode()
    assert _cell(html, "reviews_held") == "4"
    assert _cell(html, "reviews_overdue_not_held") == "3"
    assert _cell(html, "participation_rate") == "100.0% (4 of 4 reviews of children aged 4 or over)"
    assert "1 April 2024 to 31 March 2025" in html or "2024-25" in html
    assert "no figure for last year" in html  # the data starts in 2024-25
    assert "How this is measured" in html
    assert html.count('<img class="iroscope-chart"') == 6


def test_the_records_behind_a_figure_list_its_reviews(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get("/dashboard/reviews_held/" + YEAR).content.decode()
    assert "Reviews: 4" in html
    assert [day for day in re.findall(r"\d{1,2} [A-Z][a-z]+ 2024", html)] == [
        "15 August 2024",
        "20 June 2024",
        "20 May 2024",
        "1 May 2024",
    ]
    assert 'href="/children/A/"' in html
    # Analysts see the list but not the children's records.
    analyst = signed_in["analyst"].get("/dashboard/reviews_held/" + YEAR).content.decode()
    assert "Reviews: 4" in analyst and 'href="/children/A/"' not in analyst


def test_a_figure_with_no_list_is_not_found(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["manager"].get("/dashboard/cic_by_gender/").status_code == 404
    assert signed_in["manager"].get("/dashboard/no_such_kpi/").status_code == 404


def test_an_iro_filter_keeps_that_iros_children(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get(URLS["dashboard"] + "&iro=I2").content.decode()
    assert _cell(html, "reviews_held") == "1"  # D's review on 1 May 2024
    assert "children allocated to I2 during the period" in html


def test_months_must_run_forwards(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = signed_in["manager"].get("/dashboard/?period=months&first_month=2024-09&last_month=2024-06")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The last month must be the same as or after the first month" in html


def test_a_month_range_counts_only_its_months(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get("/dashboard/?period=months&first_month=2024-05&last_month=2024-06").content
    assert _cell(html.decode(), "reviews_held") == "3"  # 1 May, 20 May, 20 June


@pytest.mark.django_db
def test_the_dashboard_figures_equal_the_command_lines(tmp_path: Path, signed_in: dict[str, Client]) -> None:
    runner = CliRunner()
    folder = tmp_path / "authority"
    today = ["--today", "2026-05-01"]
    made = runner.invoke(app, ["synth", "--out", str(folder), "--children", "120", "--years", "2", *today])
    assert made.exit_code == 0, made.output
    printed = runner.invoke(app, ["kpis", str(folder), "--year", "2025-26", "--json", *today])
    assert printed.exit_code == 0, printed.output
    expected = json.loads(printed.output)
    stored = dataset_load_folder(folder=folder, today=dt.date(2026, 5, 1))
    assert stored.stored is not None

    html = signed_in["manager"].get("/dashboard/?period=year-2025").content.decode()
    kpis = all_kpis()
    for kpi_id in headlines_shown(dataset_from_database(tables={"review_letters", "review_decisions"})):
        figure = expected[kpi_id]
        shown = Figure(figure["value"], figure.get("numerator"), figure.get("denominator"))
        assert _cell(html, kpi_id) == figure_text(kpis[kpi_id], shown), kpi_id


def test_each_month_of_a_trend_links_to_the_records_behind_it(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get(URLS["dashboard"] + "&iro=I1").content.decode()
    address = "/dashboard/reviews_held/?period=months&amp;first_month=2024-05&amp;last_month=2024-05&amp;iro=I1"
    assert address in html
    month = signed_in["manager"].get(address.replace("&amp;", "&")).content.decode()
    assert "Reviews: 1" in month  # A on 20 May; D's review on 1 May is I2's child
    assert "20 May 2024" in month and "1 May 2024" not in month


def test_a_review_recorded_in_the_workspace_shows_on_the_dashboard_at_once(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    assert _cell(manager.get(URLS["dashboard"]).content.decode(), "reviews_held") == "4"
    recorded = signed_in["allocated_iro"].post("/children/C/reviews/new/", review_post(D(2025, 3, 10)))
    assert recorded.status_code == 302
    assert _cell(manager.get(URLS["dashboard"]).content.decode(), "reviews_held") == "5"  # C on 10 March 2025


def test_each_trend_chart_is_an_svg_of_its_months(authority: Dataset, signed_in: dict[str, Client]) -> None:
    page = signed_in["manager"].get(URLS["dashboard"]).content.decode()
    address = re.search(r'src="(/dashboard/reviews_held/chart.svg\?period=year-2024&amp;state=[0-9.]+)"', page)
    assert address, "each chart's address names the period and the state of the data"
    chart = signed_in["manager"].get(address.group(1).replace("&amp;", "&"))
    assert chart["Content-Type"].startswith("image/svg+xml")
    # The browser may keep it: new data gives the page a new address.
    assert chart["Cache-Control"] == "private, max-age=86400, immutable"
    stale = signed_in["manager"].get(URLS["dashboard-chart"] + "&state=0.0")
    assert stale["Cache-Control"] == "private, no-cache"  # not the state it names: ask again next time
    chart = signed_in["manager"].get(URLS["dashboard-chart"])
    assert chart["Content-Type"].startswith("image/svg+xml")
    svg = chart.content.decode()
    assert svg.startswith("<svg") and "Apr" in svg and "Mar" in svg  # April 2024 to March 2025
    assert signed_in["manager"].get("/dashboard/cic_by_gender/chart.svg").status_code == 404


def test_a_chart_is_drawn_again_only_when_what_it_shows_changes(
    authority: Dataset, signed_in: dict[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review recorded for C (I1's child) changes the data's state and so every chart's address,
    but I2's charts show the same months and figures: they are not drawn again; I1's are."""
    drawn: list[str] = []

    def counted(chart: Chart) -> str:
        drawn.append(chart.title)
        return trend_svg(chart)

    monkeypatch.setattr(views, "trend_svg", counted)
    manager = signed_in["manager"]

    def chart_for(iro: str) -> str:
        page = manager.get(f"{URLS['dashboard']}&iro={iro}").content.decode()
        address = re.search(r'src="(/dashboard/reviews_held/chart.svg[^"]+)"', page)
        assert address
        return manager.get(address.group(1).replace("&amp;", "&")).content.decode()

    before = {iro: chart_for(iro) for iro in ("I1", "I2")}
    assert len(drawn) == 2
    recorded = signed_in["allocated_iro"].post("/children/C/reviews/new/", review_post(D(2025, 3, 10)))
    assert recorded.status_code == 302
    assert chart_for("I2") == before["I2"] and len(drawn) == 2  # the same chart, kept from before
    assert chart_for("I1") != before["I1"] and len(drawn) == 3  # March now has C's review


def test_a_worker_asked_for_a_chart_draws_it_from_the_page_without_working_out_the_dashboard(
    authority: Dataset, signed_in: dict[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The browser's requests for a page's charts may reach other workers than the page's: the
    charts' figures are kept for every worker as the page is worked out."""
    signed_in["manager"].get(URLS["dashboard"])
    monkeypatch.setattr(selectors, "_read", {})  # another worker: nothing read or worked out yet

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the dashboard was worked out again for its chart")

    monkeypatch.setattr(views, "dashboard_for", not_again)
    chart = signed_in["manager"].get(URLS["dashboard-chart"])
    assert chart.status_code == 200 and "Apr" in chart.content.decode()


def test_a_starting_worker_works_out_the_service_s_records_that_every_iro_s_dashboard_reads(
    authority: Dataset, signed_in: dict[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a worker starts it works out this year to date for the whole service (to 31 March 2025, where
    the data ends: the year 2024-25); each IRO's dashboard for the year then takes their children's
    records from it. I1's children had 3 reviews (A two, C one), I2's 1 (D)."""
    monkeypatch.setattr(selectors, "_read", {})  # a new worker: nothing read or worked out yet
    views.warm_up(selectors.dataset_snapshot())

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the service's records were worked out again")

    monkeypatch.setattr(views, "service_records", not_again)
    manager = signed_in["manager"]
    assert _cell(manager.get("/dashboard/?period=year-to-date&iro=I1").content.decode(), "reviews_held") == "3"
    assert _cell(manager.get(URLS["dashboard"] + "&iro=I2").content.decode(), "reviews_held") == "1"


@pytest.mark.django_db
def test_a_worker_starting_before_any_ssda903_return_works_out_no_dashboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Data with no collection year (nothing but an activity workbook, say) has no year to date."""
    dataset_replace(dataset=Dataset(tables={}))

    def not_worked_out(*args: object, **kwargs: object) -> None:
        raise AssertionError("a dashboard was worked out for data with no year")

    monkeypatch.setattr(views, "_board", not_worked_out)
    views.warm_up(selectors.dataset_snapshot())


def test_the_iro_filter_names_each_iro(authority: Dataset, signed_in: dict[str, Client]) -> None:
    html = signed_in["manager"].get(URLS["dashboard"]).content.decode()
    options = re.findall(r'<option value="(I\d)"[^>]*>([^<]+)</option>', html)
    assert options == [("I1", "First IRO (I1)"), ("I2", "Second IRO (I2)")]
