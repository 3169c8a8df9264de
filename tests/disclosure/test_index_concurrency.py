"""索引号 under concurrent publication: real threads, real row locks (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from disclosure import services
from disclosure.models import DisclosureItem, ItemState

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_publication_gives_gapless_unique_numbers(county, make_item):
    items = []
    for n in range(THREADS):
        item = make_item(title=f"并发发布{n}")
        services.submit(county.clerk, item)
        services.sign_off_confidentiality(county.reviewer, item)
        items.append(item)
    barrier = threading.Barrier(THREADS)
    errors = []

    def run(item):
        try:
            barrier.wait()
            services.publish(county.reviewer, item)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(DisclosureItem.objects.filter(state=ItemState.PUBLISHED).values_list("index_number", flat=True))
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, THREADS + 1))
