"""Django's PostgreSQL backend: a health check that costs no round trip while the connection is
quiet, and prepared statements for the query shapes that every public page runs.

Persistent connections are checked before each request reuses them (``CONN_HEALTH_CHECKS``),
so that a restarted PostgreSQL costs no request a 500. Django checks with ``SELECT 1``: a round
trip, and a wake-up of the server process, on every request. Measured on the item page at
200,000 items (issue 10) that was 0.2–0.35 ms of a 7 ms page, and one of its three statements.

A server that ends a connection (a restart, ``pg_terminate_backend``, an idle timeout) sends
its reason and closes the socket, so the socket of an idle connection has something to read
only when the connection is no longer good. Here the check asks the socket first (no round
trip) and sends ``SELECT 1`` only when there is something to read or the connection is not
plainly idle; anything unexpected is left to Django's own check.

Django sends every statement as text with its values written in (client-side binding), so
PostgreSQL parses, analyses and plans each one afresh. For the item page's one statement
(the item, its organisation, its breadcrumb and two ``EXISTS``) that was ~0.9 ms of the
server's CPU per request against 0.1 ms of execution; prepared, it is ~0.15 ms in all
(issue 10). The compiled query shapes (``portal/compiled.py``) are the statements that
repeat with the same text and only their values changing, so they alone run through
:meth:`DatabaseWrapper.prepared_cursor`, a server-binding cursor that psycopg prepares once
a statement has run ``prepare_threshold`` times on the connection (``OPTIONS``, set in
``portal/settings.py``; ``None`` turns it off, as Django's default does, for a pooler in
transaction mode that cannot keep prepared statements). Every other statement is Django's
unchanged: a client-binding cursor never prepares.
"""

import select

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """The statement with its values, for query logs and tests, from a prepared cursor too.

        Django reads it off a client-binding cursor; a server-binding one keeps no such text,
        so it is composed as Django does when ``server_side_binding`` is on.
        """
        if isinstance(cursor, base.ServerBindingCursor):
            try:
                return self.compose_sql(sql, params)
            except operations.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            idle = connection.info.transaction_status == base.Database.pq.TransactionStatus.IDLE
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            quiet = idle and not poller.poll(0)
        except (OSError, ValueError, base.Database.Error):
            quiet = False
        return True if quiet else super().is_usable()

    def prepared_cursor(self):
        """Django's ``cursor()``, on a server-binding cursor whose statements psycopg prepares.

        The same wrapping as ``cursor()`` (health check, errors, query logging, execute wrappers,
        the connection's time zone), so tests count and see these statements as any other.
        """
        if self.settings_dict["OPTIONS"].get("prepare_threshold") is None:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = base.ServerBindingCursor(self.connection)
            tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
            if self.timezone != tzloader.timezone:
                base.register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)
