"""Drop the translated-sentence columns of the audit log: 0005 turned them into codes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_audit_texts_to_codes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="auditentry",
            name="from_state",
        ),
        migrations.RemoveField(
            model_name="auditentry",
            name="to_state",
        ),
        migrations.RemoveField(
            model_name="auditentry",
            name="verb",
        ),
    ]
