"""The parts of the cluster that are not the application: helpers, and the backing services.

Split from ``deploy/cluster.py`` (the topology and its application processes) to keep each
module readable: PostgreSQL (its own initdb on a scratch directory), Redis, the S3 API server
(moto) and the mail sink, each on a port chosen at start, started and stopped by
:class:`BackingServices`, which :class:`cluster.Cluster` mixes in.
"""

from __future__ import annotations

import glob
import os
import pwd
import socket
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python")


def log(message):
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_ports(count):
    """Ports nobody listens on now (bound then released; the window for a race is tiny)."""
    sockets, ports = [], []
    try:
        while len(ports) < count:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            port = s.getsockname()[1]
            if port not in ports:
                ports.append(port)
    finally:
        for s in sockets:
            s.close()
    return ports


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(what, predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")


def pg_bindir():
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    return Path(candidates[-1]).parent


def scratch_dir():
    """Where the cluster's temporary directory goes: ``CLUSTER_TMPDIR``, else a RAM disk
    (/dev/shm) with room to spare — PostgreSQL, the static files and the final clean-up are
    many small writes — else the system's temporary directory."""
    if os.environ.get("CLUSTER_TMPDIR"):
        return os.environ["CLUSTER_TMPDIR"]
    try:
        stat = os.statvfs("/dev/shm")
        if stat.f_bavail * stat.f_frsize > 2 * 1024**3 and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    return None


class BackingServices:
    """PostgreSQL, Redis, S3 and the mail sink of one cluster (uses the Cluster's ports, tmp, _spawn)."""

    # --- PostgreSQL ---------------------------------------------------------------------
    def _pg_env(self):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}

    def pg_init(self):
        self.pg_data.mkdir()
        self.pg_sock.mkdir()
        (self.tmp / "pglog").mkdir()
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            for path in (self.pg_data, self.pg_sock, self.tmp / "pglog"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.run(
            [
                str(self.pg_bin / "initdb"),
                "-D",
                str(self.pg_data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            env=self._pg_env(),
            user="postgres",
        )
        with open(self.pg_data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.ports['pg']}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.pg_sock}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 100\nshared_buffers = 64MB\n"
            )

    def pg_start(self):
        self.run(
            [
                str(self.pg_bin / "pg_ctl"),
                "-D",
                str(self.pg_data),
                "-l",
                str(self.tmp / "pglog" / "postgresql.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            env=self._pg_env(),
            user="postgres",
        )
        if self.pg_pid():
            self.sessions.add(self.pg_pid())

    def pg_stop(self, mode="fast"):
        if not (self.pg_data / "postmaster.pid").exists():
            return
        self.run(
            [str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m", mode, "-w", "-t", "60", "stop"],
            env=self._pg_env(),
            user="postgres",
            check=False,
        )

    def pg_pid(self):
        try:
            return int((self.pg_data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def psql(self, sql):
        """Run one query on the cluster's own database; rows as lists of strings."""
        result = self.run(
            [
                "psql",
                "-X",
                "-q",
                "-A",
                "-t",
                "-F",
                "\t",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["pg"]),
                "-U",
                "postgres",
                "-d",
                "zwgk",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
            env={**self._pg_env(), "PGCONNECT_TIMEOUT": "5"},
        )
        return [line.split("\t") for line in result.stdout.splitlines() if line]

    # --- the other services -------------------------------------------------------------
    def redis_start(self):
        self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
            ],
        )

    def s3_start(self):
        self._spawn("s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.ports["s3"])])

    def s3_create_bucket(self):
        code = (
            "import boto3,sys;"
            "c=boto3.client('s3',endpoint_url=sys.argv[1],aws_access_key_id='cluster-test',"
            "aws_secret_access_key='cluster-test-secret',region_name='us-east-1');"
            "c.create_bucket(Bucket=sys.argv[2])"
        )
        self.run([PY, "-c", code, f"http://127.0.0.1:{self.ports['s3']}", self.bucket])

    def s3_objects(self):
        """(key, size) of every object in the bucket: what the nodes really stored there."""
        code = (
            "import boto3,sys;"
            "c=boto3.client('s3',endpoint_url=sys.argv[1],aws_access_key_id='cluster-test',"
            "aws_secret_access_key='cluster-test-secret',region_name='us-east-1');"
            "p=c.get_paginator('list_objects_v2');"
            "[print(o['Key'],o['Size'],sep='\\t') for page in p.paginate(Bucket=sys.argv[2]) "
            "for o in page.get('Contents',[])]"
        )
        out = self.run([PY, "-c", code, f"http://127.0.0.1:{self.ports['s3']}", self.bucket]).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def smtp_start(self):
        self.sink_dir.mkdir(exist_ok=True)
        self._spawn(
            "smtp",
            [PY, str(ROOT / "deploy" / "smtp_sink.py"), "--port", str(self.ports["smtp"]), "--dir", str(self.sink_dir)],
        )
        wait_for("the mail sink", lambda: port_open(self.ports["smtp"]), 20)

    def smtp_stop(self):
        self._terminate("smtp")
        wait_for("the mail sink to close its port", lambda: not port_open(self.ports["smtp"]), 10)

    def mails(self):
        """The messages the sink received: list of (envelope recipients, raw text)."""
        result = []
        for path in sorted(self.sink_dir.glob("*.eml")):
            raw = path.read_bytes().decode("utf-8", errors="replace")
            first, _, rest = raw.partition("\r\n")
            result.append((first.removeprefix("X-Envelope-To: ").strip(), rest))
        return result
