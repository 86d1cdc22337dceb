from __future__ import annotations

from django.urls import path

from iroscope.web.allocations.views import allocations

urlpatterns = [path("allocations/", allocations, name="allocations")]
