"""The service dashboard: parse the choice, ask the metrics engine, render. Figures here and in the
annual report come from the same registry, so they cannot differ (tests/web/test_dashboard.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

import polars as pl
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe

from iroscope.data.dataset import Dataset, collection_year_of
from iroscope.data.schema import ALL_TABLES
from iroscope.metrics.context import Period
from iroscope.metrics.dashboard import (
    AT_PERIOD_END,
    FORECAST_TABLES,
    TREND_KPIS,
    Dashboard,
    RecordsOf,
    Trend,
    service_records,
    workload_forecast,
)
from iroscope.metrics.registry import KPI, Unit
from iroscope.report import forecast as forecast_words
from iroscope.report import words
from iroscope.report.model import Chart, Series, Table
from iroscope.rules.calendar import long_date
from iroscope.web import clock
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.dashboard.charts import trend_svg
from iroscope.web.dashboard.feedback import QUESTION_TITLES, feedback_rows
from iroscope.web.dashboard.forms import DashboardForm
from iroscope.web.dashboard.selectors import (
    BEHIND,
    PUBLISHED_NOTE,
    Choice,
    ComparatorsView,
    change_text,
    comparators_view,
    dashboard_for,
    figure_text,
    kpis_with_records,
    records_behind,
)
from iroscope.web.paging import paging_for
from iroscope.web.records.selectors import DatasetSnapshot, NoDatasetError, dataset_snapshot
from iroscope.web.shared import shared_value

EVERY_TABLE = frozenset(table.name for table in ALL_TABLES)
CHOICE_TABLES = frozenset({"iro_staff"})  # the IROs and teams to choose from; the years come with any table
# Figures are for everyone who works with the service's performance; administrators manage accounts only.
FIGURE_READERS = frozenset({Role.IRO, Role.MANAGER, Role.BUSINESS_SUPPORT, Role.ANALYST})
CHART_STATE = "state"  # the query parameter naming the state of the data a chart shows
CHART_KEPT_SECONDS = 24 * 60 * 60
Shared = TypeVar("Shared")


@dataclass(frozen=True)
class TrendView:
    kpi_id: str
    title: str
    definition: str
    alt: str
    rows: list[tuple[str, str, str]]  # month, figure, the address of the records behind it
    comparators: list[ComparatorsView]  # other areas' yearly figures, said beneath the chart
    published_note: str  # how a published report's figure was counted, when one is shown


def _choice_query(choice: Choice) -> dict[str, str]:
    return {"iro": choice.iro_id} if choice.iro_id else {"team": choice.team} if choice.team else {}


def _records_address(kpi_id: str, month: Period, choice: Choice) -> str:
    query = {"period": "months", "first_month": f"{month.start:%Y-%m}", "last_month": f"{month.start:%Y-%m}"}
    return f"{reverse('dashboard-records', args=[kpi_id])}?{urlencode(query | _choice_query(choice))}"


def _trend_view(trend: Trend, choice: Choice) -> TrendView:
    kpi = trend.kpi
    rows = [
        (period.label, figure_text(kpi, figure), _records_address(kpi.id, period, choice))
        for period, figure in trend.months
    ]
    shown = [f"{month}: {text}" for month, text, _ in rows]
    alt = f"Line chart of {kpi.title.lower()} by month. " + "; ".join(shown) + "."
    comparators = [view for year, areas in trend.comparators if (view := comparators_view(kpi, year, areas))]
    published = PUBLISHED_NOTE if any(view.published for view in comparators) else ""
    return TrendView(kpi.id, kpi.title, kpi.definition, alt, rows, comparators, published)


def _trend_chart(trend: Trend) -> Chart:
    """The trend as a chart, drawn on its own address (`trend_chart`), so the page does not wait for
    the drawing and the browser fetches the charts side by side."""
    kpi = trend.kpi
    values = tuple(None if figure.value is None else float(figure.value) for _, figure in trend.months)
    unit = "%" if kpi.unit == Unit.PERCENT else ""
    # Month names alone fit twelve to a chart; longer ranges add the year ("Apr 25"). The table below
    # the chart names each month in full.
    short = "%b" if len(trend.months) <= 12 else "%b %y"
    months = tuple(f"{period.start:{short}}" for period, _ in trend.months)
    return Chart("line", kpi.title, months, (Series(kpi.title, values),), unit, kpi.title, Table(kpi.title, (), ()))


def _headline_rows(board: Dashboard) -> list[dict[str, object]]:
    with_records = kpis_with_records()
    return [
        {
            "kpi": headline.kpi,
            "figure": figure_text(headline.kpi, headline.figure),
            "last_year": figure_text(headline.kpi, headline.last_year) if headline.last_year else "not available",
            "change": change_text(headline),
            "records": headline.kpi.id in with_records,
            "comparators": (
                comparators_view(headline.kpi, board.period.year, headline.comparators)
                if board.period.year is not None
                else None
            ),
        }
        for headline in board.headlines
    ]


def _published_note(headlines: list[dict[str, object]]) -> str:
    """How a published report's figure was counted, when one is beside a headline."""
    shown = (row["comparators"] for row in headlines)
    return PUBLISHED_NOTE if any(isinstance(view, ComparatorsView) and view.published for view in shown) else ""


CHAIRED_ROW = "Reviews chaired or co-chaired by the child"
CHAIRED_OF = "reviews of children aged 4 or over where it was recorded"


def _breakdown_rows(board: Dashboard) -> list[dict[str, object]]:
    """Each count by reason or result that has anything recorded, as rows of words (decision 0021)."""
    shown: list[dict[str, object]] = []
    for part in board.breakdowns:
        if not part.shown:
            continue
        if part.figure.breakdown is None:  # a rate: the one row says "1 of 4 ..., 25.0%"
            rows = [(CHAIRED_ROW, words.rate_text(part.figure, of_what=CHAIRED_OF))]
        else:
            rows = [(name, f"{count:,}") for name, count in part.rows]
            rows.append(("Total", f"{int(part.figure.value or 0):,}"))  # the sum of the rows above
        # A count of what stands on a day (plans by type) is captioned with that day, not the period.
        when = f"on {long_date(board.period.end)}" if part.kpi.id in AT_PERIOD_END else board.period.label
        shown.append({"kpi": part.kpi, "rows": rows, "caption": f"{part.kpi.title}, {when}"})
    return shown


def _choose(query: QueryDict, snapshot: DatasetSnapshot) -> DashboardForm:
    as_at = clock.workspace_today()
    choices = snapshot.result(
        ("dashboard choices", as_at),
        tables=CHOICE_TABLES,
        compute=lambda data: DashboardForm.choices_for(data, as_at),
    )
    return DashboardForm(query or None, choices=choices, as_at=as_at)


def _board(snapshot: DatasetSnapshot, choice: Choice) -> tuple[Dashboard, list[dict[str, object]], list[TrendView]]:
    """The dashboard for a choice, worked out once per choice and dataset version in each process."""

    def page(dataset: Dataset) -> tuple[Dashboard, list[dict[str, object]], list[TrendView]]:
        board = dashboard_for(dataset, choice, _records_of(snapshot))
        return board, _headline_rows(board), [_trend_view(trend, choice) for trend in board.trends]

    return snapshot.result(("dashboard", choice), tables=EVERY_TABLE, compute=page)


def _records_of(snapshot: DatasetSnapshot) -> RecordsOf:
    """The whole service's records of a KPI for a period, kept for every dashboard and list that reads
    them (each IRO's and team's takes its children's) and, after a change, worked out again for the
    changed children only."""

    def records(kpi: KPI, period: Period) -> pl.DataFrame:
        return snapshot.by_child(
            ("kpi records", kpi.id, period.start, period.end),  # not its label: a year is a year
            tables=EVERY_TABLE,
            compute=lambda dataset: service_records(dataset, kpi, period),
            shared=True,
        )

    return records


def warm_up(snapshot: DatasetSnapshot) -> None:
    """Work out the dashboards opened most, this year to date and last year for the whole service, as
    a worker starts: with them the service's records for those periods, which every IRO's and team's
    dashboard for the same periods then reads. The first worker works the records out; the others
    read them."""
    years = snapshot.dataset(CHOICE_TABLES).years
    if not years:
        return  # no SSDA903 return yet: no year to work out
    this_year = _choose(QueryDict(), snapshot).choice()
    last_year = collection_year_of(this_year.period.start) - 1
    for choice in [this_year, *([Choice(Period.collection_year(last_year))] if last_year in years else [])]:
        _board(snapshot, choice)
    _workload(snapshot, clock.workspace_today())  # the next 12 months' panel, the same on every dashboard


def _workload(snapshot: DatasetSnapshot, as_at: dt.date) -> dict[str, object] | None:
    """The next 12 months' workload for the whole service, from today (decision 0014): its sentences and
    its month-by-month table, kept until a table it reads changes."""

    def panel(dataset: Dataset) -> dict[str, object] | None:
        made = workload_forecast(dataset, as_at=as_at)
        if made is None:
            return None
        return {
            "sentences": forecast_words.forecast_sentences(made),
            "headings": forecast_words.TABLE_HEADINGS,
            "rows": forecast_words.table_rows(made),
            "window": forecast_words.forecast_window(made, year_word="of"),
        }

    return snapshot.result(("dashboard workload", as_at), tables=FORECAST_TABLES, compute=panel)


def _shared_name(snapshot: DatasetSnapshot | None, key: Hashable) -> str:
    """The name of a value kept for one state of the stored dataset or, with no snapshot, for as long
    as the cache keeps it (a value named by everything it depends on)."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return f"dashboard:{snapshot.state if snapshot else 'any'}:{digest}"


def _shared(snapshot: DatasetSnapshot | None, key: Hashable, compute: Callable[[], Shared]) -> Shared:
    return shared_value(_shared_name(snapshot, key), compute)


def _charts(board: Dashboard) -> dict[str, Chart]:
    return {trend.kpi.id: _trend_chart(trend) for trend in board.trends}


@role_required(FIGURE_READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        snapshot = dataset_snapshot()
    except NoDatasetError:
        return render(request, "dashboard/dashboard.html", {"figures": None})
    form = _choose(request.GET, snapshot)
    choice = form.choice()
    query = request.GET.urlencode()

    def figures() -> str:
        board, headlines, trends = _board(snapshot, choice)
        feedback = snapshot.result(
            ("dashboard feedback", choice), tables=EVERY_TABLE, compute=lambda data: feedback_rows(data, choice)
        )
        # Kept for every worker, so that one asked for a chart need not work out the dashboard again.
        caches["shared"].set(_shared_name(snapshot, ("charts", choice)), _charts(board))
        context = {
            "board": board,
            "choice": choice,
            "form": form,
            "headlines": headlines,
            "published_note": _published_note(headlines),
            "trends": trends,
            "feedback": feedback,
            "feedback_questions": QUESTION_TITLES,
            "breakdowns": _breakdown_rows(board),
            "workload": _workload(snapshot, form.as_at),
            "query": query,
            # Naming the state of the data lets the browser keep each chart until the data changes.
            "chart_query": urlencode([*request.GET.items(), (CHART_STATE, snapshot.state)]),
        }
        return render_to_string("dashboard/_figures.html", context)

    # The form is part of the fragment kept: it shows the same query, so it reads the same; its
    # choices depend on the day too ("this year to date, to ...").
    context = {
        # Rendered by our own template, which escaped everything in it: safe to show as it is.
        "figures": mark_safe(_shared(snapshot, ("figures", choice, query, form.as_at), figures)),
        "choice": choice,
        "coverage": clock.data_coverage(dataset=snapshot.dataset(()), today=form.as_at),
    }
    return render(request, "dashboard/dashboard.html", context, status=400 if form.errors else 200)


@role_required(FIGURE_READERS)
def trend_chart(request: HttpRequest, kpi_id: str) -> HttpResponse:
    try:
        snapshot = dataset_snapshot()
    except NoDatasetError as error:
        raise Http404("No data loaded") from error
    choice = _choose(request.GET, snapshot).choice()
    if kpi_id not in TREND_KPIS:
        raise Http404("No chart for this figure")

    charts = caches["shared"].get(_shared_name(snapshot, ("charts", choice)))
    if charts is None:  # asked for without its page, or the page's charts already culled
        charts = _charts(_board(snapshot, choice)[0])
    chart = charts[kpi_id]
    # Kept by what it shows, not by the state of the data: a review recorded for one IRO's child
    # leaves the other IROs' charts as they were drawn.
    svg = _shared(None, ("drawn", chart), lambda: trend_svg(chart))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    if request.GET.get(CHART_STATE) == snapshot.state:
        # The address names this state of the data, and a change of data gives the page new addresses.
        patch_cache_control(response, private=True, max_age=CHART_KEPT_SECONDS, immutable=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@role_required(FIGURE_READERS)
@audited(Action.VIEW_LIST, subject="the records behind a dashboard figure")
def kpi_records(request: HttpRequest, kpi_id: str) -> HttpResponse:
    kpi = kpis_with_records().get(kpi_id)
    if kpi is None:
        raise Http404("No list for this figure")
    try:
        snapshot = dataset_snapshot()
    except NoDatasetError as error:
        raise Http404("No data loaded") from error
    form = _choose(request.GET, snapshot)
    choice = form.choice()
    behind = snapshot.result(
        ("dashboard-records", kpi_id, choice),
        tables=EVERY_TABLE,
        compute=lambda dataset: records_behind(dataset, choice, kpi, _records_of(snapshot)),
    )
    audit_note(
        request,
        subject=f"the records behind the dashboard figure {kpi.title}, {choice.period.label}",
        children=len({row.child_id for row in behind.rows}),
    )
    paging = paging_for(count=len(behind.rows), query=request.GET)
    choosing = request.GET.copy()
    choosing.pop("page", None)  # the dashboard has no pages
    context = {
        "behind": behind,
        "rows": behind.rows[paging.offset : paging.offset + paging.size],
        "paging": paging,
        "choice": choice,
        "figure": figure_text(kpi, behind.figure),
        "query": choosing.urlencode(),
        "words": BEHIND[kpi_id],
        "coverage": clock.data_coverage(dataset=snapshot.dataset(()), today=form.as_at),
    }
    return render(request, "dashboard/records.html", context)
