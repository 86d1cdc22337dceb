"""The key messages: the report's opening page, saying from the figures what is going well, what the
service is worried about and what needs resources, under the headings the IRO Handbook (para 7.11)
gives the annual report. Every message is written from the same figures the later sections show, by
the same `ReportFigures`, so a message cannot disagree with its table. The service manager's words
(narrative `key_messages:`) follow each heading's messages, or replace them.

A rate is going well when it meets the target the service set for it (narrative `targets:`) or, with
no target, when it is at least `STANDARD` percent; below that it is a worry (decision 0018)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from iroscope.report import words
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Block, Narrative, Paragraph, Section
from iroscope.report.narrative import KEY_MESSAGE_HEADINGS, NarrativeContent, Target
from iroscope.report.quality_findings import audit_counts, share_of

# Where the service set no target: the lowest target the published IRO annual reports we hold set (decision 0018).
STANDARD = 90.0
STANDARD_EXPLAINED = (
    f"A share below the service's own target is named here; where the service has set no target for a "
    f"figure, {STANDARD:g}% is used."
)
# Below-good audits at or above this share of all audits are a worry.
AUDITS_BELOW_GOOD_WORRY = 25.0


class Kind(Enum):
    WELL = "going well"
    WORRY = "a worry"
    RESOURCE = "needs resources"


@dataclass(frozen=True)
class Message:
    heading: str
    kind: Kind | None  # None: a plain statement of the figures
    text: str
    topic: str = ""  # a few words naming it in the summary's lists


@dataclass(frozen=True)
class Judged:
    """A rate the key messages judge, with the words for it."""

    kpi_id: str
    heading: str
    topic: str
    of_the: str
    outcome: str


JUDGED = (
    Judged(
        "reviews_on_time", "timeliness", "reviews held on time", "reviews whose due date is known", "were held on time"
    ),
    Judged(
        "initial_reviews", "timeliness", "first reviews on time", "first reviews", "were held within 20 working days"
    ),
    Judged(
        "records_distributed_on_time",
        "timeliness",
        "records of reviews distributed on time",
        "records of reviews due",
        "were distributed on time",
    ),
    Judged(
        "participation_rate",
        "participation",
        "children taking part in their reviews",
        "reviews of children aged 4 or over",
        "involved the child",
    ),
    Judged(
        "children_seen_before_review",
        "participation",
        "children seen by their IRO before their review",
        "reviews of children aged 4 or over",
        "came after the IRO had seen or spoken with the child",
    ),
    Judged(
        "midway_reviews_completed",
        "development",
        "midway reviews",
        "midway reviews due",
        "were completed",
    ),
    Judged(
        "case_tracking_compliance",
        "development",
        "case tracking on time",
        "children whose case tracking was due",
        "were tracked at the frequency their level requires",
    ),
    Judged(
        "disputes_resolved_in_timescale",
        "disputes",
        "formal disputes resolved in time",
        "formal disputes resolved this year, whenever raised,",
        "were resolved within timescale",
    ),
)


def _target(narrative: NarrativeContent, kpi_id: str) -> Target | None:
    return next((target for target in narrative.targets if target.figure == kpi_id), None)


def _judge(figures: ReportFigures, narrative: NarrativeContent, judged: Judged) -> Message | None:
    figure = figures.figure(judged.kpi_id)
    if figure.value is None or not figure.denominator:
        return None
    sentence = figures.share(judged.kpi_id, of_the=judged.of_the, outcome=judged.outcome)
    if figures.suppress and (words.is_small(figure.numerator) or words.is_small(figure.denominator)):
        return Message(judged.heading, None, sentence, judged.topic)
    target = _target(narrative, judged.kpi_id)
    value = float(figure.value)
    if target is not None:
        met = value <= target.target if target.at_most else value >= target.target
        standard = f"the service's target of {target.target:g}%"
    else:
        met = value >= STANDARD
        standard = f"{STANDARD:g}%"
    if met:
        return Message(judged.heading, Kind.WELL, sentence, judged.topic)
    shown = figures.rate_cell(figure.numerator, figure.denominator)
    topic = judged.topic[0].upper() + judged.topic[1:]
    return Message(judged.heading, Kind.WORRY, f"{topic}: {shown}, below {standard}.", judged.topic)


def _change(figures: ReportFigures, kpi_id: str) -> str:
    """How a rate moved since last year, saying when last year's figure rests on part of its reviews."""
    change = figures.change(kpi_id)
    if not change or figures.previous is None:
        return ""
    text = f"The share {change} since {figures.label(figures.previous)}"
    undated = figures.undated(kpi_id, figures.previous)
    if undated:
        dated = figures.figure(kpi_id, figures.previous).denominator or 0
        text += (
            f"; last year's figure rests on the {figures.dated_of(dated, undated, of='of its')} reviews that could be "
            "given a "
            "due date, so the two years are not fully comparable"
        )
    return text + "."


def _development(figures: ReportFigures) -> list[Message]:
    joined, left = figures.figure("iro_starters").value, figures.figure("iro_leavers").value
    fte = figures.figure("iro_fte")
    count = words.count
    if not joined and not left:
        movement = "no IRO joined or left"
    else:
        came, went = (count(n or 0, suppress=figures.suppress) for n in (joined, left))
        movement = f"{came} joined and {went} left"
    text = (
        f"On {words.long_date(figures.context().period.end)} the service had {figures.value('iro_fte')} full-time "
        f"equivalent IROs ({words.plural(int(fte.details.get('headcount') or 0), 'person', 'people')}). In "
        f"{figures.label(figures.year)}, {movement}."
    )
    return [Message("development", None, text)]


def _caseloads(figures: ReportFigures) -> list[Message]:
    low, high = figures.dataset.practice.caseload_band
    caseload = figures.figure("caseload_per_iro")
    if caseload.value is None:
        return []
    above = int(caseload.details.get("above_band") or 0)
    highest = caseload.details.get("max")
    average = (
        f"On average each full-time IRO had {figures.value('caseload_per_iro')} children allocated; the IRO "
        f"Handbook recommends {low} to {high}."
    )
    if above and highest is not None:
        over = float(highest) - high
        iros = words.plural(above, "IRO", "IROs") if not figures.suppress else "Some IROs"
        text = (
            f"{average} {iros} had more than {high} children for each full-time post; the highest caseload was "
            f"{float(highest):,.1f} children per full-time post, {over:,.1f} above the top of the range."
        )
        return [Message("resources", Kind.RESOURCE, text, "caseloads above the recommended range")]
    return [Message("development", Kind.WELL, f"{average} No IRO's caseload was above the range.", "caseloads")]


def _staffing_risks(figures: ReportFigures) -> list[Message]:
    messages = []
    left = figures.figure("iro_leavers").value or 0
    if left:
        messages.append(
            Message(
                "resources",
                Kind.RESOURCE,
                f"{figures.how_many(int(left), 'IRO')} left the service "
                "during the year; their children had to get to know a new IRO.",
                "IROs leaving",
            )
        )
    fte = figures.figure("iro_fte")
    dual = int(fte.details.get("dual_role") or 0)
    if dual:
        headcount = int(fte.details.get("headcount") or 0)
        who = (
            ("Every IRO" if figures.suppress and words.is_small(headcount) else f"All {headcount} IROs")
            if dual == headcount
            else f"{words.count(dual, suppress=figures.suppress)} of the "
            f"{words.count(headcount, suppress=figures.suppress)} IROs"
        )
        messages.append(
            Message(
                "resources",
                Kind.RESOURCE,
                f"{who} also chaired child protection conferences, which takes time from children in care.",
                "IROs with a second role",
            )
        )
    overdue = figures.figure("reviews_overdue_not_held").value or 0
    if overdue:
        messages.append(
            Message(
                "further_development",
                Kind.WORRY,
                f"{words.count(overdue, suppress=figures.suppress)} children's reviews were overdue and not held at "
                "the year end.",
                "reviews overdue at the year end",
            )
        )
    return messages


def _audits(figures: ReportFigures) -> list[Message]:
    _good, below, audits = audit_counts(figures)
    if not audits:
        return []
    text = share_of(
        figures, below, audits, of_the="audits completed", outcome="were graded requires improvement or inadequate"
    )
    worrying = 100 * below / audits >= AUDITS_BELOW_GOOD_WORRY
    if worrying and not (figures.suppress and (words.is_small(below) or words.is_small(audits))):
        return [Message("further_development", Kind.WORRY, text, "audit grades")]
    return [Message("good_practice", Kind.WELL if not worrying else None, text, "audit grades")]


def _disputes(figures: ReportFigures) -> list[Message]:
    raised = figures.figure("disputes_raised").value
    text = f"IROs raised {figures.count('disputes_raised')} concerns about children's plans. " + figures.share(
        "informal_resolutions", of_the="concerns raised", outcome="were resolved informally"
    )
    messages = [Message("disputes", None, text)] if raised is not None else []
    past = figures.figure("disputes_open_past_timescale").value or 0
    if past:
        messages.append(
            Message(
                "further_development",
                Kind.WORRY,
                f"{words.count(past, suppress=figures.suppress)} concerns were open past their stage's deadline at "
                "the year end.",
                "concerns open past their deadline",
            )
        )
    return messages


def _good_practice(figures: ReportFigures) -> list[Message]:
    notifications = figures.count("good_practice_notifications")
    text = f"IROs sent {notifications} good practice notifications, recognising work that helped children."
    messages = [Message("good_practice", None, text)]
    rated = figures.figure("feedback_rated_good")
    if rated.denominator:
        sentence = figures.share(
            "feedback_rated_good",
            of_the="ratings given by children, parents, carers and professionals",
            outcome="rated the service good or excellent",
        )
        messages.append(Message("participation", None, sentence))
    return messages


def computed_messages(figures: ReportFigures, narrative: NarrativeContent) -> list[Message]:
    messages = _development(figures) + _caseloads(figures)
    for judged in JUDGED:
        message = _judge(figures, narrative, judged)
        if message is None:
            continue
        if message.kind is Kind.WORRY:
            # A worry is said in full under its topic and named again under issues for further development.
            sentence = figures.share(judged.kpi_id, of_the=judged.of_the, outcome=judged.outcome)
            messages.append(Message(judged.heading, None, sentence))
            messages.append(Message("further_development", Kind.WORRY, message.text, message.topic))
        else:
            messages.append(message)
        if judged.kpi_id == "reviews_on_time":
            undated = figures.undated("reviews_on_time")
            if undated:
                messages.append(
                    Message(
                        "timeliness",
                        None,
                        f"A further {words.plural(undated, 'review')} held this year could not be given a due date, "
                        "because the review before predates the data, and are left out of that share.",
                    )
                )
            change = _change(figures, "reviews_on_time")
            if change:
                messages.append(Message("timeliness", None, change))
    messages += _disputes(figures) + _good_practice(figures) + _audits(figures) + _staffing_risks(figures)
    return messages


def _topics(messages: list[Message], kind: Kind) -> str:
    topics = list(dict.fromkeys(m.topic for m in messages if m.kind is kind and m.topic))
    if not topics:
        return "nothing the figures single out"
    return ", ".join(topics[:-1]) + (" and " if len(topics) > 1 else "") + topics[-1]


def key_messages(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    messages = computed_messages(figures, narrative)
    year = figures.label(figures.year)
    opening = Paragraph(
        f"What the figures for {year} say, in brief. Going well: {_topics(messages, Kind.WELL)}. "
        f"The service is worried about: {_topics(messages, Kind.WORRY)}. Needs resources: "
        f"{_topics(messages, Kind.RESOURCE)}. Each message below comes from the figures later in this report."
    )
    subsections = []
    for heading, title in KEY_MESSAGE_HEADINGS.items():
        own = narrative.key_messages.get(heading)
        blocks: list[Block] = []
        if own is None or not own.replace:
            blocks += [Paragraph(m.text) for m in messages if m.heading == heading]
            if heading == "further_development":
                blocks.insert(
                    0, Paragraph(STANDARD_EXPLAINED if blocks else "No figure here falls below its standard.")
                )
            if not blocks and heading == "resources":
                blocks.append(Paragraph("The figures show no caseload above the recommended range and no IRO leaving."))
        if own is not None:
            blocks.append(Narrative(own.text))
        if blocks:
            subsections.append(Section(f"key_{heading}", title, tuple(blocks)))
    return Section("key_messages", "Key messages", (opening,), subsections=tuple(subsections))
