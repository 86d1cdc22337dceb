from __future__ import annotations

import logging

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.logs import RedactChildIdentifiers


def test_viewing_a_childs_record_is_written_to_the_audit_trail(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["colleague_iro"].get("/children/A/")
    (event,) = AuditEvent.objects.filter(action=Action.VIEW_CHILD)
    assert (event.username, event.child_id) == ("colleague_iro", "A")


def test_a_refused_view_writes_nothing(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["analyst"].get("/children/A/").status_code == 403
    assert not AuditEvent.objects.filter(action=Action.VIEW_CHILD).exists()


def test_a_manager_finds_who_viewed_a_child(authority: Dataset, signed_in: dict[str, Client]) -> None:
    signed_in["allocated_iro"].get("/children/A/")
    signed_in["business_support"].get("/children/C/")
    page = signed_in["manager"].get("/audit/", {"child_id": "A"}).content.decode()
    assert "allocated_iro" in page and "business_support" not in page


@pytest.mark.django_db
def test_an_unknown_child_is_not_found_and_not_audited(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["manager"].get("/children/NOPE/").status_code == 404
    assert not AuditEvent.objects.exists()


def test_logs_do_not_carry_a_childs_identifier() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/children/A123/",), None
    )
    RedactChildIdentifiers().filter(record)
    assert record.getMessage() == "Not Found: /children/[redacted]/"
