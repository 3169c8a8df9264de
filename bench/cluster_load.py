"""Load run through the cluster: N online applications submitted concurrently through nginx to two nodes.

Brings up the same topology as the cluster test (deploy/cluster.py: nginx, two gunicorn
nodes, Celery worker and beat, its own PostgreSQL, Redis, S3 server and mail sink; all on
loopback), then, like N citizens at once: each loads the form, takes the three seconds a
person needs, and posts it through nginx's round-robin port. Five applications per client
address (the portal's hourly limit), so N/5 loopback source addresses 127.0.1.x … .

Reports applications submitted (a confirmation page with number and code was shown) vs
rows present in the cluster's PostgreSQL (read with psql), duplicated tracking numbers,
rows nobody was shown (a code the applicant never saw) and shown numbers with no row,
gaps in the rows' ids (tracking numbers are random by design, so the primary key is the
sequence to check), the count of 5xx answers (must be 0), which node served how many, and
p50/p99 latency of the form, the submission and the confirmation page. Exits 1 when
anything was lost, duplicated or answered 5xx.

    make bench-cluster                       # 200 applications, 24 at a time
    make bench-cluster BENCH_CLUSTER_ARGS="--n 500 --concurrency 40"
"""

from __future__ import annotations

import argparse
import collections
import math
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from cluster import Cluster, install_signal_handlers, log  # noqa: E402
from httpclient import Application, Browser, accepted, submitted_number  # noqa: E402

PER_ADDRESS = 5  # requests_app.antispam.DEFAULT_LIMITS["apply"]


def address(index):
    """127.0.1.1, 127.0.1.2 … 127.0.1.254, 127.0.2.1 …: five applications each."""
    n = index // PER_ADDRESS
    return f"127.0.{1 + n // 254}.{1 + n % 254}"


def pct(values, q):
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ms(value):
    return f"{value * 1000:.0f} ms"


def run(cluster, n, concurrency, deadline):
    marker = f"bench-{secrets.token_hex(4)}"
    lb = cluster.ports["lb"]
    node_of = {f"127.0.0.1:{cluster.ports['node_a']}": "A", f"127.0.0.1:{cluster.ports['node_b']}": "B"}
    lock = threading.Lock()
    statuses = collections.Counter()
    fivexx = []
    latency = {"form": [], "submit": [], "confirmation": []}
    nodes = collections.Counter()
    shown = []
    errors = []

    def record(kind, response):
        with lock:
            statuses[response.status] += 1
            latency[kind].append(response.elapsed)
            if response.status >= 500:
                fivexx.append(f"{kind} {response.status} {response.url}")

    def fetch(i):
        browser = Browser(lb, address(i), timeout=60)
        application = Application(browser, marker=f"{marker}-{i:05d}", n=i, port=lb)
        try:
            application.fetch()
        finally:
            if application.form_response is not None:
                record("form", application.form_response)
        return application

    def submit(application):
        if time.monotonic() > deadline:
            raise TimeoutError("the load run's time is up")
        response = application.submit()
        record("submit", response)
        with lock:
            nodes[node_of.get(response.header("x-cluster-upstream", ""), "?")] += 1
        if not accepted(response):
            raise AssertionError(f"submission answered HTTP {response.status}")
        confirmation_started = time.monotonic()
        number, _code = submitted_number(application.browser, response)
        with lock:
            if response.status == 302:  # main before the runtime branch: a second request shows the code
                latency["confirmation"].append(time.monotonic() - confirmation_started)
                statuses[200] += 1
            shown.append(number)

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        applications = []
        for future in [pool.submit(fetch, i) for i in range(n)]:
            try:
                applications.append(future.result())
            except Exception as exc:
                errors.append(f"form: {type(exc).__name__}: {exc}")
        # Nobody fills the form in under three seconds; the portal refuses faster posts.
        if applications:
            applications[-1].wait_ready()
        submit_started = time.monotonic()
        for future in [pool.submit(submit, a) for a in applications]:
            try:
                future.result()
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    submit_seconds = time.monotonic() - submit_started
    total_seconds = time.monotonic() - started

    rows = cluster.psql(
        f"SELECT id, tracking_number FROM requests_app_request WHERE description LIKE '%{marker}-%' ORDER BY id"
    )
    ids = [int(r[0]) for r in rows]
    numbers = [r[1] for r in rows]
    duplicates_db = [k for k, v in collections.Counter(numbers).items() if v > 1]
    duplicates_shown = [k for k, v in collections.Counter(shown).items() if v > 1]
    lost = sorted(set(shown) - set(numbers))
    unseen = sorted(set(numbers) - set(shown))
    gaps = (ids[-1] - ids[0] + 1 - len(ids)) if ids else 0
    unique_db = int(cluster.psql("SELECT count(*) - count(DISTINCT tracking_number) FROM requests_app_request")[0][0])

    print("\n== cluster load run")
    print(
        f"  applications attempted      {n} (from {math.ceil(n / PER_ADDRESS)} client addresses, "
        f"{concurrency} at a time, through nginx round-robin)"
    )
    print(f"  submitted (number shown)    {len(shown)}")
    print(f"  present in PostgreSQL       {len(rows)}")
    print(
        f"  duplicate tracking numbers  {len(duplicates_db)} in the database, {len(duplicates_shown)} shown twice, "
        f"{unique_db} in the whole table"
    )
    print(f"  shown but not stored        {len(lost)}")
    print(f"  stored but never shown      {len(unseen)}")
    print(
        f"  gaps in the rows' ids       {gaps} (ids {ids[0] if ids else '-'}–{ids[-1] if ids else '-'}; "
        f"tracking numbers are random, not sequential)"
    )
    print(f"  5xx answers                 {len(fivexx)}")
    print(f"  HTTP statuses               {dict(sorted(statuses.items()))}")
    print(f"  served by node              {dict(sorted(nodes.items()))}")
    for kind, values in latency.items():
        if not values:
            continue
        print(
            f"  {kind + ' latency':<27} p50 {ms(pct(values, 50))}, p99 {ms(pct(values, 99))}, "
            f"max {ms(max(values)) if values else '-'} ({len(values)} requests)"
        )
    print(
        f"  submissions took            {submit_seconds:.1f}s ({len(shown) / submit_seconds:.1f}/s); "
        f"whole run {total_seconds:.1f}s"
    )
    for error in errors[:10]:
        print(f"  error: {error}")
    for line in fivexx[:10]:
        print(f"  5xx: {line}")
    problems = []
    if len(shown) != n:
        problems.append(f"{n - len(shown)} applications not submitted")
    if len(rows) != len(shown):
        problems.append("rows present differ from applications submitted")
    if duplicates_db or duplicates_shown or unique_db:
        problems.append("duplicate tracking numbers")
    if lost or unseen:
        problems.append("rows lost or never shown")
    if fivexx:
        problems.append(f"{len(fivexx)} answers were 5xx")
    print(f"  result                      {'OK' if not problems else 'FAILED: ' + '; '.join(problems)}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="applications to submit (at most 2000)")
    parser.add_argument("--concurrency", type=int, default=24, help="clients at a time (at most 100)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--time-limit", type=int, default=300, help="seconds the load itself may take")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args()
    n = max(1, min(args.n, 2000))
    concurrency = max(1, min(args.concurrency, 100, n))
    install_signal_handlers()
    try:
        return _run(args, n, concurrency)
    except (KeyboardInterrupt, SystemExit):
        print("cluster load run: interrupted; the cluster was taken down", flush=True)
        return 130


def _run(args, n, concurrency):
    with Cluster(workers_per_node=args.workers, keep=args.keep) as cluster:
        cluster.start()
        log(f"submitting {n} applications, {concurrency} at a time")
        ok = run(cluster, n, concurrency, time.monotonic() + args.time_limit)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
