"""Allocations (IRO managers): caseloads against the band; allocate or reallocate a child, keeping
sibling groups with one IRO unless the manager chooses otherwise; the groups split across IROs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iroscope.web import clock
from iroscope.web.accounts.access import MANAGERS, role_required
from iroscope.web.allocations.forms import MOVE_CHILD, MOVE_GROUP, AllocationForm, sibling_check_key
from iroscope.web.allocations.selectors import (
    Sibling,
    child_siblings,
    iro_caseloads,
    iros_in_post,
    sibling_group_of_child,
    sibling_groups_split,
)
from iroscope.web.allocations.services import (
    AllocationRefusedError,
    allocation_change,
    allocation_change_with_siblings,
)
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.practice.selectors import practice_current
from iroscope.web.records.selectors import dataset_coverage_stored
from iroscope.web.saving import ConcurrentSaveError


@dataclass(frozen=True)
class SiblingCheck:
    """What the manager sees before moving a child away from their siblings' IROs."""

    child_id: str
    sibling_group_id: str
    iro_label: str
    on: dt.date
    siblings: list[Sibling]
    left_behind: list[Sibling]  # siblings who would keep another IRO if only the child moved


def _iro_label(iro_id: str, iros: list[tuple[str, str]]) -> str:
    name = dict(iros).get(iro_id)
    return f"{name} ({iro_id})" if name and name != iro_id else iro_id


def _left_behind(siblings: list[Sibling], iro_id: str) -> list[Sibling]:
    return [sibling for sibling in siblings if sibling.iro_id is not None and sibling.iro_id != iro_id]


def _listed(siblings: list[Sibling]) -> str:
    """ "sibling B", or "siblings B, C and D"."""
    names = [sibling.child_id for sibling in siblings]
    if len(names) == 1:
        return f"sibling {names[0]}"
    return f"siblings {', '.join(names[:-1])} and {names[-1]}"


def _described(siblings: list[Sibling]) -> str:
    return "; ".join(f"{sibling.child_id} stays with {sibling.iro_name or sibling.iro_id}" for sibling in siblings)


@role_required(MANAGERS)
@audited(Action.VIEW_LIST, subject="the allocations page: caseloads and sibling groups split across IROs")
def allocations(request: HttpRequest) -> HttpResponse:
    today = clock.workspace_today()
    iros = iros_in_post(on=today)
    form = AllocationForm(request.POST or None, iros=iros, initial={"on": today})
    check: SiblingCheck | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child_id, iro_id, on = data["child_id"], data["iro_id"], data["on"]
        siblings = child_siblings(child_id=child_id, on=on)
        left_behind = _left_behind(siblings, iro_id)
        if left_behind:
            group = sibling_group_of_child(child_id=child_id) or ""
            check = SiblingCheck(child_id, group, _iro_label(iro_id, iros), on, siblings, left_behind)
        if left_behind and not form.sibling_choice_made():
            form = AllocationForm(
                {
                    **request.POST.dict(),
                    "move": MOVE_GROUP,
                    "siblings_shown_for": sibling_check_key(child_id=child_id, iro_id=iro_id, on=on),
                },
                iros=iros,
            )
        else:
            move_group = bool(left_behind) and data["move"] == MOVE_GROUP
            try:
                if move_group:
                    allocation_change_with_siblings(
                        user=request.user, child_id=child_id, iro_id=iro_id, on=on, reason=data["reason"]
                    )
                else:
                    allocation_change(user=request.user, child_id=child_id, iro_id=iro_id, on=on, reason=data["reason"])
            except AllocationRefusedError as refused:
                form.add_error(refused.field if refused.field in form.fields else None, str(refused))
            except ConcurrentSaveError as refused:
                form.add_error(None, str(refused))
            else:
                if move_group:
                    messages.success(
                        request, f"Child {child_id} and their {_listed(left_behind)} allocated to {iro_id}."
                    )
                else:
                    messages.success(request, f"Child {child_id} allocated to {iro_id}.")
                if left_behind and data["move"] == MOVE_CHILD:
                    messages.warning(
                        request,
                        f"Sibling group {sibling_group_of_child(child_id=child_id)} is now split across IROs: "
                        f"{_described(left_behind)}.",
                    )
                return redirect("allocations")
    practice = practice_current()
    split_groups = sibling_groups_split(on=today)
    audit_note(request, children=sum(len(group.children) for group in split_groups))
    context = {
        "caseloads": iro_caseloads(on=today, practice=practice),
        "band": practice.caseload_band,
        "today": today,
        "form": form,
        "check": check,
        "split_groups": split_groups,
        "coverage": dataset_coverage_stored(today=today),
    }
    return render(request, "allocations/allocations.html", context, status=400 if form.errors else 200)
