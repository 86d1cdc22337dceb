"""The dashboard's trend charts (pygal): named by their alt text, no script, a gap for a month without a
figure, and the value axis the annual report's matplotlib chart would draw for the same trend."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from iroscope.report.model import Chart, Series, Table
from iroscope.web.dashboard.charts import trend_svg

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
# 80% to 86%, and no figure for August.
VALUES = (80.0, 81.0, 82.0, 83.0, None, 85.0, 86.0, 80.0, 81.0, 82.0, 83.0, 84.0)
ALT = "Line chart of reviews on time by month. April 2024: 80.0% ..."


def drawn() -> ET.Element:
    chart = Chart("line", "Reviews on time", MONTHS, (Series("Reviews on time", VALUES),), "%", ALT, Table("", (), ()))
    return ET.fromstring(trend_svg(chart))


def axis_labels(svg: ET.Element, axis: str) -> list[str | None]:
    group = next(g for g in svg.iter(f"{SVG}g") if g.get("class", "").startswith(f"axis {axis}"))
    return [text.text for text in group.iter(f"{SVG}text")]


def test_a_trend_chart_is_an_image_named_by_its_alt_text_with_nothing_to_run() -> None:
    svg = drawn()
    assert (svg.get("role"), svg.get("aria-label")) == ("img", ALT)
    assert not list(svg.iter(f"{SVG}script"))
    assert not list(svg.iter(f"{SVG}title"))  # pygal names the chart "Pygal" and its gridlines by value


def test_each_month_is_labelled_and_a_month_without_a_figure_has_no_point() -> None:
    svg = drawn()
    assert axis_labels(svg, "x") == list(MONTHS)
    dots = [circle for circle in svg.iter(f"{SVG}circle") if "dot" in circle.get("class", "")]
    assert len(dots) == 11  # twelve months, August without a figure


def test_the_value_axis_is_the_one_the_report_draws() -> None:
    # report.charts.line_value_range: the highest 86, the lowest 80; the window max(6 x 1.6, 30% of 86)
    # = 25.8 points, from 60.2 to 86 + 15% of 25.8 = 89.87. Round values at most six: every 5 points.
    assert axis_labels(drawn(), "y") == ["65%", "70%", "75%", "80%", "85%"]
