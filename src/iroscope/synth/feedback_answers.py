"""The synthetic authority's feedback answers: each feedback row gains answers to the three questions
(listened to, understood what was decided, could take part), how it reached the service, and sometimes
a comment, a few of them published. Drawn from a generator of its own, so that adding them changes no
other table and no figure that was there before."""

from __future__ import annotations

from typing import Any

import numpy as np

from iroscope.synth import calibration as cal

# Answers lean the way the rating does: someone who rated the service 4 or 5 mostly says yes.
ANSWERS_BY_RATING = {
    "high": {"YES": 0.8, "PARTLY": 0.15, "NO": 0.05},
    "middle": {"YES": 0.4, "PARTLY": 0.45, "NO": 0.15},
    "low": {"YES": 0.15, "PARTLY": 0.35, "NO": 0.5},
}
# Synthetic words only: none names a person, place or date.
COMMENTS = {
    "CHILD": (
        "My IRO listened to what I wanted to say.",
        "I liked choosing where my review was held.",
        "The meeting was too long and there were too many people.",
        "I want to see my IRO more often.",
    ),
    "PARENT": (
        "I understood what was decided and why.",
        "I would have liked the report before the meeting.",
        "The IRO made sure I could have my say.",
    ),
    "CARER": (
        "The review was well organised and kept to time.",
        "It would help to have the minutes sooner.",
    ),
    "PROFESSIONAL": (
        "Clear actions with named people and dates.",
        "The IRO challenged the delay in the plan constructively.",
    ),
}


def _band(rating: int) -> str:
    return "high" if rating >= 4 else "middle" if rating == 3 else "low"


def feedback_answers_add(rows: list[dict[str, Any]], *, seed: int) -> None:
    """Fill in the answer columns of the generator's feedback rows, in place, as it builds its tables."""
    rng = np.random.default_rng([seed, 16])  # a stream of its own (issue 16)

    def choose(weights: dict[str, float]) -> str:
        keys = list(weights)
        return keys[int(rng.choice(len(keys), p=np.array(list(weights.values())) / sum(weights.values())))]

    for row in rows:
        answers = ANSWERS_BY_RATING[_band(int(row["rating"]))]
        row["listened_to"] = choose(answers)
        row["understood_decisions"] = choose(answers)
        row["could_take_part"] = choose(answers)
        row["channel"] = "LINK" if rng.random() < cal.FEEDBACK_BY_LINK else "FORM"
        if rng.random() < cal.FEEDBACK_WITH_COMMENT:
            options = COMMENTS[str(row["respondent"])]
            row["comment"] = options[int(rng.integers(len(options)))]
            row["publish_comment"] = "Y" if rng.random() < cal.FEEDBACK_COMMENT_PUBLISHED else "N"
