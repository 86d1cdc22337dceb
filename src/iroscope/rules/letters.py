"""The letter to the child after their review: which age band its words are written for, the first draft
in those words, and by when it should be sent (docs/decisions/0022-letters-to-children.md). The
workspace drafts with it and the synthetic authority writes its letters with it, so both say the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from iroscope.rules.calendar import WorkingDayCalendar, long_date
from iroscope.rules.practice import LocalPractice

YOUNGEST_BAND_FROM = 8  # under 8: short sentences and simple words
OLDEST_BAND_FROM = 13  # 13 and over: more detail, and their rights


class AgeBand(StrEnum):
    UNDER_8 = "under 8"
    EIGHT_TO_12 = "8 to 12"
    THIRTEEN_AND_OVER = "13 and over"


def age_in_years(*, date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years on the day: a child is a year older on their birthday (29 February birthdays count
    from 1 March in other years)."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def letter_age_band(*, date_of_birth: dt.date, review_date: dt.date) -> AgeBand:
    """The band the letter is written for: the child's age on the day of the review."""
    age = age_in_years(date_of_birth=date_of_birth, on=review_date)
    if age < YOUNGEST_BAND_FROM:
        return AgeBand.UNDER_8
    if age < OLDEST_BAND_FROM:
        return AgeBand.EIGHT_TO_12
    return AgeBand.THIRTEEN_AND_OVER


def letter_sent_due(*, review_date: dt.date, practice: LocalPractice, calendar: WorkingDayCalendar) -> dt.date:
    """The last day the letter is sent on time: `letter_sent_working_days` working days after the review."""
    return calendar.add_working_days(review_date, practice.letter_sent_working_days)


# Who carries a decision out, in words for each age band (codes.DECISION_RESPONSIBLE).
WHO: dict[str, tuple[str, str, str]] = {
    # code: (under 8, 8 to 12, 13 and over)
    "SOCIAL_WORKER": ("Your social worker", "Your social worker", "Your social worker"),
    "TEAM_MANAGER": ("Your social worker's boss", "Your social worker's manager", "Your social worker's team manager"),
    "CARER": ("The grown-ups you live with", "Your carer", "Your carer"),
    "PARENT": ("Your mum or dad", "Your parent", "Your parent"),
    "CHILD": ("You", "You", "You"),
    "IRO": ("I", "I", "I"),
    "HEALTH": ("Your doctor or nurse", "Your doctor or nurse", "Your health worker"),
    "EDUCATION": ("Your school", "Your school", "Your school or the virtual school"),
    "OTHER": ("Someone who helps you", "Someone who helps you", "Someone else"),
}
BANDS = (AgeBand.UNDER_8, AgeBand.EIGHT_TO_12, AgeBand.THIRTEEN_AND_OVER)


@dataclass(frozen=True)
class LetterDecision:
    """One decision of the review: what, who (a `DECISION_RESPONSIBLE` code), by when."""

    decision: str
    responsible: str
    due_date: dt.date


@dataclass(frozen=True)
class LetterFacts:
    """What the first draft says. `first_name` is typed by the IRO for this letter only: iroscope holds
    no names of children."""

    first_name: str
    date_of_birth: dt.date
    review_date: dt.date
    talked_about: str
    decisions: tuple[LetterDecision, ...]
    next_review: dt.date | None
    next_review_booked: bool
    iro_name: str | None
    service_contact: str
    advocacy_contact: str
    authority: str


def who_will(responsible: str, band: AgeBand) -> str:
    words = WHO.get(responsible, WHO["OTHER"])
    return words[BANDS.index(band)]


def _decision_line(decision: LetterDecision, band: AgeBand) -> str:
    what = decision.decision.strip().rstrip(".")
    who = who_will(decision.responsible, band)
    by = long_date(decision.due_date)
    if band is AgeBand.UNDER_8:
        return f"- {what}. {who} will do this by {by}."
    if band is AgeBand.EIGHT_TO_12:
        return f"- {what}. {who} will do this by {by}."
    return f"- {what}. {who} is responsible for this, and it should be done by {by}."


def _next_review(facts: LetterFacts, band: AgeBand) -> str:
    if facts.next_review is None:
        return {
            AgeBand.UNDER_8: "I will tell you when we will meet again.",
            AgeBand.EIGHT_TO_12: "I will let you know when your next review will be.",
            AgeBand.THIRTEEN_AND_OVER: "The date of your next review has not been set yet. I will let you know.",
        }[band]
    day = long_date(facts.next_review)
    if band is AgeBand.UNDER_8:
        return f"We will meet again on {day}." if facts.next_review_booked else f"We will meet again by {day}."
    if band is AgeBand.EIGHT_TO_12:
        return (
            f"Your next review is on {day}."
            if facts.next_review_booked
            else f"Your next review will be by {day}. I will tell you the exact day."
        )
    return (
        f"Your next review is booked for {day}. You can tell me how and where you would like it to be held, "
        "and who you would like to be there."
        if facts.next_review_booked
        else f"Your next review must be held by {day}. You can tell me how and where you would like it to be "
        "held, and who you would like to be there."
    )


def _sentence(setting: str) -> str:
    """A contact from the practice settings, ending as a sentence whether or not it was typed with one."""
    text = setting.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def draft_letter(facts: LetterFacts) -> str:
    """The first draft, in words for the child's age on the day of the review; the IRO edits it."""
    band = letter_age_band(date_of_birth=facts.date_of_birth, review_date=facts.review_date)
    iro = facts.iro_name or "your IRO"
    held = long_date(facts.review_date)
    talked = facts.talked_about.strip() or "(Write here what was talked about.)"
    decisions = [_decision_line(decision, band) for decision in facts.decisions]
    parts: list[str] = [f"Dear {facts.first_name.strip()},"]
    if band is AgeBand.UNDER_8:
        parts += [
            f"My name is {iro}. I am your IRO. My job is to check that you are safe and happy.",
            f"We had a meeting about you on {held}. This letter tells you about it.",
            "What we talked about",
            talked,
            "What we decided",
            "\n".join(decisions) if decisions else "We did not need to change anything.",
            "When we will meet again",
            _next_review(facts, band),
            "Talking to me",
            "You can talk to me at any time. Ask your carer or social worker to help you. "
            + _sentence(facts.service_contact),
            "If you want someone to help you say what you think, you can have an advocate. "
            + _sentence(facts.advocacy_contact),
            f"From {iro}, your IRO",
        ]
    elif band is AgeBand.EIGHT_TO_12:
        parts += [
            f"I am {iro}, your Independent Reviewing Officer (IRO). I chair your reviews and check that the plan "
            "for you is working.",
            f"I am writing to tell you about your review on {held}.",
            "What we talked about",
            talked,
            "What we decided",
            "\n".join(decisions) if decisions else "We decided that your plan should stay as it is.",
            "Your next review",
            _next_review(facts, band),
            "Getting in touch",
            "You can contact me at any time if you are worried or want to tell me something. "
            + _sentence(facts.service_contact),
            "An advocate is someone who can help you say what you think and make sure you are listened to. "
            + _sentence(facts.advocacy_contact),
            f"Best wishes,\n{iro}\nIndependent Reviewing Officer, {facts.authority}",
        ]
    else:
        parts += [
            f"I am {iro}, your Independent Reviewing Officer (IRO). My role is to chair your reviews, to make sure "
            "your care plan meets your needs and that your views are heard, and to challenge the council if "
            "things are not happening as they should.",
            f"This letter is about your review on {held}: what we discussed, what was decided, and who will do "
            "what and by when.",
            "What we discussed",
            talked,
            "What was decided",
            "\n".join(decisions) if decisions else "No new decisions were made: your care plan continues as it is.",
            "Your next review",
            _next_review(facts, band),
            "Your rights",
            "You have the right to have your views listened to and taken seriously, to see what is written about "
            "you, and to disagree with decisions. If you are not happy with something, you can tell me and I will "
            "raise it. You can also make a complaint to the council.",
            "You have the right to an advocate: someone independent who is on your side and can help you say what "
            "you want. " + _sentence(facts.advocacy_contact),
            "Contacting me",
            "You can contact me at any time, including between reviews. " + _sentence(facts.service_contact),
            f"Yours sincerely,\n{iro}\nIndependent Reviewing Officer, {facts.authority}",
        ]
    return "\n\n".join(parts)
