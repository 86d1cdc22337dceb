"""Reviews: how many, how timely, how children took part, and what happened after."""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, breakdown, kpi, label_counts, rate, rate_of
from iroscope.rules import codes
from iroscope.rules.schedule import HELD, OVERDUE_DUE_DATE_UNKNOWN, OVERDUE_NOT_HELD

SECTION = "Reviews"
YES = "Y"


def _deadline(context: MetricContext, frame: pl.DataFrame, *, column: str, days: int, name: str) -> pl.DataFrame:
    """`frame` with a column `name`: `days` working days after (before, if negative) `column`."""
    return frame.with_columns(context.calendar.add_working_days(frame[column], days).alias(name))


DATED_MEANING = (
    "due_date_known and due_date_unknown split the reviews held by whether their due date is known; "
    "the report marks a year with any unknown as resting on the others."
)


def reviews_dated(context: MetricContext) -> dict[str, int | float | None]:
    """How many of the period's reviews held could be given a due date, and how many could not (their
    review before predates the data): what a figure of late reviews rests on."""
    unknown = context.schedule.filter(pl.col("due_date").is_null()).height
    return {"due_date_known": context.schedule.height - unknown, "due_date_unknown": unknown}


def _held_records(context: MetricContext) -> pl.DataFrame:
    return context.schedule


@kpi(
    id="reviews_held",
    title="Reviews held",
    definition="Looked-after reviews held (completed) during the period, in regulation 33 periods of care "
    "(short breaks excluded).",
    unit=Unit.COUNT,
    section=SECTION,
    records=_held_records,
    dated_by="review_date",
)
def reviews_held(context: MetricContext) -> Figure:
    return Figure(_held_records(context).height)


def _on_time_records(context: MetricContext) -> pl.DataFrame:
    return context.schedule.filter(pl.col("status") == HELD).with_columns(counted=pl.col("on_time"))


@kpi(
    id="reviews_on_time",
    title="Reviews held on time",
    definition="Reviews held during the period on or before the date the regulations set (20 working days after "
    "coming into care, then 3 months, then every 6 months after the previous review was held), of the "
    "reviews held whose due date is known. A review whose earlier reviews were held before the "
    "earliest data has no knowable due date and is left out; the report says how many.",
    details_meaning="due_date_unknown counts the reviews left out.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_on_time_records,
    dated_by="review_date",
)
def reviews_on_time(context: MetricContext) -> Figure:
    known = _on_time_records(context)
    figure = rate_of(known)
    unknown = context.schedule.height - known.height
    return figure.with_details({"due_date_unknown": unknown})


@kpi(
    id="reviews_late_by_working_days",
    title="Late reviews by how late they were",
    definition="Reviews held late during the period, by working days after the due date. Only a review whose "
    "due date is known can be late.",
    details_meaning=DATED_MEANING,
    unit=Unit.COUNT,
    section=SECTION,
)
def reviews_late_by_working_days(context: MetricContext) -> Figure:
    late = context.schedule.filter(pl.col("on_time") == False)  # noqa: E712 - null means unknown, not late
    bands = {"1 to 5 working days": (1, 5), "6 to 20 working days": (6, 20), "More than 20 working days": (21, 10_000)}
    counts = {
        label: late.filter(pl.col("working_days_late").is_between(low, high)).height
        for label, (low, high) in bands.items()
    }
    return breakdown(counts, order=list(bands)).with_details(reviews_dated(context))


@kpi(
    id="reviews_overdue_not_held",
    title="Reviews overdue and not held at the end of the period",
    definition="Children in care at the end of the period whose next review was due on or before that day and "
    "had not been held. This includes children with no review in the data for over 6 months, whose "
    "exact due date cannot be known.",
    details_meaning="due_date_known and due_date_unknown split the count by whether the due date is known.",
    unit=Unit.COUNT,
    section=SECTION,
    records=lambda context: context.overdue_at_end,
)
def reviews_overdue_not_held(context: MetricContext) -> Figure:
    overdue = context.overdue_at_end
    unknown = overdue.filter(pl.col("status") == OVERDUE_DUE_DATE_UNKNOWN).height
    known = overdue.filter(pl.col("status") == OVERDUE_NOT_HELD).height
    return Figure(overdue.height, details={"due_date_known": known, "due_date_unknown": unknown})


@kpi(
    id="initial_reviews",
    title="Initial reviews held on time",
    definition="First reviews of a period of care held during the period within 20 working days of the child "
    "becoming looked after, of all first reviews held during the period.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def initial_reviews(context: MetricContext) -> Figure:
    first = context.schedule.filter(pl.col("review_sequence") == 1)
    return rate(first.filter(pl.col("on_time")).height, first.height)


@kpi(
    id="reviews_by_format",
    title="Reviews by format",
    definition="Reviews held during the period by how the meeting was held (in person, virtual, hybrid), from "
    "the review details records.",
    unit=Unit.COUNT,
    section=SECTION,
)
def reviews_by_format(context: MetricContext) -> Figure:
    labels = codes.REVIEW_FORMAT.labels()
    return breakdown(label_counts(context.reviews_in_period, "format", labels), order=list(labels.values()))


def _meetings(context: MetricContext, outcome: str) -> pl.DataFrame:
    meetings = context.in_period("review_meetings", "meeting_date")
    return meetings.filter(pl.col("outcome") == outcome)


@kpi(
    id="reviews_adjourned",
    title="Review meetings adjourned",
    definition="Review meetings adjourned during the period, by reason. A review adjourned twice counts twice. "
    "Meetings stood down before they started are counted separately.",
    details_meaning="stood_down counts the meetings stood down.",
    unit=Unit.COUNT,
    section=SECTION,
)
def reviews_adjourned(context: MetricContext) -> Figure:
    labels = codes.ADJOURNMENT_REASON.labels()
    adjourned = _meetings(context, "ADJOURNED")
    figure = breakdown(label_counts(adjourned, "reason", labels), order=list(labels.values()))
    return figure.with_details({"stood_down": _meetings(context, "STOOD_DOWN").height})


@kpi(
    id="adjourned_reconvened_within_20wd",
    title="Adjourned reviews reconvened within 20 working days",
    definition="Review meetings adjourned during the period that reconvened within the authority's limit "
    "(default 20 working days) of the adjourned meeting, of all meetings adjourned during the period.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def adjourned_reconvened_within_20wd(context: MetricContext) -> Figure:
    adjourned = _deadline(
        context,
        _meetings(context, "ADJOURNED"),
        column="meeting_date",
        days=context.practice.adjourned_reconvene_working_days,
        name="limit",
    )
    in_time = adjourned.filter(pl.col("reconvened_date").is_not_null() & (pl.col("reconvened_date") <= pl.col("limit")))
    return rate(in_time.height, adjourned.height)


@kpi(
    id="reviews_series_of_meetings",
    title="Reviews held as a series of meetings",
    definition="Reviews held during the period as a series of meetings, of all reviews held.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def reviews_series_of_meetings(context: MetricContext) -> Figure:
    held = context.reviews_in_period
    return rate(held.filter(pl.col("series_of_meetings") == YES).height, held.height)


@kpi(
    id="reviews_by_participation_code",
    title="Reviews by the child's participation",
    definition="Reviews held during the period by how the child took part: under 4 at the time of the review; "
    "attended and spoke for themselves; attended with an advocate speaking for them; attended and "
    "gave their views without words; attended but did not give their views; did not attend but "
    "briefed an advocate; did not attend but gave their views another way; or did not attend and "
    "their views were not given.",
    details_meaning="The breakdown is by SSDA903 participation code, PN0 (under 4) to PN7.",
    unit=Unit.COUNT,
    section=SECTION,
)
def reviews_by_participation_code(context: MetricContext) -> Figure:
    counts = {str(code): int(n) for code, n in context.reviews_in_period.group_by("participation").len().iter_rows()}
    return breakdown(counts, order=list(codes.PARTICIPATION.valid_codes()))


def _aged_4_plus(context: MetricContext) -> pl.DataFrame:
    return context.reviews_in_period.filter(pl.col("participation").is_not_null() & (pl.col("participation") != "PN0"))


def _participated_records(context: MetricContext) -> pl.DataFrame:
    return _aged_4_plus(context).with_columns(counted=pl.col("participation").is_in(codes.PARTICIPATED))


def _attended_records(context: MetricContext) -> pl.DataFrame:
    return _aged_4_plus(context).with_columns(counted=pl.col("participation").is_in(codes.ATTENDED))


@kpi(
    id="participation_rate",
    title="Children who took part in their review",
    definition="Reviews of children aged 4 or over held during the period that involved the child: the child "
    "attended, briefed an advocate, or gave their views another way. Of all reviews of children aged "
    "4 or over; reviews of younger children are left out. It counts reviews, not children.",
    details_meaning="Participation codes PN1 to PN6 of PN1 to PN7; PN0 is excluded.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_participated_records,
    dated_by="review_date",
)
def participation_rate(context: MetricContext) -> Figure:
    return rate_of(_participated_records(context))


@kpi(
    id="attendance_rate",
    title="Children who attended their review",
    definition="Reviews of children aged 4 or over held during the period that the child attended, of all "
    "reviews of children aged 4 or over. It counts reviews, not children.",
    details_meaning="Participation codes PN1 to PN4 of PN1 to PN7; PN0 is excluded.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_attended_records,
    dated_by="review_date",
)
def attendance_rate(context: MetricContext) -> Figure:
    return rate_of(_attended_records(context))


@kpi(
    id="permanence_plan_by_second_review",
    title="Permanence plan in place by the second review",
    definition="Second reviews of a period of care held during the period at which the child had a permanence "
    "plan, of all second reviews held during the period.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def permanence_plan_by_second_review(context: MetricContext) -> Figure:
    second = context.schedule.filter(pl.col("review_sequence") == 2).select("child_id", "review_date")
    details = context.reviews_in_period.select("child_id", "review_date", "permanence_plan")
    joined = second.join(details, on=["child_id", "review_date"], how="left")
    return rate(joined.filter(pl.col("permanence_plan") == YES).height, joined.height)


def _after_review(context: MetricContext, *, column: str, days: int) -> pl.DataFrame:
    """Reviews whose follow-up (record, decisions) was due by the period's end, `counted` if done in time."""
    held = _deadline(context, context.reviews_in_period, column="review_date", days=days, name="due")
    due = held.filter(pl.col("due") <= context.period.end)
    return due.with_columns(counted=pl.col(column).is_not_null() & (pl.col(column) <= pl.col("due")))


def _distributed_records(context: MetricContext) -> pl.DataFrame:
    days = context.practice.record_distributed_working_days
    return _after_review(context, column="record_distributed_date", days=days)


def _decisions_records(context: MetricContext) -> pl.DataFrame:
    return _after_review(context, column="decisions_date", days=context.practice.decisions_working_days)


@kpi(
    id="records_distributed_on_time",
    title="Records of review distributed on time",
    definition="Reviews held during the period whose full record was distributed within the authority's limit "
    "(default 20 working days), of reviews held whose record was due by the end of the period.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_distributed_records,
    dated_by="review_date",
    due_by="due",
)
def records_distributed_on_time(context: MetricContext) -> Figure:
    return rate_of(_distributed_records(context))


@kpi(
    id="decisions_on_time",
    title="Review decisions sent on time",
    definition="Reviews held during the period whose decisions and recommendations were sent within the "
    "authority's limit (default 5 working days), of reviews held whose decisions were due by the end of the period.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_decisions_records,
    dated_by="review_date",
    due_by="due",
)
def decisions_on_time(context: MetricContext) -> Figure:
    return rate_of(_decisions_records(context))


@kpi(
    id="invitations_on_time",
    title="Invitations sent on time",
    definition="Reviews held during the period whose invitations and consultation forms were sent at least the "
    "authority's notice (default 10 working days) before the review, of reviews with a recorded invitation date.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def invitations_on_time(context: MetricContext) -> Figure:
    sent = context.reviews_in_period.filter(pl.col("invitations_sent_date").is_not_null())
    notice = _deadline(
        context, sent, column="review_date", days=-context.practice.invitations_working_days_before, name="latest"
    )
    return rate(notice.filter(pl.col("invitations_sent_date") <= pl.col("latest")).height, notice.height)
