"""How often the public feedback form may be asked for: per address and in all, counted in the
database so that every gunicorn worker (and every machine) counts the same visits. A guessed-link
search is slowed to a crawl; a school's shared connection still has room for a class."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from iroscope.web.feedback.models import PublicFormVisit

WINDOW = dt.timedelta(minutes=1)
PER_ADDRESS_LIMIT = 20
TOTAL_LIMIT = 600


def _address_hash(request: HttpRequest) -> str:
    # Keyed, so the stored value cannot be turned back into an address by hashing every address.
    address = get_client_ip_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def public_form_visit_allowed(request: HttpRequest) -> bool:
    """Count this visit and say whether it is within the limits. A visit refused is not counted, so
    the table holds at most the limits' worth of rows a minute; older rows are cleared as it goes."""
    now = timezone.now()
    since = now - WINDOW
    PublicFormVisit.objects.filter(at__lt=since).delete()
    address = _address_hash(request)
    if PublicFormVisit.objects.filter(at__gte=since).count() >= TOTAL_LIMIT:
        return False
    if PublicFormVisit.objects.filter(address_hash=address, at__gte=since).count() >= PER_ADDRESS_LIMIT:
        return False
    PublicFormVisit.objects.create(address_hash=address, at=now)
    return True
