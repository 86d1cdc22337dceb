"""What the seed reports say about reviews that the timeliness section did not: meetings stood down
and adjourned and why, why late reviews were late, and how the year went quarter by quarter."""

from __future__ import annotations

import datetime as dt

from iroscope.metrics.context import Period
from iroscope.metrics.meetings import NO_MEETING_RECORDED, NO_REASON_RECORDED
from iroscope.metrics.registry import Unit
from iroscope.report import words
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Block, Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection

# The quarters of a collection year (1 April to 31 March), as the seeds name them.
QUARTERS = (
    (4, 6, "April to June"),
    (7, 9, "July to September"),
    (10, 12, "October to December"),
    (1, 3, "January to March"),
)
# Figures shown quarter by quarter: those dated by one day in the period, so each quarter is read from
# the same records as the year (the registry's `figures_by_part`).
QUARTERLY = (
    ("reviews_held", "Reviews held"),
    ("reviews_on_time", "Held on time"),
    ("participation_rate", "Involved the child (aged 4 or over)"),
    ("children_seen_before_review", "Child seen by the IRO before the review"),
    ("decisions_on_time", "Decisions sent on time"),
    ("records_distributed_on_time", "Records distributed on time"),
)
WHOLE_YEAR = "Whole year"


@subsection("timeliness")
def stood_down_and_adjourned(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    stood_down, adjourned = figures.figure("reviews_stood_down"), figures.figure("reviews_adjourned")
    if not stood_down.value and not adjourned.value and not figures.previous:
        return None
    count = words.count
    blocks: list[Block] = [
        Paragraph(
            f"In {figures.label(figures.year)}, {count(stood_down.value, suppress=figures.suppress)} review meetings "
            "were stood down (the meeting did not go ahead and the review was rearranged) and "
            f"{count(adjourned.value, suppress=figures.suppress)} were adjourned (the meeting started and was "
            "reconvened later). A review stood down or adjourned twice counts twice. The reasons recorded are below."
        ),
        figures.breakdown_table("reviews_stood_down", "Why review meetings were stood down", category="Reason"),
        figures.breakdown_table("reviews_adjourned", "Why review meetings were adjourned", category="Reason"),
    ]
    return Section("stood_down", "Reviews stood down and adjourned", tuple(blocks))


@subsection("timeliness")
def why_reviews_were_late(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    """Late reviews by the reason a meeting was stood down or adjourned: for a service that does not
    record why each late review was late. One that does is given its own reasons instead
    (`report.challenge.late_reasons_recorded`), and this part is left out."""
    recorded = figures.figure("late_reviews_by_recorded_reason").breakdown or {}
    if any(count for name, count in recorded.items() if name != NO_REASON_RECORDED):
        return None
    late = figures.figure("late_reviews_by_reason")
    reasons = {name: n for name, n in (late.breakdown or {}).items() if name != NO_MEETING_RECORDED and n}
    if not late.value:
        text = f"No review held in {figures.label(figures.year)} was late."
    else:
        with_reason = int(sum(reasons.values()))
        text = (
            f"Of the {words.count(late.value, suppress=figures.suppress)} reviews held late in "
            f"{figures.label(figures.year)}, {words.count(with_reason, suppress=figures.suppress)} followed a "
            "meeting that was stood down or adjourned, whose reason is recorded"
        )
        if reasons:
            top = max(reasons, key=lambda name: reasons[name])
            text += f"; the most common was “{top.lower()}” ({words.count(reasons[top], suppress=figures.suppress)})"
        text += (
            ". For the rest no reason was recorded: the service records reasons only when a meeting is stood down "
            "or adjourned."
        )
    return Section(
        "late_reasons",
        "Why late reviews were late",
        (
            Paragraph(text),
            figures.breakdown_table("late_reviews_by_reason", "Late reviews by why they were late", category="Reason"),
        ),
    )


def quarters(year: int) -> list[Period]:
    """The four quarters of the collection year starting 1 April `year`."""
    periods = []
    for first, last, name in QUARTERS:
        in_year = year if first >= 4 else year + 1
        start = dt.date(in_year, first, 1)
        end = (dt.date(in_year + (last == 12), last % 12 + 1, 1)) - dt.timedelta(days=1)
        periods.append(Period(start, end, f"{name} {in_year}"))
    return periods


def _quarter_cells(figures: ReportFigures, kpi_id: str, parts: list[Period]) -> list[str]:
    """The figure for each quarter and then for the whole year, as table cells."""
    kpi = figures.kpi(kpi_id)
    if kpi.records is None or kpi.dated_by is None:
        raise ValueError(f"{kpi_id} is not dated by one day, so it cannot be shown quarter by quarter")
    by_quarter = kpi.figures_by_part(kpi.records(figures.context()), parts)
    every = (*by_quarter, figures.figure(kpi_id))
    if kpi.unit is Unit.PERCENT:
        return [figures.rate_cell(f.numerator, f.denominator) for f in every]
    return [words.count(f.value, suppress=figures.suppress) for f in every]


@subsection("timeliness")
def quarter_by_quarter(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    """Two tables of a row per quarter and a last row for the whole year, three figures to a table so
    that each fits the page beside its quarter."""
    parts = quarters(figures.year)
    year = figures.label(figures.year)
    cells = {kpi_id: _quarter_cells(figures, kpi_id, parts) for kpi_id, _ in QUARTERLY}
    names = dict(QUARTERLY)
    row_labels = [*(part.label for part in parts), WHOLE_YEAR]

    def table(caption: str, kpi_ids: tuple[str, ...], note: str = "") -> Table:
        rows = tuple((label, *(cells[kpi_id][number] for kpi_id in kpi_ids)) for number, label in enumerate(row_labels))
        return Table(caption, ("Quarter", *(names[k] for k in kpi_ids)), rows, kpi_ids=kpi_ids, note=note)

    note = (
        "Each quarter counts the reviews held in it, judged as things stood at the quarter's end: a record "
        "or decision not yet due by then is left out of that quarter, as the whole year leaves out those not "
        "due by its end."
    )
    undated = figures.undated("reviews_on_time")
    if undated:
        dated = figures.figure("reviews_on_time").denominator or 0
        note += (
            f" Reviews held on time rests on the {figures.dated_of(dated, undated, of='of the')} reviews held that "
            "could be "
            "given a due date: the review before the others predates the data."
        )
    first, second = tuple(k for k, _ in QUARTERLY[:3]), tuple(k for k, _ in QUARTERLY[3:])
    held = [int(cell.replace(",", "")) if cell.replace(",", "").isdigit() else 0 for cell in cells["reviews_held"][:4]]
    busiest = max(range(len(parts)), key=lambda index: held[index])
    text = (
        f"The most reviews were held in {parts[busiest].label} ({cells['reviews_held'][busiest]}). The tables show "
        "how timeliness and participation moved through the year."
    )
    return Section(
        "quarters",
        "Through the year, quarter by quarter",
        (
            Paragraph(text),
            table(f"Reviews by quarter, {year}", first),
            table(f"The child's involvement and the paperwork by quarter, {year}", second, note),
        ),
    )
