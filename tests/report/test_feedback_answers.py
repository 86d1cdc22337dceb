"""The report's feedback part collates the answers to the three questions by who gave them, hides what
would reveal a small count when publishing, and quotes only comments a manager published."""

from __future__ import annotations

from typing import Any

from iroscope.data.dataset import Dataset
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph
from iroscope.report.narrative import NarrativeContent
from iroscope.report.quality_findings import answers_table, feedback, quotes
from tests.metrics.helpers import YEAR, D, dataset


def answer(number: int, who: str, listened: str, **more: Any) -> dict[str, Any]:
    return {
        "feedback_id": f"F{number}",
        "feedback_date": D(2024, 9, 1 + number % 20),
        "respondent": who,
        "rating": 4,
        "listened_to": listened,
        "understood_decisions": "YES",
        "could_take_part": "YES",
        "channel": "LINK",
        **more,
    }


def year() -> Dataset:
    """Children: 10 yes, 3 partly, 2 no to "listened to". Parents: 5 yes, 5 no. Every understood and could
    take part: yes. One child's comment published, one parent's not."""
    rows = [answer(n, "CHILD", "YES") for n in range(1, 11)]
    rows += [answer(n, "CHILD", "PARTLY") for n in range(11, 14)] + [answer(n, "CHILD", "NO") for n in (14, 15)]
    rows += [answer(n, "PARENT", "YES") for n in range(20, 25)] + [answer(n, "PARENT", "NO") for n in range(25, 30)]
    rows[0] |= {"comment": "I got to say what I wanted.", "publish_comment": "Y"}
    rows[15] |= {"comment": "The social worker Sam was late.", "publish_comment": "N"}
    return dataset(feedback=rows)


def test_each_question_is_yes_n_of_m_for_each_kind_of_person_and_for_everyone() -> None:
    table = answers_table(ReportFigures(year(), YEAR))
    assert table is not None
    assert table.columns == ("Question", "Child or young person", "Parent", "Everyone who answered: yes")
    listened = table.rows[0]
    # Children 10 of 15 = 66.7%; parents 5 of 10 = 50.0%; everyone 15 of 25 = 60.0%.
    assert listened == (
        "Felt listened to",
        "Yes 66.7% (10 of 15); partly 3; no 2",
        "Yes 50.0% (5 of 10); partly 0; no 5",
        "60.0% (15 of 25)",
    )
    assert table.row_kpis == ("feedback_listened_to", "feedback_understood_decisions", "feedback_could_take_part")


def test_published_partly_and_no_are_joined_when_either_is_small() -> None:
    table = answers_table(ReportFigures(year(), YEAR, suppress=True))
    assert table is not None
    children, parents = table.rows[0][1], table.rows[0][2]
    # Children: 10 of 15 shows no small count, but partly 3 would; shown alone, no 2 would reveal it too.
    assert children == "Yes 66.7% (10 of 15); partly or no 5"
    # Parents: none partly is no small count (0 reveals nobody).
    assert parents == "Yes 50.0% (5 of 10); partly 0; no 5"
    three = dataset(feedback=[answer(n, "CHILD", "YES") for n in range(1, 4)])
    table = answers_table(ReportFigures(three, YEAR, suppress=True))
    assert table is not None and table.rows[0][1] == "not shown", "3 of 3 children is a small count"


def test_only_the_published_comment_is_quoted() -> None:
    figures = ReportFigures(year(), YEAR)
    quoted = [block.text for block in quotes(figures)]
    assert quoted[1:] == ["\u201cI got to say what I wanted.\u201d – child or young person"]
    section = feedback(figures, NarrativeContent())
    assert section is not None
    text = " ".join(block.text for block in section.blocks if isinstance(block, Paragraph))
    assert "Sam" not in text


def test_the_same_words_published_from_two_people_are_quoted_once() -> None:
    rows = [answer(n, "CHILD", "YES", comment="My IRO listened to me.", publish_comment="Y") for n in (1, 2)]
    rows.append(answer(3, "CARER", "YES", comment="Clear and kind.", publish_comment="Y"))
    quoted = [block.text for block in quotes(ReportFigures(dataset(feedback=rows), YEAR))]
    assert quoted[1:] == [
        "\u201cMy IRO listened to me.\u201d – child or young person",
        "\u201cClear and kind.\u201d – carer",
    ]
