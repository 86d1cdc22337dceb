"""The dashboard's monthly trend charts, drawn with pygal. A twelve-point line chart takes pygal about a
tenth of the time matplotlib takes, which is what lets twenty people open dashboards at once without
queueing behind the drawing (decision 0010). The annual report keeps matplotlib (`report.charts`):
print sizes and PNG for Word. Both read the value axis from `report.charts`, so a trend is scaled and
labelled the same on screen and on paper."""

from __future__ import annotations

import re

import pygal  # type: ignore[import-untyped]  # no type hints published
from markupsafe import escape
from pygal.style import Style  # type: ignore[import-untyped]

from iroscope.report.charts import (
    PALETTE,
    SVG_FONTS,
    TEXT,
    axis_value,
    line_value_locator,
    line_value_range,
)
from iroscope.report.model import Chart

WIDTH, HEIGHT = 650, 320  # the report's line chart at 100 pixels an inch
GRID = "#e3e4e5"

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=TEXT,
    foreground_strong=TEXT,
    foreground_subtle=GRID,
    colors=PALETTE,
    font_family=SVG_FONTS,
    label_font_size=13,
    major_label_font_size=13,
    opacity="1",
    opacity_hover="1",
    transition="none",
    guide_stroke_color=GRID,
    major_guide_stroke_color=GRID,
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
)
# pygal's own stylesheets, and a rule over theirs: they draw every line 1 wide and a little see-through.
_CSS = [*pygal.Config().css, "inline:.line.reactive{stroke-width:3px !important;stroke-opacity:1 !important}"]
# What pygal writes for its own tooltips, titles and credits: a page shows the chart as an image named
# by its alt text, with its figures in the table beside it, so none of it is needed (and a script
# could not run there anyway).
_UNWANTED = re.compile(r"<\?xml[^>]*\?>|<!--.*?-->|<script\b.*?</script>|<title>[^<]*</title>", re.DOTALL)


def trend_svg(chart: Chart) -> str:
    """A line chart by month as an SVG document, named by the chart's alt text."""
    bottom, top = line_value_range(chart)
    ticks = [value for value in line_value_locator().tick_values(bottom, top) if bottom <= value <= top]
    drawing = pygal.Line(
        width=WIDTH,
        height=HEIGHT,
        style=_STYLE,
        show_legend=False,
        allow_interruptions=True,  # a month without a figure is a gap, not a fall to zero
        range=(bottom, top),
        y_labels=[{"label": axis_value(value, chart.unit), "value": value} for value in ticks],
        show_x_guides=False,
        dots_size=4,
        css=_CSS,
        margin=8,
        js=[],
        disable_xml_declaration=True,
    )
    drawing.x_labels = list(chart.categories)
    for series in chart.series:
        drawing.add(series.name, list(series.values))
    svg = _UNWANTED.sub("", drawing.render(is_unicode=True))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(chart.alt)}" ', 1)
