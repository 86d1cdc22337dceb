"""Oversight and challenge: what the IRO does between reviews (midway reviews, visits, case tracking),
how they challenge the plan (dispute resolution, practice alerts), what they recognise (good practice),
and the support around the child (consultation forms, advocacy, independent visitors, audits).

Conventions shared by every KPI here:
- a date window "in the period" includes its first and last days;
- a dispute is *resolved* once it has a resolved (or closed) date on or before the end of the period,
  whatever its outcome; until then it is *open*;
- a dispute's stages are the ones reached on or before the end of the period; a dispute with no stage
  recorded is at the authority's first configured stage (by default informal) from the day it was raised;
- the informal stage is the stage coded INFORMAL; every other configured stage is formal;
- categories are shown with their code-list labels, every label listed (zero when none), with "Not
  recorded" for a blank and an unknown code shown as itself.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from iroscope.metrics.context import MetricContext, age_on
from iroscope.metrics.registry import (
    NOT_RECORDED,
    Figure,
    Unit,
    breakdown,
    kpi,
    label_counts,
    labelled_breakdown,
    rate,
    rate_of,
)
from iroscope.rules import codes
from iroscope.rules.calendar import add_months_expr
from iroscope.rules.schedule import FIRST_REVIEW_WORKING_DAYS, LATER_REVIEW_MONTHS

SECTION = "Oversight and challenge"

COMPLETED = "COMPLETED"
VISIT = "VISIT"
INFORMAL = "INFORMAL"
OPEN = "Open"
GOOD_OR_BETTER = ("OUTSTANDING", "GOOD")
SEEN_BEFORE_REVIEW_MIN_AGE = 4
ONE_DAY = dt.timedelta(days=1)


# -- shared helpers ----------------------------------------------------------------------------------
def _percent(numerator: int, denominator: int) -> float | None:
    return rate(numerator, denominator).value


# -- midway reviews ------------------------------------------------------------------------------------
def _midways_due(context: MetricContext) -> pl.DataFrame:
    """One row per midway review due in the period, with `completed`: recorded after the review, before
    the next review was held and no later than the end of the period."""
    every = context.dataset_wide("midways", lambda: _every_midway(context))
    completed = (
        pl.col("midway_date").is_not_null()
        & (pl.col("next_review_date").is_null() | (pl.col("midway_date") < pl.col("next_review_date")))
        & (pl.col("midway_date") <= context.period.end)
    )
    return every.filter(pl.col("midway_due_date").is_between(context.period.start, context.period.end)).with_columns(
        completed=completed
    )


def _every_midway(context: MetricContext) -> pl.DataFrame:
    """One row per midway review due at any time, with the first midway review recorded after it.

    The midway review after a review on the 6-month cycle is due `midway_review_fraction` of the way
    (rounded to the nearest day, as `rules.practice.midway_review_due` does) from the review to the next
    review's due date, 6 months later. It is not due if the child's period of care ended on or before
    that day, or if the next review was held on or before it (an early review replaces it).
    """
    dataset = context.dataset
    schedule = context.full_schedule.sort("period_id", "review_date")
    first_due = context.calendar.add_working_days(schedule["period_start"], FIRST_REVIEW_WORKING_DAYS)
    # The second and later reviews of a period are followed by a 6-month interval. When earlier reviews
    # predate the data, the schedule puts a review on that cycle when the period's first review fell due
    # before the data began; we do the same.
    six_month_cycle = (pl.col("review_sequence") >= 2) | (
        pl.col("review_sequence").is_null() & (pl.col("_first_due") < dataset.data_start)
    )
    span = (add_months_expr(pl.col("review_date"), LATER_REVIEW_MONTHS) - pl.col("review_date")).dt.total_days()
    offset = (span * context.practice.midway_review_fraction).round(0, mode="half_to_even").cast(pl.Int64)
    period_ends = context.periods.select("period_id", "period_end")
    due = (
        schedule.with_columns(_first_due=first_due, next_review_date=pl.col("review_date").shift(-1).over("period_id"))
        .filter(six_month_cycle.fill_null(False))
        .with_columns(midway_due_date=pl.col("review_date") + pl.duration(days=offset))
        .join(period_ends, on="period_id", how="left")
        .filter(
            (pl.col("next_review_date").is_null() | (pl.col("next_review_date") > pl.col("midway_due_date")))
            & (pl.col("period_end").is_null() | (pl.col("period_end") > pl.col("midway_due_date")))
        )
        .with_columns(_after=pl.col("review_date") + ONE_DAY)
        .sort("_after")
    )
    midways = dataset["midway_reviews"].select("child_id", "midway_date").drop_nulls().sort("midway_date")
    first_midway = due.join_asof(
        midways,
        left_on="_after",
        right_on="midway_date",
        by="child_id",
        strategy="forward",
        check_sortedness=False,  # both sides are sorted by date above
    )
    return first_midway


@kpi(
    id="midway_reviews_completed",
    title="Midway reviews completed",
    definition="Midway reviews due during the period that were completed, of all midway reviews due during the "
    "period. A midway review is due after each review on the 6-month cycle (the second and later "
    "reviews of a period of care), part of the way to the next review (halfway unless the authority "
    "sets otherwise), rounded to the nearest day. It is not due if the child left care on or before "
    "that day or the next review was held on or before it. It counts as completed when a midway "
    "review is recorded after the review, before the next review was held and no later than the end "
    "of the period. Reviews 3 months after a first review have no midway review.",
    details_meaning="The fraction is the setting midway_review_fraction. recorded_in_period is the plain count of "
    "midway reviews recorded during the period, as the seed reports give it.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=lambda context: _midways_due(context).with_columns(counted=pl.col("completed")),
    dated_by="midway_due_date",
    counted_by="midway_date",
)
def midway_reviews_completed(context: MetricContext) -> Figure:
    figure = rate_of(_midways_due(context).with_columns(counted=pl.col("completed")))
    recorded = context.in_period("midway_reviews", "midway_date").height
    return figure.with_details({"recorded_in_period": recorded})


# -- visits and consultations ----------------------------------------------------------------------------
@kpi(
    id="children_seen_before_review",
    title="Children seen by their IRO before their review",
    definition="Reviews held during the period of children aged 4 or over on the day of the review (regulation 33 "
    "reviews, short breaks excluded) where the IRO completed a visit or consultation with the child between the "
    "previous review and the review: after the previous review's day, up to and including the review day (a "
    "separate meeting on the day counts). For a review with no earlier review in the data for the same period of "
    "care, the window opens at the later of the period of care's start and 6 months before the review. Of all "
    "reviews held during the period of children aged 4 or over. Failed or declined contacts do not count.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=lambda context: _seen_before_review(context),
    dated_by="review_date",
)
def children_seen_before_review(context: MetricContext) -> Figure:
    return rate_of(_seen_before_review(context))


def _seen_before_review(context: MetricContext) -> pl.DataFrame:
    children = context.dataset["children"].select("child_id", "date_of_birth")
    reviews = (
        context.schedule.join(children, on="child_id", how="left")
        .filter(age_on(pl.col("date_of_birth"), pl.col("review_date")) >= SEEN_BEFORE_REVIEW_MIN_AGE)
        .with_columns(
            window_start=pl.when(pl.col("previous_review_date").is_not_null())
            .then(pl.col("previous_review_date") + ONE_DAY)
            .otherwise(
                pl.max_horizontal(pl.col("period_start"), add_months_expr(pl.col("review_date"), -LATER_REVIEW_MONTHS))
            )
        )
        .sort("review_date")
    )
    contacts = (
        context.dataset["iro_contacts"]
        .filter(pl.col("outcome") == COMPLETED)
        .select("child_id", "contact_date")
        .drop_nulls()
        .sort("contact_date")
    )
    # The latest completed contact on or before the review day lies in the window if any does.
    latest = reviews.join_asof(
        contacts,
        left_on="review_date",
        right_on="contact_date",
        by="child_id",
        strategy="backward",
        check_sortedness=False,  # both sides are sorted by date above
    )
    return latest.with_columns(
        counted=pl.col("contact_date").is_not_null() & (pl.col("contact_date") >= pl.col("window_start"))
    )


def _visits_in_period(context: MetricContext) -> pl.DataFrame:
    return context.in_period("iro_contacts", "contact_date").filter(pl.col("kind") == VISIT)


@kpi(
    id="iro_visits",
    title="IRO visits to children",
    definition="Visits by the IRO to a child completed during the period, by how the visit happened (in person, by "
    "video and so on). Consultations, and visits that failed or were declined, are not counted.",
    details_meaning="Contacts of kind VISIT with outcome COMPLETED.",
    unit=Unit.COUNT,
    section=SECTION,
)
def iro_visits(context: MetricContext) -> Figure:
    completed = _visits_in_period(context).filter(pl.col("outcome") == COMPLETED)
    return labelled_breakdown(completed, "method", codes.CONTACT_METHOD)


@kpi(
    id="iro_visits_failed",
    title="IRO visits that failed or were declined",
    definition="Visits by the IRO arranged for a day in the period that failed (did not take place) or that the "
    "child declined, of all visits arranged for a day in the period whatever their outcome. Broken down into "
    "failed and declined.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def iro_visits_failed(context: MetricContext) -> Figure:
    visits = _visits_in_period(context)
    failed = visits.filter(pl.col("outcome") == "FAILED").height
    declined = visits.filter(pl.col("outcome") == "DECLINED").height
    figure = rate(failed + declined, visits.height)
    return figure.with_breakdown({"Failed": failed, "Declined": declined})


# -- dispute resolution ------------------------------------------------------------------------------------
def _stages_reached(context: MetricContext) -> pl.DataFrame:
    """Every stage each dispute raised by the end of the period had reached by then, ranked in the
    authority's stage order (an unknown stage code ranks below every configured stage)."""
    end = context.period.end
    stages = context.practice.dispute_stages
    recorded = (
        context.dataset["dispute_stages"]
        .filter(pl.col("escalated_date") <= end)
        .select("dispute_id", "stage", "escalated_date", "response_date")
    )
    raised = context.dataset["disputes"].filter(pl.col("raised_date") <= end)
    implicit = raised.join(recorded, on="dispute_id", how="anti").select(
        "dispute_id",
        stage=pl.lit(stages[0].code if stages else INFORMAL),
        escalated_date=pl.col("raised_date"),
        response_date=pl.lit(None, dtype=pl.Date),
    )
    order = {stage.code: index for index, stage in enumerate(stages)}
    response_days = {stage.code: stage.response_working_days for stage in stages}
    return (
        pl.concat([recorded.join(raised.select("dispute_id"), on="dispute_id", how="semi"), implicit])
        .with_columns(
            _rank=pl.col("stage").replace_strict(order, default=-1, return_dtype=pl.Int64),
            _response_days=pl.col("stage").replace_strict(response_days, default=None, return_dtype=pl.Int64),
        )
        .sort("dispute_id", "_rank", "escalated_date")
    )


def _disputes_at_end(context: MetricContext) -> pl.DataFrame:
    """One row per dispute raised by the end of the period: its furthest stage (code, day reached,
    response), whether it had gone formal and when it first did, and whether it was resolved by then."""
    end = context.period.end
    reached = _stages_reached(context)
    per_dispute = reached.group_by("dispute_id").agg(
        stage=pl.col("stage").last(),
        stage_escalated_date=pl.col("escalated_date").last(),
        stage_response_date=pl.col("response_date").last(),
        stage_response_days=pl.col("_response_days").last(),
        first_formal_date=pl.col("escalated_date").filter(pl.col("stage") != INFORMAL).min(),
    )
    names = {stage.code: stage.name for stage in context.practice.dispute_stages}
    return (
        context.dataset["disputes"]
        .filter(pl.col("raised_date") <= end)
        .join(per_dispute, on="dispute_id", how="left")
        .with_columns(
            stage_name=pl.col("stage").replace(names),
            formal=pl.col("first_formal_date").is_not_null(),
            resolved=pl.col("resolved_date").is_not_null() & (pl.col("resolved_date") <= end),
        )
    )


def _raised_in_period(context: MetricContext) -> pl.DataFrame:
    return _disputes_at_end(context).filter(pl.col("raised_date") >= context.period.start)


@kpi(
    id="disputes_raised",
    title="Disputes raised",
    definition="Disputes (informal and formal) the IROs raised during the period, each counted once, by the "
    "furthest stage reached by the end of the period: Informal (the informal stage only) or Formal (any formal "
    "stage, including one reached by skipping the informal stage).",
    unit=Unit.COUNT,
    section=SECTION,
    records=_raised_in_period,
)
def disputes_raised(context: MetricContext) -> Figure:
    raised = _raised_in_period(context)
    formal = raised.filter(pl.col("formal")).height
    return breakdown({"Informal": raised.height - formal, "Formal": formal}, order=["Informal", "Formal"])


@kpi(
    id="informal_resolutions",
    title="Disputes resolved informally",
    definition="Disputes raised during the period that were resolved (closed, whatever the outcome) at the "
    "informal stage by the end of the period, never having reached a formal stage, of all disputes raised "
    "during the period.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def informal_resolutions(context: MetricContext) -> Figure:
    raised = _raised_in_period(context)
    informal = raised.filter(pl.col("resolved") & ~pl.col("formal") & (pl.col("stage") == INFORMAL))
    return rate(informal.height, raised.height)


@kpi(
    id="disputes_by_resolution_stage",
    title="Disputes by the stage at which they were resolved",
    definition="Concerns raised by IROs during the period by the furthest stage they reached, using the "
    "authority's stage names, for those resolved by the end of the period; those still open at the "
    "end are shown as Open. A concern that skipped a stage counts at the stage it reached.",
    details_meaning="referred_to_cafcass counts those whose outcome was a referral to Cafcass.",
    unit=Unit.COUNT,
    section=SECTION,
)
def disputes_by_resolution_stage(context: MetricContext) -> Figure:
    raised = _raised_in_period(context).with_columns(
        _label=pl.when(pl.col("resolved")).then(pl.col("stage_name")).otherwise(pl.lit(OPEN))
    )
    counts = label_counts(raised, "_label")
    order = [stage.name for stage in context.practice.dispute_stages] + [OPEN]
    figure = breakdown(counts, order=order)
    cafcass = raised.filter(pl.col("resolved") & (pl.col("outcome") == "CAFCASS")).height
    return figure.with_details({"referred_to_cafcass": cafcass})


@kpi(
    id="disputes_by_category",
    title="Disputes by what they were about",
    definition="Disputes raised during the period by category (what the IRO's concern was about).",
    unit=Unit.COUNT,
    section=SECTION,
)
def disputes_by_category(context: MetricContext) -> Figure:
    return labelled_breakdown(_raised_in_period(context), "category", codes.DISPUTE_CATEGORY)


@kpi(
    id="disputes_resolved_in_timescale",
    title="Formal disputes resolved within timescale",
    definition="Formal disputes (those that reached a formal stage) resolved during the period whose resolved "
    "date was no more than the authority's total formal timescale (default 20 working days, IRO Handbook 6.2) "
    "after the day they first reached a formal stage, of all formal disputes resolved during the period, "
    "whenever raised. The day the dispute reached the formal stage is day 0; weekends and bank holidays in "
    "England are not counted.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def disputes_resolved_in_timescale(context: MetricContext) -> Figure:
    resolved = _disputes_at_end(context).filter(
        pl.col("formal") & pl.col("resolved_date").is_between(context.period.start, context.period.end)
    )
    days = context.practice.dispute_formal_total_working_days
    limit = context.calendar.add_working_days(resolved["first_formal_date"], days)
    in_time = resolved.with_columns(_limit=limit).filter(pl.col("resolved_date") <= pl.col("_limit"))
    return rate(in_time.height, resolved.height)


@kpi(
    id="disputes_open_past_timescale",
    title="Disputes open past their timescale at the end of the period",
    definition="Concerns open at the end of the period, whenever raised, whose current stage's deadline for a "
    "response had passed: the day the concern reached its furthest stage plus that stage's response "
    "time in working days (the authority's setting, usually 5) fell before the last day of the "
    "period. By current stage.",
    details_meaning="no_response_recorded counts those with no response from the stage's manager recorded by the end; "
    "past_formal_total counts open formal disputes past the total formal timescale (default 20 "
    "working days from the first formal stage), whatever their stage's deadline; open_at_end counts "
    "every dispute open at the end of the period, whenever raised.",
    unit=Unit.COUNT,
    section=SECTION,
    records=lambda context: _open_past_timescale(context)[0],
)
def disputes_open_past_timescale(context: MetricContext) -> Figure:
    past, scored = _open_past_timescale(context)
    end = context.period.end
    counts = {str(label): int(count) for label, count in past.group_by("stage_name").len().iter_rows()}
    figure = breakdown(counts, order=[stage.name for stage in context.practice.dispute_stages])
    no_response = past.filter(pl.col("stage_response_date").is_null() | (pl.col("stage_response_date") > end)).height
    past_total = scored.filter(pl.col("formal") & (pl.col("_total_deadline") < end)).height
    return figure.with_details(
        {"no_response_recorded": no_response, "past_formal_total": past_total, "open_at_end": scored.height}
    )


def _open_past_timescale(context: MetricContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The open disputes past their current stage's deadline at the end, and every open dispute scored
    with its stage and total formal deadlines."""
    end = context.period.end
    still_open = _disputes_at_end(context).filter(~pl.col("resolved"))
    stage_deadline = context.calendar.add_working_days(
        still_open["stage_escalated_date"], still_open["stage_response_days"].fill_null(0).to_numpy()
    )
    total_deadline = context.calendar.add_working_days(
        still_open["first_formal_date"], context.practice.dispute_formal_total_working_days
    )
    scored = still_open.with_columns(_stage_deadline=stage_deadline, _total_deadline=total_deadline)
    past = scored.filter(pl.col("stage_response_days").is_not_null() & (pl.col("_stage_deadline") < end))
    return past, scored


# -- recognition and alerts ------------------------------------------------------------------------------
@kpi(
    id="good_practice_notifications",
    title="Good practice notifications",
    definition="Good practice notifications the IROs sent during the period, by theme (one theme each).",
    unit=Unit.COUNT,
    section=SECTION,
)
def good_practice_notifications(context: MetricContext) -> Figure:
    return labelled_breakdown(
        context.in_period("good_practice", "notification_date"), "theme", codes.GOOD_PRACTICE_THEME
    )


@kpi(
    id="good_practice_by_service",
    title="Good practice notifications by service",
    definition="Good practice notifications the IROs sent during the period, by the team or service recognised.",
    unit=Unit.COUNT,
    section=SECTION,
)
def good_practice_by_service(context: MetricContext) -> Figure:
    return labelled_breakdown(context.in_period("good_practice", "notification_date"), "service", codes.SERVICE)


@kpi(
    id="practice_alerts",
    title="Practice alerts raised",
    definition="Practice alerts the IROs raised during the period (the value counts each alert once), with the "
    "number of alerts giving each reason: an alert with several reasons counts once under each, so the reasons "
    "add up to more than the alerts.",
    unit=Unit.COUNT,
    section=SECTION,
)
def practice_alerts(context: MetricContext) -> Figure:
    alerts = context.in_period("practice_alerts", "raised_date").select("alert_id", "reasons")
    # An alert with no reason recorded (blank or an empty list) keeps one row, "Not recorded".
    reasons = alerts.explode("reasons", empty_as_null=True, keep_nulls=True).unique(["alert_id", "reasons"])
    labels = codes.PRACTICE_ALERT_REASON.labels()
    by_reason = breakdown(label_counts(reasons, "reasons", labels), order=list(labels.values()))
    return Figure(alerts.height, breakdown=by_reason.breakdown)


# -- case tracking -------------------------------------------------------------------------------------------
@kpi(
    id="case_tracking_compliance",
    title="Case tracking checks within the frequency for their level",
    definition="Children in care at the end of the period whose IRO case tracking was never overdue during the "
    "period, of all children in care at the end. Each check sets a level of concern (red, amber or "
    "green), and the next check is due within that level's days (the authority's setting, usually 31 "
    "days for red, 62 for amber and 92 for green). A child's tracking is on time when every check in "
    "the period came within the days allowed by the check before it, and at the end of the period no "
    "more than the days allowed by the last check had passed. Only checks in the child's current "
    "period of care count. Before a child's first check the longest interval (green) applies, counted "
    "from the later of the period's start and the day the child came into care, so a child new to "
    "care is not yet overdue.",
    details_meaning="The days are the setting rag_oversight_days. never_checked counts children in care at the end "
    "with no check in their current period of care.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def case_tracking_compliance(context: MetricContext) -> Figure:
    start, end = context.period.start, context.period.end
    allowed = context.practice.rag_oversight_days
    longest = max(allowed.values(), default=0)
    care_starts = (
        context.in_care_at_end.join(context.periods.select("period_id", "period_start"), on="period_id", how="left")
        .select("child_id", "period_start")
        .unique("child_id")
    )
    checks = (
        context.dataset["case_tracking"]
        .select("child_id", "check_date", "rag_level")
        .join(care_starts, on="child_id", how="inner")
        .filter(pl.col("check_date").is_between(pl.col("period_start"), pl.lit(end)))
    )
    end_markers = care_starts.with_columns(check_date=pl.lit(end), rag_level=pl.lit(None, dtype=pl.String))
    events = (
        pl.concat([checks.select(end_markers.columns), end_markers])
        .sort("child_id", "check_date", pl.col("rag_level").is_null())
        .with_columns(
            _previous_date=pl.col("check_date").shift(1).over("child_id"),
            _previous_level=pl.col("rag_level").shift(1).over("child_id"),
        )
    )
    clock_start = pl.max_horizontal(pl.col("period_start"), pl.lit(start))
    gaps = events.filter(pl.col("check_date") >= start).with_columns(
        _from=pl.coalesce(pl.col("_previous_date"), clock_start),
        _allowed=pl.when(pl.col("_previous_date").is_null())
        .then(pl.lit(longest))
        .otherwise(pl.col("_previous_level").replace_strict(allowed, default=longest, return_dtype=pl.Int64)),
    )
    overdue = gaps.filter((pl.col("check_date") - pl.col("_from")).dt.total_days() > pl.col("_allowed"))
    children = care_starts.height
    compliant = care_starts.join(overdue.select("child_id").unique(), on="child_id", how="anti").height
    never_checked = care_starts.join(checks.select("child_id").unique(), on="child_id", how="anti").height
    return rate(compliant, children).with_details({"never_checked": never_checked})


# -- consultation, advocacy, independent visitors, audits --------------------------------------------------
@kpi(
    id="consultation_return_rate",
    title="Consultation forms returned",
    definition="Consultation forms sent for reviews held in the period that were returned by the end of the "
    "period, of all forms sent for those reviews, for all recipients together and for each kind of "
    "person asked (the child, parents, carers, the social worker and other professionals).",
    details_meaning="The breakdown is the return rate (percent) for each kind of recipient sent at least one form; "
    "sent:<recipient> and returned:<recipient> give the counts behind it.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def consultation_return_rate(context: MetricContext) -> Figure:
    forms = context.in_period("consultations", "review_date").with_columns(
        _returned=pl.col("returned_date").is_not_null() & (pl.col("returned_date") <= context.period.end)
    )
    overall = rate(forms.filter(pl.col("_returned")).height, forms.height)
    labels = codes.CONSULTATION_RECIPIENT.labels()
    per_recipient = (
        forms.with_columns(_label=pl.col("recipient").replace(labels).fill_null(NOT_RECORDED))
        .group_by("_label")
        .agg(sent=pl.len(), returned=pl.col("_returned").sum())
    )
    counts = {str(label): (int(sent), int(back)) for label, sent, back in per_recipient.iter_rows()}
    ordered = [label for label in labels.values() if label in counts] + sorted(set(counts) - set(labels.values()))
    by_recipient: dict[str, int | float] = {}
    details: dict[str, int | float | None] = {}
    for label in ordered:
        sent, back = counts[label]
        by_recipient[label] = rate(back, sent).value or 0.0
        details[f"sent:{label}"] = sent
        details[f"returned:{label}"] = back
    return Figure(overall.value, overall.numerator, overall.denominator, by_recipient, details)


@kpi(
    id="advocacy_referrals",
    title="Advocacy referrals",
    definition="Referrals for an independent advocate made during the period, by what happened (allocated, "
    "declined, waiting).",
    unit=Unit.COUNT,
    section=SECTION,
)
def advocacy_referrals(context: MetricContext) -> Figure:
    return labelled_breakdown(
        context.in_period("advocacy_referrals", "referral_date"), "outcome", codes.ADVOCACY_OUTCOME
    )


def _matched_at_end(context: MetricContext) -> pl.DataFrame:
    end = context.period.end
    return context.dataset["independent_visitors"].filter(
        (pl.col("matched_date") <= end) & (pl.col("ended_date").is_null() | (pl.col("ended_date") > end))
    )


@kpi(
    id="independent_visitors_matched",
    title="Children matched with an independent visitor",
    definition="Children matched with an independent visitor at the end of the period: matched on or before the "
    "last day of the period and the match not ended by then (no end date, or one after the last day). A child "
    "counts once.",
    unit=Unit.COUNT,
    section=SECTION,
)
def independent_visitors_matched(context: MetricContext) -> Figure:
    return Figure(_matched_at_end(context)["child_id"].n_unique())


@kpi(
    id="independent_visitors_waiting",
    title="Children waiting for an independent visitor",
    definition="Children waiting for an independent visitor at the end of the period: referred on or before the "
    "last day, not matched by then, the referral not closed (ended) by then, and not matched under another "
    "referral. A child counts once.",
    unit=Unit.COUNT,
    section=SECTION,
)
def independent_visitors_waiting(context: MetricContext) -> Figure:
    end = context.period.end
    waiting = context.dataset["independent_visitors"].filter(
        (pl.col("referral_date") <= end)
        & (pl.col("matched_date").is_null() | (pl.col("matched_date") > end))
        & (pl.col("ended_date").is_null() | (pl.col("ended_date") > end))
    )
    waiting = waiting.join(_matched_at_end(context).select("child_id"), on="child_id", how="anti")
    return Figure(waiting["child_id"].n_unique())


@kpi(
    id="audit_grades",
    title="Audits by grade",
    definition="Quality assurance audits completed during the period, by grade.",
    details_meaning="good_or_better is the percentage graded Outstanding or Good, of all audits completed in the "
    "period.",
    unit=Unit.COUNT,
    section=SECTION,
)
def audit_grades(context: MetricContext) -> Figure:
    audits = context.in_period("audits", "audit_date")
    good = audits.filter(pl.col("grade").is_in(GOOD_OR_BETTER)).height
    return labelled_breakdown(audits, "grade", codes.AUDIT_GRADE).with_details(
        {"good_or_better": _percent(good, audits.height)}
    )


# -- what challenge achieved ------------------------------------------------------------------------------
@kpi(
    id="challenge_impact",
    title="What challenge achieved",
    definition="Disputes and practice alerts resolved or closed during the period, by what the challenge "
    "achieved for the child as the IRO recorded it on closing (the child's plan changed, the placement changed, "
    "a service or resource was found, the action asked for was completed, not resolved, withdrawn). Those with "
    "nothing recorded are counted as not recorded. Each dispute or alert counts once, in the period it closed.",
    details_meaning="disputes and practice_alerts split the value by where the challenge was recorded.",
    unit=Unit.COUNT,
    section=SECTION,
)
def challenge_impact(context: MetricContext) -> Figure:
    disputes = context.in_period("disputes", "resolved_date").select("impact")
    alerts = context.in_period("practice_alerts", "resolved_date").select("impact")
    labels = codes.CHALLENGE_IMPACT.labels()
    closed = pl.concat([disputes, alerts], how="vertical_relaxed")
    figure = breakdown(label_counts(closed, "impact", labels), order=[*labels.values(), NOT_RECORDED])
    return figure.with_details({"disputes": disputes.height, "practice_alerts": alerts.height})
