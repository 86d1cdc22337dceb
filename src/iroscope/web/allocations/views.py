"""Allocations (IRO managers): caseloads against the band; allocate or reallocate a child."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from iroscope.web.accounts.access import MANAGERS, role_required
from iroscope.web.allocations.forms import AllocationForm
from iroscope.web.allocations.selectors import iro_caseloads, iros_in_post
from iroscope.web.allocations.services import AllocationRefusedError, allocation_change
from iroscope.web.practice.selectors import practice_current


def _today() -> dt.date:
    return timezone.localdate()


@role_required(MANAGERS)
def allocations(request: HttpRequest) -> HttpResponse:
    today = _today()
    iros = iros_in_post(on=today)
    form = AllocationForm(request.POST or None, iros=iros, initial={"on": today.isoformat()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation_change(
                user=request.user,
                child_id=data["child_id"],
                iro_id=data["iro_id"],
                on=data["on"],
                reason=data["reason"],
            )
        except AllocationRefusedError as refused:
            form.add_error(refused.field, str(refused))
        else:
            messages.success(request, f"Child {data['child_id']} allocated to {data['iro_id']}.")
            return redirect("allocations")
    practice = practice_current()
    context = {
        "caseloads": iro_caseloads(on=today, practice=practice),
        "band": practice.caseload_band,
        "today": today,
        "form": form,
    }
    return render(request, "allocations/allocations.html", context, status=400 if form.errors else 200)
