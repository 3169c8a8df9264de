"""Backup, restore into a new database and files location, and verification, end to end.

The round trip runs on the database the suite runs on: on PostgreSQL a real
``pg_dump -Fc`` restored with ``pg_restore`` into another database on the same
server; on SQLite the online backup API into a new file. Then everything a
county would miss is compared row by row, and every file by its sha256.
"""

import hashlib
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portal import backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """An earlier transactional test may have flushed the migrations' data: put it back."""
    from portal.services import seed_calendar_from_package
    from requests_app.notices import seed_templates

    seed_calendar_from_package()
    seed_templates()


def _pdf(seed):
    return b"%PDF-1.4\n" + hashlib.sha256(seed.encode()).digest() * 64 + os.urandom(512) + b"\n%%EOF\n"


@pytest.fixture
def target_url(tmp_path):
    """A database that does not exist yet: another database on the same server, or a new SQLite file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg
        from psycopg import sql

        name = f"{db['NAME']}_restore"
        admin = {
            k: v
            for k, v in {
                "dbname": "postgres",
                "host": db.get("HOST"),
                "port": db.get("PORT"),
                "user": db.get("USER"),
                "password": db.get("PASSWORD"),
            }.items()
            if v
        }

        def drop():
            with psycopg.connect(**admin, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

        drop()
        auth = db.get("USER") or ""
        if db.get("PASSWORD"):
            auth += f":{db['PASSWORD']}"
        yield f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
        backup.close_connections()
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        backup.close_connections()


@pytest.fixture
def county_with_files(settings):
    """The demo county, plus new attachments on a revision and files on an application."""
    from disclosure import services as disclosure
    from disclosure.models import DisclosureItem, ItemState
    from portal.models import User
    from requests_app import services as requests
    from requests_app.models import FileKind, Request, Status

    settings.DEBUG = True  # load_demo is for development
    call_command("load_demo", stdout=io.StringIO())
    clerk = User.objects.get(username="clerk")
    item = DisclosureItem.objects.filter(state=ItemState.PUBLISHED, organization=clerk.organization).first()
    revision = disclosure.begin_revision(clerk, item, note="补充附件")
    for n in range(2):
        disclosure.add_attachment(clerk, revision, SimpleUploadedFile(f"补充材料{n}.pdf", _pdf(f"att{n}")))
    officer = User.objects.get(username="civil_officer")
    req = Request.objects.filter(status=Status.IN_HANDLING, organization=officer.organization).first()
    requests.attach_file(officer, req, SimpleUploadedFile("内部意见.pdf", _pdf("internal")), kind=FileKind.INTERNAL)
    requests.attach_file(officer, req, SimpleUploadedFile("拟公开.pdf", _pdf("disclosed")), kind=FileKind.DISCLOSED)


def _rows(alias):
    """What a county would miss, read from one database."""
    from annual.models import AnnualReport
    from disclosure.models import Attachment, DisclosureItem
    from portal.models import AuditEntry
    from requests_app.models import Notice, Request, RequestFile

    def values(model, *fields):
        return list(model.objects.using(alias).order_by("pk").values_list(*fields))

    return {
        "items": values(DisclosureItem, "pk", "title", "state", "index_number", "body", "published_at"),
        "attachments": values(Attachment, "pk", "item_id", "file", "original_name", "size", "sha256"),
        "requests": values(
            Request,
            "pk",
            "tracking_number",
            "status",
            "registration_number",
            "applicant_name",
            "id_number",
            "description",
        ),
        "notices": values(Notice, "pk", "request_id", "kind", "document_number", "body", "issued_on"),
        "request_files": values(RequestFile, "pk", "request_id", "kind", "file", "original_name", "size"),
        "audit": values(
            AuditEntry, "pk", "actor_id", "object_id", "event", "from_code", "to_code", "params", "comment"
        ),
        "annual_reports": values(AnnualReport, "pk", "organization_id", "year", "scope", "state", "data"),
    }


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_backup_restore_into_a_new_database_and_location_then_verify(county_with_files, target_url, tmp_path, settings):
    from disclosure.models import Attachment
    from requests_app.models import RequestFile

    original = _rows("default")
    assert len(original["attachments"]) >= 5 and len(original["request_files"]) >= 3
    assert original["notices"] and original["audit"] and original["annual_reports"]

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    manifest = backup.load_manifest(tmp_path / "backup")
    assert manifest["database"]["vendor"] == connection.vendor
    named = {(f["store"], f["name"]): f for f in manifest["files"]}
    for _pk, _item, name, _orig, size, sha256 in original["attachments"]:
        assert named[("attachments", name)]["sha256"] == sha256 and named[("attachments", name)]["size"] == size

    restored_files = tmp_path / "restored-files"
    call_command(
        "restore", str(tmp_path / "backup"), database_url=target_url, files=str(restored_files), stdout=io.StringIO()
    )
    alias = backup.connection_alias(target_url)
    assert _rows(alias) == original
    # Every attachment and applicant's file is back, byte for byte, in the new location.
    for attachment in Attachment.objects.using(alias).all():
        assert _sha(restored_files / "disclosure-files" / attachment.file.name) == attachment.sha256
    for item in RequestFile.objects.using(alias).all():
        source = Path(settings.REQUESTS_PRIVATE_ROOT) / item.file.name
        assert _sha(restored_files / "private" / item.file.name) == _sha(source)

    report = io.StringIO()
    call_command(
        "verify_backup", str(tmp_path / "backup"), database_url=target_url, files=str(restored_files), stdout=report
    )
    assert "核对通过" in report.getvalue()

    # The same database again (with a new, empty files location): refused, nothing written.
    with pytest.raises(CommandError, match="已有数据表，拒绝覆盖"):
        call_command(
            "restore",
            str(tmp_path / "backup"),
            database_url=target_url,
            files=str(tmp_path / "second"),
            stdout=io.StringIO(),
        )
    assert not any(p.is_file() for p in (tmp_path / "second").rglob("*"))
    # A files location that holds files: refused before the database is touched.
    with pytest.raises(CommandError, match="已有文件，拒绝覆盖"):
        call_command(
            "restore",
            str(tmp_path / "backup"),
            database_url=target_url,
            files=str(restored_files),
            stdout=io.StringIO(),
        )
    # With --force it goes through again and gives the same rows.
    call_command(
        "restore",
        str(tmp_path / "backup"),
        database_url=target_url,
        files=str(restored_files),
        force=True,
        stdout=io.StringIO(),
    )
    assert _rows(alias) == original

    # A damaged and a lost file are both named, and the check fails.
    damaged = Attachment.objects.using(alias).order_by("pk").first()
    (restored_files / "disclosure-files" / damaged.file.name).write_bytes(b"%PDF-1.4 changed")
    lost = RequestFile.objects.using(alias).order_by("pk").last()
    (restored_files / "private" / lost.file.name).unlink()
    report = io.StringIO()
    with pytest.raises(CommandError, match="核对未通过"):
        call_command(
            "verify_backup", str(tmp_path / "backup"), database_url=target_url, files=str(restored_files), stdout=report
        )
    lines = report.getvalue()
    assert f"disclosure.Attachment #{damaged.pk} attachments/{damaged.file.name}" in lines
    assert "校验和与备份清单不符" in lines and "校验和与数据库记录不符" in lines
    assert f"缺失：requests_app.RequestFile #{lost.pk} private/{lost.file.name}" in lines


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_before_anything_is_restored(target_url, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    storages["attachments"].save("disclosure/2026/a.pdf", ContentFile(_pdf("a")))
    storages["private"].save("requests/1/b.pdf", ContentFile(_pdf("b")))
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = backup.load_manifest(tmp_path / "backup")
    assert {(f["store"], f["name"]) for f in manifest["files"]} == {
        ("attachments", "disclosure/2026/a.pdf"),
        ("private", "requests/1/b.pdf"),
    }
    (tmp_path / "backup" / "files" / "private" / "requests/1/b.pdf").write_bytes(b"bit rot")
    with pytest.raises(CommandError, match="备份已损坏"):
        call_command(
            "restore",
            str(tmp_path / "backup"),
            database_url=target_url,
            files=str(tmp_path / "new"),
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "new").exists()
    out = io.StringIO()
    with pytest.raises(CommandError, match="核对未通过"):
        call_command("verify_backup", str(tmp_path / "backup"), stdout=out)
    assert "备份中的文件 private/requests/1/b.pdf 校验和不符" in out.getvalue()


@pytest.mark.django_db
def test_backup_into_a_directory_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", str(tmp_path / "old"), stdout=io.StringIO())
    assert (tmp_path / "old" / "manifest.json").read_text() == "{}"


@pytest.mark.django_db
def test_the_files_of_a_bucket_are_backed_up_and_restored_into_a_new_bucket(s3, settings, target_url, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from portal.storage_config import storages_setting

    files = {
        ("attachments", "disclosure/2026/a.pdf"): _pdf("a"),
        ("private", "requests/7/b.pdf"): _pdf("b"),
        ("private", "notices/7/3/c.pdf"): _pdf("c"),
        ("default", "reports/annual/1/d.xlsx"): b"PK\x03\x04 d",
    }
    for (store, name), content in files.items():
        assert storages[store].save(name, ContentFile(content)) == name
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = backup.load_manifest(tmp_path / "backup")
    assert manifest["stores"] == {"attachments": "s3", "private": "s3", "default": "s3"}
    assert {(f["store"], f["name"]): f["sha256"] for f in manifest["files"]} == {
        key: hashlib.sha256(content).hexdigest() for key, content in files.items()
    }

    # A new bucket, as a county moving to another store would configure it.
    s3.client.create_bucket(Bucket=f"{s3.bucket}-new")
    settings.STORAGES = storages_setting(
        {
            "STORAGE_S3_BUCKET": f"{s3.bucket}-new",
            "STORAGE_S3_ENDPOINT_URL": s3.endpoint,
            "STORAGE_S3_ACCESS_KEY_ID": "test-key",
            "STORAGE_S3_SECRET_ACCESS_KEY": "test-secret",
            "STORAGE_S3_REGION": "us-east-1",
            "STORAGE_S3_PREFIX": "restored",
        },
        base=settings.STORAGES,
    )
    call_command("restore", str(tmp_path / "backup"), database_url=target_url, stdout=io.StringIO())
    for (store, name), content in files.items():
        key = f"restored/{ {'default': 'media'}.get(store, store) }/{name}"
        assert s3.client.get_object(Bucket=f"{s3.bucket}-new", Key=key)["Body"].read() == content
        assert s3.anonymous_get(key, bucket=f"{s3.bucket}-new")[0] == 403
    # The new bucket now holds files: a second restore into it is refused.
    with pytest.raises(CommandError, match="已有文件，拒绝覆盖"):
        call_command("restore", str(tmp_path / "backup"), database_url=target_url, stdout=io.StringIO())
