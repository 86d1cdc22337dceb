"""Who took part in reviews beyond what SSDA903 codes: why children did not attend, children who
chaired their own review, and parents and carers. These come from optional columns of the review
details (an activity workbook without them still reads); a rate is of the reviews where the field was
recorded, so a service that does not record it shows nothing rather than none."""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import NOT_RECORDED, Figure, Unit, breakdown, kpi, label_counts, rate
from iroscope.rules import codes

SECTION = "Reviews"
YES = "Y"
UNDER_4 = "PN0"
NOT_ATTENDED = ("PN5", "PN6", "PN7")
UNDER_4_LABEL = "Under 4 at the time of the review"
RECORDED_MEANING = "not_recorded counts the reviews held with the field blank, left out of both counts."


@kpi(
    id="non_attendance_reasons",
    title="Why children did not attend their review",
    definition="Reviews held during the period that the child did not attend, by why: the child was under 4, or, "
    "for a child aged 4 or over, the reason the service recorded (chose not to attend, limited understanding, "
    "judged too young, unwell or not available, other). Reviews whose reason was not recorded are counted as "
    "such. It counts reviews, not children.",
    details_meaning="Reviews coded PN0 are under 4; PN5 to PN7 take the review details' non_attendance_reason.",
    unit=Unit.COUNT,
    section=SECTION,
)
def non_attendance_reasons(context: MetricContext) -> Figure:
    reviews = context.reviews_in_period
    under_4 = reviews.filter(pl.col("participation") == UNDER_4).height
    absent = reviews.filter(pl.col("participation").is_in(NOT_ATTENDED))
    labels = codes.NON_ATTENDANCE_REASON.labels()
    counts = {UNDER_4_LABEL: under_4, **label_counts(absent, "non_attendance_reason", labels)}
    return breakdown(counts, order=[UNDER_4_LABEL, *labels.values(), NOT_RECORDED])


def _recorded_rate(context: MetricContext, column: str, reviews: pl.DataFrame | None = None) -> Figure:
    held = context.reviews_in_period if reviews is None else reviews
    recorded = held.filter(pl.col(column).is_not_null())
    figure = rate(recorded.filter(pl.col(column) == YES).height, recorded.height)
    return figure.with_details({"not_recorded": held.height - recorded.height})


@kpi(
    id="child_chaired_reviews",
    title="Reviews the child chaired",
    definition="Reviews of children aged 4 or over held during the period that the child chaired or co-chaired, of "
    "those reviews where the service recorded whether the child chaired.",
    details_meaning=RECORDED_MEANING,
    unit=Unit.PERCENT,
    section=SECTION,
)
def child_chaired_reviews(context: MetricContext) -> Figure:
    aged_4_plus = context.reviews_in_period.filter(
        pl.col("participation").is_not_null() & (pl.col("participation") != UNDER_4)
    )
    return _recorded_rate(context, "child_chaired", aged_4_plus)


@kpi(
    id="parents_participated",
    title="Reviews a parent took part in",
    definition="Reviews held during the period that a parent attended or gave their views to, of those reviews "
    "where the service recorded whether a parent took part.",
    details_meaning=RECORDED_MEANING,
    unit=Unit.PERCENT,
    section=SECTION,
)
def parents_participated(context: MetricContext) -> Figure:
    return _recorded_rate(context, "parents_participated")


@kpi(
    id="carers_participated",
    title="Reviews the child's carer took part in",
    definition="Reviews held during the period that the child's carer attended or gave their views to, of those "
    "reviews where the service recorded whether the carer took part.",
    details_meaning=RECORDED_MEANING,
    unit=Unit.PERCENT,
    section=SECTION,
)
def carers_participated(context: MetricContext) -> Figure:
    return _recorded_rate(context, "carers_participated")
