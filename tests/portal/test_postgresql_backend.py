"""The PostgreSQL health check (portal/postgresql/base.py): no round trip while quiet; an ended connection is caught."""

import time

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    connection.ensure_connection()
    return connection


def _statements_sent(conn, monkeypatch):
    """Count what the raw connection sends from now on."""
    sent = []
    raw = conn.connection
    original = type(raw).cursor

    def cursor(self, *args, **kwargs):
        sent.append("cursor")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(raw), "cursor", cursor)
    return sent


def test_a_quiet_connection_is_usable_without_a_round_trip(postgresql, monkeypatch):
    sent = _statements_sent(postgresql, monkeypatch)
    assert postgresql.is_usable()
    assert sent == []


def test_a_connection_the_server_ended_is_not_usable_and_the_next_request_reconnects(postgresql):
    import psycopg

    backend = postgresql.connection.info.backend_pid
    s = postgresql.settings_dict
    with psycopg.connect(
        dbname=s["NAME"], user=s["USER"] or None, host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    deadline = time.monotonic() + 5
    while postgresql.is_usable() and time.monotonic() < deadline:  # the server's goodbye is on its way
        time.sleep(0.01)
    assert not postgresql.is_usable()
    postgresql.health_check_done = False
    postgresql.close_if_health_check_failed()  # what Django does before a request's first query
    with postgresql.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend


def test_a_connection_inside_a_transaction_gets_the_full_check(postgresql, monkeypatch):
    with postgresql.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            sent = _statements_sent(postgresql, monkeypatch)
            assert postgresql.is_usable()
            assert sent == ["cursor"]  # not plainly idle: Django's SELECT 1
        finally:
            cursor.execute("ROLLBACK")


def _prepared(conn):
    with conn.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _towns_by_name():
    from portal import compiled
    from portal.models import Organization

    return compiled.Shape(lambda name: Organization.objects.filter(name__gte=name).order_by("name"), str)


def test_a_compiled_shape_is_prepared_after_a_few_runs_and_still_reads_the_current_rows(postgresql, make_org):
    """The statement is planned once per connection; its rows are read afresh on every run."""
    from portal.models import Organization

    county = make_org("测试县人民政府")
    for i in range(3):
        make_org(f"第{i}镇人民政府", parent=county)
    shape = _towns_by_name()
    threshold = postgresql.settings_dict["OPTIONS"]["prepare_threshold"]
    for run in range(threshold + 3):
        name = "第" if run % 2 else "第1"
        assert shape.fetch(name) == list(Organization.objects.filter(name__gte=name).order_by("name"))
    assert any("$1" in statement and "portal_organization" in statement for statement in _prepared(postgresql))
    Organization.objects.filter(name="第2镇人民政府").update(name="第9镇人民政府")
    assert [o.name for o in shape.fetch("第2")][:1] == ["第9镇人民政府"]


def test_the_query_log_shows_a_prepared_statement_with_its_values(postgresql, make_org):
    from django.test.utils import CaptureQueriesContext

    make_org("测试县人民政府")
    shape = _towns_by_name()
    for _ in range(postgresql.settings_dict["OPTIONS"]["prepare_threshold"] + 1):
        shape.fetch("测试")
    with CaptureQueriesContext(postgresql) as queries:
        assert [o.name for o in shape.fetch("测试")] == ["测试县人民政府"]
    assert len(queries) == 1 and "'测试'" in queries[0]["sql"]


def test_with_prepared_statements_turned_off_nothing_is_prepared(postgresql, make_org, monkeypatch):
    """DATABASE_PREPARED_STATEMENTS=0 (a pooler in transaction mode): every statement as Django sends it."""
    make_org("测试县人民政府")
    monkeypatch.setitem(postgresql.settings_dict["OPTIONS"], "prepare_threshold", None)
    shape = _towns_by_name()
    before = _prepared(postgresql)
    for _ in range(10):
        assert [o.name for o in shape.fetch("测试")] == ["测试县人民政府"]
    assert _prepared(postgresql) == before


@pytest.mark.parametrize(("value", "threshold"), [(None, "5"), ("0", "None")])
def test_the_environment_turns_prepared_statements_on_or_off(value, threshold):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_PREPARED_STATEMENTS"}
    env.update(DATABASE_URL="postgres://postgres@127.0.0.1:5432/zwgk", DJANGO_SETTINGS_MODULE="portal.settings")
    env.update(DEBUG="1", **({"DATABASE_PREPARED_STATEMENTS": value} if value is not None else {}))
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == threshold
