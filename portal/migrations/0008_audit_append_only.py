"""The audit log is append-only (等保 2.0 安全审计): PostgreSQL refuses UPDATE and DELETE on it.

The admin is read-only already; the trigger also stops a script, a shell or a compromised
service account from rewriting history. TRUNCATE (the test suite's flush) is not a row
operation and stays possible for the database owner. SQLite has no such guard: the embedded
default is a single-machine installation whose file the administrator owns anyway.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION portal_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portal_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_auditentry_append_only ON portal_auditentry;
CREATE TRIGGER portal_auditentry_append_only
    BEFORE UPDATE OR DELETE ON portal_auditentry
    FOR EACH ROW EXECUTE FUNCTION portal_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS portal_auditentry_append_only ON portal_auditentry;
DROP FUNCTION IF EXISTS portal_auditentry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_remove_audit_texts"),
    ]

    operations = [migrations.RunPython(create, drop)]
