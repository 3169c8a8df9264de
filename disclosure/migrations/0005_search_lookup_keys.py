"""Search looks a typed 索引号 or 文号 up through an index: the 文号's lookup key, filled for every existing item."""

from django.db import migrations, models

from disclosure.text import document_number_key

BATCH = 1000


def fill_keys(apps, schema_editor):
    Item = apps.get_model("disclosure", "DisclosureItem")
    rows = Item.objects.exclude(document_number="").order_by("pk").only("pk", "document_number")
    batch = []
    for item in rows.iterator(chunk_size=BATCH):
        item.document_number_key = document_number_key(item.document_number)
        batch.append(item)
        if len(batch) >= BATCH:
            Item.objects.bulk_update(batch, ["document_number_key"])
            batch = []
    if batch:
        Item.objects.bulk_update(batch, ["document_number_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0004_public_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosureitem",
            name="document_number_key",
            field=models.CharField(blank=True, editable=False, max_length=80, verbose_name="文号检索键"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="disclosureitem",
            index=models.Index(fields=["index_number"], name="disclosure_index_number"),
        ),
        migrations.AddIndex(
            model_name="disclosureitem",
            index=models.Index(fields=["document_number_key"], name="disclosure_docnumber_key"),
        ),
    ]
