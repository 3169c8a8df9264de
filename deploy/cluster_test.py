"""The multi-node cluster test (issue 8, item 9): what one server cannot show.

Brings up nginx in front of two gunicorn nodes, a Celery worker and beat, and the
cluster's own PostgreSQL, Redis, S3 server (moto) and mail sink (deploy/cluster.py), then
proves through HTTP only — every request goes through nginx, from loopback source
addresses 127.0.0.2 … so that nginx's X-Forwarded-For names distinct clients:

1. a form token used on node A is refused on node B;
2. the sixth application from one address within the hour is refused (429) on either
   node; the address is nginx's, a forged X-Forwarded-For changes nothing, and another
   address keeps its own allowance;
3. an attachment uploaded through node A downloads byte-identical through node B
   (each node has its own local directories, so only shared storage can pass);
4. with the mail server down, applying and publishing succeed, and once it is back the
   queued mails go out exactly once;
5. with PostgreSQL stopped for 20 s both nodes answer 503 with Retry-After, and the first
   request after it is back succeeds, with no process restarted.

Prints each fact it proved, exits 1 if any check failed, and leaves nothing running.
Run: ``make cluster-test`` (or ``deploy/cluster-test``; ``--only token,limits`` picks checks,
``--keep`` keeps the temporary directory with every log).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import hashlib
import re
import secrets
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import Cluster, install_signal_handlers, log  # noqa: E402
from cluster_checks import (  # noqa: E402
    RESULTS,
    CheckFailed,
    StaffSteps,
    expect,
    proved,
    upstream,
)
from httpclient import Application, Browser, accepted, form_with, submitted_number  # noqa: E402


class Checks(StaffSteps):
    def __init__(self, cluster: Cluster):
        self.c = cluster
        self.lb, self.a, self.b = cluster.ports["lb"], cluster.ports["a"], cluster.ports["b"]
        self.node_of = {f"127.0.0.1:{cluster.ports['node_a']}": "A", f"127.0.0.1:{cluster.ports['node_b']}": "B"}
        self.run_id = secrets.token_hex(3)
        self.staff = None
        self.item = None
        self.attachment = None
        self.content = None
        self.subscriber = f"subscriber-{self.run_id}@example.invalid"
        self.mail_applicant = f"applicant-{self.run_id}@example.invalid"

    def node(self, response):
        return self.node_of.get(upstream(response), upstream(response))

    def rows(self, marker):
        return int(self.c.psql(f"SELECT count(*) FROM requests_app_request WHERE description LIKE '%{marker}%'")[0][0])

    # 0 ------------------------------------------------------------------------------
    def ready(self):
        import json

        for label, port in (("A", self.a), ("B", self.b)):
            response = Browser(port).get("/readyz")
            expect(response.status == 200, f"/readyz on node {label}: HTTP {response.status} {response.text[:200]}")
            checks = json.loads(response.text).get("checks", {})
            statuses = {name: check.get("status") for name, check in checks.items()}
            expect(
                statuses and all(v == "ok" for v in statuses.values()), f"/readyz on node {label} reports {statuses}"
            )
        proved(
            f"/readyz on node A and node B: {', '.join(f'{k} ok' for k in statuses)} "
            f"(PostgreSQL, Redis, S3 and the Redis broker of this cluster)"
        )

    # 1 ------------------------------------------------------------------------------
    def token(self):
        citizen = Browser(self.a, "127.0.0.2")
        marker = f"token-{self.run_id}"
        application = Application(citizen, marker=marker, n=1, port=self.a).fetch()
        application.wait_ready()
        first = application.submit(port=self.a)
        expect(accepted(first), f"first post on node A: HTTP {first.status} (expected the number and code)")
        expect(self.node(first) == "A", f"first post served by {upstream(first)}, not node A")
        number, _code = submitted_number(citizen, first)
        replay = application.submit(port=self.b)
        expect(self.node(replay) == "B", f"replay served by {upstream(replay)}, not node B")
        expect(not accepted(replay), "the same form token was accepted again on node B")
        expect(replay.status < 500, f"replay on node B: HTTP {replay.status}")
        expect("已经提交过" in replay.text, "node B did not say the form was already submitted")
        count = self.rows(marker)
        expect(count == 1, f"{count} applications recorded for one form (expected 1)")
        proved(
            f"a form token used on node A ({number}) is refused on node B "
            f"(HTTP {replay.status}, “该表单已经提交过”); one application recorded"
        )

    # 2 ------------------------------------------------------------------------------
    def limits(self):
        marker = f"limit-{self.run_id}"
        citizen = Browser(self.lb, "127.0.0.3")
        forms = [Application(citizen, marker=marker, n=10 + i, port=self.lb).fetch() for i in range(7)]
        forms[-1].wait_ready()
        nodes = []
        for i, application in enumerate(forms[:5]):
            # Each post pretends to come from somewhere else; nginx appends the real address.
            response = application.submit(headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
            expect(accepted(response), f"application {i + 1} of 5 from 127.0.0.3: HTTP {response.status}")
            nodes.append(self.node(response))
        expect(set(nodes) == {"A", "B"}, f"nginx did not balance the five applications over both nodes: {nodes}")
        sixth_a = forms[5].submit(port=self.a, headers={"X-Forwarded-For": "198.51.100.77"})
        sixth_b = forms[6].submit(port=self.b, headers={"X-Forwarded-For": "198.51.100.78, 10.0.0.1"})
        for label, response in (("A", sixth_a), ("B", sixth_b)):
            expect(self.node(response) == label, f"sixth application not served by node {label}")
            expect(
                response.status == 429,
                f"sixth application from 127.0.0.3 on node {label}: HTTP {response.status} (expected 429)",
            )
        retry = [r.header("retry-after") for r in (sixth_a, sixth_b)]
        count = self.rows(marker)
        expect(count == 5, f"{count} applications recorded from 127.0.0.3 (expected 5)")
        # Another address has its own allowance, even when it forges the limited one's.
        other = Browser(self.lb, "127.0.0.2")
        application = Application(other, marker=marker + "-other", n=20, port=self.lb).fetch()
        application.wait_ready()
        response = application.submit(headers={"X-Forwarded-For": "127.0.0.3"})
        expect(
            accepted(response),
            f"127.0.0.2 forging X-Forwarded-For: 127.0.0.3 was refused "
            f"(HTTP {response.status}); it should keep its own allowance",
        )
        proved(
            f"5 applications from 127.0.0.3 accepted over nodes {'/'.join(nodes)}, each with a different forged "
            f"X-Forwarded-For; the 6th refused with 429 on node A and on node B "
            f"(Retry-After: {retry[0] or 'none'} / {retry[1] or 'none'})"
        )
        proved("127.0.0.2 keeps its own allowance although it claims to be 127.0.0.3 in X-Forwarded-For")
        if not all(retry):
            self.note("the 429 answers of the application form carry no Retry-After header")

    # 3 ------------------------------------------------------------------------------
    def attachment_prepare(self):
        """Before the mail server goes down: a draft on node A with its attachment, submitted and signed off."""
        self._create_item_with_attachment()
        staff = self.staff
        download = staff.get(f"/gkgl/file/{self.attachment}/", port=self.b)
        expect(download.status == 200, f"staff download of the new attachment on node B: HTTP {download.status}")
        expect(
            download.body == self.content,
            f"node B served {len(download.body)} bytes, not the {len(self.content)} uploaded on node A",
        )
        stored = [key for key, size in self.c.s3_objects() if int(size) == len(self.content)]
        expect(stored, "no object of the attachment's size in the S3 bucket: the file went to a node's disk")
        proved(f"the attachment is stored in the S3 bucket ({stored[0]}), not on node A's disk")
        proved(
            f"an attachment uploaded through node A ({len(self.content)} bytes, sha256 "
            f"{hashlib.sha256(self.content).hexdigest()[:12]}…) downloads byte-identical through node B "
            f"(staff download)"
        )
        self._action("submit")
        self._action("sign-off", {"comment": "集群测试保密审查"})

    # 4 ------------------------------------------------------------------------------
    def subscribe(self):
        """With the mail server up: a confirmed subscriber to the county (so publishing mails someone)."""
        visitor = Browser(self.lb, "127.0.0.6")
        page = visitor.get("/zwgk/xxgk/subscribe/")
        expect(page.status == 200, f"subscribe page: HTTP {page.status}")
        form = form_with(page.text, "email")
        organizations = [v for v in form.options.get("organization", []) if v]
        before = len(self.c.mails())
        response = visitor.post(
            "/zwgk/xxgk/subscribe/", form.data(email=self.subscriber, domain="", organization=organizations[0])
        )
        expect(response.status == 302, f"subscribing: HTTP {response.status}")
        mails = self.wait_mails(lambda ms: [m for m in ms[before:] if self.subscriber in m[0]], 1, 30)
        body = self.body_of(mails[0][1])
        link = re.search(r"https?://[^\s]+/subscribe/confirm/[^\s/]+/", body)
        expect(link, "no confirmation link in the subscription mail")
        path = "/" + link.group(0).split("/", 3)[3]
        confirmed = visitor.get(path)
        expect(confirmed.status == 200, f"confirming the subscription: HTTP {confirmed.status}")

    def body_of(self, raw):
        message = email.message_from_string(raw, policy=email.policy.default)
        part = message.get_body(("plain",)) or message
        return part.get_content()

    def wait_mails(self, select, count, timeout):
        deadline = time.monotonic() + timeout
        while True:
            found = select(self.c.mails())
            if len(found) >= count or time.monotonic() > deadline:
                expect(len(found) >= count, f"{len(found)} of {count} expected mail(s) arrived in {timeout}s")
                return found
            time.sleep(0.5)

    def mail(self):
        """The mail server down: apply and publish succeed; back up: each mail goes out exactly once."""
        expect(self.item, "no item prepared (the attachment check failed)")
        self.c.smtp_stop()
        before = len(self.c.mails())
        citizen = Browser(self.lb, "127.0.0.4")
        marker = f"mail-{self.run_id}"
        application = Application(citizen, marker=marker, n=30, email=self.mail_applicant).fetch()
        application.wait_ready()
        response = application.submit()
        expect(accepted(response), f"applying with the mail server down: HTTP {response.status}")
        number, code = submitted_number(citizen, response)
        page = self._action("publish", {"publish_at": ""})
        expect(page.status == 200 and "已发布" in page.text, "publishing with the mail server down did not say 已发布")
        public = Browser(self.b, "127.0.0.7")
        item_page = public.get(f"/zwgk/xxgk/item/{self.item}/")
        expect(item_page.status == 200, f"the published item on node B: HTTP {item_page.status}")
        proved(
            f"with the mail server down, applying succeeds with the number shown ({number}) and "
            f"publishing succeeds (已发布; the item is public on node B)"
        )
        download = public.get(f"/zwgk/xxgk/file/{self.attachment}/")
        expect(
            download.status == 200 and download.body == self.content,
            f"public download on node B: HTTP {download.status}, {len(download.body)} bytes",
        )
        proved("the attachment uploaded through node A downloads byte-identical through node B for the public")
        time.sleep(3)
        expect(len(self.c.mails()) == before, "mail arrived while the mail server was down?")
        self.c.smtp_start()
        started = time.monotonic()

        def ours(ms):
            return [m for m in ms[before:] if self.mail_applicant in m[0] or self.subscriber in m[0]]

        self.wait_mails(ours, 2, 90)
        took = time.monotonic() - started
        # Let every worker retry and every beat flush that could still be pending run, then count again.
        time.sleep(12)
        mails = ours(self.c.mails())
        to_applicant = [m for m in mails if self.mail_applicant in m[0]]
        to_subscriber = [m for m in mails if self.subscriber in m[0]]
        expect(len(to_applicant) == 1, f"the applicant got {len(to_applicant)} confirmation mails (expected 1)")
        expect(len(to_subscriber) == 1, f"the subscriber got {len(to_subscriber)} notices (expected 1)")
        expect(number in self.body_of(to_applicant[0][1]), "the applicant's mail does not name the tracking number")
        proved(
            f"the mail server back, the queued mails went out within {took:.0f}s, exactly once each "
            f"(applicant's confirmation with {number}, the subscriber's notice), none more after 12 s"
        )

    # 5 ------------------------------------------------------------------------------
    def database(self):
        if "smtp" not in self.c.procs:
            self.c.smtp_start()
        pids = {name: proc.pid for name, proc in self.c.procs.items() if name != "smtp"}
        visitor = Browser(self.lb, "127.0.0.8", timeout=15)
        for port in (self.a, self.b):
            expect(visitor.get("/", port=port).status == 200, "home page before the outage")
        # A form fetched before the outage, posted during it: nothing half-recorded.
        marker = f"outage-{self.run_id}"
        application = Application(Browser(self.a, "127.0.0.9", timeout=15), marker=marker, n=40).fetch()
        self.c.pg_stop("fast")
        down_at = time.monotonic()
        log("PostgreSQL stopped")
        statuses = {"A": [], "B": []}
        slowest = 0.0
        bad = []
        posted = None
        cached_served = 0
        probe = 0
        while time.monotonic() - down_at < 20:
            for label, port in (("A", self.a), ("B", self.b)):
                # Pages that need the database (the form, and a list under a query string never
                # asked before, so no cached copy exists) answer 503. The home page and the list,
                # already in the shared page cache, may still be served from it: that is the
                # page cache doing its job, not a fault.
                probe += 1
                for path, cacheable in (
                    ("/", True),
                    ("/ysqgk/", False),
                    ("/zwgk/xxgk/", True),
                    (f"/zwgk/xxgk/?outage={probe}", False),
                ):
                    response = visitor.get(path, port=port)
                    slowest = max(slowest, response.elapsed)
                    statuses[label].append(response.status)
                    if cacheable and response.status == 200:
                        cached_served += 1
                    elif response.status != 503 or not response.header("retry-after"):
                        bad.append(f"{label} {path}: {response.status} Retry-After={response.header('retry-after')}")
            for label, port in (("A", self.a), ("B", self.b)):
                alive = visitor.get("/healthz", port=port)
                if alive.status != 200:
                    bad.append(f"{label} /healthz: {alive.status} (the process is up: expected 200)")
            if posted is None and time.monotonic() - down_at > 3:
                application.wait_ready()
                posted = application.submit(port=self.a)
            time.sleep(0.5)
        self.c.pg_start()
        log("PostgreSQL started again")
        first = {label: visitor.get("/ysqgk/", port=port) for label, port in (("A", self.a), ("B", self.b))}
        after = [visitor.get(path, port=port).status for port in (self.a, self.b) for path in ("/", "/zwgk/xxgk/")] * 1
        expect(not bad, f"while PostgreSQL was down, {len(bad)} answers were not 503 with Retry-After: {bad[:4]}")
        expect(statuses["A"] and statuses["B"], "no requests during the outage")
        expect(slowest < 10, f"a request took {slowest:.1f}s while the database was down")
        expect(
            posted is not None and posted.status == 503,
            f"an application posted during the outage: HTTP {posted and posted.status}",
        )
        for label, response in first.items():
            expect(
                response.status == 200,
                f"first request on node {label} after PostgreSQL is back: HTTP {response.status}",
            )
        expect(all(s == 200 for s in after), f"requests after PostgreSQL is back: {after}")
        expect(self.rows(marker) == 0, "an application posted during the outage was recorded")
        for name, pid in pids.items():
            proc = self.c.procs.get(name)
            expect(proc is not None and proc.pid == pid and proc.poll() is None, f"{name} was restarted or died")
        proved(
            f"PostgreSQL stopped for 20 s: {len(statuses['A'])} answers on node A and {len(statuses['B'])} on "
            f"node B: every page that needs the database 503 with Retry-After (slowest {slowest:.2f}s), "
            f"{cached_served} answers of cached public pages served from the shared page cache, /healthz 200 "
            f"throughout; an application posted meanwhile got 503 and left no row"
        )
        proved("the first request on each node after PostgreSQL is back succeeds (200), with no process restarted")
        # A restart with no request in between leaves every worker a dead connection: the health
        # check must notice it, not the next citizen (before CONN_HEALTH_CHECKS: one 500 per worker).
        for port in (self.a, self.b):
            for _ in range(4 * self.c.workers_per_node):
                visitor.get("/zwgk/xxgk/", port=port)
        self.c.pg_stop("fast")
        self.c.pg_start()
        answers = [
            visitor.get("/zwgk/xxgk/", port=port).status
            for port in (self.a, self.b)
            for _ in range(4 * self.c.workers_per_node)
        ]
        expect(all(s == 200 for s in answers), f"after a PostgreSQL restart with no traffic in between: {answers}")
        proved(
            f"after a quick PostgreSQL restart with no request in between, the next {len(answers)} requests "
            f"over both nodes' {2 * self.c.workers_per_node} workers all succeed"
        )
        # The worker survived the outage too: a new application's mail still goes out.
        before = len(self.c.mails())
        address = f"after-outage-{self.run_id}@example.invalid"
        citizen = Browser(self.lb, "127.0.0.10")
        application = Application(citizen, marker=marker + "-after", n=41, email=address).fetch()
        application.wait_ready()
        response = application.submit()
        expect(accepted(response), f"applying after the outage: HTTP {response.status}")
        self.wait_mails(lambda ms: [m for m in ms[before:] if address in m[0]], 1, 60)
        proved("after the outage an application's mail still goes out through the same worker")

    def note(self, text):
        NOTES.append(text)


NOTES: list[str] = []

CHECKS = [
    ("ready", "both nodes ready: database, cache, storage, queue"),
    ("token", "form token single-use across nodes"),
    ("limits", "per-address limit through nginx, forged X-Forwarded-For ignored"),
    ("subscribe", "setup: a confirmed subscriber (mail server up)"),
    ("attachment_prepare", "attachment uploaded on node A downloads on node B"),
    ("mail", "mail server down: apply and publish succeed; mails out exactly once when back"),
    ("database", "PostgreSQL down 20 s: 503 with Retry-After, then recovery without restart"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only", default="", help="comma-separated check names: " + ", ".join(name for name, _ in CHECKS)
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs) afterwards")
    args = parser.parse_args()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    install_signal_handlers()
    started = time.monotonic()
    failed = False
    try:
        with Cluster(keep=args.keep) as cluster:
            cluster.start()
            checks = Checks(cluster)
            for name, title in CHECKS:
                if only and name not in only:
                    continue
                print(f"\n== {name}: {title}", flush=True)
                t0 = time.monotonic()
                try:
                    getattr(checks, name)()
                except CheckFailed as exc:
                    RESULTS.append((name, False, str(exc)))
                    print(f"  FAILED  {exc}", flush=True)
                except Exception as exc:  # a crash in a check is a failure of that check, not of the run
                    RESULTS.append((name, False, f"{type(exc).__name__}: {exc}"))
                    print(f"  FAILED  {type(exc).__name__}: {exc}", flush=True)
                    traceback.print_exc()
                else:
                    RESULTS.append((name, True, ""))
                print(f"  ({time.monotonic() - t0:.0f}s)", flush=True)
            if any(not ok for _, ok, _ in RESULTS):
                for name in ("node_a", "node_b", "worker", "beat"):
                    if name in cluster.logs:
                        print(f"\n-- last lines of {name}'s log:\n{cluster.tail(name, 25)}")
    except (KeyboardInterrupt, SystemExit) as exc:
        print(f"\ncluster test: interrupted ({type(exc).__name__}); the cluster was taken down", flush=True)
        return 130
    except Exception as exc:
        print(f"\ncluster test: ERROR {type(exc).__name__}: {exc}", flush=True)
        traceback.print_exc()
        failed = True
    print("\n== summary")
    for name, ok, message in RESULTS:
        print(f"  {'ok  ' if ok else 'FAIL'}  {name}{'' if ok else ': ' + message}")
    for text in NOTES:
        print(f"  note  {text}")
    failed = failed or not RESULTS or any(not ok for _, ok, _ in RESULTS)
    print(f"cluster test {'FAILED' if failed else 'passed'} in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
