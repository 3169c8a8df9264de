"""Anonymous public pages from the shared cache, invalidated by a generation counter.

Every cached page (and every cached list a page is built from) belongs to
the *generation* of the public content: a number in the shared cache that
the apps bump whenever something a public page shows changes — an item is
published, revised, withdrawn or changes validity, a catalog entry or an
adoption changes, an organisation or an annual report changes. Lists carry
the generation in their key; a page is stored with the generation it was
built in and read together with the current one in a single round trip.
Bumping makes every earlier entry unusable at once, so a page is never stale
after a publication (the bump happens at once and again after the commit);
old entries are overwritten or expire.

Only anonymous requests are served from the cache: no session cookie, no
messages cookie, GET or HEAD. A response is stored only when it sets no
cookie and used no CSRF token, so nothing personal is ever shared. Every
anonymous page carries an ``ETag`` and ``Last-Modified`` (the time of the
last bump) and ``Cache-Control: public, max-age=0, must-revalidate``: a reverse
proxy may keep it and revalidate cheaply (``304``). Logged-in visitors get
``Cache-Control: private, no-store`` and are never served a cached page.

``PAGE_CACHE=0`` in the environment turns the page cache off (the benchmark
measures both); the generation-keyed lists stay on.
"""

import collections
import contextlib
import functools
import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .oncommit import on_commit_once

GENERATION_KEY = "public-generation"


class _Pages:
    """The ``pages`` cache alias, looked up at each use (tests swap its key prefix)."""

    def __getattr__(self, name):
        return getattr(caches["pages"], name)


cache = _Pages()
TIMEOUT = 24 * 3600
_local = threading.local()
_bumps = 0  # bumps made by this process (RecentPages forgets what it saw before one)


def _new_generation():
    # Milliseconds since the epoch: also the Last-Modified of every page, and never
    # reused after a cache flush (a restarted counter could meet old keys).
    return int(time.time() * 1000)


def generation():
    """The current generation (remembered for the rest of the request once read).

    For an anonymous request, a generation read from the shared cache is trusted for
    ``PAGE_CACHE_FRONT_SECONDS`` in this process, as the front door trusts it for cached
    pages (:class:`RecentPages`), until this process bumps one: a page built uncached read
    it from Redis on every request (a round trip, a tenth of a 404 page), only to key the
    values it remembers. Staff, other signed-in visitors and work outside a request always
    read it, so they see what another process published at once.
    """
    memo = getattr(_local, "generation", None)
    if memo is not None:
        return memo
    generation_key = cache.make_key(GENERATION_KEY)
    now = time.monotonic()
    value = _generation_read.trusted(generation_key, now) if getattr(_local, "trusting", False) else None
    if value is None:
        bumps = _bumps
        value = cache.get(GENERATION_KEY)
        if value is None:
            value = _new_generation()
            if not cache.add(GENERATION_KEY, value, timeout=None):
                value = cache.get(GENERATION_KEY) or value
        _generation_read.note(value, generation_key, bumps, now)
    if getattr(_local, "in_request", False):
        _local.generation = value
    return value


class _GenerationRead:
    """A generation read, and until when it is trusted: ``PAGE_CACHE_FRONT_SECONDS``, and no bump by this process."""

    def __init__(self):
        self.known = None  # (value, generation key, bumps, until)

    def trusted(self, generation_key, now):
        known = self.known
        if known is not None and known[1:3] == (generation_key, _bumps) and now < known[3]:
            return known[0]
        return None

    def note(self, value, generation_key, bumps, now):
        seconds = float(getattr(settings, "PAGE_CACHE_FRONT_SECONDS", 1))
        self.known = (value, generation_key, bumps, now + seconds) if seconds > 0 else None


_generation_read = _GenerationRead()


def _bump():
    value = _new_generation()
    current = cache.get(GENERATION_KEY)
    if current is not None and current >= value:
        value = current + 1
    cache.set(GENERATION_KEY, value, timeout=None)
    _local.generation = None
    global _bumps
    _bumps += 1  # what RecentPages remembers in this process is out of date


def bump(**_kwargs):
    """Public content changed: every cached page and list is out of date.

    At once (other processes stop serving the old pages) and again after the
    transaction commits (a page cached meanwhile from the old rows is dropped).
    Usable directly as a signal receiver. Inside :func:`deferred`, only noted.
    """
    if getattr(_local, "deferred", None) is not None:
        _local.deferred = True
        return
    _bump()
    # One after-commit bump per transaction however many rows it saves. The immediate bump
    # above stays per change: inside one transaction a page may be read (in the same thread)
    # between two changes.
    on_commit_once(_bump_after_commit)


@contextlib.contextmanager
def deferred():
    """One bump for a whole batch of changes (a catalog import saves thousands of rows).

    Inside the block every :func:`bump` (the signal receivers' too) is only noted; when the
    block ends, one bump is made if any was asked for. Nothing may read a public page
    inside the block expecting to see the block's own changes; an import reads none.
    """
    if getattr(_local, "deferred", None) is not None:  # nested: the outer block bumps
        yield
        return
    _local.deferred = False
    try:
        yield
    finally:
        asked, _local.deferred = _local.deferred, None
        if asked:
            bump()


def _bump_after_commit():
    _bump()


REMEMBERED_HERE = 1024  # values of the current generation kept in this process, at most


class _Remembered:
    """What :func:`remember` read or computed in this process, for the current generation only.

    Reading a remembered list back from the shared cache was a round trip and an unpickling
    each time, three or four per list page (a domain's keys are thousands of integers). The
    key holds the generation, so a value kept here is exactly as current as the shared copy:
    a request asks for the generation first, and a bump makes every old key unreachable. Only
    the newest generation's values are kept (a new one drops the rest), at most
    ``REMEMBERED_HERE`` of them. Callers treat the values as read-only, as they must anyway.
    """

    def __init__(self, limit=REMEMBERED_HERE):
        self._lock = threading.Lock()
        self._generation = None
        self._values = {}
        self._limit = limit

    def get(self, key, current):
        return self._values.get(key) if self._generation == current else None

    def keep(self, key, current, value):
        with self._lock:
            if self._generation != current:
                if self._generation is not None and current < self._generation:
                    return  # a request that began before the newest bump: keep the newer values
                self._generation, self._values = current, {}
            if len(self._values) >= self._limit:
                self._values = {}
            self._values[key] = value


_remembered = _Remembered()
# Rendered fragments: a few of base.html's per language, and the filter form of each filtered
# list (up to 15 KB with every organisation), so fewer of them (at most 2 MB or so).
_fragments = _Remembered(limit=128)


def remember(name, compute, timeout=TIMEOUT):
    """``compute()`` cached under the current generation (small lists shared by many pages)."""
    current = generation()
    key = f"pc:{current}:{name}"
    full_key = cache.make_key(key)
    value = _remembered.get(full_key, current)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    _remembered.keep(full_key, current, value)
    return value


def remember_here(key, compute):
    """``compute()`` kept in this process under the current generation, not shared.

    For what is cheap to make again but not free, and no use to another process: the
    rendered fragments of pages (``portal/templatetags/fragments.py``). ``key`` is any
    hashable value; the values are kept as :func:`remember` keeps its own, at most 128.
    """
    current = generation()
    value = _fragments.get(key, current)
    if value is None:
        value = compute()
        _fragments.keep(key, current, value)
    return value


def enabled():
    return getattr(settings, "PAGE_CACHE", True)


def anonymous(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return True


def _page_key(request, language=None):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    host = request.get_host()
    # The 适老化 modes (大字版/高对比度/长辈版) change the page: each combination is its own entry.
    from .display import chosen_modes

    modes = ".".join(sorted(chosen_modes(request))) or "-"
    return f"pg:{language or translation.get_language()}:{modes}:{host}:{path}"


def _lookup(key):
    """The entry stored under ``key`` if it was stored in the current generation, else None.

    The generation and the page are read in one round trip (``MGET`` on Redis): a page is
    stored with the generation it was built in, and one of an earlier generation is a
    miss, exactly as if the generation were part of its key — without a second read per hit.
    The entry is ``(generation, status, content, headers, etag)``.
    """
    current, entry = _read(key)
    if entry is None or entry[0] != current:
        return None
    return entry


def _read(key):
    """(current generation, the entry stored under ``key`` or None), in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation()  # a new cache: creates the generation
    elif getattr(_local, "in_request", False):
        _local.generation = current
    return current, found.get(key)


def _store(key, response, headers, etag):
    # Stamped with the generation read when the request began: if something was published
    # while this page was built, the stamp is already old and the page is never served.
    cache.set(key, (generation(), response.status_code, response.content, headers, etag), TIMEOUT)


def _from_cache(request, entry):
    page_generation, status, content, headers, etag = entry
    response = HttpResponse(content, status=status)
    response.page_generation = page_generation  # what the front door tags its prepared answer with
    for name, value in headers:
        response[name] = value
    return _headers_for_anonymous(request, response, etag)


def serve_stored(request, language, recent=None):
    """The stored page for an anonymous ``request`` (a ``304`` if the visitor has it), or None.

    The lookup of :class:`PageCacheMiddleware`, for ``portal/pagefront.py`` in front of Django;
    through ``recent`` (a :class:`RecentPages`) when given.
    """
    _local.in_request, _local.generation, _local.trusting = True, None, True
    try:
        try:
            key = _page_key(request, language)
        except Exception:  # DisallowedHost and the like: let Django answer it
            return None
        cached = recent.lookup(key) if recent is not None else _lookup(key)
        return None if cached is None else _from_cache(request, cached)
    finally:
        _local.in_request, _local.generation, _local.trusting = False, None, False


class RecentPages:
    """Pages this process read from the shared cache, reused for a second (``portal/pagefront.py``).

    The front door asks the shared cache for the generation and the page on every hit: a
    round trip and a 20–40 KB page over the socket, most of what a hit costs. Here the
    generation read is trusted for ``PAGE_CACHE_FRONT_SECONDS`` (default 1 s) and the pages
    of that generation are kept in this process (at most ``PAGE_CACHE_FRONT_PAGES``, the
    most recently used). A publication made through this process forgets them at once; one
    made by another worker process or server shows here within that second — the issue
    allows a few seconds, and staff (logged in) are never served a cached page.
    ``PAGE_CACHE_FRONT_SECONDS=0`` reads the shared cache on every hit.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pages = collections.OrderedDict()
        self._answers = collections.OrderedDict()
        self._generation = _GenerationRead()

    def _trusted(self, generation_key, now):
        """The generation read less than ``PAGE_CACHE_FRONT_SECONDS`` ago, if this process bumped none since."""
        return self._generation.trusted(generation_key, now)

    def lookup(self, key):
        seconds = float(getattr(settings, "PAGE_CACHE_FRONT_SECONDS", 1))
        if seconds <= 0:
            return _lookup(key)
        full_key = cache.make_key(key)
        generation_key = cache.make_key(GENERATION_KEY)
        now = time.monotonic()
        with self._lock:
            trusted = self._trusted(generation_key, now)
            if trusted is not None:
                _local.generation = trusted
                entry = self._pages.get(full_key)
                if entry is not None and entry[0] == trusted:
                    self._pages.move_to_end(full_key)
                    return entry
        bumps = _bumps
        current, entry = _read(key)
        with self._lock:
            self._generation.note(current, generation_key, bumps, now)
            if entry is None or entry[0] != current:
                return None
            _keep_newest(self._pages, full_key, entry)
        return entry

    def answer(self, request_key):
        """The answer prepared for a request exactly like an earlier one, if its page is still current.

        A hit through :meth:`lookup` still built a request object, the page's key (a
        SHA-256 of the address), a response with its fifteen headers, the cache and
        conditional headers and the security headers: about 110 µs, twice a bare Django
        view. For a request whose every input to that work is the same as an earlier
        one's (``portal/pagefront.py`` says which), the result is the same, so the front
        door keeps it, tagged with the page's generation, and it is valid exactly as long
        as the page it came from: while that generation is trusted (``_trusted``).
        """
        if float(getattr(settings, "PAGE_CACHE_FRONT_SECONDS", 1)) <= 0:
            return None
        generation_key = cache.make_key(GENERATION_KEY)
        with self._lock:
            trusted = self._trusted(generation_key, time.monotonic())
            entry = self._answers.get(request_key) if trusted is not None else None
            if entry is None or entry[0] != trusted:
                return None
            self._answers.move_to_end(request_key)
            return entry[1]

    def keep_answer(self, request_key, page_generation, answer):
        with self._lock:
            _keep_newest(self._answers, request_key, (page_generation, answer))


def _keep_newest(entries, key, value):
    """Put ``value`` last in ``entries`` (an OrderedDict), keeping the ``PAGE_CACHE_FRONT_PAGES`` newest."""
    entries[key] = value
    entries.move_to_end(key)
    limit = int(getattr(settings, "PAGE_CACHE_FRONT_PAGES", 256))
    while len(entries) > limit:
        entries.popitem(last=False)


class PageCacheMiddleware:
    """Serve a cached anonymous page before sessions, authentication, CSRF and messages run.

    Placed right after WhiteNoise. It serves only keys that :func:`public_page`
    views asked to store, and stores the response as the inner middleware left
    it (so a cookie any of them set keeps the page out of the cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .language import chosen_language

        _local.in_request, _local.generation, _local.trusting = True, None, anonymous(request)
        try:
            if enabled() and anonymous(request):
                try:
                    key = _page_key(request, chosen_language(request))
                except Exception:  # DisallowedHost and the like: let Django answer it
                    key = None
                if key is not None:
                    cached = _lookup(key)
                    if cached is not None:
                        return _from_cache(request, cached)
                    request._page_cache_key = key
            response = self.get_response(request)
            key = getattr(request, "_page_cache_store", None)
            if key and response.cookies:  # something inner set a cookie: personal, keep it out of caches
                for name in ("ETag", "Last-Modified"):
                    if name in response:
                        del response[name]
                response["Cache-Control"] = "private, no-store"
            elif key and _storable(request, response):
                headers = [
                    (n, v)
                    for n, v in response.items()
                    if n.lower() not in ("set-cookie", "etag", "last-modified", "cache-control")
                ]
                _store(key, response, headers, response.get("ETag") or _etag(response.content))
            return response
        finally:
            _local.in_request, _local.generation, _local.trusting = False, None, False


def _headers_for_anonymous(request, response, etag):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(generation() / 1000)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie",))
    return get_conditional_response(request, etag=etag, last_modified=int(generation() / 1000), response=response)


def _etag(content):
    """A strong validator of the page's bytes: SHA-256, cut to 128 bits.

    Every anonymous page built hashes its whole body; MD5 cost 27 µs for a 25 KB list page
    (a fiftieth of it uncached, issue 10), SHA-256 12 µs, as processors compute it in
    hardware. Only equality matters here, and 128 bits of it are plenty.
    """
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _storable(request, response):
    return (
        response.status_code in (200, 404, 410)
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "Set-Cookie" not in response
    )


def public_page(view):
    """Serve ``view`` to anonymous visitors from the shared cache (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if hasattr(request, "_page_cache_key"):  # PageCacheMiddleware serves and stores
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            if response.streaming:
                return response
            request._page_cache_store = request._page_cache_key
            return _headers_for_anonymous(request, response, _etag(response.content))
        if not anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response
        _local.in_request, _local.generation, _local.trusting = True, None, anonymous(request)
        try:
            if not anonymous(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_store=True)
                return response
            key = _page_key(request) if enabled() else None
            cached = _lookup(key) if key else None
            if cached is not None:
                return _from_cache(request, cached)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            if response.streaming:
                return response
            if key and _storable(request, response):
                headers = [(n, v) for n, v in response.items() if n.lower() not in ("set-cookie", "vary")]
                _store(key, response, headers, _etag(response.content))
            if not response.cookies:
                return _headers_for_anonymous(request, response, _etag(response.content))
            return response
        finally:
            _local.in_request, _local.generation, _local.trusting = False, None, False

    return wrapper


def watch(model, when=None):
    """Bump the generation whenever a row of ``model`` is saved or deleted (and ``when(row)`` holds)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender, instance, **kwargs):
        if when is None or when(instance):
            bump()

    uid = f"pagecache-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}-{field.name}")
