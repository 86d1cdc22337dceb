"""Several areas compared in one table and chart stay legible: every area with a figure for the years
shown has its row, a chart draws at most five beside the authority and says so, and a legend of long
area names wraps into columns that stay inside the chart."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

import iroscope.report.charts as charts
from iroscope.data.dataset import Dataset
from iroscope.data.schema import COMPARATORS
from iroscope.report.figures import CHART_COMPARATORS, ReportFigures
from iroscope.report.model import Chart, Series, Table
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import TODAY

AREAS = (
    "Statistical neighbours",
    "Northshire (synthetic)",
    "Southshire (synthetic)",
    "Westshire (synthetic)",
    "North East Lincolnshire's statistical neighbours (published report)",
    "Yorkshire and the Humber (published report)",
    "England",
)


@pytest.fixture(scope="module")
def compared() -> Dataset:
    dataset = generate(SynthConfig(children=60, years=2, seed=21), today=TODAY)
    rows = [("reviews_on_time", "2025-26", area, 80.0 + number) for number, area in enumerate(AREAS)]
    rows.append(("reviews_on_time", "2017-18", "Cheshire East (published report)", 92.0))
    comparators = pl.DataFrame(rows, schema=COMPARATORS.polars_schema, orient="row")
    return dataclasses.replace(dataset, tables={**dataset.tables, "comparators": comparators})


def test_the_table_has_a_row_for_every_area_with_a_figure_for_the_years_shown(compared: Dataset) -> None:
    figures = ReportFigures(compared, 2025)
    chart = figures.trend_chart("reviews_on_time", "Reviews held on time", unit="%", alt_subject="On time")
    rows = {row[0]: row[1:] for row in chart.table.rows}
    assert [name for name in rows if name.startswith("On time: ")] == [f"On time: {area}" for area in AREAS]
    assert rows["On time: England"] == ("–", "86.0%")  # 2024-25 has no figure; 2025-26 is the 7th, 80 + 6
    assert "On time: Cheshire East (published report)" not in rows  # its only figure is for 2017-18
    assert chart.table.note.endswith(
        "A figure marked (published report) is as that council printed it, counted its own way rather than by "
        "the definitions in this report."
    )


def test_a_chart_draws_five_comparators_and_its_table_says_it_lists_them_all(compared: Dataset) -> None:
    figures = ReportFigures(compared, 2025)
    chart = figures.trend_chart("reviews_on_time", "Reviews held on time", unit="%", alt_subject="On time")
    assert CHART_COMPARATORS == 5
    assert [series.name for series in chart.series] == ["This authority", *AREAS[:5]]
    assert chart.table.note.startswith(
        "The chart shows the first 5 of the 7 areas compared, so that each line can be told apart; this table "
        "gives them all."
    )


def test_a_legend_of_short_names_is_one_row_and_of_long_names_two_wrapped_columns() -> None:
    assert charts.legend_layout(["This authority", "England", "Region"]) == (3, ["This authority", "England", "Region"])
    columns, wrapped = charts.legend_layout(["This authority", *AREAS[:5]])
    assert columns == 2
    width = charts.LEGEND_CHARACTERS // 2 - 8  # 39 characters a line
    assert all(len(line) <= width for name in wrapped for line in name.split("\n"))
    assert wrapped[5] == "North East Lincolnshire's statistical\nneighbours (published report)"


def test_a_legend_of_six_long_area_names_stays_inside_the_chart() -> None:
    names = ("This authority", *AREAS[:5])
    series = tuple(Series(name, (80.0 + n, 81.0 + n, 82.0)) for n, name in enumerate(names))
    chart = Chart("line", "Reviews held on time", ("2023-24", "2024-25", "2025-26"), series, "%", "", Table("", (), ()))
    with charts._style():
        figure = charts._draw(chart)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        legend = figure.axes[0].get_legend()
        assert legend is not None
        box = legend.get_window_extent(renderer)
        plot = figure.axes[0].get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= figure.bbox.x1 and box.y1 <= figure.bbox.y1
    assert box.y0 >= plot.y1  # above the plot, not over the lines
    assert plot.height >= 0.55 * figure.bbox.height  # the plot keeps most of the chart's height
    assert charts.chart_size_inches(chart)[1] > 3.2  # the chart grew for its legend instead
