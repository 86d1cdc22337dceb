"""Feedback on the IRO service, collated by who gave it, on a hand-made 2024-25."""

from __future__ import annotations

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.feedback import Quote, feedback_collated, published_comments
from tests.metrics.helpers import YEAR, D, compute, dataset


def feedback(number: int, who: str, rating: int, day: object = D(2024, 6, 1)) -> dict[str, object]:
    return {"feedback_id": f"F{number}", "feedback_date": day, "respondent": who, "rating": rating}


def year() -> Dataset:
    return dataset(
        feedback=[
            feedback(1, "CHILD", 5),
            feedback(2, "CHILD", 3),
            feedback(3, "PARENT", 4),
            feedback(4, "CARER", 2),
            feedback(5, "PROFESSIONAL", 5, D(2025, 3, 31)),
            feedback(6, "CHILD", 5, D(2024, 3, 31)),  # the year before: left out
        ]
    )


def test_feedback_given_in_the_year_is_counted_by_who_gave_it() -> None:
    figure = compute("feedback_received", year())
    assert figure.value == 5
    assert figure.breakdown == {"Child or young person": 2, "Parent": 1, "Carer": 1, "Professional": 1}


def test_ratings_of_4_or_5_are_good_or_excellent_overall_and_for_each_kind_of_person() -> None:
    figure = compute("feedback_rated_good", year())
    assert (figure.numerator, figure.denominator, figure.value) == (3, 5, 60.0)
    assert figure.details == {"good:CHILD": 1, "good:PARENT": 1, "good:CARER": 0, "good:PROFESSIONAL": 1}


def answered(
    number: int,
    who: str,
    rating: int,
    listened: str | None,
    understood: str | None,
    took_part: str | None,
    *,
    comment: str | None = None,
    publish: str | None = None,
) -> dict[str, object]:
    return {
        **feedback(number, who, rating),
        "listened_to": listened,
        "understood_decisions": understood,
        "could_take_part": took_part,
        "comment": comment,
        "publish_comment": publish,
        "channel": "LINK",
    }


def answers_year() -> Dataset:
    """Two children, a parent, a carer and a professional answered; one paper form asked nothing."""
    return dataset(
        feedback=[
            answered(1, "CHILD", 5, "YES", "YES", "PARTLY", comment="My IRO listened.", publish="Y"),
            answered(2, "CHILD", 2, "NO", "PARTLY", "NO", comment="Names a school.", publish="N"),
            answered(3, "PARENT", 4, "YES", "NO", "YES", comment="Clear and kind.", publish="Y"),
            answered(4, "CARER", 3, "PARTLY", "YES", "YES"),
            answered(5, "PROFESSIONAL", 4, "YES", "YES", None),
            feedback(6, "PARENT", 1),  # on paper, before the questions: no answers
        ]
    )


def test_felt_listened_to_is_yes_of_those_who_answered_with_each_answer_by_who_gave_it() -> None:
    figure = compute("feedback_listened_to", answers_year())
    # Yes: child 1, parent 3, professional 5 = 3; answered: 5 (feedback 6 left it blank).
    assert (figure.numerator, figure.denominator, figure.value) == (3, 5, 60.0)
    assert figure.details["yes:CHILD"] == 1 and figure.details["no:CHILD"] == 1
    assert figure.details["partly:CARER"] == 1 and figure.details["yes:PARENT"] == 1
    assert figure.details["not_answered"] == 1


def test_understood_and_could_take_part_count_their_own_answers() -> None:
    understood = compute("feedback_understood_decisions", answers_year())
    assert (understood.numerator, understood.denominator) == (3, 5)  # 1, 4, 5 said yes
    assert (understood.details["partly:CHILD"], understood.details["no:PARENT"]) == (1, 1)
    took_part = compute("feedback_could_take_part", answers_year())
    assert (took_part.numerator, took_part.denominator) == (2, 4)  # 3 and 4 said yes; 5 and 6 left it blank
    assert took_part.details["not_answered"] == 2


def test_ratings_are_counted_from_5_down_to_1() -> None:
    figure = compute("feedback_ratings", answers_year())
    assert figure.value == 6
    assert figure.breakdown == {"5 Excellent": 1, "4 Good": 2, "3 OK": 1, "2 Poor": 1, "1 Very poor": 1}


def test_only_comments_marked_for_publication_are_quoted() -> None:
    context = MetricContext(answers_year(), Period.collection_year(YEAR))
    assert published_comments(context) == [
        Quote("Child or young person", "My IRO listened."),
        Quote("Parent", "Clear and kind."),
    ]


def test_the_dashboard_collation_reads_each_kind_of_persons_answers_from_the_figures() -> None:
    context = MetricContext(answers_year(), Period.collection_year(YEAR))
    collated = {row.respondent: row for row in feedback_collated(context)}
    assert list(collated) == ["Child or young person", "Parent", "Carer", "Professional"]
    children = collated["Child or young person"]
    assert (children.given, children.rated_good) == (2, 1)  # ratings 5 and 2
    assert children.answers["feedback_listened_to"] == (1, 0, 1)
    assert children.answers["feedback_could_take_part"] == (0, 1, 1)
    parents = collated["Parent"]
    assert (parents.given, parents.rated_good) == (2, 1)  # ratings 4 and 1
    assert parents.answers["feedback_understood_decisions"] == (0, 0, 1), "the paper form answered nothing"
