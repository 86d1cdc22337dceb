"""The WSGI application, for gunicorn: `gunicorn iroscope.web.wsgi`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iroscope.web.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every view, read the stored dataset and draw one small chart as the worker starts, so
    that the first person to ask for a page does not wait for the code (a second or more, mostly the
    PDF library), for every table to be read or for the chart library's styles to load."""
    from django.db import DatabaseError, connections
    from django.urls import get_resolver

    from iroscope.data.schema import ALL_TABLES
    from iroscope.report.model import Chart, Series, Table
    from iroscope.web.dashboard.charts import trend_svg
    from iroscope.web.records.selectors import NoDatasetError, dataset_snapshot

    get_resolver().reverse_dict  # noqa: B018 - reading it imports every app's views
    try:
        dataset_snapshot().dataset({table.name for table in ALL_TABLES})
    except (NoDatasetError, DatabaseError):
        pass  # nothing loaded, or the database not yet set up: the first page will say so
    finally:
        connections.close_all()
    trend_svg(
        Chart(
            "line",
            "Warm-up",
            ("Apr", "May"),
            (Series("Warm-up", (1.0, 2.0)),),
            "%",
            "Warm-up",
            Table("Warm-up", (), ()),
        )
    )


_warm_up()
