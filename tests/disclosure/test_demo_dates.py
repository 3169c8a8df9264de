"""The demo's items carry the dates of their story, so a freshly loaded demo is not late (issue 12)."""

import datetime as dt

import pytest
from django.utils import timezone

from disclosure.models import DisclosureItem, ItemState, ItemVersion


@pytest.mark.django_db
def test_no_published_demo_item_is_dated_the_day_the_demo_was_loaded(demo):
    today = timezone.localdate()
    published = DisclosureItem.objects.filter(state__in=(ItemState.PUBLISHED, ItemState.WITHDRAWN))
    assert published.count() >= 10
    for item in published:
        assert timezone.localdate(item.published_at) < today, item.title
        assert not item.is_late, (item.title, item.formed_on, item.due_date, item.published_at)
        for version in ItemVersion.objects.filter(item=item):
            assert timezone.localdate(version.published_at) < today, (item.title, version.number)


@pytest.mark.django_db
def test_the_policy_is_published_two_days_after_it_was_written_and_its_guide_revised_in_march(demo):
    policy = DisclosureItem.objects.get(title="示范县民政局关于调整城乡居民最低生活保障标准的通知")
    assert policy.written_on == policy.formed_on == dt.date(2026, 1, 5)
    assert timezone.localdate(policy.published_at) == dt.date(2026, 1, 7)
    assert policy.published_at.year == int(policy.index_number.split("/")[1][:4])
    guide = DisclosureItem.objects.get(title="示范县城乡最低生活保障办事指南", revision_of__isnull=True)
    assert timezone.localdate(guide.published_at) == dt.date(2026, 1, 12)
    assert timezone.localdate(guide.last_revised_at) == dt.date(2026, 3, 4)
    assert [timezone.localdate(v.published_at) for v in guide.versions.order_by("number")] == [
        dt.date(2026, 1, 12),
        dt.date(2026, 3, 4),
    ]
