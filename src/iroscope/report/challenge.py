"""Why late reviews were late as the IRO recorded it, and what the service's challenge achieved for
children (decision 0021): a sentence and a table each, shown only when something was recorded."""

from __future__ import annotations

from collections.abc import Mapping

from iroscope.metrics.meetings import NO_REASON_RECORDED
from iroscope.metrics.registry import NOT_RECORDED
from iroscope.report import words
from iroscope.report.figures import TOTAL, ReportFigures
from iroscope.report.model import Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection

# What the sentence about challenge names, in its words, in this order (the rest are in the table).
ACHIEVED_IN_WORDS = {
    "The child's plan changed": "the child's plan changed in {n}",
    "The child's placement changed": "the child's placement changed in {n}",
    "A service or resource was found": "a service or resource was found in {n}",
    "The action asked for was completed": "the action asked for was completed in {n}",
}


def _recorded(breakdown: Mapping[str, float] | None, blank: str) -> dict[str, int]:
    return {name: int(n) for name, n in (breakdown or {}).items() if n and name != blank}


def _this_year(table: Table) -> dict[str, str]:
    """Each row's cell for the report's year (the last column), as published: a sentence quotes the
    table's own cells, so it can never show a count the table hides."""
    return {row[0]: row[-1] for row in table.rows}


def _readable(cell: str | None) -> bool:
    return cell is not None and (cell[:1].isdigit() or cell == words.FEWER_THAN_5)


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@subsection("timeliness")
def late_reasons_recorded(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    late = figures.figure("late_reviews_by_recorded_reason")
    reasons = _recorded(late.breakdown, NO_REASON_RECORDED)
    if not reasons:
        return None
    table = figures.breakdown_table(
        "late_reviews_by_recorded_reason", "Late reviews by the reason recorded", category="Reason"
    )
    cells = _this_year(table)
    top = max(reasons, key=lambda name: reasons[name])
    opening = "When an IRO records a review held after its due date, they say why it was late."
    most_common = f"the most common reason was “{top}”" + (f" ({cells[top]})" if _readable(cells.get(top)) else "")
    if _readable(cells.get(TOTAL)):
        of_the = f"Of the {cells[TOTAL]} reviews held late in {figures.label(figures.year)}, "
        if not figures.suppress:  # the count with a reason would give away a hidden "no reason recorded"
            of_the += f"a reason was recorded for {words.count(sum(reasons.values()))}; "
        text = f"{opening} {of_the}{most_common}."
    else:
        text = f"{opening} The most common reason was “{top}”."
    return Section("late_reasons_recorded", "Why reviews were late, as the IRO recorded it", (Paragraph(text), table))


@subsection("disputes")
def what_challenge_achieved(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    achieved = figures.figure("challenge_impact")
    recorded = _recorded(achieved.breakdown, NOT_RECORDED)
    if not recorded:
        return None
    table = figures.breakdown_table("challenge_impact", "What disputes and practice alerts achieved", category="Result")
    cells = _this_year(table)
    named = [
        phrase.format(n=cells[name])
        for name, phrase in ACHIEVED_IN_WORDS.items()
        if recorded.get(name) and _readable(cells.get(name))
    ]
    resolved = f"the {cells[TOTAL]}" if _readable(cells.get(TOTAL)) else "the"
    text = (
        "Each dispute and practice alert closed records what it achieved for the child. Of "
        f"{resolved} disputes and alerts resolved in {figures.label(figures.year)}"
    )
    if named:
        text = f"Our challenge made a difference. {text}, {_listed(named)}."
    else:
        text += ", the table shows what was recorded."
    return Section("challenge_impact", "What our challenge achieved", (Paragraph(text), table))
