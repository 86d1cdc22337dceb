"""The WSGI application, for gunicorn: `gunicorn iroscope.web.wsgi`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iroscope.web.settings")
application = get_wsgi_application()


def _warm_charts() -> None:
    """Draw one small chart as the worker starts, so that matplotlib's fonts and styles are loaded
    before a manager asks for the dashboard, not while their first chart waits for them."""
    from iroscope.report.charts import chart_svg
    from iroscope.report.model import Chart, Series, Table

    chart_svg(
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


_warm_charts()
