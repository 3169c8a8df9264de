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

Within that second it also keeps each hit's finished answer (status, headers, body) under
everything of the request that went into it (:func:`request_key`): a request with the
same method, address, host, scheme and cookies, and no conditional header, gets the same
answer without a request object, a response object or the header work (``RecentPages.answer``).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.middleware.security import SecurityMiddleware

from . import pagecache
from .language import chosen_language
from .middleware import log_access, write_access_line
from .net import client_address

logger = logging.getLogger(__name__)


# What a hit's answer depends on besides the stored page: the address, the host (checked
# against ALLOWED_HOSTS, and behind a proxy its forwarded form), whether the request is
# secure (SECURE_SSL_REDIRECT, HSTS), the cookies (session, messages, language, display
# modes). A conditional request (304 or not) is always answered the long way.
_REQUEST_KEY_NAMES = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "wsgi.url_scheme",
    "HTTP_COOKIE",
)
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def request_key(environ):
    """Everything of ``environ`` a stored page's answer depends on, or None if it must go the long way."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    for name in _CONDITIONAL:
        if name in environ:
            return None
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return (
        tuple(environ.get(name) for name in _REQUEST_KEY_NAMES),
        environ.get(proxy_header[0]) if proxy_header else None,
    )


class PageCacheFront:
    def __init__(self, application):
        self.application = application
        self._security = SecurityMiddleware(lambda request: None)
        self._recent = pagecache.RecentPages()

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        key = answer = response = None
        try:
            key = request_key(environ) if pagecache.enabled() else None
            answer = self._recent.answer(key) if key is not None else None
            if answer is None:
                response = self._hit(environ, started)
        except Exception:  # the cache unreachable, a malformed request: Django answers it as ever
            logger.warning("page cache front door: passing %s to Django", environ.get("PATH_INFO"), exc_info=True)
            key = answer = response = None
        if answer is not None:
            status, headers, content, path, status_code = answer
            start_response(status, list(headers))
            write_access_line(client_address(environ), environ["REQUEST_METHOD"], path, status_code, started)
            return [content]
        if response is None:
            return self.application(environ, start_response)
        status = f"{response.status_code} {response.reason_phrase}"
        headers = tuple(response.items())
        if key is not None and response.status_code != 304:
            answer = (status, headers, response.content, response.path, response.status_code)
            self._recent.keep_answer(key, response.page_generation, answer)
        start_response(status, list(headers))
        return [response.content]

    def _hit(self, environ, started):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not pagecache.enabled():
            return None
        request = WSGIRequest(environ)
        if not pagecache.anonymous(request):
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # Django redirects it to https
        response = pagecache.serve_stored(request, chosen_language(request), self._recent)
        if response is None:
            return None
        response = self._security.process_response(request, response)
        log_access(request, response, started)
        response.path = request.path
        return response


def wrap(application):
    """``application`` behind the page cache's front door (used by ``portal/wsgi.py``)."""
    return PageCacheFront(application)
