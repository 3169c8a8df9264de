"""Run a callback once after the current transaction commits, however often it is asked for.

A catalog import saves hundreds of rows and a calendar change several days, each asking for
the same after-commit work (a page-cache bump, a refresh of every open clock). The callback is
looked for among the transaction's pending ones (Django's ``run_on_commit``), so a rolled-back
savepoint discards it together with its rows and a later change asks again. A flag kept beside
the connection instead outlives a rollback and then swallows every later change.
"""

from django.db import transaction


def on_commit_once(callback, using=None):
    connection = transaction.get_connection(using)
    if any(entry[1] is callback for entry in connection.run_on_commit):
        return
    transaction.on_commit(callback, using=using)
