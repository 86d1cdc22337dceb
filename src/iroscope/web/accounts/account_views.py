"""The accounts pages (administrators): parse the form, make one call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from iroscope.web.accounts.access import EVERYONE, role_required
from iroscope.web.accounts.forms import CLOSED, OPEN, AccountForm
from iroscope.web.accounts.lockout import sign_in_unlock, sign_ins_locked
from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.password import SINGLE_SIGN_ON_ONLY, OwnPasswordForm, password_change_own
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import account_roles, accounts_listed
from iroscope.web.accounts.services import AccountInvalidError, account_create, account_update
from iroscope.web.forms import iro_choices_of
from iroscope.web.records.selectors import iro_staff_names

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


def _iro_choices(*, linked: str | None = None) -> list[tuple[str, str]]:
    """Every IRO on the staff list, and the IRO an account is linked to already if it is not on it (so
    that the account can be saved as it is)."""
    staff = iro_staff_names()
    choices = iro_choices_of(staff.items(), first="Not an IRO")
    if linked and linked not in staff:
        choices.append((linked, f"{linked} (not on the IRO staff list)"))
    return choices


@role_required(ADMINISTRATORS)
def accounts(request: HttpRequest) -> HttpResponse:
    locked = sign_ins_locked()
    context = {
        "accounts": accounts_listed(),
        "locked": locked,
        "locked_names": {lock.username.lower() for lock in locked},
    }
    return render(request, "accounts/list.html", context)


@role_required(ADMINISTRATORS)
@require_POST
def account_unlock(request: HttpRequest) -> HttpResponse:
    """Unlock a sign-in locked by failed attempts, so the person can try again at once."""
    username = request.POST.get("username", "")
    if sign_in_unlock(user=request.user, username=username):
        messages.success(request, f"Sign-in unlocked for {username}. They can sign in again now.")
    else:
        messages.info(request, f"Sign-in for {username} was not locked.")
    return redirect("accounts")


@role_required(ADMINISTRATORS)
def account_new(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, iro_choices=_iro_choices(), new=True)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(
                user=request.user,
                username=form.cleaned_data["username"],
                roles=form.chosen_roles,
                iro_id=form.cleaned_data["iro_id"] or None,
                password=form.cleaned_data["password"] or None,
            )
        except AccountInvalidError as invalid:
            form.add_service_errors(invalid.errors)
        else:
            way = "a password" if account.has_usable_password() else "single sign-on only"
            messages.success(request, f"Account {account.username} created. It signs in with {way}.")
            return redirect("accounts")
    context = {"form": form, "heading": "Create an account"}
    return render(request, "accounts/account_form.html", context, status=400 if form.errors else 200)


@role_required(ADMINISTRATORS)
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=account_id)
    profile = StaffProfile.objects.filter(user=account).first()
    linked = profile.iro_id if profile is not None else None
    initial = {
        "roles": [role.value for role in account_roles(account=account)],
        "iro_id": linked or "",
        "active": OPEN if account.is_active else CLOSED,
    }
    form = AccountForm(request.POST or None, initial=initial, iro_choices=_iro_choices(linked=linked), new=False)
    if request.method == "POST" and form.is_valid():
        try:
            account_update(
                user=request.user,
                account=account,
                roles=form.chosen_roles,
                iro_id=form.cleaned_data["iro_id"] or None,
                active=form.cleaned_data["active"] == OPEN,
                password=form.cleaned_data["password"] or None,
            )
        except AccountInvalidError as invalid:
            form.add_service_errors(invalid.errors)
        else:
            messages.success(request, f"Account {account.username} saved. The change counts from their next page.")
            return redirect("accounts")
    context = {"form": form, "heading": f"Change the account {account.username}", "account": account}
    return render(request, "accounts/account_form.html", context, status=400 if form.errors else 200)


@role_required(EVERYONE)
def password_change(request: HttpRequest) -> HttpResponse:
    """A person changes their own password; one who signs in by single sign-on only is told where to."""
    account = get_object_or_404(User, pk=request.user.pk)
    if not account.has_usable_password():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "accounts/password_change.html", {"single_sign_on_only": SINGLE_SIGN_ON_ONLY}, status=status
        )
    form = OwnPasswordForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        password_change_own(account=account, new_password=form.cleaned_data["new_password"])
        update_session_auth_hash(request, account)  # this session stays signed in; the person's others end
        messages.success(request, "Your password has been changed.")
        return redirect("password-change")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)
