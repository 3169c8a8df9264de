"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work).

A load balancer or systemd watchdog polls ``/healthz`` to restart a hung process: it
touches nothing, so a database outage does not make every server look dead at once.
``/readyz`` checks each dependency a page needs — database, shared cache, file storage,
job queue — and answers 503 when any fails, so a node is taken out of rotation instead of
serving errors. The JSON names each check, its status and its time in milliseconds; the
reason of a failure goes to the log, never to the (public) response.
"""

import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def check_database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache():
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


def _local_directories():
    names = ("MEDIA_ROOT", "DISCLOSURE_FILES_ROOT", "REQUESTS_PRIVATE_ROOT")
    return [Path(getattr(settings, name)) for name in names if getattr(settings, name, None)]


def check_storage():
    """The storage layer's own check when it has one, else: every local file directory is writable."""
    try:
        from portal import storage
    except ImportError:
        storage = None
    if storage is not None and callable(getattr(storage, "check", None)):
        # The storage layer answers {alias: {"status": ..., "ms": ...}} (or raises).
        stores = storage.check()
        if isinstance(stores, dict):
            failed = [
                alias
                for alias, result in stores.items()
                if (result.get("status") if isinstance(result, dict) else result) != "ok"
            ]
            if failed:
                raise RuntimeError(f"storage not reachable: {', '.join(map(str, failed))}")
        return "ok"
    for directory in _local_directories():
        _probe_directory(directory)


def _probe_directory(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    probe = directory / f".readyz-{uuid.uuid4().hex}"
    probe.write_bytes(b"ok")
    probe.unlink()


def check_queue():
    """The job broker, when one is configured; "skipped" otherwise.

    Redis or AMQP: a kombu connection with a short timeout. The embedded default's
    filesystem transport (one machine, no extra service): its queue folder is writable.
    """
    url = getattr(settings, "CELERY_BROKER_URL", None) or ""
    if not url or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "skipped"
    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {})
    if url.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out"):
            if options.get(key):
                _probe_directory(options[key])
        return "ok"
    if url.startswith(("memory://", "django://", "sqla+")):
        return "skipped"  # in-process or database transports: covered by the database check
    from kombu import Connection

    options.setdefault("socket_timeout", 2)
    with Connection(url, connect_timeout=2, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage, "queue": check_queue}


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            status = check() or "ok"
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the reason is logged
            logger.exception("readiness check %s failed", name)
            status, ready = "error", False
        results[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse({"status": "ok" if ready else "error", "checks": results}, status=200 if ready else 503)
