"""主题分类 becomes a choice from the standard list: stored free-text values that clearly mean
a listed class take its standard form (“综合政务/政务公开” → “综合政务\\政务公开”); the rest
stay as they were and are still shown. Only the current item rows change; published
versions keep what was published."""

from django.db import migrations


def map_subjects(apps, schema_editor):
    from disclosure.subjects import canonical

    Item = apps.get_model("disclosure", "DisclosureItem")
    values = Item.objects.exclude(subject="").values_list("subject", flat=True).distinct()
    for value in list(values):
        standard = canonical(value)
        if standard and standard != value:
            Item.objects.filter(subject=value).update(subject=standard)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0005_search_lookup_keys")]

    operations = [migrations.RunPython(map_subjects, migrations.RunPython.noop)]
