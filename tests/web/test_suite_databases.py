"""The test suite's own databases: each run makes a PostgreSQL database of its own."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connections


@pytest.mark.postgres
@pytest.mark.django_db(databases=["postgres"])
def test_each_run_stores_its_postgresql_tests_in_a_database_named_after_its_process() -> None:
    name = connections["postgres"].settings_dict["NAME"]
    assert name == settings.DATABASES["postgres"]["TEST"]["NAME"]
    assert name.startswith("test_") and f"_{os.getpid()}_" in name
    with connections["postgres"].cursor() as cursor:
        cursor.execute("select current_database()")
        assert cursor.fetchone() == (name,)
