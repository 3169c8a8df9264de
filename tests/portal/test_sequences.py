"""Gapless number series: a register inspector finds no hole and no repeat."""

import pytest
from django.db import transaction

from disclosure.models import IndexCounter
from portal import sequences
from requests_app.models import Counter


@pytest.mark.django_db(transaction=True)
def test_numbers_follow_on_per_key_and_a_rolled_back_step_gives_its_number_back(make_org):
    org, other = make_org("测试县人民政府"), make_org("测试县民政局")

    def take(o, year=2026):
        with transaction.atomic():  # as every caller does: the number is taken inside the step's transaction
            return sequences.take_next(Counter, organization=o, year=year, series="registration")

    assert [take(org), take(org), take(other), take(org, 2027)] == [1, 2, 1, 1]
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take(org) == 3
        raise RuntimeError("the step failed after taking its number")
    assert take(org) == 3


@pytest.mark.django_db(transaction=True)
def test_the_locked_counter_is_created_once_at_zero(make_org):
    org = make_org()
    with transaction.atomic():
        first = sequences.locked_counter(IndexCounter, organization=org, year=2026)
        again = sequences.locked_counter(IndexCounter, organization=org, year=2026)
    assert first.pk == again.pk and first.last_serial == 0
    assert IndexCounter.objects.filter(organization=org).count() == 1
