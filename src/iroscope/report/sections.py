"""The report's sections, in order. Each builds its blocks from the figures and the narrative; the
IRO Handbook (para 7.11) and the five seed reports decide what each covers."""

from __future__ import annotations

from collections.abc import Callable

from iroscope.data.problems import Problems
from iroscope.metrics.letters import letters_recorded
from iroscope.metrics.oversight import INFORMAL, OPEN
from iroscope.report import words
from iroscope.report.figures import ReportFigures, Row
from iroscope.report.model import Block, KeyFigure, KeyFigures, Narrative, Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.suppression import rate_hidden
from iroscope.rules import codes

SectionBuilder = Callable[[ReportFigures, NarrativeContent], Section]
SECTIONS: list[tuple[str, SectionBuilder]] = []


def section(section_id: str) -> Callable[[SectionBuilder], SectionBuilder]:
    def register(build: SectionBuilder) -> SectionBuilder:
        SECTIONS.append((section_id, build))
        return build

    return register


def _commentary(narrative: NarrativeContent, section_id: str) -> tuple[Block, ...]:
    text = narrative.commentary.get(section_id)
    if text:
        return (Narrative(text),)
    return ()


def _year_end(figures: ReportFigures) -> str:
    return words.long_date(figures.context().period.end)


@section("summary")
def summary(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    year = figures.label(figures.year)
    caseload = figures.figure("caseload_per_iro")

    items = (
        KeyFigure(
            "children in care on " + _year_end(figures),
            figures.value("cic_at_period_end"),
            figures.change("cic_at_period_end"),
        ),
        KeyFigure(
            "reviews held on time",
            figures.value("reviews_on_time"),
            figures.counts_of("reviews_on_time", "reviews whose due date is known"),
        ),
        # The rate counts reviews, not children: a child reviewed twice counts twice.
        KeyFigure(
            "of reviews of children aged 4 or over involved the child",
            figures.value("participation_rate"),
            figures.counts_of("participation_rate", "reviews"),
        ),
        KeyFigure(
            "midway reviews completed",
            figures.value("midway_reviews_completed"),
            figures.counts_of("midway_reviews_completed", "due"),
        ),
        KeyFigure("concerns raised by IROs", figures.value("disputes_raised"), f"informal and formal, {year}"),
        KeyFigure(
            "children allocated per full-time IRO",
            figures.value("caseload_per_iro"),
            f"Handbook range {figures.dataset.practice.caseload_band[0]} to {figures.dataset.practice.caseload_band[1]}"
            if caseload.value is not None
            else "",
        ),
    )
    return Section("summary", f"{year} at a glance", (KeyFigures(items),))


@section("introduction")
def introduction(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    period = figures.context().period
    blocks: list[Block] = []
    if narrative.foreword:
        blocks.append(Narrative(narrative.foreword))
    else:
        blocks.append(Narrative("", missing="The foreword has not been written yet (add it to the narrative file)."))
    blocks.append(
        Paragraph(
            "Every child in care has an Independent Reviewing Officer (IRO), who chairs the child's reviews, "
            "checks between reviews that the plan for the child is moving forward, and makes sure the child's "
            "wishes and feelings are heard. The IRO Handbook (statutory guidance, 2010) asks the manager of the "
            "IRO service to report each year to the Corporate Parenting Board on the service's work, good "
            "practice and what needs to improve."
        )
    )
    covered = ", ".join(figures.label(y) for y in figures.years)
    blocks.append(
        Paragraph(
            f"This report covers {words.long_date(period.start)} to {words.long_date(period.end)}. Its figures are "
            f"computed from the authority's SSDA903 returns and the IRO service's own records ({covered}), with "
            "the definitions set out in the appendix. Earlier years are shown beside this one where the data "
            "holds them."
        )
    )
    return Section("introduction", "Introduction", tuple(blocks))


@section("service")
def service(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    low, high = figures.dataset.practice.caseload_band
    caseload = figures.figure("caseload_per_iro")
    fte = figures.figure("iro_fte")
    details = caseload.details
    blocks: list[Block] = [*_commentary(narrative, "service")]
    people = words.plural(int(fte.details.get("headcount") or 0), "person", "people")
    outside_band = int(details.get("outside_band") or 0)
    if figures.suppress and words.is_small(outside_band):  # a count of colleagues: small ones identify
        outside = "fewer than 5 IROs had caseloads"
    else:
        outside = words.plural(outside_band, "IRO had a caseload", "IROs had caseloads")
    allocated = words.count(details.get("children"), suppress=figures.suppress)
    # The caseload counts children allocated to an IRO in post, which need not equal the children in
    # care (a child's allocation can close a day after they leave), so the sentence says which it is.
    blocks.append(
        Paragraph(
            f"On {_year_end(figures)} the service had {figures.value('iro_fte')} full-time equivalent IROs "
            f"({people}), and {allocated} children were allocated to an IRO in post: on average "
            f"{figures.value('caseload_per_iro')} children allocated to each full-time IRO. This counts the children "
            f"allocated, not the {figures.count('cic_at_period_end')} children in care that day. The IRO Handbook "
            f"recommends {low} to {high} children for each full-time IRO; {outside} outside that range."
        )
    )
    within = words.plural(figures.dataset.practice.iro_allocated_working_days, "working day")
    blocks.append(
        Paragraph(
            "An IRO should be allocated to each child within "
            f"{within} of the child coming into care. "
            + figures.share(
                "iro_allocated_in_time",
                of_the="children whose IRO was due to be allocated this year",
                outcome=f"had one within {within}",
            )
        )
    )
    blocks.append(
        figures.trend_table(
            "The IRO team",
            [
                Row("iro_fte", "Full-time equivalent IROs"),
                Row("caseload_per_iro", "Children allocated per full-time IRO"),
                Row("iro_continuity", "Children who kept the same IRO all year", of_what="children"),
                Row("iro_allocated_in_time", "Children allocated an IRO in time", of_what="children"),
            ],
        )
    )
    blocks.append(
        Paragraph(
            "The Handbook asks the report to show how the make-up of the team reflects the identity of the "
            "children it serves. The two tables set the team beside the children in care at the year end."
        )
    )
    blocks.extend(_team_beside_children(figures))
    return Section("service", "The IRO service and team", tuple(blocks))


def _team_beside_children(figures: ReportFigures) -> tuple[Table, Table]:
    """The team and the children in two tables, by sex and by ethnic group, each column with its own
    total, so every total is the sum of the rows above it."""
    profile = figures.figure("iro_team_profile")
    counts = dict(profile.breakdown or {})
    iros, children = int(profile.details.get("iros") or 0), int(profile.details.get("children") or 0)

    def group(prefix: str) -> dict[str, int | float]:
        return {key.removeprefix(prefix): value for key, value in counts.items() if key.startswith(prefix)}

    by_sex = figures.side_by_side_table(
        "The IRO team beside the children in care, by sex",
        category="Sex",
        columns={"IROs": (group("IROs by gender: "), iros), "Children in care": (group("Children by sex: "), children)},
        staff=("IROs",),
    )
    by_ethnicity = figures.side_by_side_table(
        "The IRO team beside the children in care, by ethnic group",
        category="Ethnic group",
        columns={
            "IROs": (group("IROs by ethnic group: "), iros),
            "Children in care": (group("Children by ethnic group: "), children),
        },
        staff=("IROs",),
    )
    return by_sex, by_ethnicity


@section("children")
def children(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "children")]
    blocks.append(
        Paragraph(
            figures.sentence("cic_at_period_end", f"The number of children in care on {_year_end(figures)}", "children")
        )
    )
    blocks.append(
        figures.trend_chart(
            "cic_at_period_end", "Children in care at the year end", unit="children", alt_subject="Children in care"
        )
    )
    blocks.append(
        figures.trend_table(
            "Children coming into and leaving care",
            [
                Row("cic_in_period", "Children in care at any time in the year"),
                Row("cic_at_period_end", "Children in care at the year end"),
                Row("cic_rate_per_10k", "Children in care per 10,000 children"),
                Row("cic_started", "Children who came into care"),
                Row("started_under_1", "of whom under 1"),
                Row("started_16_plus", "of whom 16 or 17"),
                Row("cic_ceased", "Children who left care"),
                Row(
                    "ceased_to_permanence",
                    "Left care through adoption, special guardianship or a child arrangements order",
                    of_what="children who left",
                ),
                Row("cic_uasc", "Unaccompanied asylum-seeking children", of_what="children in care"),
                Row(
                    "cic_placed_over_20_miles",
                    "Placed more than 20 miles from home",
                    of_what="children whose distance is known",
                ),
                Row("placement_moves_3plus", "Three or more placements in the year", of_what="children in care"),
                Row(
                    "long_term_placement_stability",
                    "In the same home for 2 years (under 16, in care 2½ years)",
                    of_what="children",
                ),
                Row(
                    "missing_in_period",
                    "Missing or away from placement at least once",
                    of_what="children in care in the year",
                ),
            ],
        )
    )
    blocks.append(figures.breakdown_chart("cic_by_age_band", "Children in care by age at the year end", category="Age"))
    blocks.append(figures.breakdown_table("cic_by_gender", "Children in care by sex", category="Sex"))
    blocks.append(
        figures.breakdown_table("cic_by_ethnicity", "Children in care by ethnic group", category="Ethnic group")
    )
    blocks.append(
        figures.breakdown_table("cic_by_legal_status", "Children in care by legal status", category="Legal status")
    )
    blocks.append(
        figures.breakdown_chart(
            "cic_by_placement_group", "Where children in care were living", category="Placement", kind="horizontal"
        )
    )
    blocks.append(
        figures.breakdown_table(
            "cic_by_placement_type", "Children placed inside and outside the authority", category="Location"
        )
    )
    blocks.append(
        figures.breakdown_table("cic_by_placement_provider", "Who provided the placements", category="Provider")
    )
    blocks.append(figures.breakdown_table("ceased_by_reason", "Why children left care", category="Reason"))
    return Section("children", "Children in care", tuple(blocks))


@section("timeliness")
def timeliness(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "timeliness")]
    blocks.append(
        Paragraph(
            f"{figures.count('reviews_held')} reviews were held in {figures.label(figures.year)}. "
            + figures.share(
                "reviews_on_time",
                of_the="reviews whose due date is known",
                outcome="were held within the timescales of regulation 33",
            )
            + " Those timescales are within 20 working days of coming into care, 3 months after the first review, "
            "and every 6 months after that. " + figures.sentence("reviews_on_time", "The share held on time")
        )
    )
    unknown = figures.undated("reviews_on_time")
    if unknown:
        blocks.append(
            Paragraph(
                f"For {figures.how_many(unknown, 'review')}, the previous review was held before the earliest data "
                "iroscope holds, so its due date cannot be known; these are counted as held but not as on time or late."
            )
        )
    earlier = figures.undated_note("reviews_on_time")
    if any(figures.undated("reviews_on_time", year) for year in figures.years if year != figures.year):
        blocks.append(Paragraph(f"Earlier years are not all comparable with this one. {earlier}"))
    blocks.append(
        figures.trend_chart("reviews_on_time", "Reviews held on time", unit="%", alt_subject="Reviews held on time")
    )
    blocks.append(
        figures.trend_table(
            "Reviews and their timeliness",
            [
                Row("reviews_held", "Reviews held"),
                Row("reviews_on_time", "Held on time", of_what="reviews"),
                Row("initial_reviews", "First reviews held within 20 working days", of_what="first reviews"),
                Row("reviews_overdue_not_held", "Overdue and not held at the year end"),
                Row("reviews_adjourned", "Review meetings adjourned"),
                Row(
                    "adjourned_reconvened_within_20wd",
                    "Adjourned reviews reconvened within 20 working days",
                    of_what="adjourned",
                ),
                Row("reviews_series_of_meetings", "Held as a series of meetings", of_what="reviews"),
            ],
        )
    )
    blocks.append(
        figures.breakdown_table("reviews_late_by_working_days", "How late the late reviews were", category="Lateness")
    )
    blocks.append(figures.breakdown_chart("reviews_by_format", "How review meetings were held", category="Format"))
    return Section("timeliness", "Reviews and their timeliness", tuple(blocks))


@section("participation")
def participation(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "participation")]
    blocks.append(
        Paragraph(
            "A child takes part in their review by attending it, by briefing an advocate, or by giving their views "
            "another way, such as a consultation form. "
            + figures.share(
                "participation_rate", of_the="reviews of children aged 4 or over", outcome="involved the child"
            )
            + " "
            + figures.share(
                "attendance_rate", of_the="reviews of children aged 4 or over", outcome="had the child at the meeting"
            )
            + " These count reviews, not children: a child reviewed twice in the year counts twice. "
            + figures.sentence("participation_rate", "The share of reviews that involved the child")
        )
    )
    blocks.append(
        figures.breakdown_chart(
            "reviews_by_participation_code",
            "How children took part in their reviews",
            category="How the child took part",
            kind="horizontal",
            labels=codes.PARTICIPATION.labels(),
        )
    )
    blocks.append(
        figures.trend_table(
            "Participation",
            [
                Row(
                    "participation_rate",
                    "Reviews of children aged 4 or over that involved the child",
                    of_what="reviews of children aged 4+",
                ),
                Row(
                    "attendance_rate",
                    "Reviews of children aged 4 or over the child attended",
                    of_what="reviews of children aged 4+",
                ),
                Row("consultation_return_rate", "Consultation forms returned", of_what="forms sent"),
            ],
        )
    )
    blocks.append(_consultation_returns(figures))
    if letters_recorded(figures.dataset):
        days = figures.dataset.practice.letter_sent_working_days
        blocks.append(
            figures.trend_table(
                "Letters to children about their review",
                [
                    Row(
                        "letters_sent_on_time",
                        f"Letters to children sent within {days} working days of their review",
                        of_what="letters due",
                    )
                ],
            )
        )
    if narrative.childrens_words:
        blocks.append(Narrative("\n\n".join(f"“{quote}”" for quote in narrative.childrens_words)))
    else:
        blocks.append(
            Narrative("", missing="Children's own words about their reviews can be added in the narrative file.")
        )
    return Section("participation", "Participation and the child's voice", tuple(blocks))


def _consultation_returns(figures: ReportFigures) -> Table:
    """Forms returned of forms sent, for each kind of person asked, and for all of them: a rate each, so
    no row pretends to be the sum of the others."""
    figure = figures.figure("consultation_return_rate")
    details = figure.details
    rows = []
    for recipient in figure.breakdown or {}:
        sent, returned = details.get(f"sent:{recipient}"), details.get(f"returned:{recipient}")
        rows.append((recipient, figures.rate_cell(returned, sent)))
    rows.append(("All forms sent", figures.rate_cell(figure.numerator, figure.denominator)))
    return Table(
        "Consultation forms returned, by who they were sent to",
        ("Sent to", f"Returned, {figures.label(figures.year)}"),
        tuple(rows),
        kpi_ids=("consultation_return_rate",),
    )


@section("oversight")
def oversight(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "oversight")]
    blocks.append(
        Paragraph(
            "Between reviews the IRO checks that the plan is progressing: a midway review halfway to the next "
            "review, and case tracking at a frequency set by the child's level of concern. "
            + figures.share("midway_reviews_completed", of_the="midway reviews due", outcome="were completed")
        )
    )
    blocks.append(
        figures.trend_table(
            "Oversight between reviews",
            [
                Row("midway_reviews_completed", "Midway reviews completed", of_what="due"),
                Row(
                    "case_tracking_compliance", "Case tracking at the frequency its level requires", of_what="children"
                ),
            ],
        )
    )
    return Section("oversight", "Midway reviews and oversight between reviews", tuple(blocks))


@section("visits")
def visits(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "visits")]
    blocks.append(
        Paragraph(
            f"IROs completed {figures.count('iro_visits')} visits to children. "
            + figures.share(
                "iro_visits_failed", of_the="visits arranged", outcome="did not take place or were declined"
            )
            + " "
            + figures.share(
                "children_seen_before_review",
                of_the="reviews of children aged 4 or over",
                outcome="came after the IRO had seen or spoken with the child",
            )
        )
    )
    blocks.append(
        figures.trend_table(
            "IRO visits and consultations",
            [
                Row("iro_visits", "Visits completed"),
                Row("iro_visits_failed", "Visits that failed or were declined", of_what="arranged"),
                Row("children_seen_before_review", "Child seen by the IRO before the review", of_what="reviews"),
            ],
        )
    )
    blocks.append(figures.breakdown_table("iro_visits", "Visits by how they took place", category="Method"))
    return Section("visits", "IRO visits and consultations", tuple(blocks))


@section("disputes")
def disputes(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    practice = figures.dataset.practice
    stages = "; ".join(
        f"{s.name} ({s.escalated_to}, {s.response_working_days} working days)" for s in practice.dispute_stages
    )
    blocks: list[Block] = [*_commentary(narrative, "disputes")]
    blocks.append(
        Paragraph(
            "When an IRO is concerned about a child's plan they raise it first informally with the social worker "
            f"and team manager, then through the formal stages: {stages}. The whole formal process should take no "
            f"more than {practice.dispute_formal_total_working_days} working days (IRO Handbook, chapter 6)."
        )
    )
    blocks.extend(_dispute_sentences(figures))
    blocks.append(
        figures.breakdown_chart(
            "disputes_by_resolution_stage", "The furthest stage each concern reached", category="Stage", kind="bar"
        )
    )
    blocks.append(
        figures.breakdown_chart(
            "disputes_by_category", "What the concerns were about", category="Category", kind="horizontal"
        )
    )
    blocks.append(
        figures.trend_table(
            "Dispute resolution",
            [
                Row("disputes_raised", "Concerns raised"),
                Row("informal_resolutions", "Resolved informally", of_what="raised"),
                Row(
                    "disputes_resolved_in_timescale",
                    "Formal disputes resolved in the year (whenever raised) within timescale",
                    of_what="resolved",
                ),
                Row(
                    "disputes_open_past_timescale",
                    "Concerns open past their stage's deadline at the year end (whenever raised)",
                ),
                Row("practice_alerts", "Practice alerts raised"),
            ],
        )
    )
    blocks.append(
        figures.breakdown_table(
            "practice_alerts",
            "Reasons given for practice alerts (an alert may give several)",
            category="Reason",
            total_label="Alerts (an alert may give several reasons)",
        )
    )
    return Section("disputes", "Resolving concerns", tuple(blocks))


def _dispute_sentences(figures: ReportFigures) -> tuple[Paragraph, ...]:
    """The year's concerns, then the formal disputes resolved and open at the year end. Those last two
    are counted whenever the concern was raised, unlike the stages of this year's concerns beside
    them, so each sentence names its base."""
    days = figures.dataset.practice.dispute_formal_total_working_days
    stages = figures.figure("disputes_by_resolution_stage")
    by_stage = dict(stages.breakdown or {})
    # The breakdown names stages as the authority does; the informal stage is the one coded INFORMAL.
    informal_stage = next((s.name for s in figures.dataset.practice.dispute_stages if s.code == INFORMAL), "")
    still_open = int(by_stage.get(OPEN, 0))
    formal = int(sum(by_stage.values())) - int(by_stage.get(informal_stage, 0)) - still_open

    def count(number: int | float | None) -> str:
        return words.count(number, suppress=figures.suppress)

    # The informal, formal and open concerns add up to those raised, so they are protected together.
    ends = {"informal": int(by_stage.get(informal_stage, 0)), "formal": formal, "open": still_open}
    if figures.protected(ends, list(ends)).hidden:
        outcomes = (
            " How many were resolved informally, were resolved after reaching a formal stage, or were still open "
            "at the year end is not shown, because some of those numbers are fewer than 5."
        )
    else:
        outcomes = (
            " "
            + figures.share("informal_resolutions", of_the="concerns raised", outcome="were resolved informally")
            + f" By the year end {count(formal)} had been resolved after reaching a formal stage and "
            f"{count(still_open)} were still open."
        )
    raised = f"IROs raised {figures.count('disputes_raised')} concerns in {figures.label(figures.year)}." + outcomes
    open_at_end = figures.figure("disputes_open_past_timescale")
    past, open_total = open_at_end.value, open_at_end.details.get("open_at_end")
    if figures.suppress and rate_hidden(past, open_total):
        past_deadline = (
            " How many of the concerns open at the year end were past their stage's deadline is not shown, "
            "because fewer than 5 are involved."
        )
    else:
        past_deadline = (
            f" Of the {count(open_total)} concerns open at the year end, whenever raised, "
            + ("none was" if not past else f"{count(past)} {'was' if past == 1 else 'were'}")
            + " past their stage's deadline."
        )
    whenever = (
        figures.share(
            "disputes_resolved_in_timescale",
            of_the="formal disputes resolved this year, whenever raised,",
            outcome=f"were resolved within {days} working days of reaching the formal stage",
        )
        + past_deadline
    )
    return Paragraph(raised), Paragraph(whenever)


@section("good_practice")
def good_practice(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "good_practice")]
    blocks.append(
        Paragraph(
            figures.sentence("good_practice_notifications", "Good practice notifications sent by IROs", "notifications")
        )
    )
    blocks.append(
        figures.breakdown_table("good_practice_notifications", "Good practice recognised, by theme", category="Theme")
    )
    for example in narrative.practice_examples:
        blocks.append(Narrative(f"{example.title}\n\n{example.text}" if example.title else example.text))
    if not narrative.practice_examples:
        blocks.append(
            Narrative("", missing="Examples of practice that made a difference can be added in the narrative file.")
        )
    return Section("good_practice", "Good practice", tuple(blocks))


@section("advocacy")
def advocacy(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    blocks: list[Block] = [*_commentary(narrative, "advocacy")]
    blocks.append(
        figures.trend_table(
            "Advocacy and independent visitors",
            [
                Row("advocacy_referrals", "Referrals for an advocate"),
                Row("independent_visitors_matched", "Children matched with an independent visitor at the year end"),
                Row("independent_visitors_waiting", "Children waiting for an independent visitor at the year end"),
            ],
        )
    )
    blocks.append(
        figures.breakdown_table("advocacy_referrals", "What happened after advocacy referrals", category="Outcome")
    )
    return Section("advocacy", "Advocacy and independent visitors", tuple(blocks))


@section("quality")
def quality(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    practice = figures.dataset.practice
    blocks: list[Block] = [*_commentary(narrative, "quality")]
    blocks.append(
        figures.trend_table(
            "After the review",
            [
                Row(
                    "decisions_on_time",
                    f"Decisions sent within {practice.decisions_working_days} working days",
                    of_what="reviews",
                ),
                Row(
                    "records_distributed_on_time",
                    f"Records distributed within {practice.record_distributed_working_days} working days",
                    of_what="reviews",
                ),
                Row(
                    "invitations_on_time",
                    f"Invitations sent {practice.invitations_working_days_before} working days before",
                    of_what="reviews",
                ),
                Row(
                    "permanence_plan_by_second_review", "Permanence plan by the second review", of_what="second reviews"
                ),
            ],
        )
    )
    blocks.append(figures.breakdown_chart("audit_grades", "Audit grades", category="Grade"))
    return Section("quality", "Quality assurance", tuple(blocks))


@section("progress")
def progress(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    if narrative.progress:
        table = Table(
            "Progress on last year's priorities",
            ("Priority", "Progress"),
            tuple((item.priority, item.progress) for item in narrative.progress),
        )
        return Section("progress", "Progress on last year's priorities", (table,))
    return Section(
        "progress",
        "Progress on last year's priorities",
        (Narrative("", missing="Progress on last year's priorities can be added in the narrative file."),),
    )


@section("priorities")
def priorities(figures: ReportFigures, narrative: NarrativeContent) -> Section:
    if narrative.priorities:
        return Section(
            "priorities", "Priorities for next year", (Narrative("\n\n".join(f"• {p}" for p in narrative.priorities)),)
        )
    return Section(
        "priorities",
        "Priorities for next year",
        (Narrative("", missing="Next year's priorities can be added in the narrative file."),),
    )


def definitions_appendix(figures: ReportFigures) -> Section:
    used = [kpi_id for kpi_id in figures.kpis if kpi_id in figures.used]
    rows = tuple((figures.kpi(kpi_id).title, figures.kpi(kpi_id).definition) for kpi_id in used)
    return Section(
        "definitions",
        "Appendix A: what each figure means",
        (
            Paragraph(
                "Every figure in this report is computed from one dataset with these definitions. Analysts can "
                "find each figure with the codes and details behind it by running iroscope kpis with --definitions."
            ),
            Table("Definitions", ("Figure", "Definition"), rows),
        ),
        appendix=True,
    )


def data_quality_appendix(figures: ReportFigures, problems: Problems | None) -> Section:
    blocks: list[Block] = []
    dataset = figures.dataset
    covered = ", ".join(figures.label(y) for y in dataset.years)
    blocks.append(
        Paragraph(
            f"The data holds SSDA903 returns for {covered}: "
            f"{figures.how_many(dataset['children'].height, 'child', 'children')}, "
            f"{figures.how_many(dataset['episodes'].height, 'episode')} and "
            f"{figures.how_many(dataset['reviews'].height, 'review')}, with the IRO service's own records."
        )
    )
    if problems is None:
        blocks.append(Paragraph("This report was built from data that was not checked by iroscope's validation."))
    elif len(problems) == 0:
        blocks.append(Paragraph("iroscope's validation found no errors or warnings in the data."))
    else:
        blocks.append(
            Paragraph(
                f"iroscope's validation found {words.plural(problems.error_count, 'error')} and "
                f"{words.plural(problems.warning_count, 'warning')} in the data. They are summarised below; "
                "`iroscope validate` lists each one with its file, row and column."
            )
        )
        summary = problems.summary()
        rows = tuple(
            (row["check"].replace("_", " "), row["severity"], f"{row['count']:,}", row["example"])
            for row in summary.iter_rows(named=True)
        )
        blocks.append(Table("Problems found in the data", ("Check", "Severity", "Count", "Example"), rows))
    unknown = figures.figure("reviews_on_time").details.get("due_date_unknown") or 0
    blocks.append(
        Paragraph(
            f"{figures.how_many(int(unknown), 'review').capitalize()} held in {figures.label(figures.year)} could "
            "not be given a due date because the review before it predates the data; they are left out of the "
            "timeliness rate."
        )
    )
    if figures.suppress:
        blocks.append(
            Paragraph(
                "Counts from 1 to 4, and any figure from which they could be worked out, are shown as "
                "“fewer than 5” or “not shown”, so that no child can be identified."
            )
        )
    return Section("data_quality", "Appendix B: the data behind this report", tuple(blocks), appendix=True)
