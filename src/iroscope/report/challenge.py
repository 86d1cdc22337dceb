"""Why late reviews were late as the IRO recorded it, and what the service's challenge achieved for
children (decision 0021): a sentence and a table each, shown only when something was recorded."""

from __future__ import annotations

from iroscope.metrics.meetings import NO_REASON_RECORDED
from iroscope.metrics.registry import NOT_RECORDED
from iroscope.report import words
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Section
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection

# What the sentence about challenge names, in its words, in this order (the rest are in the table).
ACHIEVED_IN_WORDS = {
    "The child's plan changed": "the child's plan changed in {n}",
    "The child's placement changed": "the child's placement changed in {n}",
    "A service or resource was found": "a service or resource was found in {n}",
    "The action asked for was completed": "the action asked for was completed in {n}",
}


def _recorded(breakdown: dict[str, float] | None, blank: str) -> dict[str, int]:
    return {name: int(n) for name, n in (breakdown or {}).items() if n and name != blank}


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@subsection("timeliness")
def late_reasons_recorded(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    late = figures.figure("late_reviews_by_recorded_reason")
    reasons = _recorded(late.breakdown, NO_REASON_RECORDED)
    if not reasons:
        return None
    with_reason = sum(reasons.values())
    top = max(reasons, key=lambda name: reasons[name])
    text = (
        f"When an IRO records a review held after its due date, they say why it was late. Of the "
        f"{words.count(late.value, suppress=figures.suppress)} reviews held late in {figures.label(figures.year)}, "
        f"a reason was recorded for {words.count(with_reason, suppress=figures.suppress)}; the most common was "
        f"“{top}” ({words.count(reasons[top], suppress=figures.suppress)})."
    )
    table = figures.breakdown_table(
        "late_reviews_by_recorded_reason", "Late reviews by the reason recorded", category="Reason"
    )
    return Section("late_reasons_recorded", "Why reviews were late, as the IRO recorded it", (Paragraph(text), table))


@subsection("disputes")
def what_challenge_achieved(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    achieved = figures.figure("challenge_impact")
    recorded = _recorded(achieved.breakdown, NOT_RECORDED)
    if not recorded:
        return None
    closed = words.count(achieved.value, suppress=figures.suppress)
    named = [
        phrase.format(n=words.count(recorded[name], suppress=figures.suppress))
        for name, phrase in ACHIEVED_IN_WORDS.items()
        if recorded.get(name)
    ]
    text = (
        f"Each dispute and practice alert closed records what it achieved for the child. Of the {closed} "
        f"disputes and alerts resolved in {figures.label(figures.year)}"
    )
    if named:
        text = f"Our challenge made a difference. {text}, {_listed(named)}."
    else:
        text += (
            ", none was recorded as changing the child's plan or placement, finding a service or completing an action."
        )
    table = figures.breakdown_table("challenge_impact", "What disputes and practice alerts achieved", category="Result")
    return Section("challenge_impact", "What our challenge achieved", (Paragraph(text), table))
