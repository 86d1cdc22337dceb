"""Line charts (every dashboard trend) are laid out without matplotlib's constrained layout engine,
which costs most of their drawing time; they must come out where the engine would put them."""

from __future__ import annotations

import io
import re

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

import iroscope.report.charts as charts
from iroscope.report.model import Chart, Series, Table

MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
# The Axes' background rectangle: its corners are the plot area's, in points.
PLOT_AREA = re.compile(r'patch_2">\s*<path d="(M [^"]*?z)')


def _line_chart(unit: str, *series: tuple[float | None, ...]) -> Chart:
    named = tuple(Series(name, values) for name, values in zip(("Own", "England", "Region"), series, strict=False))
    return Chart("line", "Trend", MONTHS[: len(series[0])], named, unit, "Trend", Table("Trend", (), ()))


def _drawn_by_the_engine(chart: Chart) -> str:
    """The chart as it was drawn before: the same drawing, laid out by the constrained layout engine."""
    with charts._style():
        figure = Figure(
            figsize=charts.chart_size_inches(chart),
            facecolor="white",
            layout=ConstrainedLayoutEngine(w_pad=charts.PAD_INCHES, h_pad=charts.PAD_INCHES),
        )
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        charts._line(axes, chart)
        charts._legend(axes, chart)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _plot_area(svg: str) -> str:
    found = PLOT_AREA.search(svg)
    assert found is not None
    return found.group(1)


def test_a_line_chart_s_plot_area_is_where_the_layout_engine_puts_it() -> None:
    examples = [
        _line_chart("%", tuple(60.0 + (7 * month) % 35 for month in range(12))),
        _line_chart("", (120.0, None, 1450.0, 900.0, 15.0, 3.0)),
        _line_chart("days", (12.5, 14.0, None), (10.0, 11.0, 12.0), (9.0, 9.5, 10.0)),
        _line_chart("%", (0.0, 0.0)),
    ]
    for chart in examples:
        # Equal to the millionth of a point the SVG is written to: the same picture.
        assert _plot_area(charts.chart_svg(chart)) == _plot_area(_drawn_by_the_engine(chart))


def test_a_line_chart_leaves_room_for_a_wider_value_axis() -> None:
    narrow = _plot_area(charts.chart_svg(_line_chart("", (1.0, 2.0, 3.0))))
    wide = _plot_area(charts.chart_svg(_line_chart("", (10_000.0, 20_000.0, 30_000.0))))
    # "30,000" is wider than "3", so the plot area starts further right.
    assert float(wide.split()[1]) > float(narrow.split()[1]) + 10
