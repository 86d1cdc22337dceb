"""Single sign-on's two addresses, and the administrators' accounts pages. Single sign-on's exist always
and answer 404 while it is off, so that the every-URL walk covers them and switching it on needs no
change to the URLs."""

from __future__ import annotations

from django.urls import path

from iroscope.web.accounts.account_views import account_edit, account_new, account_unlock, accounts, password_change
from iroscope.web.accounts.views import single_sign_on_callback, single_sign_on_start

urlpatterns = [
    path("sign-in/single-sign-on/", single_sign_on_start, name="sign-in-single-sign-on"),
    path("sign-in/single-sign-on/callback/", single_sign_on_callback, name="sign-in-single-sign-on-callback"),
    path("accounts/", accounts, name="accounts"),
    path("accounts/new/", account_new, name="account-new"),
    path("accounts/unlock/", account_unlock, name="account-unlock"),
    path("password/", password_change, name="password-change"),
    path("accounts/<int:account_id>/", account_edit, name="account-edit"),
]
