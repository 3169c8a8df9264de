"""``make bench-http``: the portal under gunicorn beside a bare Django view, on the scale data set.

Starts two gunicorn servers on loopback with the same settings (3 sync
workers, DEBUG off): ``bench/scale/bare.py`` (a view returning 20 KiB) and
the portal on the scale database (``make bench-scale``). For every page it
prints req/s under a bounded load (wrk, 2 threads × 32 connections, a few
seconds), the ratio to the bare view measured in the same run (the median of
its runs before, between and after the pages), p50/p99 under that load, the
p95 of sequential requests on one connection, and the page's query count
(measured in this process with the Django test client). Each page is run
twice: with the page cache off (``PAGE_CACHE=0``, a second portal server)
and on. Everything it starts is stopped at the end, also on Ctrl-C.

    .venv/bin/python bench/scale/loadtest.py [--seconds 3] [--only search]
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zwgk_scale"
SECRET = "bench-" + secrets.token_hex(24)
ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_URL),
    "DEBUG": "0",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "ERROR",
    "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
}
if os.environ.get("REDIS_URL"):
    ENV["REDIS_URL"] = os.environ["REDIS_URL"]
GUNICORN = [
    str(ROOT / ".venv/bin/gunicorn"),
    "--workers",
    "3",
    "--worker-class",
    "sync",
    "--timeout",
    "120",
    "--preload",
    "--bind",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, app, env, label):
        self.port = free_port()
        self.label = label
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{label}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            GUNICORN + [f"127.0.0.1:{self.port}", "--chdir", str(ROOT), *self.extra(), app],
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def extra(self):
        return os.environ.get("BENCH_GUNICORN_ARGS", "").split()

    def wait(self, path="/", timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.label} server exited; see {self.log.name}")
            try:
                status, _body, _h = fetch(self.port, path)
                if status < 500:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{self.label} server did not start; see {self.log.name}")

    def rss_mb(self):
        """Resident memory of each worker (children of the gunicorn master), MB."""
        return [m["rss"] for m in self.memory()]

    def memory(self):
        """RSS, PSS and USS of each worker, MB (Linux ``smaps_rollup``).

        With ``--preload`` the workers share what the master loaded (Django, the
        search dictionary): RSS counts those pages in every worker, PSS counts
        each worker's share of them (PSS of all workers and the master adds up
        to the memory they use), USS only the worker's own pages.
        """
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        result = []
        for pid in out.stdout.split():
            fields = {}
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    for line in f:
                        name, _sep, rest = line.partition(":")
                        if rest.strip().endswith("kB"):
                            fields[name] = int(rest.split()[0]) / 1024
            except OSError:
                continue
            result.append(
                {
                    "rss": fields.get("Rss", 0.0),
                    "pss": fields.get("Pss", 0.0),
                    "uss": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
                }
            )
        return result

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def fetch(port, path, cookie=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body, dict(resp.getheaders())


def one_connection_p95(port, path, cookie="", n=60):
    """p95 of ``n`` sequential requests, after the load before it has drained.

    Measured right after wrk's 32 connections, the first requests waited for the workers
    (and PostgreSQL) to finish what wrk left; and the 95th of 20 samples is the second
    slowest, so one hiccup of a shared machine decided it. So: a second's pause, three
    requests not counted, then 60 (20 for a page slower than a second when cold), or as
    many as fit in 4 seconds but at least 20, so that the run stays bounded.
    """
    time.sleep(1)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for _ in range(3):
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        conn.getresponse().read()
    times = []
    deadline = time.perf_counter() + 4
    while len(times) < n and (len(times) < 20 or time.perf_counter() < deadline):
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        conn.getresponse().read()
        times.append(time.perf_counter() - start)
    conn.close()
    times.sort()
    return times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] * 1000


UNITS = {"us": 0.001, "ms": 1, "s": 1000}


def _ms(text):
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(match[1]) * UNITS[match[2]] if match else float("nan")


def wrk(port, path, seconds, cookie=""):
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+(\S+)", out)
    p99 = re.search(r"99%\s+(\S+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "p50": _ms(p50[1]) if p50 else float("nan"),
        "p99": _ms(p99[1]) if p99 else float("nan"),
        "errors": int(non2xx[1]) if non2xx else 0,
    }


def setup_django():
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def pages():
    """(label, path, needs staff cookie) for the issue's table."""
    from django.db.models import Count, F, Max

    from catalog.models import CatalogEntry
    from disclosure import selectors
    from disclosure.models import DisclosureItem
    from portal.models import Organization

    social = CatalogEntry.objects.get(parent=None, name="社会救助", organization=None)
    entry = CatalogEntry.objects.filter(tree_id=social.tree_id, level=2).order_by("lft").first()
    item = DisclosureItem.objects.public().order_by("-published_at").values_list("pk", flat=True)[100]
    # Lists the planner once misjudged (an average share guessed through a tree): a village with
    # no sub-organisations, deep in its list, and the leaf entry whose items are the oldest (the
    # publication order's walk to fill its page is the longest).
    village = (
        Organization.objects.filter(kind__in=selectors.VILLAGE_KINDS, rght=F("lft") + 1)
        .annotate(n=Count("disclosure_items"))
        .filter(n__gte=181)
        .order_by("n", "pk")
        .first()
    )
    old_entry = (
        CatalogEntry.objects.filter(organization=None, rght=F("lft") + 1)
        .annotate(newest=Max("disclosure_items__published_at"))
        .filter(newest__isnull=False)
        .order_by("newest", "pk")
        .first()
    )
    q = "/zwgk/xxgk/search/?q="
    return [
        ("home", "/", False),
        ("column", "/zwgk/", False),
        ("item list page 1", "/zwgk/xxgk/", False),
        ("item list page 500", "/zwgk/xxgk/?page=500", False),
        ("items of a domain", f"/zwgk/xxgk/domain/{social.pk}/", False),
        ("items of a domain p500", f"/zwgk/xxgk/domain/{social.pk}/?page=500", False),
        ("items of an entry", f"/zwgk/xxgk/entry/{entry.pk}/", False),
        ("items of an entry, oldest", f"/zwgk/xxgk/entry/{old_entry.pk}/", False),
        ("items of an organisation", "/zwgk/xxgk/org/2/", False),
        ("items of a village p9", f"/zwgk/xxgk/org/{village.pk}/?page=9", False),
        ("filter 废止 (no item)", "/zwgk/xxgk/?validity=repealed", False),
        ("year list 2024", "/zwgk/xxgk/year/2024/", False),
        ("item page", f"/zwgk/xxgk/item/{item}/", False),
        ("search 救助 (a third)", q + "%E6%95%91%E5%8A%A9", False),
        ("search 低保", q + "%E4%BD%8E%E4%BF%9D", False),
        ("search 征地", q + "%E5%BE%81%E5%9C%B0", False),
        ("search rare 蓄滞洪区", q + "%E8%93%84%E6%BB%9E%E6%B4%AA%E5%8C%BA", False),
        ("sitemap.xml (index)", "/sitemap.xml", False),
        ("sitemap items p=20", "/sitemap-items.xml?p=20", False),
        ("catalog entry", f"/zwgk/fdzdgknr/entry/{entry.pk}/", False),
        ("domain grid (statutory)", "/zwgk/fdzdgknr/", False),
        ("catalog domain", f"/zwgk/fdzdgknr/domain/{social.pk}/", False),
        ("RSS feed", "/zwgk/xxgk/feed/rss/", False),
        ("public statistics", "/zwgk/annual-reports/statistics/", False),
        ("staff workbench (5,000 open)", "/staff/requests/", True),
    ]


def staff_cookie():
    from django.test import Client

    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench_officer"))
    return f"sessionid={client.cookies['sessionid'].value}"


def query_count(path, cookie):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    from django.test import override_settings

    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return len(queries), response.status_code


def cold_statistics_p95(port, path, n=10):
    """p95 of the statistics page with its reply-time cache emptied before each request ("cold")."""
    from django.core.cache import cache

    from annual import stats

    key = stats.reply_times_key(stats.Filters(None, stats.clock.today().year))
    times = []
    for _ in range(n):
        cache.delete(key)
        start = time.perf_counter()
        fetch(port, path)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--only", default="", help="run only pages whose label contains this")
    parser.add_argument("--skip-cached", action="store_true")
    parser.add_argument(
        "--template-ceiling",
        action="store_true",
        help="also run each page uncached with its templates costing nothing (bench/scale/no_templates.py)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    setup_django()
    from disclosure.models import DisclosureItem

    if DisclosureItem.objects.count() < 1000:
        sys.exit("the scale data set is missing: run make bench-scale first")
    cookie = staff_cookie()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env={**os.environ, **ENV},
        check=True,
        cwd=ROOT,
    )
    servers = []
    try:
        bare = Server("bench.scale.bare:application", {}, "bare")
        uncached = Server("portal.wsgi:application", {**ENV, "PAGE_CACHE": "0"}, "portal-uncached")
        cached = Server("portal.wsgi:application", ENV, "portal")
        servers = [bare, uncached, cached]
        if args.template_ceiling:
            ceiling = Server("bench.scale.no_templates:application", {**ENV, "PAGE_CACHE": "0"}, "no-templates")
            servers.append(ceiling)
        for s in servers:
            s.wait()
        bare_runs = [wrk(bare.port, "/", args.seconds)["rps"]]
        print(
            f"load: wrk 2 threads × 32 connections × {args.seconds} s per page; 3 sync gunicorn workers each; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        print(f"bare view (20 KiB): {bare_runs[0]:,.0f} req/s")
        rows = []
        selected = [p for p in pages() if args.only in p[0]]
        for index, (label, path, staff) in enumerate(selected):
            c = cookie if staff else ""
            queries, status = query_count(path, c)
            row = {"label": label, "status": status, "queries": queries}
            try:
                start = time.perf_counter()
                fetch(uncached.port, path, c)  # warm the worker's imports
                slow = time.perf_counter() - start > 1
                row["uncached"] = wrk(uncached.port, path, args.seconds, c)
                row["uncached_p95"] = one_connection_p95(uncached.port, path, c, n=20 if slow else 60)
                if args.template_ceiling:
                    fetch(ceiling.port, path, c)  # the one real render of the page
                    row["ceiling"] = wrk(ceiling.port, path, args.seconds, c)
                if not args.skip_cached and not staff:
                    fetch(cached.port, path)
                    row["cached"] = wrk(cached.port, path, args.seconds)
                    row["cached_p95"] = one_connection_p95(cached.port, path)
            except OSError as exc:
                row.setdefault("uncached", {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": 1})
                row.setdefault("uncached_p95", float("nan"))
                row["error"] = repr(exc)
            print(
                f"  measured {label}: {row['uncached']['rps']:.1f} req/s uncached"
                + (f", {row['cached']['rps']:.1f} cached" if "cached" in row else ""),
                flush=True,
            )
            rows.append(row)
            if index % 4 == 3:
                bare_runs.append(wrk(bare.port, "/", args.seconds)["rps"])
        bare_runs.append(wrk(bare.port, "/", args.seconds)["rps"])
        bare_rps = statistics.median(bare_runs)
        cold = None
        if any(p[0] == "public statistics" for p in selected):
            cold = cold_statistics_p95(uncached.port, dict((p[0], p[1]) for p in selected)["public statistics"])
        memory = uncached.memory()
        print(
            f"bare view median of {len(bare_runs)} runs: {bare_rps:,.0f} req/s "
            f"(runs: {', '.join(f'{r:,.0f}' for r in bare_runs)})\n"
        )
        head = (
            f"| {'page':<30} | {'q':>2} | {'uncached req/s':>14} | {'% bare':>6} | {'p50/p99 ms':>12} | "
            f"{'1-conn p95':>10} | {'cached req/s':>12} | {'% bare':>6} | {'1-conn p95':>10} |"
        )
        print(head)
        print("|" + "|".join("-" * (len(part)) for part in head.split("|")[1:-1]) + "|")
        for row in rows:
            u = row["uncached"]
            line = (
                f"| {row['label']:<30} | {row['queries']:>2} | {u['rps']:>14,.1f} | "
                f"{100 * u['rps'] / bare_rps:>5.1f}% | {u['p50']:>5.0f}/{u['p99']:<6.0f} | "
                f"{row['uncached_p95']:>7.1f} ms | "
            )
            if "cached" in row:
                k = row["cached"]
                line += f"{k['rps']:>12,.1f} | {100 * k['rps'] / bare_rps:>5.1f}% | {row['cached_p95']:>7.1f} ms |"
            else:
                line += f"{'–':>12} | {'–':>6} | {'–':>10} |"
            if "ceiling" in row:
                line += f" no templates {100 * row['ceiling']['rps'] / bare_rps:.1f}%"
            if row["status"] != 200 or u["errors"]:
                line += f" status {row['status']}, {u['errors']} non-2xx"
            if row.get("error"):
                line += f" {row['error']}"
            print(line)
        if args.template_ceiling:
            print(
                "\nno templates: the same page uncached with every template rendered once and its text reused "
                "(bench/scale/no_templates.py): what the rest of the page costs under the same load"
            )
        if cold is not None:
            print(f"\npublic statistics cold (reply-time cache emptied before each of 10 requests): p95 {cold:.0f} ms")
        print(
            "worker memory after the run (uncached server, MB): "
            + "; ".join(f"RSS {m['rss']:.0f} PSS {m['pss']:.0f} USS {m['uss']:.0f}" for m in memory)
        )
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(ENV["STATIC_ROOT"], ignore_errors=True)


if __name__ == "__main__":
    main()
