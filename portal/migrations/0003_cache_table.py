"""The database cache's table, so the embedded default's shared cache exists after `migrate`.

Nothing to do when the cache is Redis; `createcachetable` skips a table that exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_roles_and_calendar")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
