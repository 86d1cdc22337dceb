"""Review meetings that did not go ahead as booked: reviews stood down and why, and why late reviews
were late. The seeds report both (Cheshire East's "reviews stood down", Hartlepool's and North East
Lincolnshire's reasons for lateness); the service records them as adjourned or stood-down meetings."""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, breakdown, kpi, label_counts
from iroscope.metrics.reviews import DATED_MEANING, reviews_dated
from iroscope.rules import codes

SECTION = "Reviews"
STOOD_DOWN = "STOOD_DOWN"
NO_MEETING_RECORDED = "No adjourned or stood-down meeting recorded"


@kpi(
    id="reviews_stood_down",
    title="Review meetings stood down, by reason",
    definition="Review meetings stood down during the period (the meeting did not go ahead and the review was "
    "rearranged), by the reason recorded. A review stood down twice counts twice. Meetings that started and "
    "were adjourned are counted separately.",
    details_meaning="The breakdown is by adjournment reason; the value equals reviews_adjourned's stood_down.",
    unit=Unit.COUNT,
    section=SECTION,
)
def reviews_stood_down(context: MetricContext) -> Figure:
    labels = codes.ADJOURNMENT_REASON.labels()
    meetings = context.in_period("review_meetings", "meeting_date").filter(pl.col("outcome") == STOOD_DOWN)
    return breakdown(label_counts(meetings, "reason", labels), order=list(labels.values()))


def late_reviews_with_reason(context: MetricContext) -> pl.DataFrame:
    """Each review held late in the period (child_id, review_date) with `reason`: the label of the last
    meeting for that review adjourned or stood down after the previous review (or the start of the
    period of care) and on or before the day it was held; blank when there was none."""
    late = context.schedule.filter(pl.col("on_time") == False)  # noqa: E712 - null means unknown, not late
    late = late.with_columns(since=pl.coalesce("previous_review_date", "period_start")).select(
        "child_id", "review_date", "since"
    )
    meetings = context.dataset["review_meetings"].select("child_id", "meeting_date", "reason")
    matched = (
        late.join(meetings, on="child_id", how="inner")
        .filter((pl.col("meeting_date") > pl.col("since")) & (pl.col("meeting_date") <= pl.col("review_date")))
        .sort("meeting_date")
        .group_by("child_id", "review_date")
        .agg(pl.col("reason").last())
    )
    labelled = matched.with_columns(pl.col("reason").replace(codes.ADJOURNMENT_REASON.labels()))
    return late.drop("since").join(labelled, on=["child_id", "review_date"], how="left")


@kpi(
    id="late_reviews_by_reason",
    title="Late reviews by why they were late",
    definition="Reviews held late during the period, by the reason given when the meeting for that review was "
    "adjourned or stood down (the last such meeting after the previous review). A late review with no "
    "adjourned or stood-down meeting recorded is counted as such: its lateness has no recorded reason. "
    "Only reviews whose due date is known can be late.",
    details_meaning=DATED_MEANING,
    unit=Unit.COUNT,
    section=SECTION,
)
def late_reviews_by_reason(context: MetricContext) -> Figure:
    reasons = late_reviews_with_reason(context).with_columns(pl.col("reason").fill_null(NO_MEETING_RECORDED))
    counts = {str(reason): int(n) for reason, n in reasons.group_by("reason").len().iter_rows()}
    order = [*codes.ADJOURNMENT_REASON.labels().values(), NO_MEETING_RECORDED]
    return breakdown(counts, order=order).with_details(reviews_dated(context))


NO_REASON_RECORDED = "No reason recorded"
NO_LONGER_IN_SETTINGS = "no longer in the settings"


@kpi(
    id="late_reviews_by_recorded_reason",
    title="Late reviews by the reason recorded",
    definition="Reviews held late during the period, by the reason the IRO recorded for the lateness when "
    "recording the review (the authority's own list of late reasons, in its practice settings). A late review "
    "with no reason recorded is counted as such. A reason since removed from the settings is shown by its code. "
    "Only reviews whose due date is known can be late.",
    details_meaning=DATED_MEANING,
    unit=Unit.COUNT,
    section=SECTION,
)
def late_reviews_by_recorded_reason(context: MetricContext) -> Figure:
    late = context.schedule.filter(pl.col("on_time") == False).select("child_id", "review_date")  # noqa: E712
    reasons = context.dataset["review_details"].select("child_id", "review_date", "late_reason")
    with_reason = late.join(reasons, on=["child_id", "review_date"], how="left")
    names = {reason.code: reason.name for reason in context.practice.late_reasons}
    counts: dict[str, int] = {}
    for code in with_reason["late_reason"].to_list():
        name = NO_REASON_RECORDED if code is None else names.get(code, f"{code} ({NO_LONGER_IN_SETTINGS})")
        counts[name] = counts.get(name, 0) + 1
    return breakdown(counts, order=[*names.values(), NO_REASON_RECORDED]).with_details(reviews_dated(context))
