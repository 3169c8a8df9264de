"""The item page's related-links hook: apps above disclosure add links; a failing one is skipped."""

import pytest
from django.urls import reverse

from disclosure import related

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(related, "_PROVIDERS", [])
    return related


def test_a_registered_provider_adds_its_links_and_a_failing_one_is_skipped(client, publish_item, providers):
    item = publish_item()

    def broken(item):
        raise RuntimeError("boom")

    providers.register(broken)
    providers.register(lambda item: [{"label": "草案征求意见", "url": "/hdjl/yjzj/1/", "note": "已公布反馈"}])
    response = client.get(reverse("disclosure:item", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/hdjl/yjzj/1/">草案征求意见</a>' in body and "已公布反馈" in body


def test_without_providers_the_page_has_no_related_links_section(client, publish_item, providers):
    item = publish_item()
    assert "相关链接" not in client.get(reverse("disclosure:item", args=[item.pk])).content.decode()
