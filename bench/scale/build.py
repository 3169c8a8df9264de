"""Build the county-scale data set for ``make bench-http`` (issue 10), on PostgreSQL.

200,000 published items over 8 years from 233 organisations, a 2,000-entry
catalog, and 50,000 information requests in every state (5,000 open in the
civil affairs bureau). Everything stored is derived by the project's own
code: search vectors by :class:`disclosure.search.SearchDocumentField` (its
``pre_save`` runs inside ``bulk_create``), 索引号 by
``Organization.format_index_number`` with per-(organisation, year) serials
and their ``IndexCounter`` rows, due dates by the working calendar, body
text by ``sanitize_body``/``html_to_text`` as ``DisclosureItem.save`` does,
version metadata by ``disclosure.services._metadata``, clocks by
``requests_app.clock.compute`` over the segments the services would have
written, notices by ``requests_app.notices.render`` with numbers from the
same counters. Rows are written with ``bulk_create``, in two processes.

The parts: :mod:`bench.scale.common` (sizes, texts, database),
:mod:`~bench.scale.org_catalog`, :mod:`~bench.scale.items` and
:mod:`~bench.scale.requests_set`; this script runs them in order.

Runs in a few minutes; when the database already holds the set (a marker in
the cache table), it is reused. ``--force`` drops and rebuilds it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwgk_scale .venv/bin/python bench/scale/build.py
"""

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.scale import common  # noqa: E402

os.environ.setdefault("DATABASE_URL", common.DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

from bench.scale import items, org_catalog, requests_set  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="drop the database and build it again")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full set (a quick trial)")
    args = parser.parse_args()
    common.ITEMS, common.REQUESTS, common.OPEN_IN_CIVIL = (
        int(common.ITEMS * args.scale),
        int(common.REQUESTS * args.scale),
        int(common.OPEN_IN_CIVIL * args.scale),
    )
    if args.force:
        common.drop_database()
    common.ensure_database()
    common.setup_django()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from django.core.cache.backends.db import DatabaseCache  # noqa: F401

    from disclosure.models import DisclosureItem
    from requests_app import clockstore
    from requests_app.models import Request

    if Request.objects.filter(clock_computed_on__isnull=True).exists():
        print("storing the request clocks (requests_app.clockstore)", flush=True)
        clockstore.refresh(Request.objects.filter(clock_computed_on__isnull=True))
    if DisclosureItem.objects.count() >= common.ITEMS and Request.objects.count() >= common.REQUESTS:
        print(
            f"scale set present: {DisclosureItem.objects.count():,} items, {Request.objects.count():,} requests "
            "(reused; --force rebuilds)"
        )
        return
    started = time.monotonic()
    if DisclosureItem.objects.count() >= common.ITEMS:
        print("items present; building the requests again")
        requests_set.delete_requests()
    elif DisclosureItem.objects.exists() or Request.objects.exists():
        sys.exit("the database holds a partial or other data set; run with --force to rebuild it")
    else:
        call_command("seed_calendar", verbosity=0) if "seed_calendar" in _commands() else None
        print(f"organisations: {org_catalog.build_organizations()}")
        org_catalog.build_users()
        print(f"catalog entries: {org_catalog.build_catalog()}  ({time.monotonic() - started:.0f} s)")
        items.build_items()
        print(f"items done ({time.monotonic() - started:.0f} s)", flush=True)
    requests_set.memoize_notice_templates()
    tasks = [("requests", c) for c in requests_set.request_plan()]
    tasks.sort(key=lambda t: -t[1][2])  # biggest first, so the two processes finish together
    connections.close_all()
    done = {"items": 0, "requests": 0}
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        for (kind, _chunk), n in zip(tasks, pool.imap(requests_set.work, tasks, chunksize=1)):
            done[kind] += n
            if done["requests"] // 10_000 != (done["requests"] - n) // 10_000:
                print(f"  {done['requests']:,} requests ({time.monotonic() - started:.0f} s)", flush=True)
    clockstore.refresh(Request.objects.all())
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    caches["default"].clear()  # pages cached from an earlier set would be stale
    print(
        f"built {DisclosureItem.objects.count():,} items and {done['requests']:,} requests "
        f"in {time.monotonic() - started:.0f} s"
    )


def _commands():
    from django.core.management import get_commands

    return get_commands()


if __name__ == "__main__":
    main()
