"""The decisions of reviews followed to completion, as Wirral's IROs "ensure recommendations from reviews
are SMART and tracked by the IRO". Only a service that records the decisions of its reviews has this
part; a year with none recorded has no heading for it rather than "none of none"."""

from __future__ import annotations

from iroscope.report import words
from iroscope.report.figures import ReportFigures, Row
from iroscope.report.model import Paragraph, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection

DONE = "decisions_done_by_their_date"
OPEN = "decisions_open_past_date"


def decisions_sentence(figures: ReportFigures) -> str | None:
    """ "Of the 412 decisions due in 2024-25, 371 (90.0%) were done by their date; 18 decisions were still
    open past their date on 31 March 2025." None when the year has no decisions to speak of."""
    done, still_open = figures.figure(DONE), figures.figure(OPEN)
    due = done.denominator or 0
    open_count = int(still_open.value or 0)
    if not due and not open_count:
        return None
    year, year_end = figures.label(figures.year), words.long_date(figures.context().period.end)
    if not due:
        first = f"No decision of a review was due in {year}"
    elif figures.suppress and words.rate_hidden(done.numerator, due):
        first = (
            f"How many of the decisions due in {year} were done by their date is not shown, because fewer than 5 "
            "are involved"
        )
    else:
        share = words.percent(None if done.value is None else float(done.value))
        first = f"Of the {due:,} decisions due in {year}, {done.numerator:,} ({share}) were done by their date"
    if not open_count:
        second = f"no decision was still open past its date on {year_end}"
    else:
        verb = "was" if open_count == 1 and not (figures.suppress and words.is_small(open_count)) else "were"
        second = f"{figures.how_many(open_count, 'decision')} {verb} still open past their date on {year_end}"
    return f"{first}; {second}."


@subsection("oversight")
def decisions_of_reviews(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    sentence = decisions_sentence(figures)
    if sentence is None:
        return None
    intro = (
        "At each review the IRO records the decisions made: what is to be done, who is responsible for it and the "
        "date it is due by. The IRO follows each one until it is done, and challenges when it is not. Decisions no "
        "longer needed are left out of the count. "
    )
    table = figures.trend_table(
        "Decisions of reviews",
        [
            Row(DONE, "Decisions done by their date", of_what="decisions due"),
            Row(OPEN, "Decisions open past their date at the year end"),
        ],
    )
    return Section("decisions", "Decisions of reviews followed up", (Paragraph(intro + sentence), table))
