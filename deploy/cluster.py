"""Bring up the whole production topology on one machine, on loopback, and take it down again.

Used by ``deploy/cluster-test`` (the checks) and ``bench/cluster_load.py`` (the load run).
Everything lives in one temporary directory and on ports chosen at start: its own
PostgreSQL (initdb, Debian server binaries), its own Redis, an S3 API server (moto), a
mail sink that can be stopped and restarted, two gunicorn application servers, one
Celery worker, one Celery beat, and nginx in front. Nothing touches the machine's shared
PostgreSQL (5432) or Redis (6379), and :meth:`Cluster.stop` leaves nothing running —
:meth:`Cluster.verify_gone` proves it (no process, no open port).

nginx listens on three ports: ``lb`` balances round-robin over both nodes, ``a`` and
``b`` proxy to one node each, so a check can say "on node A … on node B". All three set
``X-Forwarded-For`` the way the README's site file does; the nodes trust only 127.0.0.1
(nginx), so the client address is the socket address nginx saw.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from cluster_backing import (  # noqa: E402
    PY,
    ROOT,
    VENV_BIN,
    BackingServices,
    free_ports,
    log,
    pg_bindir,
    port_open,
    scratch_dir,
    wait_for,
)

__all__ = ["Cluster", "install_signal_handlers", "log", "PY", "ROOT", "VENV_BIN", "port_open", "wait_for"]


class Cluster(BackingServices):
    """The topology; use as a context manager so it is always taken down."""

    def __init__(self, *, workers_per_node=2, keep=False):
        self.workers_per_node = workers_per_node
        self.keep = keep
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        # Every process of the cluster runs in a session of its own (start_new_session; PostgreSQL's
        # postmaster makes its own): the final check looks for any process in one of them.
        self.sessions: set[int] = set()
        self.tmp = Path(tempfile.mkdtemp(prefix="zwgk-cluster-", dir=scratch_dir()))
        # PostgreSQL (as user postgres) and nginx's workers (as nobody) must reach into it.
        os.chmod(self.tmp, 0o755)
        names = ["pg", "redis", "s3", "smtp", "node_a", "node_b", "lb", "a", "b"]
        self.ports = dict(zip(names, free_ports(len(names))))
        self.pg_bin = pg_bindir()
        self.pg_data = self.tmp / "pgdata"
        self.pg_sock = self.tmp / "pgsock"
        self.sink_dir = self.tmp / "mail"
        self.secret_key = secrets.token_urlsafe(50)
        self.bucket = "zwgk-cluster"
        self.as_root = os.geteuid() == 0
        self.stopped = False

    # --- environment ------------------------------------------------------------------
    @property
    def database_url(self):
        return f"postgres://postgres@127.0.0.1:{self.ports['pg']}/zwgk"

    def env(self, role="setup", **extra):
        """The environment of one process. Each ``role`` (node_a, node_b, worker …) has its own
        local directories, as separate machines would: a file only one node's disk holds cannot
        pass for shared storage."""
        var = self.tmp / role / "var"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_S3_", "EMAIL_", "CELERY_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "DEBUG": "0",
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                # Plain HTTP on loopback: nginx here terminates no TLS, so cookies cannot be Secure-only.
                "SECURE_COOKIES": "0",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
                "TRUSTED_PROXIES": "127.0.0.1",
                "PORTAL_VAR_DIR": str(var),
                "STATIC_ROOT": str(self.tmp / "static"),
                "MEDIA_ROOT": str(var / "media"),
                "DISCLOSURE_FILES_ROOT": str(var / "disclosure-files"),
                "REQUESTS_PRIVATE_ROOT": str(var / "private"),
                "PORTAL_BASE_URL": f"http://127.0.0.1:{self.ports['lb']}",
                "STORAGE_S3_BUCKET": self.bucket,
                "STORAGE_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
                "STORAGE_S3_ACCESS_KEY_ID": "cluster-test",
                "STORAGE_S3_SECRET_ACCESS_KEY": "cluster-test-secret",
                "STORAGE_S3_REGION": "us-east-1",
                "STORAGE_S3_ADDRESSING_STYLE": "path",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.ports["smtp"]),
                "EMAIL_TIMEOUT": "5",
                # Retry quickly so "the mail goes out when the server is back" is seen within seconds.
                "OUTBOX_RETRY_BASE": "2",
                "OUTBOX_RETRY_MAX": "4",
                "OUTBOX_MAX_ATTEMPTS": "100",
                "CELERY_BEAT_SCHEDULE_FILENAME": str(self.tmp / "celerybeat-schedule"),
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
                # moto and boto3 must not look for real credentials or the instance metadata service.
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        env.update(extra)
        return env

    # --- processes --------------------------------------------------------------------
    def _spawn(self, name, args, *, env=None, user=None, cwd=ROOT):
        env = env or self.env(name)
        logfile = self.tmp / "logs" / f"{name}.log"
        logfile.parent.mkdir(exist_ok=True)
        self.logs[name] = logfile
        handle = open(logfile, "ab")
        kwargs = {}
        if user and self.as_root:
            entry = pwd.getpwnam(user)
            kwargs.update(user=entry.pw_uid, group=entry.pw_gid, extra_groups=[])
        proc = subprocess.Popen(
            args,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
            **kwargs,
        )
        handle.close()
        self.procs[name] = proc
        self.sessions.add(proc.pid)
        return proc

    def _terminate(self, name, timeout=10):
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(5)
        # The group may outlive its leader (forked workers): make sure it is gone.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def run(self, args, *, env=None, user=None, check=True, timeout=600):
        kwargs = {}
        if user and self.as_root:
            entry = pwd.getpwnam(user)
            kwargs.update(user=entry.pw_uid, group=entry.pw_gid, extra_groups=[])
        result = subprocess.run(
            args,
            env=env or self.env(),
            cwd=ROOT if not user else self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def manage(self, *args, env=None, timeout=600):
        return self.run([PY, "manage.py", *args], env=env, timeout=timeout)

    def tail(self, name, lines=40):
        path = self.logs.get(name)
        if not path or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def node_start(self, name):
        """gunicorn with the shipped deploy/gunicorn.conf.py (when present), on this node's port."""
        port = self.ports[name]
        config = ROOT / "deploy" / "gunicorn.conf.py"
        args = [str(VENV_BIN / "gunicorn")]
        if config.exists():
            args += ["-c", str(config)]
        else:
            args += ["--timeout", "60", "--forwarded-allow-ips", "127.0.0.1"]
        args += [
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(self.workers_per_node),
            "--graceful-timeout",
            "5",
            "--pid",
            str(self.tmp / f"{name}.pid"),
            "--no-control-socket",
        ]
        self._spawn(
            name,
            args,
            env=self.env(name, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(self.workers_per_node)),
        )

    def worker_start(self):
        self._spawn(
            "worker",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--without-gossip",
                "--without-mingle",
                "--pidfile",
                str(self.tmp / "worker.pid"),
                "--hostname",
                f"w1@{self.tmp.name}",
            ],
        )

    def beat_start(self):
        self._spawn(
            "beat",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.tmp / "celerybeat-schedule"),
                "--pidfile",
                str(self.tmp / "beat.pid"),
            ],
        )

    def nginx_conf(self):
        prefix = self.tmp / "nginx"
        prefix.mkdir(exist_ok=True)
        user_line = ""
        if self.as_root:
            group = "nogroup"
            try:
                grp.getgrnam(group)
            except KeyError:
                group = "nobody"
            user_line = f"user nobody {group};"
        a, b = self.ports["node_a"], self.ports["node_b"]
        snippet = ROOT / "deploy" / "nginx" / "zwgk-proxy.conf"
        if snippet.exists():
            # The shipped proxy lines (Host, X-Forwarded-For, X-Forwarded-Proto, timeouts), as in production.
            headers = f"include {snippet};"
        else:
            headers = """
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 5s;
            proxy_read_timeout 60s;
            """
        proxy = f"""
            {headers}
            # Never replay a request on the other node: a POST must be sent once.
            proxy_next_upstream off;
            add_header X-Cluster-Upstream $upstream_addr always;
        """
        conf = f"""
{user_line}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 60m;
    upstream portal {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; keepalive 16; }}
    upstream node_a {{ server 127.0.0.1:{a}; keepalive 4; }}
    upstream node_b {{ server 127.0.0.1:{b}; keepalive 4; }}
    server {{ listen 127.0.0.1:{self.ports["lb"]}; location / {{ proxy_pass http://portal; {proxy} }} }}
    server {{ listen 127.0.0.1:{self.ports["a"]}; location / {{ proxy_pass http://node_a; {proxy} }} }}
    server {{ listen 127.0.0.1:{self.ports["b"]}; location / {{ proxy_pass http://node_b; {proxy} }} }}
}}
"""
        path = prefix / "nginx.conf"
        path.write_text(conf)
        return prefix, path

    def nginx_start(self):
        prefix, path = self.nginx_conf()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.run([nginx, "-t", "-p", str(prefix), "-c", str(path), "-e", str(prefix / "error.log")])
        self._spawn("nginx", [nginx, "-p", str(prefix), "-c", str(path), "-e", str(prefix / "error.log")])

    # --- the whole ----------------------------------------------------------------------
    def http_ok(self, port, path="/"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self):
        started = time.monotonic()
        log(f"temporary directory {self.tmp}; ports {self.ports}")
        self.pg_init()
        (self.tmp / "logs").mkdir(exist_ok=True)
        self.pg_start()
        self.run(
            [
                "psql",
                "-X",
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["pg"]),
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE zwgk",
            ],
            env=self._pg_env(),
        )
        self.redis_start()
        self.s3_start()
        self.smtp_start()
        wait_for("redis", lambda: port_open(self.ports["redis"]), 20)
        wait_for("the S3 server", lambda: port_open(self.ports["s3"]), 30)
        self.s3_create_bucket()
        log(
            f"PostgreSQL :{self.ports['pg']}, Redis :{self.ports['redis']}, S3 (moto) :{self.ports['s3']}, "
            f"mail sink :{self.ports['smtp']} up"
        )
        # collectstatic needs no database: it runs while migrate does.
        static = self._spawn("collectstatic", [PY, "manage.py", "collectstatic", "--noinput"], env=self.env())
        t0 = time.monotonic()
        self.manage("migrate", "--noinput")
        log(f"migrate {time.monotonic() - t0:.0f}s")
        if static.wait(600):
            raise RuntimeError(f"collectstatic failed:\n{self.tail('collectstatic')}")
        self.procs.pop("collectstatic", None)
        # The servers boot while the demo county is loaded (they need it only when the checks start).
        self.node_start("node_a")
        self.node_start("node_b")
        self.has_jobs = (ROOT / "portal" / "celery.py").exists()
        if self.has_jobs:
            self.worker_start()
            self.beat_start()
        else:
            log("no Celery application (portal/celery.py) on this branch: no worker, no beat")
        self.nginx_start()
        t0 = time.monotonic()
        # load_demo refuses to run with DEBUG off (production); the demo is loaded once, by hand.
        demo = self.manage("load_demo", env=self.env(DEBUG="1"))
        self.demo_output = demo.stdout
        log(f"demo county loaded ({time.monotonic() - t0:.0f}s)")
        for name in ("node_a", "node_b"):
            wait_for(f"gunicorn {name}", lambda n=name: self._alive(n) and self.http_ok(self.ports[n]), 90, 0.5)
        for name in ("lb", "a", "b"):
            wait_for(
                f"nginx :{self.ports[name]}",
                lambda n=name: self._alive("nginx") and self.http_ok(self.ports[n]),
                30,
                0.3,
            )
        if self.has_jobs:
            wait_for(
                "the celery worker", lambda: self._alive("worker") and "ready" in self.tail("worker", 200), 90, 0.5
            )
        log(
            f"up in {time.monotonic() - started:.0f}s: nginx :{self.ports['lb']} (round-robin), "
            f":{self.ports['a']} (node A :{self.ports['node_a']}), :{self.ports['b']} (node B :{self.ports['node_b']})"
        )

    def _alive(self, name):
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            raise RuntimeError(f"{name} exited:\n{self.tail(name)}")
        return True

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        # SIGTERM to every process group at once, then wait for each (SIGKILL after 10 s).
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        self.pg_stop("fast")
        for name in list(self.procs):
            t1 = time.monotonic()
            self._terminate(name)
            if time.monotonic() - t1 > 2:
                log(f"{name} took {time.monotonic() - t1:.1f}s more to stop")
        if self.pg_pid():
            self.pg_stop("immediate")

    def remaining(self):
        """What of the cluster still runs: processes naming its directory, and open ports."""
        left = []
        marker = str(self.tmp)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(") ", 1)[-1].split()
            if fields[0] == "Z":
                continue
            if marker in cmdline or int(fields[3]) in self.sessions:
                left.append(f"process {entry.name}: {cmdline.strip()[:120]}")
        for name, port in self.ports.items():
            if port_open(port):
                left.append(f"port {port} ({name}) still open")
        return left

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        t0 = time.monotonic()
        self.stop()
        t1 = time.monotonic()
        left = self.remaining()
        t2 = time.monotonic()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        log(
            f"taken down in {time.monotonic() - t0:.0f}s (stop {t1 - t0:.1f}s, check {t2 - t1:.1f}s, "
            f"cleanup {time.monotonic() - t2:.1f}s)"
        )
        if left:
            raise RuntimeError("the cluster left things running:\n  " + "\n  ".join(left))
        log("stopped: no process of the cluster remains, all its ports are closed")
        return False


def install_signal_handlers():
    """Turn SIGTERM/SIGHUP into SystemExit so ``with Cluster()`` always takes the cluster down."""

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)
    # A background job of a non-interactive shell starts with SIGINT ignored: take it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)


if __name__ == "__main__":  # bring it up and wait: for looking around by hand
    install_signal_handlers()
    with Cluster(keep="--keep" in sys.argv) as cluster:
        cluster.start()
        print(cluster.demo_output)
        print("Ctrl-C to stop")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
