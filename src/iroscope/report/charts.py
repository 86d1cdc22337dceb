"""Charts for the report, drawn with matplotlib: SVG text for HTML and PDF (inlined), PNG bytes for
Word. Every chart sits beside its data table, so the picture only has to make the shape plain:
no titles inside the image (the caption carries it), no gridlines where bars carry their values."""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from markupsafe import escape
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy
from matplotlib.typing import RcKeyType

from iroscope.report.model import Chart

# GOV.UK colours, ordered so that neighbouring series also differ in lightness (relative luminance
# .15, .03, .33, .45, .12, .10) and stay apart when printed in greyscale.
PALETTE: tuple[str, ...] = ("#1d70b8", "#003078", "#f47738", "#b1b4b6", "#00703c", "#505a5f")
# Colours past the fourth are close in lightness to earlier ones, so they also get a pattern.
HATCHES: tuple[str, ...] = ("", "", "", "", "///", "...")
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")
# Comparators are dashed; each gets its own dash so two comparators can be told apart in greyscale.
DASHES: tuple[tuple[float, ...], ...] = ((5.0, 2.5), (1.5, 1.5), (6.0, 2.0, 1.5, 2.0), (3.0, 3.0), (8.0, 3.0))
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
BORDER = "#b1b4b6"

SVG_FONTS = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
WIDTH_INCHES = 6.5  # the text width of an A4 page with 2 cm margins, so type prints at its set size
PNG_DPI = 150
PAD_INCHES = 0.04  # white space around a chart's decorations, inside its edge

# Set per chart inside rc_context, never globally: the web app may draw its own charts in the same process.
_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine draws the same glyphs
    "font.size": 9.5,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": SECONDARY_TEXT,
    "axes.linewidth": 0.8,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "hatch.color": "#ffffff",
    "hatch.linewidth": 1.0,
    # Text stays text: selectable and searchable in the PDF, a third of the size of glyph outlines,
    # and twice as fast for WeasyPrint to draw. Anchors are explicit, so a fallback font still lines up.
    "svg.fonttype": "none",
    "svg.hashsalt": "iroscope",  # stable clip-path ids, so the same chart gives the same SVG
    "path.simplify": True,
}


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(_RC):
        yield


# -- public ---------------------------------------------------------------------------------


def chart_svg(chart: Chart, *, element_id: str = "chart") -> str:
    """The chart as an inline `<svg>` element (no XML prolog), with `role="img"` and the chart's alt
    text as its accessible name. Its internal ids are prefixed with `element_id`, so several charts
    can share one HTML page without their clip-path and marker ids colliding."""
    with _style():
        figure = _draw(chart, vector=True)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline_svg(buffer.getvalue(), alt=chart.alt, element_id=element_id)


def chart_png(chart: Chart, *, dpi: int = PNG_DPI) -> bytes:
    """The chart as a PNG, for Word."""
    with _style():
        figure = _draw(chart, dpi=dpi)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def chart_size_inches(chart: Chart) -> tuple[float, float]:
    """Width and height: bar and line charts have a fixed shape; bar rows grow with their number."""
    if chart.kind == "stacked":
        return WIDTH_INCHES, 0.9 + 0.45 * max(len(chart.series), 1)
    if chart.kind == "horizontal":
        # Each category needs room for its bars and for its name, which may wrap onto several lines.
        bars = max(len(chart.series), 1)
        lines = max((len(_wrap(name, 34)) for name in chart.categories), default=1)
        per_category = max(0.2 * bars + 0.14, 0.17 * lines + 0.12)
        legend = 0.3 if bars > 1 else 0.0
        return WIDTH_INCHES, 0.45 + legend + max(len(chart.categories), 1) * per_category
    # A legend of more than two lines (many areas compared) gets room of its own, so the plot keeps its height.
    return WIDTH_INCHES, 3.2 + 0.17 * max(legend_lines(chart) - 2, 0)


def format_value(value: float, unit: str) -> str:
    """A value as its label on the chart: "84.7%" for a percentage, "1,234" for a count."""
    if unit.strip() == "%":
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


# -- drawing --------------------------------------------------------------------------------


def _draw(chart: Chart, *, dpi: float = 72, vector: bool = False) -> Figure:
    # Constrained layout makes room for wrapped labels and the legend without resizing the figure,
    # so every chart keeps the page's text width and prints its type at the set size. A line chart
    # (one Axes, fixed size: every dashboard trend) gets the same margins from `_fit_margins`, which
    # costs a quarter less: saving then draws the figure once, not twice.
    line = chart.kind == "line"
    layout = None if line else ConstrainedLayoutEngine(w_pad=PAD_INCHES, h_pad=PAD_INCHES)
    figure = Figure(figsize=chart_size_inches(chart), dpi=dpi, facecolor="white", layout=layout)
    canvas = FigureCanvasAgg(figure)  # Agg, not pyplot: no global figure manager to leak figures into
    axes = figure.add_subplot()
    drawers = {"bar": _bar, "stacked": _stacked, "line": _line, "horizontal": _horizontal}
    drawers[chart.kind](axes, chart)
    _legend(axes, chart)
    if line:
        # Text measured as the engine measures it when saving: by the SVG renderer for SVG, at the
        # output's resolution for PNG (hinting changes a label's width by a fraction of a point).
        width, height = figure.get_size_inches()
        svg = RendererSVG(width * 72, height * 72, io.StringIO()) if vector else None  # type: ignore[no-untyped-call]
        _fit_margins(figure, axes, svg or canvas.get_renderer())  # type: ignore[no-untyped-call]
    return figure


def _fit_margins(figure: Figure, axes: Axes, renderer: RendererBase) -> None:
    """What the constrained layout engine does for a single Axes: place it so that its decorations
    (tick labels, value labels, legend) plus the padding just fit inside the figure. Twice, as the
    engine does, because the legend and the value labels move a little when the Axes does."""
    width, height = figure.get_size_inches()
    w_pad, h_pad = PAD_INCHES / width, PAD_INCHES / height
    to_figure = figure.transFigure.inverted()
    for _ in range(2):
        position = axes.get_position(original=True)
        tight = axes.get_tightbbox(renderer, for_layout_only=True)
        if tight is None:  # nothing drawn: keep matplotlib's default margins
            return
        bbox = tight.transformed(to_figure)
        left = w_pad + position.x0 - bbox.x0
        right = w_pad + bbox.x1 - position.x1
        bottom = h_pad + position.y0 - bbox.y0
        top = h_pad + bbox.y1 - position.y1
        axes.set_position((left, bottom, 1 - left - right, 1 - bottom - top))


def _bar(axes: Axes, chart: Chart) -> None:
    """Grouped columns: one group per category, one column per series."""
    count = max(len(chart.series), 1)
    width = 0.8 / count
    highest = _highest(chart)
    # Labels turn upright when bars are narrower than their labels, rather than overlap.
    bar_points = (WIDTH_INCHES - 0.4) * 72 / max(len(chart.categories), 1) * width * 0.92
    longest = max(
        (len(format_value(v, chart.unit)) for s in chart.series for v in s.values if v is not None), default=1
    )
    upright = longest * _label_size(count) * 0.62 > bar_points
    for index, series in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * width
        positions, heights = _present(range(len(chart.categories)), series.values)
        bars = axes.bar(
            [p + offset for p in positions],
            heights,
            width=width * 0.92,
            color=PALETTE[index % len(PALETTE)],
            hatch=HATCHES[index % len(HATCHES)],
            label=series.name,
            zorder=2,
        )
        labels = [format_value(h, chart.unit) for h in heights]
        axes.bar_label(
            bars, labels=labels, padding=2, fontsize=_label_size(count), color=TEXT, rotation=90 if upright else 0
        )
    axes.set_xticks(range(len(chart.categories)), [_wrap_text(name, 16) for name in chart.categories])
    axes.set_ylim(0, highest * (1.25 if upright else 1.15) if highest > 0 else 1)
    _only_baseline(axes, "bottom")
    axes.tick_params(axis="x", length=0, pad=4)


def _horizontal(axes: Axes, chart: Chart) -> None:
    """Bars read left to right, the first category at the top; long names wrap rather than shrink."""
    count = max(len(chart.series), 1)
    height = 0.8 / count
    highest = _highest(chart)
    for index, series in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * height
        positions, widths = _present(range(len(chart.categories)), series.values)
        bars = axes.barh(
            [p + offset for p in positions],
            widths,
            height=height * 0.88,
            color=PALETTE[index % len(PALETTE)],
            hatch=HATCHES[index % len(HATCHES)],
            label=series.name,
            zorder=2,
        )
        axes.bar_label(
            bars,
            labels=[format_value(w, chart.unit) for w in widths],
            padding=3,
            fontsize=_label_size(count),
            color=TEXT,
        )
    axes.set_yticks(range(len(chart.categories)), [_wrap_text(name, 34) for name in chart.categories])
    axes.set_xlim(0, highest * 1.15 if highest > 0 else 1)
    axes.set_ylim(max(len(chart.categories), 1) - 0.5, -0.5)  # the first category at the top
    _only_baseline(axes, "left")
    axes.tick_params(axis="y", length=0, pad=4)


def _stacked(axes: Axes, chart: Chart) -> None:
    """100% bars: one bar per series (a year, say), split into the categories' shares of its total."""
    names = [series.name for series in chart.series]
    left = [0.0] * len(chart.series)
    totals = [sum(v for v in series.values if v is not None) for series in chart.series]
    for index, category in enumerate(chart.categories):
        shares = [
            (100 * (series.values[index] or 0) / total) if total and index < len(series.values) else 0.0
            for series, total in zip(chart.series, totals, strict=True)
        ]
        colour = PALETTE[index % len(PALETTE)]
        axes.barh(
            range(len(names)),
            shares,
            left=left,
            height=0.62,
            color=colour,
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="white",
            linewidth=1.0,
            label=category,
            zorder=2,
        )
        for row, share in enumerate(shares):
            # A label only where it fits inside its segment; the data table gives every value.
            if share >= 7:
                axes.text(
                    left[row] + share / 2,
                    row,
                    f"{share:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color=_ink_on(colour),
                    zorder=3,
                )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_yticks(range(len(names)), [_wrap_text(name, 22) for name in names])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))
    axes.set_xticks([0, 25, 50, 75, 100])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(BORDER)
    axes.tick_params(axis="y", length=0, pad=4)
    axes.tick_params(axis="x", colors=SECONDARY_TEXT, length=3)


def _line(axes: Axes, chart: Chart) -> None:
    """The first series is the authority's own, solid and labelled; the rest are comparators, dashed."""
    positions = list(range(len(chart.categories)))
    for index, series in enumerate(chart.series):
        values = [float("nan") if v is None else v for v in series.values]
        own = index == 0
        (line,) = axes.plot(
            positions[: len(values)],
            values,
            color=PALETTE[index % len(PALETTE)],
            linewidth=2.6 if own else 1.8,
            marker=MARKERS[index % len(MARKERS)],
            markersize=6 if own else 5,
            label=series.name,
            zorder=3 if own else 2,
        )
        if not own:
            line.set_dashes(DASHES[(index - 1) % len(DASHES)])
        if own:
            # Plain text 8 points above each point: an annotation would place it the same and cost a
            # sixth of the chart's drawing time more.
            above = offset_copy(axes.transData, fig=axes.get_figure(root=True), y=8, units="points")
            for x, value in zip(positions, series.values, strict=False):
                if value is not None:
                    axes.text(
                        x, value, format_value(value, chart.unit), transform=above, ha="center", fontsize=9, color=TEXT
                    )
    axes.set_xticks(positions, [_wrap_text(name, 16) for name in chart.categories])
    axes.set_xlim(-0.3, len(positions) - 0.7 if len(positions) > 1 else 0.3)
    axes.set_ylim(*line_value_range(chart))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: axis_value(value, chart.unit)))
    axes.yaxis.set_major_locator(line_value_locator())
    axes.grid(axis="y", color="#e3e4e5", linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(SECONDARY_TEXT)
    axes.tick_params(axis="y", length=0, colors=SECONDARY_TEXT)
    axes.tick_params(axis="x", length=3)
    if chart.unit.strip() not in ("", "%"):
        axes.set_ylabel(chart.unit, color=SECONDARY_TEXT)


def line_value_range(chart: Chart) -> tuple[float, float]:
    """The value axis of a line chart, bottom and top. It starts at zero unless the values sit high
    above it; even then it spans at least 30% of the highest value, so a change of a point or two does
    not look like a collapse."""
    highest = _highest(chart)
    lowest = min((v for s in chart.series for v in s.values if v is not None), default=0.0)
    window = max((highest - lowest) * 1.6, 0.3 * highest)
    bottom = highest - window if highest - window > 0.5 * highest else 0.0
    top = highest + (highest - bottom) * 0.15 if highest > bottom else bottom + 1
    if chart.unit.strip() == "%" and highest <= 100:
        top = min(top, 101.0) if highest > 0 else 100.0  # a row of 0% reads as 0 of 100, not 0 of 1
    return bottom, top


def line_value_locator() -> MaxNLocator:
    """Where a line chart's value axis is labelled: at most six round values."""
    return MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10])


LEGEND_CHARACTERS = 95  # about what fits across the chart's width at the legend's size, handles included


def legend_layout(names: Sequence[str]) -> tuple[int, list[str]]:
    """How many columns the legend has, and its names wrapped to fit them. One row when every name fits
    across the chart; otherwise three columns, or two when a name is long (an area compared, say, "North
    East Lincolnshire's statistical neighbours"), each name wrapped to its column's width, so that
    however many areas are compared the legend stays inside the chart."""
    if sum(len(name) + 6 for name in names) <= LEGEND_CHARACTERS:
        return len(names), list(names)
    columns = min(len(names), 3 if max(len(name) for name in names) <= 26 else 2)
    width = LEGEND_CHARACTERS // columns - 8
    return columns, [_wrap_text(name, width) for name in names]


def legend_lines(chart: Chart) -> int:
    """The lines of text the chart's legend takes, from the tallest name in each row."""
    names = _legend_names(chart)
    if len(names) < 2:
        return 0
    columns, wrapped = legend_layout(names)
    rows = [wrapped[start : start + columns] for start in range(0, len(wrapped), columns)]
    return sum(max(name.count("\n") + 1 for name in row) for row in rows)


def _legend_names(chart: Chart) -> tuple[str, ...]:
    return chart.categories if chart.kind == "stacked" else tuple(series.name for series in chart.series)


def _legend(axes: Axes, chart: Chart) -> None:
    names = _legend_names(chart)
    if len(names) < 2:
        return
    columns, wrapped = legend_layout(names)
    handles, labels = axes.get_legend_handles_labels()
    wrapped_by_name = dict(zip(names, wrapped, strict=True))
    axes.legend(
        handles,
        [wrapped_by_name.get(label, label) for label in labels],
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        ncol=columns,
        handlelength=2.6 if chart.kind == "line" else 1.2,
        borderaxespad=0,
        columnspacing=1.4,
    )


# -- helpers --------------------------------------------------------------------------------


def _present(positions: Sequence[int], values: Sequence[float | None]) -> tuple[list[int], list[float]]:
    """Positions and values with the missing ones left out: a gap, not a bar of zero."""
    kept = [(p, v) for p, v in zip(positions, values, strict=False) if v is not None]
    return [p for p, _ in kept], [v for _, v in kept]


def _highest(chart: Chart) -> float:
    return max((v for s in chart.series for v in s.values if v is not None), default=0.0)


def _only_baseline(axes: Axes, side: str) -> None:
    """Bars carry their values, so the value axis, its ticks and its gridlines would be clutter."""
    for name, spine in axes.spines.items():
        spine.set_visible(name == side)
    axes.spines[side].set_color(SECONDARY_TEXT)
    if side == "bottom":
        axes.set_yticks([])
    else:
        axes.set_xticks([])


def _label_size(series_count: int) -> float:
    return 9.0 if series_count <= 3 else 8.0


def axis_value(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text}%" if unit.strip() == "%" else text


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _wrap_text(text: str, width: int) -> str:
    return "\n".join(_wrap(text, width))


def _ink_on(colour: str) -> str:
    """Black or white text, whichever contrasts more with the fill (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return TEXT if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')


def _inline_svg(svg: str, *, alt: str, element_id: str) -> str:
    svg = _PROLOG.sub("", svg, count=1)
    svg = _METADATA.sub("", svg)
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{element_id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"#{old})", f"#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    svg = svg.replace("font-family: 'DejaVu Sans'", f"font-family: {SVG_FONTS}")
    # matplotlib's stylesheet selects `*`; inline in HTML that would reach the whole page.
    svg = svg.replace('<style type="text/css">*{', f'<style type="text/css">#{element_id} *{{', 1)
    label = escape(alt)
    svg = svg.replace(
        "<svg ", f'<svg id="{escape(element_id)}" role="img" aria-label="{label}" focusable="false" ', 1
    ).strip()
    # The title is what a tagged PDF takes as the figure's alternative text (WeasyPrint reads it).
    opening = svg.index(">") + 1
    return f"{svg[:opening]}<title>{label}</title>{svg[opening:]}"
