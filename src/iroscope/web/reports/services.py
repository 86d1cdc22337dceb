"""Saving and restoring the narrative of the annual report. Every save adds a version; a save made
from a page opened before someone else's save is refused, as casework refuses stale edits, but here
the page's version is simply the number of the latest version it showed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import IntegrityError, transaction

from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.reports.models import NarrativeVersion

AUDIT_TABLE = "report_narrative_version"


class StaleNarrativeError(RuntimeError):
    """Someone else saved the part after this page was opened."""

    MESSAGE = (
        "Someone else saved this section after you opened the page. Your text has not been saved: "
        "it is still in the box. Compare it with the latest version shown below, then save again "
        "to replace it."
    )

    def __init__(self, latest: NarrativeVersion | None) -> None:
        super().__init__(self.MESSAGE)
        self.latest = latest


class StaleNarrativesError(RuntimeError):
    """Someone else saved one or more of the changed parts after this page was opened: nothing was saved."""

    def __init__(self, latest: dict[str, NarrativeVersion | None]) -> None:
        super().__init__(StaleNarrativeError.MESSAGE)
        self.latest = latest


@dataclass(frozen=True)
class NarrativeEdit:
    """One part's box as the page sent it: its text and the number of the version the page showed."""

    part: str
    text: str
    based_on: int


def _snapshot(version: NarrativeVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"year": version.year, "part": version.part, "version": version.number, "text": version.text}


def _latest_locked(*, year: int, part: str) -> NarrativeVersion | None:
    return NarrativeVersion.objects.select_for_update().filter(year=year, part=part).order_by("-number").first()


def _add_version(
    *,
    year: int,
    part: str,
    text: str,
    user: AbstractBaseUser | AnonymousUser,
    latest: NarrativeVersion | None,
    restored_from: int | None,
) -> NarrativeVersion:
    person = user if isinstance(user, User) else None
    try:
        # A savepoint, so that losing a race for the number leaves the outer transaction usable.
        with transaction.atomic():
            version = NarrativeVersion.objects.create(
                year=year,
                part=part,
                number=(latest.number if latest else 0) + 1,
                text=text,
                saved_by=person,
                saved_by_name=person.get_username() if person else "(system)",
                restored_from=restored_from,
            )
    except IntegrityError as error:
        # Another save took the same number between our read and our write (no row to lock yet).
        raise StaleNarrativeError(NarrativeVersion.objects.filter(year=year, part=part).first()) from error
    audit_record(user=user, action=Action.CREATE, table=AUDIT_TABLE, before=_snapshot(latest), after=_snapshot(version))
    return version


def _text_of(*, year: int, part: str, number: int) -> str:
    if number == 0:
        return ""
    version = NarrativeVersion.objects.filter(year=year, part=part, number=number).first()
    return version.text if version else ""


def narratives_save(
    *, year: int, edits: Sequence[NarrativeEdit], user: AbstractBaseUser | AnonymousUser
) -> list[NarrativeVersion]:
    """Save, together, every part whose text differs from the version its page showed: the builder is
    one form, so a save keeps what was typed in every section, not only the one whose button was
    pressed. A part left as shown is not saved again (and a later save of it by someone else is left
    alone). When any changed part was saved by someone else after the page was opened, nothing is
    saved and `StaleNarrativesError` names those parts with their latest versions."""
    with transaction.atomic():
        changed = [edit for edit in edits if edit.text != _text_of(year=year, part=edit.part, number=edit.based_on)]
        latest = {edit.part: _latest_locked(year=year, part=edit.part) for edit in changed}
        stale = {
            edit.part: latest[edit.part]
            for edit in changed
            if (version.number if (version := latest[edit.part]) else 0) != edit.based_on
        }
        if stale:
            raise StaleNarrativesError(stale)
        saved = []
        for edit in changed:
            try:
                version = _add_version(
                    year=year, part=edit.part, text=edit.text, user=user, latest=latest[edit.part], restored_from=None
                )
            except StaleNarrativeError as error:
                raise StaleNarrativesError({edit.part: error.latest}) from error
            saved.append(version)
        return saved


def narrative_restore(*, year: int, part: str, number: int, user: AbstractBaseUser | AnonymousUser) -> NarrativeVersion:
    """Save an earlier version's text again, as the next version; the earlier one stays as it was."""
    with transaction.atomic():
        earlier = NarrativeVersion.objects.get(year=year, part=part, number=number)
        latest = _latest_locked(year=year, part=part)
        return _add_version(year=year, part=part, text=earlier.text, user=user, latest=latest, restored_from=number)
