"""Speed measurements, run with ``make bench``. Never part of the test suite.

Builds a throw-away SQLite database under a temporary directory (or uses
DATABASE_URL), loads the demo county and reports timings and query counts.
Each section is a function named ``bench_*``; apps can add their own as
``bench/bench_<app>.py`` modules with the same kind of functions.
"""

import importlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="zwgk-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(label, func, repeat=5):
    """Run ``func`` ``repeat`` times; print the median wall time and the queries of one run."""
    durations = []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            func()
            durations.append(time.perf_counter() - start)
    print(f"{label:<58} median {statistics.median(durations) * 1000:8.1f} ms   {len(queries):4d} queries")


def bench_calendar():
    import datetime as dt

    from portal.workdays import WorkingCalendar, add_working_days

    rng = random.Random(1)
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1000)) for _ in range(1000)]

    def shared():
        calendar = WorkingCalendar()
        for start in starts:
            calendar.add_working_days(start, 20)

    timed("1000 deadlines (+20 working days), one WorkingCalendar", shared)
    timed("1 deadline (+20 working days), module function", lambda: add_working_days(starts[0], 20), repeat=50)


def bench_public_pages():
    from catalog.models import CatalogEntry

    client = Client(HTTP_HOST="127.0.0.1")
    social = CatalogEntry.objects.get(parent=None, name="社会救助")
    entry = social.get_descendants().filter(children__isnull=True).first()
    for url in [
        "/",
        "/zwgk/",
        "/zwgk/guide/",
        "/zwgk/fdzdgknr/",
        f"/zwgk/fdzdgknr/domain/{social.pk}/",
        f"/zwgk/fdzdgknr/entry/{entry.pk}/",
    ]:
        timed(f"GET {url}", lambda url=url: client.get(url), repeat=20)


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", without_debug=True, stdout=open(os.devnull, "w"))
    print(f"database: {connection.vendor}")
    sections = [(name, func) for name, func in sorted(globals().items()) if name.startswith("bench_")]
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        sections += [(f"{path.stem}.{n}", f) for n, f in sorted(vars(module).items()) if n.startswith("bench_")]
    for name, func in sections:
        print(f"\n== {name}")
        func()


if __name__ == "__main__":
    main()
