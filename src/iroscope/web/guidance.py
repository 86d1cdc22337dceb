"""The pages every footer links to: help, and the accessibility statement. Both are open to everyone,
signed in or not, as the public sector's accessibility regulations expect of a statement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from iroscope.web.accounts.roles import Role


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/help.html", {"all_roles": list(Role)})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/accessibility.html")
