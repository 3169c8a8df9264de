"""The page cache's front door: stored anonymous pages served before Django's request handling.

A hit of :class:`portal.pagecache.PageCacheMiddleware` still went through Django's whole
handler: the request-started and request-finished signals (which walk every database
connection), the access-log, database, security and static-file middleware on the way in
and out, and the response machinery. Measured at 200,000 items, that held a cached page
to about half of a bare Django view's throughput (issue 10, ``bench/RESULTS.md``).

:func:`wrap` puts a thin WSGI layer in front of the Django application (``portal/wsgi.py``).
For a GET or HEAD that carries neither a session nor a messages cookie it builds the same
request object Django would, looks the page up exactly as the middleware does (same key,
same generation check, same ``ETag``/``Last-Modified``/``304``), and answers it directly.
What the skipped outer layers do to a page is done here too: the access-log line (the real
client address, as ``portal.middleware.AccessLogMiddleware`` writes it) and Django's
``SecurityMiddleware`` headers. Everything else — a miss, any other method, a visitor with a
session, ``SECURE_SSL_REDIRECT`` over plain http — goes to Django unchanged, and only Django
ever stores a page, so this layer can serve nothing Django did not produce for that key.
It reuses what it read for a second (``pagecache.RecentPages``, ``PAGE_CACHE_FRONT_SECONDS``).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.middleware.security import SecurityMiddleware

from . import pagecache
from .language import chosen_language
from .middleware import log_access

logger = logging.getLogger(__name__)


class PageCacheFront:
    def __init__(self, application):
        self.application = application
        self._security = SecurityMiddleware(lambda request: None)
        self._recent = pagecache.RecentPages()

    def __call__(self, environ, start_response):
        try:
            response = self._hit(environ)
        except Exception:  # the cache unreachable, a malformed request: Django answers it as ever
            logger.warning("page cache front door: passing %s to Django", environ.get("PATH_INFO"), exc_info=True)
            response = None
        if response is None:
            return self.application(environ, start_response)
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [(name, value) for name, value in response.items()],
        )
        return [response.content]

    def _hit(self, environ):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not pagecache.enabled():
            return None
        request = WSGIRequest(environ)
        if not pagecache.anonymous(request):
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # Django redirects it to https
        started = time.perf_counter()
        response = pagecache.serve_stored(request, chosen_language(request), self._recent)
        if response is None:
            return None
        response = self._security.process_response(request, response)
        log_access(request, response, started)
        return response


def wrap(application):
    """``application`` behind the page cache's front door (used by ``portal/wsgi.py``)."""
    return PageCacheFront(application)
