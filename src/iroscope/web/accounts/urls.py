"""Single sign-on's two addresses. They exist always and answer 404 while single sign-on is off, so
that the every-URL walk covers them and switching it on needs no change to the URLs."""

from __future__ import annotations

from django.urls import path

from iroscope.web.accounts.views import single_sign_on_callback, single_sign_on_start

urlpatterns = [
    path("sign-in/single-sign-on/", single_sign_on_start, name="sign-in-single-sign-on"),
    path("sign-in/single-sign-on/callback/", single_sign_on_callback, name="sign-in-single-sign-on-callback"),
]
