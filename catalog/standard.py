"""Loading the standard catalog that ships with the portal (fixtures/catalog)."""
import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import CatalogEntry

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "catalog"


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_standard_catalog():
    """Create the 26 domains and the shipped guideline rows; safe to run again.

    Returns (domains created, entries created).
    """
    created_domains = created_entries = 0
    domains = {}
    for row in _read(FIXTURES / "domains.csv"):
        domain, created = CatalogEntry.objects.get_or_create(
            parent=None, name=row["name"], organization=None,
            defaults={
                "sort_order": int(row["order"]),
                "aliases": row["aliases"].replace(";", "、"),
                "issuing_department": row["issuing_department"],
            },
        )
        created_domains += created
        domains[domain.name] = domain
    for path in sorted(FIXTURES.glob("*.csv")):
        if path.name == "domains.csv":
            continue
        domain = domains[path.stem]
        for order, row in enumerate(_read(path), start=1):
            group, created = CatalogEntry.objects.get_or_create(
                parent=domain, name=row["一级事项"], organization=None, defaults={"sort_order": order},
            )
            created_entries += created
            body = row["公开主体"]
            _, created = CatalogEntry.objects.get_or_create(
                parent=group, name=row["二级事项"], organization=None,
                defaults={
                    "sort_order": order,
                    "content_elements": row["公开内容（要素）"],
                    "time_limit_text": row["公开时限"],
                    "responsible_body": body,
                    "proactive": True,
                    "audience_public": True,
                    "level_county": "县" in body,
                    "level_township": "乡" in body or "街道" in body,
                },
            )
            created_entries += created
    if created_entries or created_domains:
        # Parents' level flags follow their children, so browsing by level finds the groups.
        for group in CatalogEntry.objects.filter(level=1, organization__isnull=True):
            children = list(group.get_children())
            if children:
                group.level_county = any(c.level_county for c in children)
                group.level_township = any(c.level_township for c in children)
                group.proactive = any(c.proactive for c in children)
                group.save(update_fields=["level_county", "level_township", "proactive"])
    return created_domains, created_entries
