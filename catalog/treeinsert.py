"""Many new catalog nodes in a few queries, each where mptt's ordered insertion would put it.

mptt inserts a node with ``order_insertion_by`` by looking for its right
sibling and shifting every later ``lft``/``rght`` of the tree: three or four
queries a node, two thirds of an import's queries. :func:`insert_nodes` writes
a batch instead: the new rows level by level (``bulk_create``, parents first,
with placeholder tree fields), then one query reads the affected trees in the
database's own ordering of (sort_order, name) — so names compare under the
database's collation, as mptt's query does — places every new node before the
first existing-or-earlier sibling that orders after it (mptt's rule, also
where the existing siblings are not sorted), numbers the trees again and
writes only the rows whose ``lft``/``rght``/``level`` changed (one ``UPDATE … FROM
(VALUES …)`` per 500 rows: Django's ``bulk_update`` builds a CASE expression per row
in Python, slower than the whole insert).

Only below existing roots (a new domain is created one by one, as before).
``bulk_create``/``bulk_update`` send no signals: the caller bumps the page cache.
"""

from collections import defaultdict

from django.db import connection

from .models import CatalogEntry

BATCH = 500


def insert_nodes(nodes):
    """Save ``nodes`` (unsaved entries, each with ``parent`` a saved or an earlier node of the list)."""
    nodes = list(nodes)
    if not nodes:
        return
    new_ids = set()
    by_level = defaultdict(list)
    for node in nodes:
        node.fill_derived()
        parent = node.parent
        node.tree_id, node.level, node.lft, node.rght = parent.tree_id, parent.level + 1, 0, 0
        by_level[node.level].append(node)
    for level in sorted(by_level):
        batch = by_level[level]
        for node in batch:
            node.parent = node.parent  # takes the parent's new id and keeps the instance cached
        CatalogEntry.objects.bulk_create(batch, batch_size=BATCH)
        new_ids.update(node.pk for node in batch)
    trees = {node.tree_id for node in nodes}
    rows = list(
        CatalogEntry.objects.filter(tree_id__in=trees)
        .order_by("sort_order", "name", "pk")
        .values_list("pk", "parent_id", "lft", "rght", "level", "sort_order", "name")
    )
    # The rank of each row's (sort_order, name) in the database's order: equal pairs share one.
    rank, last, key = {}, None, -1
    for pk, _parent, _lft, _rght, _level, sort_order, name in rows:
        if (sort_order, name) != last:
            last, key = (sort_order, name), key + 1
        rank[pk] = key
    existing = defaultdict(list)
    roots = []
    stored = {}
    for pk, parent_id, lft, rght, level, _s, _n in rows:
        stored[pk] = (lft, rght, level)
        if parent_id is None:
            roots.append((lft, pk))
        elif pk not in new_ids:
            existing[parent_id].append((lft, pk))
    children = {parent: [pk for _lft, pk in sorted(kids)] for parent, kids in existing.items()}
    for node in nodes:  # in creation order, as one-by-one inserts would come
        siblings = children.setdefault(node.parent_id, [])
        mine = rank[node.pk]
        after = [(rank[pk], i) for i, pk in enumerate(siblings) if rank[pk] > mine]
        siblings.insert(min(after)[1] if after else len(siblings), node.pk)
    numbered = {}

    def number(pk, left, level):
        right = left + 1
        for child in children.get(pk, ()):
            right = number(child, right, level + 1) + 1
        numbered[pk] = (left, right, level)
        return right

    for _lft, root in sorted(roots):
        number(root, 1, 0)
    changed = [(pk, *place) for pk, place in numbered.items() if stored[pk] != place]
    _update_places(changed)
    for node in nodes:
        node.lft, node.rght, node.level = numbered[node.pk]


def _update_places(rows):
    """Set (lft, rght, level) of many rows by id: ``[(id, lft, rght, level), …]``.

    ``UPDATE … FROM (VALUES …)`` works on PostgreSQL and on SQLite ≥ 3.33; the
    VALUES columns are ``column1``… on both.
    """
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 33):
        CatalogEntry.objects.bulk_update(
            [CatalogEntry(pk=pk, lft=lft, rght=rght, level=level) for pk, lft, rght, level in rows],
            ["lft", "rght", "level"],
            batch_size=BATCH,
        )
        return
    table = connection.ops.quote_name(CatalogEntry._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET lft = v.column2, rght = v.column3, level = v.column4 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                [int(x) for row in batch for x in row],
            )
