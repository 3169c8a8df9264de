"""Backup, restore and verification of the whole portal: the database first, then the files.

Why this order: a file is written to the store before the row that names it is
committed, and stored files are almost never deleted (only a draft's removed
attachment). A database dump taken first and a file copy taken after it
therefore holds every file the dump refers to; files uploaded meanwhile are
extra, never missing.

A backup is one directory::

    manifest.json           what is in it: the dump's checksum, every file's sha256 and size
    database.dump           PostgreSQL: pg_dump -Fc (custom format, restored with pg_restore)
    database.sqlite3        SQLite (the embedded default): the sqlite3 online backup API
    files/<store>/<name>    every file of the stores "attachments", "private" and "default"

It is written under ``<dest>.partial`` and renamed when complete, so a
directory with a manifest is always a whole backup. Restoring goes into a
*new* database and a new files location: a database or location that already
holds data is refused unless ``force`` is given. Verification reads every
file the database refers to (any FileField of any model, so the core needs to
know no app) and compares it with the manifest and with the checksum or size
the row itself records.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import CommandError
from django.db import connections, models
from django.utils.translation import gettext as _

from . import storage as stores

FORMAT = "zwgk-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
FILES = "files"
CHUNK = 1024 * 1024

# Where a restore with --files DIR puts each store (the same names as under var/).
LOCAL_FOLDERS = {stores.ATTACHMENTS: "disclosure-files", stores.PRIVATE: "private", stores.DEFAULT: "media"}
LOCAL_SETTINGS = {
    stores.ATTACHMENTS: "DISCLOSURE_FILES_ROOT",
    stores.PRIVATE: "REQUESTS_PRIVATE_ROOT",
    stores.DEFAULT: "MEDIA_ROOT",
}


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL client programs ---------------------------------------------


def pg_program(name):
    """The newest Debian client program (``/usr/lib/postgresql/<v>/bin``), else the one on PATH.

    pg_dump must be at least as new as the server; ``PG_BIN_DIR`` overrides.
    """
    configured = os.environ.get("PG_BIN_DIR", "").strip()
    if configured:
        return str(Path(configured) / name)
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")

    def version(path):
        try:
            return float(Path(path).parent.parent.name)
        except ValueError:
            return 0.0

    if candidates:
        return max(candidates, key=version)
    found = shutil.which(name)
    if not found:
        raise CommandError(
            _("找不到 PostgreSQL 客户端程序 %(name)s，请安装 Debian 软件包 postgresql-client。") % {"name": name}
        )
    return found


def _pg_env(db):
    env = dict(os.environ)
    options = db.get("OPTIONS") or {}
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGSSLMODE", options.get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(
            _("%(program)s 失败：%(error)s")
            % {"program": Path(command[0]).name, "error": (result.stderr or result.stdout).strip()[-2000:]}
        )
    return result


# --- databases named by URL --------------------------------------------------


def database_settings(url):
    """Django's settings of a database named by URL, with every default filled in."""
    import dj_database_url

    try:
        parsed = dj_database_url.parse(url)
    except Exception as exc:  # noqa: BLE001 - any malformed URL is the user's input
        raise CommandError(_("数据库地址无效：%(error)s") % {"error": exc}) from None
    return connections.configure_settings({"default": parsed})["default"]


_opened = set()


def connection_alias(url):
    """A connection alias for the database at ``url``, made once per process.

    The connection is created directly rather than added to DATABASES: it is
    a one-off look at another database, not part of the site's configuration.
    """
    from django.db.utils import load_backend

    alias = "backup_" + hashlib.sha256(url.encode()).hexdigest()[:12]
    if alias not in _opened:
        db = database_settings(url)
        connections[alias] = load_backend(db["ENGINE"]).DatabaseWrapper(db, alias)
        _opened.add(alias)
    return alias


def close_connections():
    """Close (and forget) the connections made by :func:`connection_alias`."""
    for alias in list(_opened):
        connections[alias].close()
        delattr(connections._connections, alias)
        _opened.discard(alias)


def _vendor(db):
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise CommandError(_("不支持的数据库类型：%(engine)s（只支持 PostgreSQL 和 SQLite）。") % {"engine": engine})


# --- backup ------------------------------------------------------------------


def _dump_database(alias, target_dir):
    db = connections[alias].settings_dict
    vendor = _vendor(db)
    if vendor == "postgresql":
        path = target_dir / PG_DUMP
        _run([pg_program("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(path), db["NAME"]], _pg_env(db))
    else:
        path = target_dir / SQLITE_DUMP
        connection = connections[alias]
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            connection.connection.backup(destination)  # the online backup API: a consistent copy
        finally:
            destination.close()
    return {"vendor": vendor, "file": path.name, "size": path.stat().st_size, "sha256": _sha256_file(path)}


def _copy_store(alias, target_dir):
    """Copy every file of one store into ``target_dir``; return the manifest entries."""
    source = storages[alias]
    entries = []
    for name in stores.walk(source):
        path = target_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with source.open(name, "rb") as handle, open(path, "wb") as out:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        entries.append({"store": alias, "name": name, "size": size, "sha256": digest.hexdigest()})
    return entries


def _applied_migrations(alias):
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(dest, *, database="default", log=print):
    """Write a whole backup to ``dest`` (a new or empty directory); return the manifest."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CommandError(_("备份目录 %(path)s 已存在且不是空目录，请指定一个新目录。") % {"path": dest})
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # applicants' personal data: readable by the portal's user only
    started = dt.datetime.now(dt.timezone.utc)
    try:
        log(_("1/2 导出数据库……"))
        dumped = _dump_database(database, partial)
        log(_("2/2 复制文件……"))
        files = []
        for alias in stores.ALIASES:
            entries = _copy_store(alias, partial / FILES / alias)
            log(
                _("  %(store)s（%(kind)s）：%(count)d 个文件")
                % {"store": alias, "kind": stores.backend_kind(alias), "count": len(entries)}
            )
            files.extend(entries)
        manifest = {
            "format": FORMAT,
            "started_at": started.isoformat(),
            "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "database": dumped,
            "migrations": _applied_migrations(database),
            "stores": {alias: stores.backend_kind(alias) for alias in stores.ALIASES},
            "files": files,
            "totals": {"files": len(files), "bytes": sum(f["size"] for f in files)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if dest.exists():
        dest.rmdir()
    partial.rename(dest)
    return manifest


# --- reading and checking a backup ------------------------------------------


@dataclass
class Report:
    checked: int = 0
    problems: list = field(default_factory=list)

    def problem(self, text):
        self.problems.append(text)

    @property
    def ok(self):
        return not self.problems


def load_manifest(src):
    path = Path(src) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(_("%(path)s 不是完整的备份：缺少 manifest.json。") % {"path": src}) from None
    except ValueError as exc:
        raise CommandError(_("manifest.json 无法读取：%(error)s") % {"error": exc}) from None
    if manifest.get("format") != FORMAT:
        raise CommandError(_("不认识的备份格式：%(format)s") % {"format": manifest.get("format")})
    return manifest


def check_backup_set(src, manifest):
    """The dump and every file of the backup directory against the manifest's checksums."""
    src = Path(src)
    report = Report()
    dump = manifest["database"]
    path = src / dump["file"]
    report.checked += 1
    if not path.is_file():
        report.problem(_("缺少数据库导出文件 %(name)s") % {"name": dump["file"]})
    elif path.stat().st_size != dump["size"] or _sha256_file(path) != dump["sha256"]:
        report.problem(_("数据库导出文件 %(name)s 的校验和不符") % {"name": dump["file"]})
    for entry in manifest["files"]:
        report.checked += 1
        path = src / FILES / entry["store"] / entry["name"]
        if not path.is_file():
            report.problem(_("备份中缺少文件 %(store)s/%(name)s") % entry)
        elif path.stat().st_size != entry["size"] or _sha256_file(path) != entry["sha256"]:
            report.problem(_("备份中的文件 %(store)s/%(name)s 校验和不符") % entry)
    return report


def file_references(alias):
    """Every (model label, pk, store, name, recorded sha256, recorded size) a database refers to.

    Found from the models' FileFields, so new apps are covered without listing them.
    """
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not fields:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        extra = [n for n in ("sha256", "size") if n in names]
        for file_field in fields:
            store = stores.alias_of(file_field.storage)
            rows = (
                model._default_manager.using(alias)
                .exclude(**{file_field.attname: ""})
                .values_list("pk", file_field.attname, *extra)
                .order_by("pk")
            )
            for row in rows:
                recorded = dict(zip(extra, row[2:]))
                yield (model._meta.label, row[0], store, row[1], recorded.get("sha256"), recorded.get("size"))


def local_stores(root):
    root = Path(root)
    return {alias: FileSystemStorage(location=root / LOCAL_FOLDERS[alias], base_url=None) for alias in stores.ALIASES}


def configured_stores():
    return {alias: storages[alias] for alias in stores.ALIASES}


def check_references(alias, target, manifest=None):
    """Every file the database refers to exists in ``target`` with the recorded checksum and size."""
    report = Report()
    expected = {(f["store"], f["name"]): f for f in (manifest or {}).get("files", [])}
    for label, pk, store, name, sha256, size in file_references(alias):
        report.checked += 1
        where = f"{label} #{pk} {store}/{name}"
        storage = target[store]
        try:
            actual_sha, actual_size = stores.sha256_of(storage, name)
        except (FileNotFoundError, OSError):
            report.problem(_("缺失：%(where)s") % {"where": where})
            continue
        entry = expected.get((store, name))
        if manifest is not None and entry is None:
            report.problem(_("备份中没有：%(where)s") % {"where": where})
        elif entry is not None and (entry["sha256"] != actual_sha or entry["size"] != actual_size):
            report.problem(_("校验和与备份清单不符：%(where)s") % {"where": where})
        if sha256 and sha256 != actual_sha:
            report.problem(_("校验和与数据库记录不符：%(where)s") % {"where": where})
        if size and size != actual_size:
            report.problem(_("大小与数据库记录不符：%(where)s") % {"where": where})
    return report


# --- restore -----------------------------------------------------------------


def _pg_is_empty(db):
    import psycopg

    params = {
        "dbname": db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}, connect_timeout=10) as conn:
            count = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
        return count == 0, True
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            return True, False
        raise CommandError(_("无法连接目标数据库：%(error)s") % {"error": exc}) from None


def _pg_create(db):
    import psycopg
    from psycopg import sql

    params = {
        "dbname": "postgres",
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def _sqlite_is_empty(path):
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        return True
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


def restore_database(src, manifest, url, *, force=False):
    db = database_settings(url)
    vendor = _vendor(db)
    dump = manifest["database"]
    if vendor != dump["vendor"]:
        raise CommandError(_("这份备份来自 %(source)s，只能恢复到 %(source)s 数据库。") % {"source": dump["vendor"]})
    path = Path(src) / dump["file"]
    if vendor == "postgresql":
        empty, exists = _pg_is_empty(db)
        if not empty and not force:
            raise CommandError(
                _("目标数据库 %(name)s 已有数据表，拒绝覆盖。请恢复到新数据库，或加 --force。") % {"name": db["NAME"]}
            )
        if not exists:
            _pg_create(db)
        command = [
            pg_program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-d",
            db["NAME"],
            str(path),
        ]
        if not empty:
            command[1:1] = ["--clean", "--if-exists"]
        _run(command, _pg_env(db))
    else:
        target = Path(db["NAME"])
        if not _sqlite_is_empty(target) and not force:
            raise CommandError(
                _("目标数据库 %(name)s 已有数据表，拒绝覆盖。请恢复到新文件，或加 --force。") % {"name": target}
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(path)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()


def ensure_empty(target):
    """Refuse a files location that already holds a file (a restore goes to a new location)."""
    for alias, storage in target.items():
        if next(iter(stores.walk(storage)), None) is not None:
            raise CommandError(
                _("目标文件位置（%(store)s）已有文件，拒绝覆盖。请恢复到新位置，或加 --force。") % {"store": alias}
            )


def restore_files(src, manifest, target, *, force=False):
    """Copy every file of the backup into the stores ``target`` (alias → storage), names unchanged."""
    if not force:
        ensure_empty(target)
    for entry in manifest["files"]:
        storage = target[entry["store"]]
        if storage.exists(entry["name"]):
            storage.delete(entry["name"])
        with open(Path(src) / FILES / entry["store"] / entry["name"], "rb") as handle:
            saved = storage.save(entry["name"], File(handle, name=entry["name"]))
        if saved != entry["name"]:
            raise CommandError(_("文件 %(name)s 被存成了 %(saved)s") % {"name": entry["name"], "saved": saved})
    return len(manifest["files"])
