"""Seed the shared wording of every formal notice; administrators edit it afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from requests_app.notices import seed_templates

    seed_templates(apps.get_model("requests_app", "NoticeTemplate"))


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
