"""Every URL of the workspace. tests/web/test_access.py walks each one as every role."""

from __future__ import annotations

from django.urls import include, path

from iroscope.web.accounts.views import SignInView, SignOutView
from iroscope.web.audit.views import audit_download, audit_trail
from iroscope.web.casework.views import caseload, child, find_child, home, iro_caseload
from iroscope.web.guidance import accessibility_statement, help_page
from iroscope.web.session_timeout import session_keep

urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
    path("session/keep/", session_keep, name="session-keep"),
    path("caseload/", caseload, name="caseload"),
    path("children/<str:child_id>/", child, name="child"),
    path("find-a-child/", find_child, name="find-child"),
    path("caseloads/<str:iro_id>/", iro_caseload, name="iro-caseload"),
    path("help/", help_page, name="help"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("audit/", audit_trail, name="audit"),
    path("audit/download.csv", audit_download, name="audit-download"),
    path("", include("iroscope.web.casework.urls")),
    # Single sign-on (OpenID Connect): not found unless configured; walked in tests/web/test_access.py.
    path("", include("iroscope.web.accounts.urls")),
    # Dispute resolution, allocations and settings keep their routes in their own apps; their tests
    # walk each of those URLs as every role (tests/web/test_disputes_views.py and the others).
    path("", include("iroscope.web.disputes.urls")),
    path("", include("iroscope.web.allocations.urls")),
    path("", include("iroscope.web.practice.urls")),
    path("", include("iroscope.web.dashboard.urls")),
    path("", include("iroscope.web.imports.urls")),
    path("", include("iroscope.web.reports.urls")),
    path("", include("iroscope.web.worklists.urls")),
    path("", include("iroscope.web.decisions.urls")),
    path("", include("iroscope.web.letters.urls")),
]
