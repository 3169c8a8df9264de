"""The query plan a database chooses for a query, to ask whether an index serves it."""

from django.db import connection


def query_plan(sql, params):
    """The plan as one string; on PostgreSQL with sequential scans off (a test's tables are tiny)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether an index can serve it
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(part) for row in cursor.fetchall() for part in row)
