"""A seeded synthetic local authority: children's lives in care simulated day by day, written as the
SSDA903 returns and IRO activity records a real authority would hold.

Each child is simulated from the day they became looked after, with placement moves, changes of
legal status, reviews held against the regulation 33 schedule, and a way out of care; children
already looked after when the data begins have a history before it that the returns do not show,
exactly as in real data. The IRO service's records (allocations, review details, midway reviews,
visits, disputes, alerts, tracking, consultations, audits) are generated around those lives.

Deliberately left out, to keep the SSDA903 output valid: temporary placements (T0-T4), short-break
(V3/V4), emergency and youth-justice legal statuses. See docs/synthetic-data.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, overload

import numpy as np
import polars as pl

from iroscope.data.dataset import Dataset, year_end, year_start
from iroscope.data.geography import PostcodeDirectory, upper_tier_of_district
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.rules.calendar import DateLike, WorkingDayCalendar, england_calendar
from iroscope.rules.calendar import add_months as _add_months
from iroscope.rules.codes import ADOPTION_PLACEMENTS
from iroscope.rules.practice import LocalPractice
from iroscope.rules.schedule import (
    FIRST_REVIEW_WORKING_DAYS,
    LATER_REVIEW_MONTHS,
    SECOND_REVIEW_MONTHS,
)
from iroscope.synth import calibration as cal
from iroscope.synth.calibration import DEFAULT_AUTHORITY, SYNTHETIC_AUTHORITY_NAME
from iroscope.synth.feedback_answers import feedback_answers_add

T = TypeVar("T")
# Its postcodes are real (they make distances meaningful) but its children are not: never call it by
# the real authority's name.
DEFAULT_POSTCODE_LETTERS = {"E06000012": "DHLNP"}
FOSTER_KINSHIP = ("U1", "U3")
FOSTER_OTHER = ("U4", "U6")
FOSTER = FOSTER_KINSHIP + FOSTER_OTHER

# Business support's bookings: the share of reviews held that were booked in the workspace (the rest
# arranged by phone or at the last review), and of children in care whose next review is already booked.
REVIEWS_BOOKED_SHARE = 0.9
NEXT_REVIEW_BOOKED_SHARE = 0.75
NEXT_REVIEW_BOOKED_WITHIN_DAYS = 91  # business support book about three months ahead


# A national authority asks for the same few thousand days millions of times: single-date answers are
# remembered. Each is worked out by the same rule as before, so a seed gives the same authority.
add_months = lru_cache(maxsize=1 << 16)(_add_months)


class _RememberingCalendar(WorkingDayCalendar):
    """The same working days, remembering its answers for single dates."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "_working", {})
        object.__setattr__(self, "_added", {})

    @overload
    def is_working_day(self, dates: dt.date) -> bool: ...
    @overload
    def is_working_day(self, dates: np.ndarray | pl.Series) -> np.ndarray: ...
    def is_working_day(self, dates: dt.date | np.ndarray | pl.Series) -> bool | np.ndarray:
        if not isinstance(dates, dt.date):
            return super().is_working_day(dates)
        known: dict[dt.date, bool] = self._working  # type: ignore[attr-defined]
        answer = known.get(dates)
        if answer is None:
            answer = known[dates] = super().is_working_day(dates)
        return answer

    def add_working_days(self, dates: DateLike, days: int | np.ndarray) -> DateLike:
        if not isinstance(dates, dt.date) or not isinstance(days, int | np.integer):
            return super().add_working_days(dates, days)
        known: dict[tuple[dt.date, int], dt.date] = self._added  # type: ignore[attr-defined]
        key = (dates, int(days))
        answer = known.get(key)
        if answer is None:
            answer = known[key] = super().add_working_days(dates, int(days))
        return answer


@dataclass(frozen=True)
class SynthConfig:
    children: int = 600
    years: int = 3
    seed: int = 1
    authority_code: str = DEFAULT_AUTHORITY
    last_year: int | None = None  # the last collection year; default: the latest complete one
    # Review decisions, letters, feedback answers, challenge impact, late reasons and permanence plans
    # (issue 16). Off only to show that they change nothing else (tests/synth/test_voice.py).
    voice_and_decisions: bool = True


def latest_complete_year(today: dt.date) -> int:
    """The latest collection year that had ended by `today` (2025 = 2025-26 on 22 November 2026)."""
    return today.year - 1 if today >= dt.date(today.year, 4, 1) else today.year - 2


@dataclass
class Placement:
    place: str
    provider: str | None
    postcode: str
    urn: str | None


@dataclass
class Episode:
    start: dt.date
    rne: str
    legal_status: str
    placement: Placement
    end: dt.date | None = None
    reason_ceased: str | None = None
    reason_place_change: str | None = None


@dataclass
class Child:
    child_id: str
    sex: str
    dob: dt.date
    ethnicity: str
    home_postcode: str | None  # None for unaccompanied asylum-seeking children: no home address in England
    uasc: bool = False
    episodes: list[Episode] = field(default_factory=list)
    reviews: list[tuple[dt.date, str]] = field(default_factory=list)
    period_starts: list[dt.date] = field(default_factory=list)
    # Facts for the activity records: (review date, sequence in period, period start)
    review_meta: list[tuple[dt.date, int, dt.date]] = field(default_factory=list)
    adoption_decided: dt.date | None = None  # the agency decision that the child should be placed for adoption
    adoption_matched: dt.date | None = None  # the date the child was matched with their adopters
    sibling_group: str | None = None  # brothers and sisters in care who came in with this child
    # Every review the simulation held, before the data as well as in it: (held, sequence, period start, due).
    review_history: list[tuple[dt.date, int, dt.date, dt.date]] = field(default_factory=list)


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class _Places:
    """Postcode pools for homes and placements at realistic distances from the authority."""

    def __init__(self, authority: str, rng: np.random.Generator):
        self.rng = rng
        letters = DEFAULT_POSTCODE_LETTERS.get(authority, "ABCDEFGHIJKLMNOPRSTUWYZ")
        frame = PostcodeDirectory().load(letters)
        upper = upper_tier_of_district()
        frame = frame.filter(pl.col("easting").is_not_nan() & pl.col("district").is_in(list(upper))).with_columns(
            authority=pl.col("district").replace_strict(upper, return_dtype=pl.String)
        )
        inside = frame.filter(pl.col("authority") == authority)
        if inside.is_empty():
            raise ValueError(f"No postcodes found for authority {authority}")
        centre_e, centre_n = inside["easting"].mean(), inside["northing"].mean()
        outside = frame.filter(pl.col("authority") != authority).with_columns(
            miles=((pl.col("easting") - centre_e) ** 2 + (pl.col("northing") - centre_n) ** 2).sqrt() / 1609.3
        )
        # Sorted, so that the same seed always draws the same postcodes whatever order files load in.
        self.inside: list[str] = sorted(inside["postcode"].to_list())
        self.near: list[str] = sorted(outside.filter(pl.col("miles") < 15)["postcode"].to_list())
        self.far: list[str] = sorted(outside.filter(pl.col("miles").is_between(30, 90))["postcode"].to_list())
        if not self.near or not self.far:
            raise ValueError(f"Not enough postcodes loaded around authority {authority}")

    def home(self) -> str:
        return self.inside[int(self.rng.integers(len(self.inside)))]

    def placement(self, where: str = "any") -> str:
        """A placement postcode: anywhere at the calibrated distances, or only `inside` the
        authority (its own homes), or only `outside` it (another authority's provision)."""
        draw = self.rng.random()
        if where == "outside":
            draw = cal.INSIDE_AUTHORITY_SHARE + draw * (1 - cal.INSIDE_AUTHORITY_SHARE)
        if where == "inside" or draw < cal.INSIDE_AUTHORITY_SHARE:
            pool = self.inside
        elif draw < 1 - cal.OVER_20_MILES_SHARE:
            pool = self.near
        else:
            pool = self.far
        return pool[int(self.rng.integers(len(pool)))]


class Generator:
    def __init__(self, config: SynthConfig, *, today: dt.date, calendar: WorkingDayCalendar | None = None):
        self.config = config
        self.rng = np.random.default_rng(config.seed)
        self.calendar: WorkingDayCalendar = _RememberingCalendar((calendar or england_calendar()).holidays)
        self._choices: dict[tuple[tuple[Any, float], ...], tuple[list[Any], list[float]]] = {}
        self.last_year = config.last_year if config.last_year is not None else latest_complete_year(today)
        self.years = tuple(range(self.last_year - config.years + 1, self.last_year + 1))
        self.data_start = year_start(self.years[0])
        self.data_end = year_end(self.last_year)
        self.places = _Places(config.authority_code, self.rng)
        self.children: list[Child] = []
        self._urns: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        self._next_child = 1
        self.sibling_groups: list[list[Child]] = []

    # ------------------------------------------------------------------ random helpers
    def choice(self, weights: Mapping[T, float]) -> T:
        """One key, drawn with its weight: the same draw as numpy's `choice` with these probabilities
        (one uniform number against their running total), without building arrays on every call."""
        signature = tuple(weights.items())
        known = self._choices.get(signature)
        if known is None:
            keys = list(weights)
            probabilities = np.array([weights[key] for key in keys], dtype=float)
            probabilities = probabilities / probabilities.sum()
            if not np.all(probabilities >= 0) or not np.isclose(probabilities.sum(), 1.0):
                raise ValueError(f"Weights cannot be drawn from: {weights!r}")
            running = probabilities.cumsum()
            running /= running[-1]
            known = self._choices[signature] = (keys, running.tolist())
        keys, running_total = known
        return keys[bisect.bisect_right(running_total, self.rng.random())]

    def chance(self, probability: float) -> bool:
        return bool(self.rng.random() < probability)

    def days(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(days=int(self.rng.uniform(low, max(high, low + 1))))

    def wait(self, mean_years: float, *, at_least_days: int = 1) -> dt.timedelta:
        """An exponentially distributed wait: the time to the next event of a steady process."""
        return dt.timedelta(days=at_least_days + int(self.rng.exponential(mean_years) * 365.25))

    def working_day_on_or_before(self, day: dt.date) -> dt.date:
        while not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    # ------------------------------------------------------------------ children
    def _new_child(self, *, age_on: dt.date, ages: Mapping[tuple[int, int], float], uasc: bool) -> Child:
        if uasc:
            low, high = 14, 17.7
            sex = "M" if self.chance(0.92) else "F"
            ethnicity = self.choice(cal.UASC_ETHNICITY)
        else:
            low, high = self.choice(ages)
            sex = "M" if self.chance(cal.MALE_SHARE) else "F"
            ethnicity = self.choice(cal.ETHNICITY_MIX)
        age_days = self.rng.uniform(low * 365.25 + 2, high * 365.25 - 2)
        dob = age_on - dt.timedelta(days=int(age_days))
        home = self.places.home()
        child = Child(f"C{self._next_child:06d}", sex, dob, ethnicity, None if uasc else home, uasc=uasc)
        self._next_child += 1
        return child

    def _entrants(self, start: dt.date, *, ages: Mapping[tuple[int, int], float], at_most: int) -> list[Child]:
        """The children entering care together on `start`: one, or a sibling group of up to
        `at_most`. Unaccompanied asylum-seeking children arrive alone."""
        uasc = self.chance(cal.UASC_SHARE_OF_ENTRANTS)
        first = self._new_child(age_on=start, ages=ages, uasc=uasc)
        if first.dob >= start:
            first.dob = start - dt.timedelta(days=1)
        if uasc or at_most < 2 or not self.chance(cal.SIBLING_GROUP_SHARE_OF_ENTRIES):
            return [first]
        size = min(self.choice(cal.SIBLING_GROUP_SIZE), at_most)
        return [first, *(self._sibling_of(first, start) for _ in range(size - 1))]

    def _sibling_of(self, first: Child, start: dt.date) -> Child:
        """A brother or sister a year or more apart in age, from the same home and family background,
        young enough to come into care (under 17 and a half) on `start`."""
        youngest_dob = start - dt.timedelta(days=1)
        oldest_dob = start - dt.timedelta(days=int(17.5 * 365.25))
        gap = self.days(330, 5 * 365)
        dob = first.dob + gap if self.chance(0.5) else first.dob - gap
        if not oldest_dob <= dob <= youngest_dob:
            dob = first.dob - gap if dob > youngest_dob else first.dob + gap
        if not oldest_dob <= dob <= youngest_dob:
            dob = start - self.days(30, 365)
        sex = "M" if self.chance(cal.MALE_SHARE) else "F"
        sibling = Child(f"C{self._next_child:06d}", sex, dob, first.ethnicity, first.home_postcode)
        self._next_child += 1
        return sibling

    def _record_sibling_group(self, members: list[Child]) -> None:
        if len(members) < 2:
            return
        group_id = f"SG{len(self.sibling_groups) + 1:05d}"
        for child in members:
            child.sibling_group = group_id
        self.sibling_groups.append(members)

    def _urn(self, place: str, provider: str | None) -> str | None:
        if place in ("P1", "P2", "P3", "R1", "R2", "R5", "Z1") or place.startswith("T"):
            return None
        pool = self._urns[(place[0], provider)]
        if len(pool) < 30 or self.chance(0.1):
            pool.append(f"SC{int(self.rng.integers(100000, 999999))}")
        return pool[int(self.rng.integers(len(pool)))]

    def _placement(self, child: Child, on: dt.date, legal_status: str, *, adoption_plan: bool = False) -> Placement:
        age = _age(child.dob, on)
        if adoption_plan:  # a child whose plan is adoption waits with (non-kinship) foster carers
            place = self.choice({"U4": 0.3, "U6": 0.7})
            provider = self.choice({"PR1": 0.6, "PR4": 0.35, "PR5": 0.05})
        elif (
            legal_status in ("C1", "C2")
            and age < 16
            and not child.uasc
            and child.home_postcode
            and self.chance(cal.PLACED_WITH_PARENTS_SHARE)
        ):
            return Placement("P1", "PR0", child.home_postcode, None)
        elif age >= 16 and self.chance(cal.SUPPORTED_ACCOMMODATION_SHARE_16_PLUS + (0.3 if child.uasc else 0)):
            place = "K3"  # written as H5 in returns before 2024-25
            provider = self.choice({"PR4": 0.6, "PR5": 0.3, "PR1": 0.1})
        elif age >= 11 and self.chance(cal.CHILDRENS_HOME_SHARE_AGED_11_PLUS):
            place = "K2"
            provider = self.choice({"PR4": 0.8, "PR1": 0.15, "PR5": 0.05})
        else:
            kinship = not child.uasc and self.chance(cal.FOSTER_KINSHIP_SHARE)
            long_term = self.chance(0.45)
            place = ("U1" if long_term else "U3") if kinship else ("U4" if long_term else "U6")
            provider = "PR1" if kinship else self.choice({"PR1": 0.55, "PR4": 0.40, "PR5": 0.05})
        return Placement(place, provider, self._placement_postcode(child, place, provider), self._urn(place, provider))

    def _placement_postcode(self, child: Child, place: str, provider: str | None) -> str:
        """The authority's own homes and supported accommodation (PR1 outside foster care and
        adoption) are inside its area; another authority's provision (PR2) is outside it. A
        placement is never at the child's home address (only P1 is)."""
        where = "any"
        if provider == "PR1" and place not in FOSTER + ADOPTION_PLACEMENTS:
            where = "inside"
        elif provider == "PR2":
            where = "outside"
        postcode = self.places.placement(where)
        while postcode == child.home_postcode:
            postcode = self.places.placement(where)
        return postcode

    def _adoptive_placement(self, child: Child, current: Placement) -> Placement:
        """Placed for adoption under the placement order: with the current foster carers, who
        have been approved as the child's adopters (A5, same address), or with new adopters (A6)."""
        if current.place in FOSTER_OTHER and self.chance(0.4):
            provider = "PR1" if current.provider == "PR1" else self.choice({"PR1": 0.7, "PR5": 0.3})
            return Placement("A5", provider, current.postcode, self._urn("A5", provider))
        provider = self.choice({"PR1": 0.6, "PR2": 0.2, "PR5": 0.2})
        return Placement("A6", provider, self._placement_postcode(child, "A6", provider), self._urn("A6", provider))

    def _exit_reason(self, child: Child, episode: Episode, on: dt.date, *, at_18: bool) -> str:
        place = episode.placement.place
        if at_18:
            if place in FOSTER:
                return self.choice({"E17": 0.6, "E5": 0.3, "E6": 0.1})
            return self.choice({"E5": 0.65, "E6": 0.3, "E8": 0.05})
        if child.uasc:
            return self.choice({"E5": 0.5, "E15": 0.3, "E8": 0.2})
        if episode.legal_status == "V2":
            return self.choice({"E4A": 0.62, "E13": 0.15, "E4B": 0.1, "E41": 0.05, "E3": 0.04, "E8": 0.04})
        if place in FOSTER_KINSHIP:
            return self.choice({"E45": 0.6, "E41": 0.2, "E4A": 0.2})
        if place in FOSTER_OTHER and _age(child.dob, on) < 14 and self.chance(0.35):
            return self.choice({"E46": 0.6, "E47": 0.25, "E48": 0.15})
        if place == "P1":
            return self.choice({"E4A": 0.8, "E41": 0.2})
        return self.choice({"E4A": 0.45, "E47": 0.2, "E41": 0.12, "E13": 0.1, "E4B": 0.05, "E3": 0.04, "E8": 0.04})

    def _simulate_period(self, child: Child, start: dt.date) -> dt.date | None:
        """Simulate one period of care from `start`. Returns the day it ended, or None if still open
        at the end of the data."""
        legal_status = self.choice(cal.ENTRY_LEGAL_STATUS) if not child.uasc else "V2"
        if _age(child.dob, start) >= 16 and legal_status == "C1" and self.chance(0.6):
            legal_status = "V2"
        adoption_plan = (
            not child.uasc
            and child.adoption_decided is None
            and _age(child.dob, start) < 5
            and legal_status == "C1"
            and self.chance(cal.ADOPTION_PLAN_UNDER_5)
        )
        placement = self._placement(child, start, legal_status, adoption_plan=adoption_plan)
        episode = Episode(start, "S", legal_status, placement)
        episodes = [episode]
        eighteenth = add_months(child.dob, 18 * 12)
        stage = "plan" if adoption_plan else None
        moves_per_year = cal.PLACEMENT_MOVES_PER_YEAR["teen" if _age(child.dob, start) >= 11 else "young"]
        mean_exit = cal.MEAN_YEARS_TO_EXIT
        next_exit = start + self.wait(mean_exit[legal_status])
        next_legal = self._next_legal_change(legal_status, episode.start)
        next_move = start + self.wait(1 / moves_per_year, at_least_days=7)
        if stage == "plan":
            next_move = dt.date.max
            # The agency decides the child should be placed for adoption before the court makes the
            # placement order, and not before the child came into care.
            decided = max(next_legal - self.days(30, 150), start + dt.timedelta(days=14))
            child.adoption_decided = min(decided, next_legal)
        day = start
        while True:
            current = episodes[-1]
            earliest = current.start + dt.timedelta(days=1)
            exit_day = max(next_exit, earliest) if not adoption_plan else dt.date.max
            events = {
                "exit": exit_day,
                "eighteen": max(eighteenth, earliest),
                "legal": max(next_legal, earliest),
                "move": max(next_move, earliest),
            }
            kind = min(events, key=lambda key: events[key])
            day = events[kind]
            if day > self.data_end:
                break
            if kind in ("exit", "eighteen"):
                current.end = day
                current.reason_ceased = self._exit_reason(child, current, day, at_18=kind == "eighteen")
                if current.reason_ceased in ("E11", "E12", "E45", "E46", "E47", "E48", "E41", "E4A", "E13"):
                    current.reason_place_change = None
                break
            if kind == "legal":
                new_status, new_placement, rne = self._legal_change(child, current, day, stage)
                if new_status is None:  # adoption order made
                    current.end = day
                    current.reason_ceased = "E11" if self.chance(0.7) else "E12"
                    break
                if stage == "plan" and new_status == "E1":
                    stage = "order"
                elif stage == "order" and new_placement is not None:
                    stage = "placed"
                    earliest_match = max(current.start, child.adoption_decided or current.start)
                    child.adoption_matched = max(day - self.days(10, 60), earliest_match)
                current.end, current.reason_ceased = day, "X1"
                if new_placement is not None:
                    current.reason_place_change = "CARPL"
                episodes.append(Episode(day, rne, new_status, new_placement or current.placement))
                next_legal = self._next_legal_change(new_status, day, stage=stage)
                if new_status != current.legal_status:
                    next_exit = day + self.wait(mean_exit.get(new_status, 9.0))
                continue
            # A placement move.
            current.end, current.reason_ceased = day, "X1"
            current.reason_place_change = self.choice(
                {
                    "CARPL": 0.45,
                    "CREQB": 0.15,
                    "CREQO": 0.12,
                    "CHILD": 0.08,
                    "STAND": 0.05,
                    "LAREQ": 0.05,
                    "CLOSE": 0.05,
                    "OTHER": 0.05,
                }
            )
            new_placement = self._placement(child, day, current.legal_status)
            episodes.append(Episode(day, "P", current.legal_status, new_placement))
            next_move = day + self.wait(1 / moves_per_year, at_least_days=14)
        child.episodes.extend(episodes)
        child.period_starts.append(start)
        return episodes[-1].end

    def _next_legal_change(self, status: str, since: dt.date, *, stage: str | None = None) -> dt.date:
        if status == "C1":
            low, high = cal.MONTHS_INTERIM_TO_FULL_ORDER
            return since + self.days(low * 30.4, high * 30.4)
        if status == "V2":
            return since + self.days(60, 400) if self.chance(cal.SECTION_20_TO_PROCEEDINGS) else dt.date.max
        if stage in ("plan", "order", "placed"):
            return since + self.days(60, 300)
        return dt.date.max

    def _legal_change(
        self, child: Child, current: Episode, day: dt.date, stage: str | None
    ) -> tuple[str | None, Placement | None, str]:
        """The next legal status (None when an adoption order ends care), a new placement if it
        changes at the same time, and the RNE code."""
        if current.legal_status == "V2":
            return "C1", None, "L"
        if current.legal_status == "C1":
            if stage == "plan":
                return "E1", None, "L"
            return "C2", None, "L"
        if stage == "order":
            placement = self._adoptive_placement(child, current.placement)
            return "E1", placement, "T" if placement.place == "A5" else "P"
        if stage == "placed":
            return None, None, ""
        return current.legal_status, None, "L"

    # ------------------------------------------------------------------ reviews
    def _hold_review(self, due: dt.date, earliest: dt.date) -> dt.date:
        if self.chance(cal.REVIEW_ON_TIME_SHARE):
            held = due - self.days(0, 12)
            held = self.working_day_on_or_before(held)
            return max(held, earliest)
        low, high = self.choice(cal.LATE_WORKING_DAYS)
        late = int(self.rng.integers(low, high))
        return self.calendar.add_working_days(due, late)

    def _schedule_reviews(self, child: Child) -> None:
        """Hold reviews for every period against regulation 33, with realistic lateness. Reviews
        before the data begins happen (they set the cycle) but are not kept."""
        for period_start, period_end in _periods(child):
            last = period_end or self.data_end
            due = self.calendar.add_working_days(period_start, FIRST_REVIEW_WORKING_DAYS)
            held = self._hold_review(due, period_start)
            sequence = 1
            while held <= last and held <= self.data_end:
                child.review_history.append((held, sequence, period_start, due))
                if held >= self.data_start:
                    child.reviews.append((held, self._participation(child, held)))
                    child.review_meta.append((held, sequence, period_start))
                months = SECOND_REVIEW_MONTHS if sequence == 1 else LATER_REVIEW_MONTHS
                due = add_months(held, months)
                held = self._hold_review(due, held + dt.timedelta(days=28))
                sequence += 1

    def _participation(self, child: Child, on: dt.date) -> str:
        if add_months(child.dob, 48) > on:
            return "PN0"
        return self.choice(cal.PARTICIPATION_4_PLUS)

    # ------------------------------------------------------------------ population
    def simulate(self) -> None:
        n = self.config.children
        # The children in care when the data begins are the survivors of the same process run
        # over the years before: entrants at random dates in the 18 years before, kept if still in
        # care on the first day. The opening population then has the ages, legal statuses and
        # lengths of stay that the process itself produces. (Forcing every history to last until
        # the first day instead made a third of the children leave on 1 April.)
        # Siblings enter together but live their own lives: one may go home or be adopted while
        # another stays, so only those still in care when the data begins are in the opening group.
        opening = 0
        while opening < n:
            number = self._next_child
            start = self.data_start - self.days(1, cal.YEARS_OF_HISTORY_BEFORE_THE_DATA * 365.25)
            group = self._entrants(start, ages=cal.AGE_MIX_AT_ENTRY, at_most=n - opening)
            survivors = []
            for child in group:
                self._life(child, start, keep=False)
                if _in_care_on(child, self.data_start):
                    survivors.append(child)
            # Identifiers of children who left before the data began are reused: the returns never show them.
            self._next_child = number
            for child in survivors:
                child.child_id = f"C{self._next_child:06d}"
                self._next_child += 1
                self.children.append(child)
            opening += len(survivors)
            self._record_sibling_group(survivors)
        for year in self.years:
            entries = round(n * cal.ENTRIES_SHARE_OF_OPENING * (0.97 ** (year - self.years[0])))
            entered = 0
            while entered < entries:
                start = year_start(year) + self.days(0, 365)
                group = self._entrants(start, ages=cal.AGE_MIX_AT_ENTRY, at_most=entries - entered)
                for child in group:
                    self._life(child, start)
                entered += len(group)
                self._record_sibling_group(group)
        for child in self.children:
            self._schedule_reviews(child)

    def _life(self, child: Child, start: dt.date, *, keep: bool = True) -> None:
        ended = self._simulate_period(child, start)
        while (
            ended is not None
            and child.episodes[-1].reason_ceased in ("E4A", "E4B", "E13")
            and self.chance(cal.RETURN_TO_CARE_SHARE * 3)
        ):
            again = ended + self.days(20, 500)
            if again > self.data_end or _age(child.dob, again) >= 17:
                break
            ended = self._simulate_period(child, again)
        if keep:
            self.children.append(child)

    # ------------------------------------------------------------------ SSDA903 tables
    def ssda903_tables(self) -> dict[str, pl.DataFrame]:
        lists: list[list[dict[str, Any]]] = [[] for _ in range(10)]
        header, episodes, reviews, uasc, missing, sw_episodes, oc2, placed, ad1, prev_perm = lists
        for child in self.children:
            kept = [e for e in child.episodes if e.end is None or e.end >= self.data_start]
            if not kept:
                continue
            header.append(
                {
                    "child_id": child.child_id,
                    "sex": child.sex,
                    "date_of_birth": child.dob,
                    "ethnicity": child.ethnicity,
                    "upn": self._upn(child),
                    "mother": "0" if child.sex == "F" else None,  # the DfE asks for MOTHER for every girl looked after
                    "child_of_mother_dob": None,
                }
            )
            for episode in kept:
                episodes.append(
                    {
                        "child_id": child.child_id,
                        "start_date": episode.start,
                        "reason_new_episode": episode.rne,
                        "legal_status": episode.legal_status,
                        "category_of_need": "N1" if not child.uasc else "N8",
                        "placement_type": _placement_code(episode),
                        "placement_provider": episode.placement.provider,
                        "end_date": episode.end,
                        "reason_ceased": episode.reason_ceased,
                        "reason_place_change": episode.reason_place_change,
                        "home_postcode": child.home_postcode,
                        "placement_postcode": episode.placement.postcode,
                        "urn": episode.placement.urn,
                    }
                )
            for held, code in child.reviews:
                reviews.append({"child_id": child.child_id, "review_date": held, "participation": code})
            if child.uasc:
                uasc.append({"child_id": child.child_id, "uasc_ceased": add_months(child.dob, 18 * 12)})
            if any(start >= self.data_start for start, _end in _periods(child)):
                # Asked only of children who start to be looked after in a return's year.
                prev_perm.append(
                    {
                        "child_id": child.child_id,
                        "previous_permanence": "Z1",
                        "la_permanence": None,
                        "date_permanence": None,
                    }
                )
            missing.extend(self._missing(child, kept))
            sw_episodes.extend(self._social_workers(child))
            if child.adoption_decided is not None and child.adoption_decided <= self.data_end:
                # An adoption leaves the decision standing: it "ceases" only when it is reversed.
                placed.append(
                    {
                        "child_id": child.child_id,
                        "date_placed": child.adoption_decided,
                        "date_placed_ceased": None,
                        "reason_placed_ceased": None,
                    }
                )
                if kept[-1].reason_ceased in ("E11", "E12"):
                    ad1.append(self._adopters(child, kept[-1]))
        frames = {
            "children": header,
            "episodes": episodes,
            "reviews": reviews,
            "uasc": uasc,
            "missing": missing,
            "sw_episodes": sw_episodes,
            "oc2": oc2,
            "placed_for_adoption": placed,
            "ad1": ad1,
            "previous_permanence": prev_perm,
        }
        return {name: _frame(name, rows) for name, rows in frames.items()}

    def _upn(self, child: Child) -> str:
        if _age(child.dob, self.data_end) < 5:
            return "UN1"
        if child.uasc:
            return "UN2"
        authority, school = int(self.rng.integers(800, 999)), int(self.rng.integers(1000, 9999))
        body = f"{authority:03d}{school:04d}{child.dob.year % 100:02d}{int(self.rng.integers(0, 999)):03d}"
        return upn_check_letter(body) + body

    def _adopters(self, child: Child, adopted: Episode) -> dict[str, Any]:
        """The AD1 row of an adopted child. Adopted by their foster carers exactly when the last
        placement was with them (A5); the adopters' make-up is in England's proportions [ext]."""
        number, sex, legal_status = self.choice(
            {
                ("2", "MF", "L11"): 0.62,  # married couple
                ("2", "MF", "L3"): 0.10,  # unmarried couple
                ("2", "FF", "L12"): 0.05,  # civil partners or married, same sex
                ("2", "MM", "L12"): 0.05,
                ("2", "FF", "L4"): 0.02,  # unmarried, same sex
                ("2", "MM", "L4"): 0.01,
                ("1", "F1", "L0"): 0.13,  # single adopter
                ("1", "M1", "L0"): 0.02,
            }
        )
        return {
            "child_id": child.child_id,
            "date_interest": child.adoption_decided,
            "date_match": child.adoption_matched,
            "foster_care": "1" if adopted.placement.place in ("A3", "A5") else "0",
            "number_of_adopters": number,
            "sex_of_adopters": sex,
            "legal_status_of_adopters": legal_status,
        }

    def _missing(self, child: Child, episodes: Sequence[Episode]) -> list[dict[str, Any]]:
        """Missing and away-from-placement spells of children aged 11 or over, year by year. Each
        spell is inside one episode: the child goes missing from a placement and is back (or
        recorded as back) before that placement or care ends."""
        rows: list[dict[str, Any]] = []
        eleventh = add_months(child.dob, 11 * 12)
        taken: list[tuple[dt.date, dt.date]] = []
        for year in self.years:
            first, last = max(year_start(year), eleventh), year_end(year)
            # The parts of the year in care aged 11+, episode by episode: (episode, from, to).
            spans = []
            for episode in episodes:
                to = min(last, episode.end - dt.timedelta(days=1) if episode.end is not None else self.data_end)
                begin = max(first, episode.start)
                if begin <= to:
                    spans.append((episode, begin, to))
            if not spans or not self.chance(cal.MISSING_SHARE_AGED_11_PLUS):
                continue
            for _ in range(min(1 + int(self.rng.poisson(cal.MISSING_EXTRA_SPELLS)), 4)):
                total = sum((to - begin).days + 1 for _e, begin, to in spans)
                offset = int(self.rng.integers(total))
                chosen = spans[-1]
                for span in spans:
                    length = (span[2] - span[1]).days + 1
                    if offset < length:
                        chosen = span
                        break
                    offset -= length
                episode, begin, _to = chosen
                start = begin + dt.timedelta(days=offset)
                # A spell may run past 31 March, but not past the end of its placement.
                back_by = episode.end - dt.timedelta(days=1) if episode.end is not None else self.data_end
                end = min(start + self.days(1, 6), back_by)
                if any(start <= other_end and other_start <= end for other_start, other_end in taken):
                    continue
                taken.append((start, end))
                rows.append(
                    {
                        "child_id": child.child_id,
                        "missing_type": self.choice({"M": 0.7, "A": 0.3}),
                        "start_date": start,
                        "end_date": end,
                    }
                )
        return sorted(rows, key=lambda row: row["start_date"])

    def _social_workers(self, child: Child) -> list[dict[str, Any]]:
        """Social worker episodes. Each period of care begins with a social worker (FCONTA) and
        workers change during care for the usual reasons, the new one starting as the last one
        finishes. The last worker's episode stays open: the return has no end for it (the worker
        stays with the family after the child goes home). A child who comes back into care is a
        re-referral, with a new first contact; the earlier worker's episode ends the day before."""
        rows: list[dict[str, Any]] = []
        worker: dict[str, Any] | None = None
        for start, end in _periods(child):
            if worker is not None:
                worker["end_date"] = start - dt.timedelta(days=1)
            worker = self._social_worker(child, start, "FCONTA")
            rows.append(worker)
            day = start
            while True:
                change = day + self.days(150, 700)
                if change > self.data_end or (end is not None and change >= end):
                    break
                worker["end_date"] = change
                worker = self._social_worker(child, change, self.choice(cal.SOCIAL_WORKER_CHANGE_REASONS))
                rows.append(worker)
                day = change
        return [row for row in rows if row["end_date"] is None or row["end_date"] >= self.data_start]

    def _social_worker(self, child: Child, start: dt.date, reason: str) -> dict[str, Any]:
        return {
            "child_id": child.child_id,
            "social_worker_id": f"SW{int(self.rng.integers(10000, 99999))}",
            "start_date": start,
            "end_date": None,
            "reason": reason,
        }

    # ------------------------------------------------------------------ activity records
    def activity_tables(self, tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        activity = _Activity(self, tables)
        return activity.build()

    def _establishment(self, staff: pl.DataFrame) -> pl.DataFrame:
        """Funded IRO posts each year: those filled at the year end and, some years, a vacancy or two.
        Drawn from a generator of its own, so adding it left every other synthetic figure as it was."""
        rng = np.random.default_rng([self.config.seed, 19])
        funded = []
        for year in self.years:
            end = year_end(year)
            in_post = staff.filter(
                (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") >= end))
            )
            vacant = float(rng.choice(list(cal.IRO_VACANCIES_MIX), p=list(cal.IRO_VACANCIES_MIX.values())))
            funded.append(round(float(in_post["fte"].fill_null(0).sum()) + vacant, 1))
        return pl.DataFrame(
            {"year": [f"{y}-{(y + 1) % 100:02d}" for y in self.years], "funded_fte": funded},
            schema=TABLES_BY_NAME["establishment"].polars_schema,
        )

    def dataset(self) -> Dataset:
        self.simulate()
        tables = self.ssda903_tables()
        tables.update(self.activity_tables(tables))
        population = round(self.config.children * 10_000 / cal.CHILDREN_PER_10K)
        tables["population"] = pl.DataFrame(
            {
                "year": [f"{y}-{(y + 1) % 100:02d}" for y in self.years],
                "population_0_17": [int(population * (1 + 0.002 * i)) for i, _ in enumerate(self.years)],
            }
        )
        tables["establishment"] = self._establishment(tables["iro_staff"])
        return Dataset(
            tables=tables,
            years=self.years,
            practice=LocalPractice(),
            authority_code=self.config.authority_code,
            authority_name=SYNTHETIC_AUTHORITY_NAME,
        )


K3_INTRODUCED = dt.date(2024, 4, 1)
NOT_ATTENDED = ("PN5", "PN6", "PN7")


def _placement_code(episode: Episode) -> str:
    """Supported accommodation is K3 from 2024-25; an episode that ended before then was H5, and one
    still open on 1 April 2024 carries on as K3 (the DfE's transition rule)."""
    if episode.placement.place == "K3" and episode.end is not None and episode.end < K3_INTRODUCED:
        return "H5"
    return episode.placement.place


UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The DfE check letter for the 12 characters after it: weighted sum modulo 23."""
    total = sum(int(character) * weight for character, weight in zip(body, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23]


def _frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    table = TABLES_BY_NAME[name]
    if not rows:
        return table.empty()
    return pl.DataFrame(rows, schema=table.polars_schema)


class _Activity:
    """The IRO service's records, generated around the children's simulated lives."""

    def __init__(self, generator: Generator, tables: Mapping[str, pl.DataFrame]):
        self.g = generator
        self.tables = tables
        self.rng = generator.rng
        self.calendar = generator.calendar
        self.practice = LocalPractice()
        self.children = {child.child_id: child for child in generator.children}
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._counter = 0

    def _id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:06d}"

    def build(self) -> dict[str, pl.DataFrame]:
        self._staff()
        self._sibling_groups()
        self._allocations()
        self._reviews()
        self._between_reviews()
        self._disputes()
        self._notifications()
        self._service_records()
        self._bookings()
        self._voices_at_reviews()
        self._pathway_plan_reviews()
        if self.g.config.voice_and_decisions:
            # Imported here: the module builds on this one's children and records.
            from iroscope.synth.voice import VoiceAndDecisions

            VoiceAndDecisions(self.g, self.rows).build()
        return {name: _frame(name, rows) for name, rows in self.rows.items()}

    def _voices_at_reviews(self) -> None:
        """The optional fields the seed reports count and SSDA903 does not: why a child did not attend,
        whether they chaired their review, whether parents and carers took part, and agency IROs. Drawn
        from a generator of their own, so adding them left every other synthetic figure as it was."""
        rng = np.random.default_rng([self.g.config.seed, 903])
        participation = {
            (child_id, day): code
            for child_id, day, code in self.tables["reviews"]
            .select("child_id", "review_date", "participation")
            .iter_rows()
        }
        reasons = list(cal.NON_ATTENDANCE_REASON_MIX)
        weights = np.array([cal.NON_ATTENDANCE_REASON_MIX[reason] for reason in reasons])
        for row in self.rows["review_details"]:
            code = participation.get((row["child_id"], row["review_date"]))
            draws = rng.random(3)
            row["non_attendance_reason"] = (
                reasons[int(rng.choice(len(reasons), p=weights / weights.sum()))] if code in NOT_ATTENDED else None
            )
            row["child_chaired"] = "Y" if code == "PN1" and draws[0] < cal.CHILD_CHAIRED_SHARE else "N"
            row["parents_participated"] = "Y" if draws[1] < cal.PARENTS_PARTICIPATED else "N"
            row["carers_participated"] = "Y" if draws[2] < cal.CARERS_PARTICIPATED else "N"
        for iro in self.rows["iro_staff"]:
            iro["agency"] = "Y" if rng.random() < cal.AGENCY_IRO_SHARE else "N"

    def _pathway_plan_reviews(self) -> None:
        """Care leavers' pathway plan reviews, every six months from leaving care at 18 until 21 or the
        data's end, some chaired by the IRO service. Drawn from a generator of their own, so adding them
        left every other synthetic figure as it was."""
        g = self.g
        rng = np.random.default_rng([g.config.seed, 18])
        interval = dt.timedelta(days=round(cal.PATHWAY_PLAN_REVIEW_MONTHS * 365.25 / 12))
        for child in g.children:
            left = child.episodes[-1].end if child.episodes else None
            if left is None or _age(child.dob, left) < 18:
                continue
            twenty_first = dt.date(
                child.dob.year + 21, child.dob.month, min(child.dob.day, 28 if child.dob.month == 2 else 31)
            )
            due, until = left + interval, min(twenty_first, g.data_end)
            while due <= until:
                on_time = rng.random() < cal.PATHWAY_PLAN_ON_TIME
                held = (
                    due - dt.timedelta(days=int(rng.integers(0, 15)))
                    if on_time
                    else due + dt.timedelta(days=int(rng.integers(1, 45)))
                )
                if held > g.data_end:
                    break
                self.rows["pathway_plan_reviews"].append(
                    {
                        "child_id": child.child_id,
                        "review_date": held,
                        "chaired_by_iro_service": "Y" if rng.random() < cal.PATHWAY_PLAN_CHAIRED_BY_IRO else "N",
                        "due_date": due,
                    }
                )
                due = held + interval

    # IROs ------------------------------------------------------------------------------
    def _staff(self) -> None:
        g = self.g
        fte_needed = g.config.children / cal.CASELOAD_PER_FTE
        self.iros: list[dict[str, Any]] = []
        total = 0.0
        while total < fte_needed:
            fte = float(g.choice({1.0: 0.7, 0.8: 0.15, 0.6: 0.15}))
            self._add_iro(fte, g.data_start - g.days(200, 4000), None)
            total += fte
        # Turnover: one or two IROs leave and are replaced in each year.
        for year in g.years[1:]:
            leaver = self.iros[int(self.rng.integers(len(self.iros)))]
            if leaver["end_date"] is None:
                left = year_start(year) + g.days(30, 300)
                leaver["end_date"] = left
                self._add_iro(leaver["fte"], left + g.days(1, 40), None)
        self.rows["iro_staff"] = self.iros

    def _add_iro(self, fte: float, start: dt.date, end: dt.date | None) -> None:
        number = len(self.iros) + 1
        self.iros.append(
            {
                "iro_id": f"IRO{number:03d}",
                "name": f"IRO {number}",
                "fte": fte,
                "start_date": start,
                "end_date": end,
                "gender": "FEMALE" if self.g.chance(cal.IRO_FEMALE_SHARE) else "MALE",
                "ethnicity": self.g.choice(
                    {"WBRI": 0.82, "WOTH": 0.04, "MWBC": 0.03, "BCRB": 0.04, "APKN": 0.04, "AIND": 0.03}
                ),
                "dual_role": "Y" if self.g.chance(0.3) else "N",
                # Two area teams, so the workspace's dashboard has a team to filter by.
                "team": "North team" if number % 2 else "South team",
            }
        )

    def _iro_on(self, day: dt.date, load: np.ndarray) -> str:
        """The IRO with most room on `day`, relative to their FTE (ties broken at random). `load` holds
        each IRO's children, in the order of `self.iros`; a national team has over a thousand IROs, so
        this is worked out on arrays."""
        today = day.toordinal()
        working = np.flatnonzero((self._iro_starts <= today) & (self._iro_ends > today))
        if working.size == 0:
            # A small team may have nobody in post on a day long before the data (a child in care for
            # years): the IRO whose service is nearest that day takes the child.
            working = np.array([int(np.argmin(np.abs(self._iro_starts - today)))])
        room = load[working] / self._iro_fte[working]
        draws = self.rng.random(working.size)  # one for each IRO in post, as the tie-break
        tied = np.flatnonzero(room == room.min())
        chosen = int(working[tied[int(np.argmin(draws[tied]))]])
        load[chosen] += 1
        return str(self.iros[chosen]["iro_id"])

    def _index_iros(self) -> None:
        """The team as arrays for `_iro_on`: start and end of service as day numbers, and FTE."""
        self._iro_starts = np.array([iro["start_date"].toordinal() for iro in self.iros], dtype=np.int64)
        self._iro_ends = np.array(
            [dt.date.max.toordinal() if iro["end_date"] is None else iro["end_date"].toordinal() for iro in self.iros],
            dtype=np.int64,
        )
        self._iro_fte = np.array([iro["fte"] for iro in self.iros], dtype=float)
        self._iro_position = {iro["iro_id"]: position for position, iro in enumerate(self.iros)}

    def _sibling_groups(self) -> None:
        self.siblings: dict[str, list[str]] = {}
        for members in self.g.sibling_groups:
            ids = [child.child_id for child in members]
            for child in members:
                self.rows["sibling_groups"].append(
                    {"child_id": child.child_id, "sibling_group_id": child.sibling_group}
                )
                self.siblings[child.child_id] = [other for other in ids if other != child.child_id]

    def _allocations(self) -> None:
        """Each period of care gets an IRO within five working days; IROs who leave hand over. A child
        whose brother or sister already has an IRO usually gets the same one, and from then on moves
        with them."""
        g = self.g
        self._index_iros()
        load = np.zeros(len(self.iros), dtype=float)
        self.allocation_of: dict[str, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
        events: list[tuple[dt.date, str, dt.date, dt.date | None]] = []
        for child in self.children.values():
            for start, end in _periods(child):
                if end is not None and end < g.data_start:
                    continue
                allocated = max(
                    g.calendar.add_working_days(start, int(self.rng.integers(0, 6))), g.data_start - g.days(0, 400)
                )
                if end is not None and allocated >= end:
                    allocated = start
                events.append((allocated, child.child_id, start, end))
        events.sort()
        for allocated, child_id, _start, end in events:
            sibling = next(
                (other for other in self.siblings.get(child_id, []) if self._iro_covering(other, allocated)), None
            )
            if sibling is not None and self.g.chance(cal.SIBLINGS_SHARE_AN_IRO):
                self._follow(child_id, sibling, allocated, end, load)
                continue
            iro = self._iro_on(allocated, load)
            self._allocate(child_id, iro, allocated, end, load)

    def _iro_covering(self, child_id: str, day: dt.date) -> str | None:
        for start, end, iro in self.allocation_of.get(child_id, []):
            if start <= day and (end is None or day < end):
                return iro
        return None

    def _follow(self, child_id: str, sibling: str, start: dt.date, end: dt.date | None, load: np.ndarray) -> None:
        """Allocate the child with their sibling's IROs from `start`; where the sibling's allocations
        end first (the sibling left care), the child carries on as any child does."""
        day = start
        for sibling_start, sibling_end, iro in self.allocation_of[sibling]:
            if sibling_end is not None and sibling_end <= day:
                continue
            if sibling_start > day or (end is not None and sibling_start >= end):
                break  # the sibling was out of care, or the child leaves first
            stop = sibling_end if end is None or (sibling_end is not None and sibling_end < end) else end
            if stop is not None and stop > self.g.data_end:
                stop = None
            self._allocation_row(child_id, iro, day, stop, first=day == start)
            if stop is None or (end is not None and stop >= end):
                return
            day = stop
        self._allocate(child_id, self._iro_on(day, load), day, end, load, first=day == start)

    def _allocation_row(self, child_id: str, iro: str, start: dt.date, end: dt.date | None, *, first: bool) -> None:
        self.allocation_of[child_id].append((start, end, iro))
        self.rows["iro_allocations"].append(
            {
                "child_id": child_id,
                "iro_id": iro,
                "start_date": start,
                "end_date": end,
                "reason": None if first else "IRO changed",
            }
        )

    def _allocate(
        self,
        child_id: str,
        iro: str,
        start: dt.date,
        end: dt.date | None,
        load: np.ndarray,
        *,
        first: bool = True,
    ) -> None:
        g = self.g
        day = start
        current = iro
        while True:
            leaver = self.iros[self._iro_position[current]]
            stop_candidates = [d for d in (end, leaver["end_date"]) if d is not None]
            if self.g.chance(cal.IRO_CHANGE_PER_CHILD_YEAR * len(g.years)):
                stop_candidates.append(day + g.days(100, 900))
            stop = min(stop_candidates) if stop_candidates else None
            if stop is not None and stop > g.data_end:
                stop = None
            if stop is not None and stop <= day:
                stop = day + dt.timedelta(days=1)
            self._allocation_row(child_id, current, day, stop, first=first and day == start)
            load[self._iro_position[current]] -= 1
            if stop is None or (end is not None and stop >= end):
                return
            current = self._iro_on(stop, load)
            day = stop

    def _iro_for(self, child_id: str, day: dt.date) -> str | None:
        for start, end, iro in self.allocation_of.get(child_id, []):
            if start <= day and (end is None or day < end):
                return iro
        allocations = self.allocation_of.get(child_id)
        return allocations[-1][2] if allocations else None

    # Reviews ---------------------------------------------------------------------------
    def _reviews(self) -> None:
        g = self.g
        for child in self.children.values():
            for held, sequence, period_start in child.review_meta:
                iro = self._iro_for(child.child_id, held)
                decisions = g.calendar.add_working_days(
                    held,
                    int(self.rng.integers(1, 6)) if g.chance(cal.DECISIONS_ON_TIME) else int(self.rng.integers(6, 15)),
                )
                record = g.calendar.add_working_days(
                    held,
                    int(self.rng.integers(5, 21)) if g.chance(cal.RECORD_ON_TIME) else int(self.rng.integers(21, 45)),
                )
                invitations = g.calendar.add_working_days(
                    held,
                    -int(self.rng.integers(10, 16))
                    if g.chance(cal.INVITATIONS_ON_TIME)
                    else -int(self.rng.integers(2, 10)),
                )
                permanence = sequence >= 2 and g.chance(cal.PERMANENCE_PLAN_BY_SECOND_REVIEW)
                self.rows["review_details"].append(
                    {
                        "child_id": child.child_id,
                        "review_date": held,
                        "iro_id": iro,
                        "format": g.choice(cal.REVIEW_FORMAT_MIX),
                        "series_of_meetings": "Y" if g.chance(cal.SERIES_OF_MEETINGS_SHARE) else "N",
                        "invitations_sent_date": invitations,
                        "decisions_date": decisions if decisions <= g.data_end else None,
                        "record_distributed_date": record if record <= g.data_end else None,
                        "permanence_plan": ("Y" if permanence else "N") if sequence >= 2 else None,
                        "participation": None,
                    }
                )
                self._consultations(child, held, invitations)
                if g.chance(cal.ADJOURNED_SHARE) and held - dt.timedelta(days=60) > period_start:
                    gap = (
                        int(self.rng.integers(3, 20))
                        if g.chance(cal.RECONVENED_WITHIN_20WD)
                        else int(self.rng.integers(21, 40))
                    )
                    meeting = g.calendar.add_working_days(held, -gap)
                    self.rows["review_meetings"].append(
                        {
                            "child_id": child.child_id,
                            "meeting_date": meeting,
                            "outcome": "ADJOURNED",
                            "reason": g.choice(
                                {
                                    "DOCUMENTS_NOT_READY": 0.35,
                                    "CARE_PLAN_NOT_READY": 0.25,
                                    "KEY_PROFESSIONAL_UNAVAILABLE": 0.15,
                                    "CHILD_OR_FAMILY_NOT_READY": 0.15,
                                    "OTHER": 0.1,
                                }
                            ),
                            "reconvened_date": held,
                            "iro_id": iro,
                        }
                    )
                elif g.chance(cal.STOOD_DOWN_SHARE) and held - dt.timedelta(days=60) > period_start:
                    meeting = g.calendar.add_working_days(held, -int(self.rng.integers(2, 15)))
                    self.rows["review_meetings"].append(
                        {
                            "child_id": child.child_id,
                            "meeting_date": meeting,
                            "outcome": "STOOD_DOWN",
                            "reason": g.choice(
                                {
                                    "CARE_PLAN_NOT_READY": 0.5,
                                    "SOCIAL_WORKER_CHANGE": 0.2,
                                    "IRO_UNAVAILABLE": 0.2,
                                    "OTHER": 0.1,
                                }
                            ),
                            "reconvened_date": held,
                            "iro_id": iro,
                        }
                    )

    def _consultations(self, child: Child, held: dt.date, sent: dt.date) -> None:
        g = self.g
        recipients = ["PARENT", "CARER", "SOCIAL_WORKER", "HEALTH", "EDUCATION"]
        if _age(child.dob, held) >= 8:
            recipients.insert(0, "CHILD")
        for recipient in recipients:
            returned = sent + g.days(2, 20) if g.chance(cal.CONSULTATION_RETURN[recipient]) else None
            self.rows["consultations"].append(
                {
                    "child_id": child.child_id,
                    "review_date": held,
                    "recipient": recipient,
                    "sent_date": sent,
                    "returned_date": returned if returned is not None and returned <= g.data_end else None,
                }
            )

    # Bookings --------------------------------------------------------------------------
    def _bookings(self) -> None:
        """Business support's bookings: most reviews held were booked (the invitations going out on the
        date review_details gives), and most children still in care at the end of the data have their
        next review booked. A generator of its own, so that adding bookings changed nothing else."""
        g = self.g
        rng = np.random.default_rng([g.config.seed, 903])
        invitations = {(row["child_id"], row["review_date"]): row for row in self.rows["review_details"]}
        for child in self.children.values():
            for held, _sequence, _period_start in child.review_meta:
                details = invitations[(child.child_id, held)]
                if rng.random() >= REVIEWS_BOOKED_SHARE:
                    continue
                sent: dt.date = details["invitations_sent_date"]
                self.rows["scheduled_reviews"].append(
                    {
                        "child_id": child.child_id,
                        "scheduled_date": held,
                        "format": details["format"],
                        "booked_date": g.calendar.add_working_days(sent, -int(rng.integers(3, 25))),
                        "invitations_sent_date": sent,
                    }
                )
            self._next_booking(child, rng)

    def _next_booking(self, child: Child, rng: np.random.Generator) -> None:
        g = self.g
        periods = _periods(child)
        if not child.review_meta or not periods or periods[-1][1] is not None:
            return
        last_held, sequence, period_start = child.review_meta[-1]
        if period_start != periods[-1][0] or rng.random() >= NEXT_REVIEW_BOOKED_SHARE:
            return
        due = add_months(last_held, SECOND_REVIEW_MONTHS if sequence == 1 else LATER_REVIEW_MONTHS)
        scheduled = g.working_day_on_or_before(due - dt.timedelta(days=int(rng.integers(0, 12))))
        if scheduled <= g.data_end:
            return  # due before the data ends: held or overdue, not waiting on a booking
        if scheduled > g.data_end + dt.timedelta(days=NEXT_REVIEW_BOOKED_WITHIN_DAYS):
            return  # too far off to be booked yet
        booked = min(g.calendar.add_working_days(scheduled, -int(rng.integers(25, 60))), g.data_end)
        sent = g.calendar.add_working_days(scheduled, -int(rng.integers(10, 21)))
        self.rows["scheduled_reviews"].append(
            {
                "child_id": child.child_id,
                "scheduled_date": scheduled,
                "format": str(rng.choice(list(cal.REVIEW_FORMAT_MIX))),
                "booked_date": booked,
                "invitations_sent_date": sent if booked <= sent <= g.data_end else None,
            }
        )

    # Between reviews -------------------------------------------------------------------
    def _between_reviews(self) -> None:
        g = self.g
        for child in self.children.values():
            dates = [held for held, _s, _p in child.review_meta]
            for previous, following in zip(dates, [*dates[1:], None], strict=False):
                next_due = add_months(previous, LATER_REVIEW_MONTHS)
                halfway = previous + (next_due - previous) / 2
                if (
                    (following is None or following > halfway)
                    and halfway <= g.data_end
                    and g.chance(cal.MIDWAY_COMPLETED_SHARE)
                ):
                    midway = g.working_day_on_or_after(halfway + g.days(-10, 20))
                    if midway <= g.data_end and (following is None or midway < following):
                        self.rows["midway_reviews"].append(
                            {
                                "child_id": child.child_id,
                                "midway_date": midway,
                                "iro_id": self._iro_for(child.child_id, midway),
                                "concerns_identified": "Y" if g.chance(0.2) else "N",
                            }
                        )
            self._contacts(child, dates)
            self._tracking(child)

    def _contacts(self, child: Child, review_dates: list[dt.date]) -> None:
        g = self.g
        seen: set[tuple[dt.date, str]] = set()
        for held in review_dates:
            if _age(child.dob, held) >= 4 and g.chance(cal.SEEN_BEFORE_REVIEW_SHARE):
                day = g.working_day_on_or_before(held - g.days(1, 20))
                if day >= g.data_start and (day, "CONSULTATION") not in seen:
                    seen.add((day, "CONSULTATION"))
                    self.rows["iro_contacts"].append(self._contact(child, day, "CONSULTATION", "COMPLETED"))
        start, end = _span_in_data(child, g)
        years_in_data = max((end - start).days, 0) / 365.25
        for _ in range(int(self.rng.poisson(cal.VISITS_PER_CHILD_YEAR * years_in_data))):
            day = g.working_day_on_or_after(start + g.days(0, max((end - start).days, 1)))
            if day > end or (day, "VISIT") in seen:
                continue
            seen.add((day, "VISIT"))
            outcome = g.choice(
                {
                    "COMPLETED": 1 - cal.VISIT_FAILED_SHARE - cal.VISIT_DECLINED_SHARE,
                    "FAILED": cal.VISIT_FAILED_SHARE,
                    "DECLINED": cal.VISIT_DECLINED_SHARE,
                }
            )
            self.rows["iro_contacts"].append(self._contact(child, day, "VISIT", outcome))

    def _contact(self, child: Child, day: dt.date, kind: str, outcome: str) -> dict[str, Any]:
        return {
            "child_id": child.child_id,
            "contact_date": day,
            "kind": kind,
            "method": self.g.choice({"IN_PERSON": 0.6, "VIRTUAL": 0.25, "PHONE": 0.1, "WRITTEN": 0.05}),
            "outcome": outcome,
            "iro_id": self._iro_for(child.child_id, day),
        }

    def _tracking(self, child: Child) -> None:
        g = self.g
        start, end = _span_in_data(child, g)
        if end <= start:
            return
        level = g.choice(cal.RAG_MIX)
        day = start + g.days(0, 30)
        while day <= end:
            self.rows["case_tracking"].append(
                {
                    "child_id": child.child_id,
                    "check_date": day,
                    "rag_level": level,
                    "iro_id": self._iro_for(child.child_id, day),
                }
            )
            interval = self.practice.rag_oversight_days[level]
            on_time = g.chance(cal.RAG_CHECK_ON_TIME)
            day = day + (g.days(interval * 0.6, interval) if on_time else g.days(interval + 1, interval * 1.6))
            if g.chance(0.15):
                level = g.choice(cal.RAG_MIX)

    # Disputes --------------------------------------------------------------------------
    def _disputes(self) -> None:
        g = self.g
        stages = [stage.code for stage in self.practice.dispute_stages]
        for year in g.years:
            count = int(self.rng.poisson(g.config.children * cal.DISPUTES_PER_100_CHILDREN / 100))
            for _ in range(count):
                child, raised = self._child_in_care_during(year)
                if child is None:
                    continue
                dispute_id = self._id("D")
                final = g.choice(cal.DISPUTE_FINAL_STAGE)
                reached = stages[: stages.index(final) + 1]
                if len(reached) > 2 and g.chance(0.2):
                    reached.pop(1)  # the IRO may skip a stage
                day = raised
                resolved: dt.date | None = None
                for position, stage in enumerate(reached):
                    response_days = self.practice.dispute_stage(stage).response_working_days
                    late = not g.chance(cal.DISPUTE_STAGE_ON_TIME)
                    response = g.calendar.add_working_days(
                        day,
                        int(self.rng.integers(1, response_days + 1)) + (int(self.rng.integers(3, 15)) if late else 0),
                    )
                    self.rows["dispute_stages"].append(
                        {
                            "dispute_id": dispute_id,
                            "stage": stage,
                            "escalated_date": day,
                            "escalated_to": self.practice.dispute_stage(stage).escalated_to,
                            "response_date": response if response <= g.data_end else None,
                        }
                    )
                    if response > g.data_end:
                        break
                    if position == len(reached) - 1:
                        resolved = response
                    day = g.calendar.add_working_days(response, 1)
                self.rows["disputes"].append(
                    {
                        "dispute_id": dispute_id,
                        "child_id": child.child_id,
                        "iro_id": self._iro_for(child.child_id, raised),
                        "raised_date": raised,
                        "category": g.choice(cal.DISPUTE_CATEGORY_MIX),
                        "outcome": g.choice({"RESOLVED": 0.8, "PARTLY_RESOLVED": 0.15, "WITHDRAWN": 0.05})
                        if resolved
                        else None,
                        "resolved_date": resolved,
                    }
                )

    def _child_in_care_during(self, year: int) -> tuple[Child | None, dt.date]:
        g = self.g
        first, last = year_start(year), min(year_end(year), g.data_end)
        for _ in range(50):
            child = self.g.children[int(self.rng.integers(len(self.g.children)))]
            day = g.working_day_on_or_before(first + g.days(0, (last - first).days))
            if day >= first and _in_care_on(child, day):
                return child, day
        return None, first

    def _notifications(self) -> None:
        g = self.g
        for year in g.years:
            for _ in range(int(self.rng.poisson(g.config.children * cal.GOOD_PRACTICE_PER_100_CHILDREN / 100))):
                child, day = self._child_in_care_during(year)
                if child is None:
                    continue
                self.rows["good_practice"].append(
                    {
                        "notification_id": self._id("GP"),
                        "notification_date": day,
                        "theme": g.choice(
                            {
                                "CONSISTENTLY_GOOD": 0.3,
                                "ADVOCATING_FOR_CHILD": 0.2,
                                "LIVED_EXPERIENCE": 0.15,
                                "QUALITY_ASSESSMENT_OR_PLAN": 0.15,
                                "RELATIONSHIP_WITH_CHILD": 0.15,
                                "RELATIONSHIP_WITH_OTHERS": 0.05,
                            }
                        ),
                        "service": g.choice(
                            {
                                "CHILDREN_IN_CARE": 0.5,
                                "CHILD_IN_NEED": 0.15,
                                "LEAVING_CARE": 0.15,
                                "DISABILITY": 0.1,
                                "FOSTERING": 0.1,
                            }
                        ),
                        "child_id": child.child_id,
                        "iro_id": self._iro_for(child.child_id, day),
                    }
                )
            for _ in range(int(self.rng.poisson(g.config.children * cal.PRACTICE_ALERTS_PER_100_CHILDREN / 100))):
                child, day = self._child_in_care_during(year)
                if child is None:
                    continue
                reasons = sorted(
                    {
                        g.choice(
                            {
                                "NO_PLAN": 0.1,
                                "VISITS_OUT_OF_TIMESCALE": 0.12,
                                "DOCUMENTS_NOT_PRODUCED": 0.18,
                                "POOR_CONSULTATION": 0.1,
                                "NO_PERMANENCE_PLAN": 0.06,
                                "DRIFT_LEGAL": 0.08,
                                "CARE_PLANNING": 0.1,
                                "PLACEMENT": 0.06,
                                "DIRECT_WORK": 0.05,
                                "WISHES_NOT_CAPTURED": 0.05,
                                "DECISIONS_NOT_IMPLEMENTED": 0.06,
                                "SAFEGUARDING": 0.02,
                                "RESOURCES": 0.02,
                            }
                        )
                        for _ in range(int(self.rng.integers(1, 4)))
                    }
                )
                resolved = g.calendar.add_working_days(day, int(self.rng.integers(2, 30)))
                self.rows["practice_alerts"].append(
                    {
                        "alert_id": self._id("PA"),
                        "raised_date": day,
                        "reasons": reasons,
                        "service": g.choice(
                            {"CHILDREN_IN_CARE": 0.55, "CHILD_IN_NEED": 0.2, "LEAVING_CARE": 0.15, "DISABILITY": 0.1}
                        ),
                        "child_id": child.child_id,
                        "iro_id": self._iro_for(child.child_id, day),
                        "resolved_date": resolved if resolved <= g.data_end else None,
                    }
                )

    def _service_records(self) -> None:
        g = self.g
        for year in g.years:
            per_100 = g.config.children / 100
            for _ in range(int(self.rng.poisson(per_100 * cal.ADVOCACY_REFERRALS_PER_100_CHILDREN))):
                child, day = self._child_in_care_during(year)
                if child is not None:
                    self.rows["advocacy_referrals"].append(
                        {
                            "referral_id": self._id("AR"),
                            "child_id": child.child_id,
                            "referral_date": day,
                            "outcome": g.choice({"ALLOCATED": 0.8, "DECLINED": 0.1, "WAITING": 0.1}),
                        }
                    )
            for _ in range(int(self.rng.poisson(per_100 * cal.INDEPENDENT_VISITOR_REFERRALS_PER_100_CHILDREN))):
                child, day = self._child_in_care_during(year)
                if child is not None:
                    matched = day + g.days(30, 400) if g.chance(0.6) else None
                    self.rows["independent_visitors"].append(
                        {
                            "child_id": child.child_id,
                            "referral_date": day,
                            "matched_date": matched if matched and matched <= g.data_end else None,
                            "ended_date": None,
                        }
                    )
            for _ in range(int(self.rng.poisson(per_100 * cal.AUDITS_PER_100_CHILDREN))):
                child, day = self._child_in_care_during(year)
                if child is not None:
                    self.rows["audits"].append(
                        {
                            "audit_id": self._id("AU"),
                            "audit_date": day,
                            "kind": g.choice({"REVIEW_RECORD": 0.6, "MIDWAY_REVIEW": 0.2, "CASE_FILE": 0.2}),
                            "grade": g.choice(cal.AUDIT_GRADE_MIX),
                            "child_id": child.child_id,
                            "iro_id": self._iro_for(child.child_id, day),
                        }
                    )
            for _ in range(int(self.rng.poisson(per_100 * cal.FEEDBACK_PER_100_CHILDREN))):
                child, day = self._child_in_care_during(year)
                if child is not None:
                    self.rows["feedback"].append(
                        {
                            "feedback_id": self._id("FB"),
                            "feedback_date": day,
                            "respondent": g.choice({"CHILD": 0.4, "PARENT": 0.2, "CARER": 0.2, "PROFESSIONAL": 0.2}),
                            "rating": int(g.choice({5: 0.45, 4: 0.35, 3: 0.12, 2: 0.05, 1: 0.03})),
                            "iro_id": self._iro_for(child.child_id, day),
                        }
                    )
        # Several independent-visitor referrals for one child on one day would collide on the key.
        seen: set[tuple[str, dt.date]] = set()
        unique = []
        for row in self.rows["independent_visitors"]:
            key = (row["child_id"], row["referral_date"])
            if key not in seen:
                seen.add(key)
                unique.append(row)
        self.rows["independent_visitors"] = unique
        feedback_answers_add(self.rows["feedback"], seed=self.g.config.seed)


def _periods(child: Child) -> list[tuple[dt.date, dt.date | None]]:
    periods: list[tuple[dt.date, dt.date | None]] = []
    start: dt.date | None = None
    for episode in child.episodes:
        if episode.rne == "S":
            start = episode.start
        if episode.reason_ceased not in (None, "X1") and start is not None:
            periods.append((start, episode.end))
            start = None
    if start is not None:
        periods.append((start, None))
    return periods


def _in_care_on(child: Child, day: dt.date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in _periods(child))


def _span_in_data(child: Child, g: Generator) -> tuple[dt.date, dt.date]:
    periods = [(max(start, g.data_start), min(end or g.data_end, g.data_end)) for start, end in _periods(child)]
    periods = [(s, e) for s, e in periods if e >= s]
    if not periods:
        return g.data_start, g.data_start
    return periods[0][0], periods[-1][1]


def generate(
    config: SynthConfig, *, today: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> Dataset:
    """A complete synthetic dataset for `config` (deterministic for a given seed and `today`)."""
    generator = Generator(config, today=today or dt.date.today())
    if progress:
        progress("Simulating children in care")
    return generator.dataset()
