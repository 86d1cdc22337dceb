"""The WSGI application, for gunicorn: `gunicorn iroscope.web.wsgi`."""

from __future__ import annotations

import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iroscope.web.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every view, read the stored dataset and work out the dashboards opened most as the worker
    starts, so that the first person to ask for a page does not wait for the code (a second or more,
    mostly the PDF library), for every table to be read or for the service's figures. The dashboard's
    chart library needs nothing more: its first chart is drawn as fast as the next."""
    from django.db import DatabaseError, connections
    from django.urls import get_resolver

    from iroscope.data.schema import ALL_TABLES
    from iroscope.web.dashboard.views import warm_up
    from iroscope.web.records.selectors import NoDatasetError, dataset_snapshot

    get_resolver().reverse_dict  # noqa: B018 - reading it imports every app's views
    try:
        snapshot = dataset_snapshot()
        snapshot.dataset({table.name for table in ALL_TABLES})
        warm_up(snapshot)
    except (NoDatasetError, DatabaseError):
        pass  # nothing loaded, or the database not yet set up: the first page will say so
    except Exception as error:
        # Figures that cannot be worked out must not stop the workspace starting: the dashboard will say
        # what is wrong when asked. The kind of error only, since its message could quote the data.
        logging.getLogger(__name__).warning("Dashboard not worked out as the worker started: %s", type(error).__name__)
    finally:
        connections.close_all()
    # What a worker reads and works out as it starts lives as long as the worker. Python's cyclic
    # garbage collector would go through all of it in every full collection (about 170 ms on the
    # benchmark's 2,000 children, stalling the requests in hand): freeze it out of its reach.
    gc.collect()
    gc.freeze()


_warm_up()
