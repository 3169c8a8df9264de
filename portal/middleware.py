"""The outermost layer of every request: the access log and the database-down page.

* ``AccessLogMiddleware`` writes one line per request on logger ``portal.access``: the
  real client address (``portal.net.client_ip``, so behind nginx it is the citizen's, not
  the proxy's), method, path (never the query string, which may carry a search for a
  person's name), status, duration in milliseconds and, for staff, the user id. It adds
  no database query: the user is only named when the view already looked them up.
* ``DatabaseUnavailableMiddleware`` answers HTTP 503 with ``Retry-After`` and a Chinese
  page while the database cannot be reached (PostgreSQL restarting, the network to it
  down): a citizen sees "try again in a minute" rather than a traceback or a 500, and
  load balancers and monitoring see a retryable status. ``server_error`` (the 500
  handler) does the same for a database error raised outside a view, e.g. while the
  session middleware saves the session.
"""

import logging
import math
import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.functional import empty

from .net import client_ip

access_log = logging.getLogger("portal.access")
logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _staff_id(request):
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None  # never looked up by the view: do not add a query just to log it
    if getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False):
        return user.pk
    return None


def log_access(request, response, started):
    """The access-log line of one request (also written for pages served by ``portal/pagefront.py``)."""
    address, user_id = client_ip(request), _staff_id(request)
    write_access_line(address, request.method, request.path, response.status_code, started, user_id)


def write_access_line(address, method, path, status, started, user_id=None):
    """The line itself, for the front door's prepared answers, which have no request object."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    duration = round((time.perf_counter() - started) * 1000, 1)
    access_log.info(
        "%s %s %s %s %sms%s",
        address,
        method,
        path,
        status,
        duration,
        f" user={user_id}" if user_id is not None else "",
        extra={
            "client": address,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration,
            "user_id": user_id,
        },
    )


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        log_access(request, response, started)
        return response


def service_unavailable(request=None):
    retry_after = int(getattr(settings, "DATABASE_RETRY_AFTER", 30))
    body = loader.render_to_string("503.html", {"minutes": max(1, math.ceil(retry_after / 60))})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("database unavailable: %s %s: %s", request.method, request.path, exception, exc_info=exception)
            return service_unavailable(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a 503 when the cause is the database, the plain 500 page otherwise."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return service_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))
