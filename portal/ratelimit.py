"""Per-address and per-key limits that hold across every worker and server.

Counters live in the shared cache (Redis in production, the database cache by default),
never in a process's memory: a limit of five applications an hour must mean five for the
county, not five per gunicorn worker. A window is fixed (it starts at a multiple of its
length) and each allowance is a *slot* claimed with ``cache.add``, which is atomic on both
backends — unlike ``incr`` on the database cache, which is a read followed by a write and
would let a burst through.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import NamedTuple

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class Result(NamedTuple):
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)
    used: int


def _window(window: int, now: float | None = None) -> tuple[int, int]:
    now = time.time() if now is None else now
    index = int(now // window)
    return index, max(1, math.ceil((index + 1) * window - now))


def _base(scope: str, key: str, window: int, index: int) -> str:
    digest = hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"rl:{scope}:{window}:{index}:{digest}"


def _slots(base: str, limit: int) -> list[str]:
    return [f"{base}:{n}" for n in range(limit)]


def peek(scope: str, key: str, *, limit: int, window: int) -> Result:
    """Whether ``key`` still has allowance in ``scope``, without using any."""
    index, remaining = _window(window)
    taken = cache.get_many(_slots(_base(scope, key, window, index), limit))
    used = len(taken)
    return Result(used < limit, 0 if used < limit else remaining, used)


def hit(scope: str, key: str, *, limit: int, window: int) -> Result:
    """Use one allowance of ``key`` in ``scope``; refused (and nothing used) when none is left."""
    index, remaining = _window(window)
    slots = _slots(_base(scope, key, window, index), limit)
    taken = cache.get_many(slots)
    for slot in slots:
        if slot in taken:
            continue
        if cache.add(slot, 1, timeout=window + 5):
            return Result(True, 0, len(taken) + 1)
    return Result(False, remaining, limit)


def reset(scope: str, key: str, *, limit: int, window: int) -> None:
    """Forget ``key``'s use of the current window (e.g. after a successful login)."""
    index, _remaining = _window(window)
    cache.delete_many(_slots(_base(scope, key, window, index), limit))


def retry_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    if minutes >= 60:
        hours = math.ceil(minutes / 60)
        return _("操作过于频繁，请 %(n)s 小时后再试。") % {"n": hours}
    return _("操作过于频繁，请 %(n)s 分钟后再试。") % {"n": minutes}


def too_many_requests(request, retry_after: int, message: str | None = None) -> HttpResponse:
    """HTTP 429 with ``Retry-After`` and a Chinese page saying when to try again."""
    body = render_to_string("429.html", {"message": message or retry_message(retry_after)}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(max(1, int(retry_after)))
    response["Cache-Control"] = "no-store"
    return response
