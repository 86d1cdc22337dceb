"""The child's voice and the review's decisions in the synthetic authority (issue 16): decisions of each
review tracked to done, letters to children, what challenge achieved, why late reviews were late, and
permanence plans. Feedback's answers and comments come from synth/feedback_answers.py.

Every part draws from a random stream of its own, seeded from the authority's seed, never from the stream
the SSDA903 returns and the older activity records come from: adding these records changed none of them
(decision 0025; tests/synth/test_voice.py proves it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from iroscope.rules.calendar import add_months
from iroscope.rules.letters import LetterDecision, LetterFacts, draft_letter
from iroscope.rules.practice import LocalPractice
from iroscope.synth import calibration as cal
from iroscope.synth.calibration import SYNTHETIC_AUTHORITY_NAME
from iroscope.synth.generator import (
    FOSTER_KINSHIP,
    Child,
    Generator,
    _age,
    _periods,
)

T = TypeVar("T")

# A stream for each part, so that changing one part leaves the others as they were.
STREAM_LATE_REASONS: Final = 1601
STREAM_DECISIONS: Final = 1602
STREAM_LETTERS: Final = 1603
STREAM_CHALLENGE: Final = 1605
STREAM_PERMANENCE: Final = 1606


@dataclass(frozen=True)
class DecisionText:
    theme: str
    text: str
    responsible: str
    youngest: int = 0
    oldest: int = 17


# Synthetic decisions, by theme, in plain words that read well both in the review record and in the letter
# to the child ("Your carers will: ..."). They name no one.
DECISION_TEXTS: Final = (
    DecisionText("health", "Book the annual health assessment and share the outcome with the carers.", "SOCIAL_WORKER"),
    DecisionText("health", "Arrange a dental check-up before the next review.", "CARER"),
    DecisionText("health", "Make sure all immunisations are up to date.", "HEALTH"),
    DecisionText("health", "Arrange an eye test.", "CARER", youngest=3),
    DecisionText(
        "health", "Refer to the emotional health and wellbeing service for an assessment.", "SOCIAL_WORKER", 5
    ),
    DecisionText("education", "Hold the personal education plan meeting and share the plan.", "EDUCATION", youngest=3),
    DecisionText("education", "Ask the virtual school to fund extra tuition in reading and maths.", "EDUCATION", 5),
    DecisionText("education", "Agree a plan with school to improve attendance.", "EDUCATION", youngest=5),
    DecisionText("education", "Progress the request for an education, health and care plan.", "SOCIAL_WORKER", 3),
    DecisionText("education", "Find a school place close to the placement.", "SOCIAL_WORKER", youngest=4),
    DecisionText(
        "family time", "Review family time with parents and agree a plan that works for everyone.", "SOCIAL_WORKER"
    ),
    DecisionText("family time", "Arrange time with brothers and sisters at least once a month.", "SOCIAL_WORKER"),
    DecisionText("family time", "Explore whether grandparents can be assessed as carers.", "TEAM_MANAGER"),
    DecisionText("family time", "Parents to confirm family time dates with the social worker in advance.", "PARENT"),
    DecisionText("placement", "Complete the long-term match with the foster carers.", "TEAM_MANAGER"),
    DecisionText("placement", "Arrange extra support for the carers to help the placement continue.", "SOCIAL_WORKER"),
    DecisionText("placement", "Hold a placement stability meeting.", "SOCIAL_WORKER"),
    DecisionText(
        "placement", "Complete the carers' training on caring for children who have experienced trauma.", "CARER"
    ),
    DecisionText("permanence", "Hold a permanence planning meeting before the next review.", "TEAM_MANAGER"),
    DecisionText("permanence", "Complete the special guardianship assessment of the family members.", "SOCIAL_WORKER"),
    DecisionText("permanence", "Seek legal advice on discharging the care order.", "TEAM_MANAGER"),
    DecisionText("life story", "Start life story work and share the first part of it.", "SOCIAL_WORKER", 0, 15),
    DecisionText("life story", "Write a later life letter.", "SOCIAL_WORKER", 0, 12),
    DecisionText("life story", "Gather photographs and keepsakes for a memory box.", "CARER", 0, 12),
    DecisionText("voice", "Offer an advocate before the next review.", "SOCIAL_WORKER", youngest=5),
    DecisionText("voice", "Meet before the next review to hear views and wishes.", "IRO", youngest=4),
    DecisionText("voice", "Make a referral for an independent visitor.", "SOCIAL_WORKER", youngest=6),
    DecisionText("interests", "Find a local club for a favourite hobby or sport.", "CARER", youngest=4),
    DecisionText("interests", "Take part in the children in care council's next event.", "CHILD", youngest=8),
    DecisionText("leaving care", "Complete the pathway plan needs assessment.", "SOCIAL_WORKER", 15, 17),
    DecisionText("leaving care", "Apply for a national insurance number and open a bank account.", "CHILD", 15, 17),
    DecisionText(
        "leaving care", "Agree whether staying put with the foster carers is possible.", "SOCIAL_WORKER", 15, 17
    ),
    DecisionText("leaving care", "Practise cooking and budgeting each week with the carers.", "CHILD", 15, 17),
)
SUITABLE_DECISIONS: Final = {
    age: tuple(text for text in DECISION_TEXTS if text.youngest <= age <= text.oldest) for age in range(18)
}

# What the letters talk about, by theme.
LETTER_TOPICS: Final = {
    "health": "your health",
    "education": "school",
    "family time": "seeing your family",
    "placement": "where you live",
    "permanence": "where you will grow up",
    "life story": "your life story",
    "voice": "how you can have your say",
    "interests": "the things you enjoy",
    "leaving care": "getting ready to leave care",
}
# Synthetic first names for the letters, common in England; no child in the data is real.
FIRST_NAMES: Final = {
    "F": ("Amara", "Bella", "Chloe", "Daisy", "Ella", "Freya", "Grace", "Isla", "Jade", "Lily", "Maya", "Nia", "Ruby"),
    "M": (
        "Alfie",
        "Ben",
        "Callum",
        "Dylan",
        "Ethan",
        "Finley",
        "Harry",
        "Kai",
        "Leo",
        "Mason",
        "Noah",
        "Oscar",
        "Theo",
    ),
}

# How care ended, as the kind of permanence it achieved.
PERMANENCE_OF_EXIT: Final = {
    "E11": "ADOPTION",
    "E12": "ADOPTION",
    "E41": "CHILD_ARRANGEMENTS",
    "E45": "SPECIAL_GUARDIANSHIP",
    "E46": "SPECIAL_GUARDIANSHIP",
    "E47": "SPECIAL_GUARDIANSHIP",
    "E48": "SPECIAL_GUARDIANSHIP",
    "E4A": "RETURN_HOME",
    "E13": "FAMILY_OR_FRIENDS",
    "E17": "STAYING_PUT",
    "E5": "INDEPENDENCE",
    "E6": "INDEPENDENCE",
}
# Plans achieved by a match where the child lives rather than by leaving care.
MATCHED_PLANS: Final = ("LONG_TERM_FOSTERING", "FAMILY_OR_FRIENDS", "RESIDENTIAL")


class _Stream:
    """One part's random draws. Python's own generator, seeded from the authority's seed and the part:
    these records draw one number at a time, where it is many times quicker than numpy's."""

    def __init__(self, seed: int, part: int):
        self.random = random.Random(f"iroscope-synth-{seed}-{part}")
        self._cumulative: dict[int, tuple[list[Any], list[float]]] = {}

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability

    def choice(self, weights: Mapping[T, float]) -> T:
        # The calibration's mappings are module constants, so their identity is a safe cache key.
        keys, cumulative = self._cumulative.setdefault(
            id(weights), (list(weights), list(itertools.accumulate(weights.values())))
        )
        chosen: T = self.random.choices(keys, cum_weights=cumulative)[0]
        return chosen

    def pick(self, items: Sequence[T]) -> T:
        return items[self.random.randrange(len(items))]

    def sample(self, items: Sequence[T], how_many: int) -> list[T]:
        return self.random.sample(list(items), min(how_many, len(items)))

    def integer(self, low: int, high: int) -> int:
        """A whole number from `low` to `high`, both included."""
        return self.random.randint(low, high)

    def exponential(self, mean: float) -> float:
        return self.random.expovariate(1 / mean)


class VoiceAndDecisions:
    """Adds issue 16's records to the activity rows the generator has already made."""

    def __init__(self, generator: Generator, rows: dict[str, list[dict[str, Any]]]):
        self.g = generator
        self.rows = rows
        self.calendar = generator.calendar
        self.practice = LocalPractice()
        self.children = {child.child_id: child for child in generator.children}
        seed = generator.config.seed
        self.streams = {
            part: _Stream(seed, part)
            for part in (
                STREAM_LATE_REASONS,
                STREAM_DECISIONS,
                STREAM_LETTERS,
                STREAM_CHALLENGE,
                STREAM_PERMANENCE,
            )
        }
        self.decisions_of: dict[tuple[str, dt.date], list[dict[str, Any]]] = {}
        self.iro_names: dict[str, str] = {iro["iro_id"]: iro["name"] for iro in rows["iro_staff"]}

    def build(self) -> None:
        self._late_reasons()
        self._decisions()
        self._letters()
        self._challenge_impact()
        self._permanence_plans()

    # Late reasons ----------------------------------------------------------------------
    def _late_reasons(self) -> None:
        """A reason for every review held after its due date by the simulation's own schedule (the
        regulation 33 deadlines the metrics count), none for a review held on time."""
        draw = self.streams[STREAM_LATE_REASONS]
        due_of = {
            (child.child_id, held): (due, sequence)
            for child in self.g.children
            for held, sequence, _start, due in child.review_history
        }
        for row in self.rows["review_details"]:
            due, sequence = due_of[(row["child_id"], row["review_date"])]
            if row["review_date"] <= due:
                row["late_reason"] = None
            elif sequence == 1 and draw.chance(cal.LATE_NOTIFICATION_SHARE_OF_LATE_FIRST_REVIEWS):
                row["late_reason"] = "LATE_NOTIFICATION"
            else:
                row["late_reason"] = draw.choice(cal.LATE_REASON_MIX)

    # Decisions -------------------------------------------------------------------------
    def _decisions(self) -> None:
        draw = self.streams[STREAM_DECISIONS]
        end = self.g.data_end
        number = 0
        for row in self.rows["review_details"]:
            child = self.children[row["child_id"]]
            held: dt.date = row["review_date"]
            chosen = draw.sample(
                SUITABLE_DECISIONS[min(_age(child.dob, held), 17)], draw.choice(cal.DECISIONS_PER_REVIEW)
            )
            made = []
            for text in chosen:
                low, high = draw.choice(cal.DECISION_DUE_WEEKS)
                due = held + dt.timedelta(days=7 * draw.integer(low, high - 1) + draw.integer(0, 4))
                status, status_date = self._decision_status(draw, held, due, end)
                number += 1
                decision = {
                    "decision_id": f"RD{number:07d}",
                    "child_id": child.child_id,
                    "review_date": held,
                    "decision": text.text,
                    "responsible": text.responsible,
                    "due_date": due,
                    "status": status,
                    "status_date": status_date,
                    "iro_id": row["iro_id"],
                }
                made.append(decision)
                self.rows["review_decisions"].append(decision)
            self.decisions_of[(child.child_id, held)] = [
                {"decision": decision, "theme": text.theme} for decision, text in zip(made, chosen, strict=True)
            ]

    @staticmethod
    def _decision_status(draw: _Stream, held: dt.date, due: dt.date, end: dt.date) -> tuple[str | None, dt.date | None]:
        """Where a decision stands at the end of the data: a status is never dated after that end."""
        if due > end:
            if draw.chance(cal.DECISION_DONE_EARLY) and (end - held).days > 7:
                return "DONE", held + dt.timedelta(days=draw.integer(7, (end - held).days))
            return None, None
        outcome = draw.choice(cal.DECISION_OUTCOME)
        if outcome == "DONE_ON_TIME":
            return "DONE", held + dt.timedelta(days=draw.integer(min(3, (due - held).days), (due - held).days))
        if outcome == "DONE_LATE":
            done = due + dt.timedelta(days=draw.integer(1, 45))
            return ("DONE", done) if done <= end else (None, None)
        if outcome == "NOT_DONE":
            recorded = due + dt.timedelta(days=draw.integer(0, 30))
            return ("NOT_DONE", recorded) if recorded <= end else (None, None)
        if outcome == "NO_LONGER_NEEDED":
            return "NO_LONGER_NEEDED", held + dt.timedelta(days=draw.integer(7, max((due - held).days, 7)))
        return None, None

    # Letters ---------------------------------------------------------------------------
    def _letters(self) -> None:
        draw = self.streams[STREAM_LETTERS]
        end = self.g.data_end
        within = self.practice.letter_sent_working_days
        names: dict[str, str] = {}
        for row in self.rows["review_details"]:
            held: dt.date = row["review_date"]
            years_before_the_last = self.g.last_year - _collection_year(held)
            if not draw.chance(cal.LETTER_SHARE_BY_YEARS_BEFORE_THE_LAST.get(years_before_the_last, 0.0)):
                continue
            child = self.children[row["child_id"]]
            name = names.setdefault(child.child_id, draw.pick(FIRST_NAMES[child.sex]))
            timing = draw.choice(
                {
                    "on_time": cal.LETTER_SENT_ON_TIME,
                    "late": cal.LETTER_SENT_LATE,
                    "not_sent": 1 - cal.LETTER_SENT_ON_TIME - cal.LETTER_SENT_LATE,
                }
            )
            finalised = self.calendar.add_working_days(held, draw.integer(2, 12))
            sent: dt.date | None = None
            if timing == "on_time":
                sent = self.calendar.add_working_days(held, draw.integer(3, within))
                finalised = min(finalised, sent)
            elif timing == "late":
                sent = self.calendar.add_working_days(held, draw.integer(within + 1, 45))
            if sent is not None and sent > end:
                sent = None
            self.rows["review_letters"].append(
                {
                    "child_id": child.child_id,
                    "review_date": held,
                    "letter": self._letter_text(child, name, held, row),
                    "finalised_date": finalised if finalised <= end else None,
                    "sent_date": sent,
                    "iro_id": row["iro_id"],
                }
            )

    def _letter_text(self, child: Child, name: str, held: dt.date, review: Mapping[str, Any]) -> str:
        """The letter as the workspace drafts it, about what the review's decisions were about."""
        decisions = self.decisions_of.get((child.child_id, held), [])
        topics = list(dict.fromkeys(LETTER_TOPICS[item["theme"]] for item in decisions))
        talked = ", ".join(topics[:-1]) + f" and {topics[-1]}" if len(topics) > 1 else "".join(topics)
        sequence = next(number for day, number, _start, _due in child.review_history if day == held)
        return draft_letter(
            LetterFacts(
                first_name=name,
                date_of_birth=child.dob,
                review_date=held,
                talked_about=f"We talked about {talked}." if talked else "",
                decisions=tuple(
                    LetterDecision(made["decision"], made["responsible"], made["due_date"])
                    for made in (item["decision"] for item in decisions)
                ),
                next_review=add_months(held, 3 if sequence == 1 else 6),
                next_review_booked=False,
                iro_name=self.iro_names.get(review["iro_id"]),
                service_contact=self.practice.iro_service_contact,
                advocacy_contact=self.practice.advocacy_contact,
                authority=SYNTHETIC_AUTHORITY_NAME,
            )
        )

    # Impact of challenge ---------------------------------------------------------------
    def _challenge_impact(self) -> None:
        draw = self.streams[STREAM_CHALLENGE]
        for dispute in self.rows["disputes"]:
            outcome = dispute["outcome"]
            dispute["impact"] = draw.choice(cal.DISPUTE_IMPACT_BY_OUTCOME[outcome]) if outcome is not None else None
        for alert in self.rows["practice_alerts"]:
            resolved = alert["resolved_date"] is not None
            alert["impact"] = draw.choice(cal.PRACTICE_ALERT_IMPACT) if resolved else None

    # Permanence plans ------------------------------------------------------------------
    def _permanence_plans(self) -> None:
        """One plan for each period of care in the data, agreed at the first review from the second on
        at which the child had a permanence plan: the review details say so for reviews in the data,
        and reviews before the data are drawn at the same rate."""
        draw = self.streams[STREAM_PERMANENCE]
        recorded = {
            (row["child_id"], row["review_date"]): row["permanence_plan"] for row in self.rows["review_details"]
        }
        for child in self.g.children:
            for start, end in _periods(child):
                if end is not None and end < self.g.data_start:
                    continue
                plan_date = None
                for held, sequence, period_start, _due in child.review_history:
                    if period_start != start or sequence < 2:
                        continue
                    if held >= self.g.data_start:
                        has_plan = recorded.get((child.child_id, held)) == "Y"
                    else:
                        has_plan = draw.chance(cal.PERMANENCE_PLAN_BY_SECOND_REVIEW)
                    if has_plan:
                        plan_date = held
                        break
                if plan_date is not None:
                    self.rows["permanence_plans"].append(self._plan(draw, child, start, end, plan_date))

    def _plan(
        self, draw: _Stream, child: Child, start: dt.date, end: dt.date | None, plan_date: dt.date
    ) -> dict[str, Any]:
        episodes = [
            episode for episode in child.episodes if start <= episode.start and (end is None or episode.start <= end)
        ]
        last = episodes[-1]
        placed = next((e for e in reversed(episodes) if e.start <= plan_date), episodes[0]).placement.place
        age = _age(child.dob, plan_date)
        came_true = PERMANENCE_OF_EXIT.get(last.reason_ceased or "") if end is not None else None
        if child.adoption_decided is not None and start <= child.adoption_decided <= (end or self.g.data_end):
            plan_type = "ADOPTION"
        elif came_true is not None:
            plan_type = came_true
        elif placed == "P1":
            plan_type = "RETURN_HOME"
        elif placed in FOSTER_KINSHIP:
            plan_type = "FAMILY_OR_FRIENDS"
        elif age >= 16 or placed == "K3":
            plan_type = "STAYING_PUT" if placed.startswith("U") else "INDEPENDENCE"
        elif placed == "K2":
            plan_type = "RESIDENTIAL"
        else:
            plan_type = "LONG_TERM_FOSTERING"
        eighteenth = add_months(child.dob, 18 * 12)
        if plan_type in ("STAYING_PUT", "INDEPENDENCE"):
            target = max(eighteenth, add_months(plan_date, 3))
        else:
            target = add_months(plan_date, cal.PERMANENCE_TARGET_MONTHS[plan_type])
        achieved: dt.date | None = None
        if came_true == plan_type and end is not None:
            achieved = end
        elif plan_type in MATCHED_PLANS:
            wait = 30 + draw.exponential(cal.PERMANENCE_MATCH_MEAN_MONTHS * 30.44)
            matched = plan_date + dt.timedelta(days=int(wait))
            if matched <= min(end or self.g.data_end, self.g.data_end):
                achieved = matched
        return {
            "child_id": child.child_id,
            "plan_date": plan_date,
            "plan_type": plan_type,
            "target_date": target,
            "achieved_date": achieved,
        }


def _collection_year(day: dt.date) -> int:
    """The collection year a day falls in: 2025 for 1 April 2025 to 31 March 2026."""
    return day.year if day >= dt.date(day.year, 4, 1) else day.year - 1
