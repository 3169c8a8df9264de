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
