"""Every URL of the workspace. tests/web/test_access.py walks each one as every role."""

from __future__ import annotations

from django.urls import path

from iroscope.web.accounts.views import SignInView, SignOutView
from iroscope.web.audit.views import audit_trail
from iroscope.web.casework.views import caseload, child, home

urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
    path("caseload/", caseload, name="caseload"),
    path("children/<str:child_id>/", child, name="child"),
    path("audit/", audit_trail, name="audit"),
]
