"""WSGI entry point: ``gunicorn portal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Stored anonymous pages are answered in front of Django's request handling (issue 10).
from portal.pagefront import wrap  # noqa: E402

application = wrap(application)

# What an app wants loaded while the server starts, not on a visitor's first request (the
# search dictionary of disclosure, ~70 MB): each app's AppConfig may define ``warm_up()``.
# With ``gunicorn --preload`` the master loads it once and every worker shares it (issue 10).
# Asked of the app registry, so the core names no app above it.
if os.environ.get("PRELOAD_SEARCH", "1") != "0":
    from django.apps import apps  # noqa: E402

    for config in apps.get_app_configs():
        if callable(getattr(config, "warm_up", None)):
            config.warm_up()

# Under ``--preload`` this module runs once in the gunicorn master, before the workers fork.
# Move everything loaded so far (Django, the apps, the search dictionary) out of the cyclic
# garbage collector's reach: a collection in a worker would otherwise write to every object
# it scans and so copy every shared page into that worker (copy-on-write), ~70 MB each.
import gc  # noqa: E402

from django.db import connections  # noqa: E402

connections.close_all()  # nothing opened while loading may be shared by the forked workers
gc.collect()
gc.freeze()

# glibc keeps the memory freed while loading (the search dictionary's build, import-time
# garbage) in the process's heap; hand it back to the system, so the forked workers do not
# inherit it as resident pages (about 18 MB). Only glibc has malloc_trim; elsewhere nothing.
import ctypes  # noqa: E402

try:
    ctypes.CDLL(None).malloc_trim(0)
except (AttributeError, OSError):
    pass
