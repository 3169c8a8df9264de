"""The item's workflow: one declaration, version checks against stale pages, pages offering exactly its steps."""

import datetime as dt
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from disclosure import services
from disclosure.models import DisclosureItem, ItemState, Validity
from portal import audit
from portal.models import AuditEntry, Role
from tests.disclosure.conftest import pdf_upload

STALE = "刚刚已被其他人处理"


def page_actions(client, item):
    """The workflow URLs the staff item page offers (its forms and its edit link), by their last segment."""
    body = client.get(f"/gkgl/item/{item.pk}/").content.decode()
    found = set(re.findall(rf'action="/gkgl/item/{item.pk}/([a-z-]+)/"', body))
    found |= {"edit"} if f'href="/gkgl/item/{item.pk}/edit/"' in body else set()
    found |= {"detach"} if re.search(rf'action="/gkgl/item/{item.pk}/attachments/\d+/delete/"', body) else set()
    return {"attach" if action == "attachments" else action for action in found}


def expected_actions(user, item):
    """What the page must offer: the item page's action for every step ``WORKFLOW.available_steps`` allows."""
    from disclosure.staff import ACTIONS

    steps = services.available_steps(user, item)
    offered = {name for name, action in ACTIONS.items() if steps.intersection(action.steps)}
    return offered | (steps & {"edit", "attach", "detach"})


@pytest.fixture
def second_reviewer(county, make_user):
    return make_user("t_reviewer2", county.civil, Role.REVIEWER, full_name="审核丙")


def test_every_step_bumps_the_version_and_is_audited_as_a_code(county, make_item):
    item = make_item()
    assert item.lock_version == 1
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    published = services.publish(county.reviewer, item)
    assert published.lock_version == 4
    events = list(AuditEntry.objects.filter(object_id=str(item.pk)).order_by("id").values_list("event", flat=True))
    assert events == ["disclosure.create", "disclosure.submit", "disclosure.sign_off", "disclosure.publish"]
    assert not AuditEntry.objects.filter(event="legacy").exists()


def test_a_step_from_a_stale_version_is_refused_and_changes_nothing(county, make_item):
    item = make_item()
    services.submit(county.clerk, item)
    seen = DisclosureItem.objects.get(pk=item.pk).lock_version
    services.sign_off_confidentiality(county.reviewer, item, expected_version=seen)
    trail = audit.entries_for(item).count()
    with pytest.raises(ValidationError, match=STALE):
        services.return_item(county.reviewer, item, comment="请补充", expected_version=seen)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and item.confidentiality_signed_at is not None
    assert item.lock_version == seen + 1 and audit.entries_for(item).count() == trail


def test_two_reviewers_on_one_page_only_the_first_acts(client, county, make_item, second_reviewer):
    """Both opened the page at the same version; the second one's click is refused with a message."""
    item = make_item()
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    client.force_login(county.reviewer)
    page = client.get(f"/gkgl/item/{item.pk}/").content.decode()
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)

    other = client.__class__()
    other.force_login(second_reviewer)
    other.post(f"/gkgl/item/{item.pk}/return/", {"comment": "附件不全", "lock_version": version})
    response = client.post(f"/gkgl/item/{item.pk}/publish/", {"publish_at": "", "lock_version": version}, follow=True)

    assert STALE in response.content.decode() and "当前状态：退回" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED and item.index_number == "" and not item.versions.exists()


def test_a_draft_edited_meanwhile_is_not_overwritten_by_a_stale_form(client, county, make_item):
    item = make_item(title="原标题")
    client.force_login(county.clerk)
    form = client.get(f"/gkgl/item/{item.pk}/edit/").content.decode()
    version = re.search(r'name="lock_version" value="(\d+)"', form).group(1)
    services.update_draft(county.clerk, item, title="同事改过的标题")
    response = client.post(
        f"/gkgl/item/{item.pk}/edit/",
        {
            "organization": county.civil.pk,
            "kind": "document",
            "title": "我改的标题",
            "catalog_entries": [county.entry.pk],
            "disclosure_attribute": "proactive",
            "document_type": "other",
            "formed_on": "2026-03-02",
            "body": "<p>正文</p>",
            "lock_version": version,
        },
    )
    assert response.status_code == 200 and STALE in response.content.decode()
    item.refresh_from_db()
    assert item.title == "同事改过的标题"


def test_the_page_offers_exactly_the_available_steps(client, county, make_item, publish_item):
    draft = make_item(title="草稿")
    services.add_attachment(county.clerk, draft, pdf_upload())
    submitted = make_item(title="待审")
    services.submit(county.clerk, submitted)
    signed = make_item(title="已签发")
    services.submit(county.clerk, signed)
    services.sign_off_confidentiality(county.reviewer, signed)
    published = publish_item(title="已发布")
    repealed = publish_item(title="已废止")
    services.change_validity(county.reviewer, repealed, Validity.REPEALED, on_date=dt.date(2026, 7, 1))
    cases = [
        (county.clerk, draft, {"edit", "attach", "detach", "submit"}),
        (county.clerk, submitted, set()),
        (county.reviewer, submitted, {"sign-off", "return"}),
        (county.county_reviewer, submitted, {"return"}),  # may review a township's item, not sign it off
        (county.reviewer, signed, {"publish", "return"}),
        (county.clerk, published, {"revise"}),
        (county.reviewer, published, {"validity", "withdraw"}),
        (county.reviewer, repealed, {"withdraw"}),  # 废止 is final: no validity form any more
    ]
    for user, item, wanted in cases:
        client.force_login(user)
        item.refresh_from_db()
        shown = page_actions(client, item)
        assert shown == wanted == expected_actions(user, item), (user.username, item.title, shown)


def test_the_validity_step_records_both_values_as_codes(county, publish_item):
    item = publish_item()
    services.change_validity(county.reviewer, item, Validity.EXPIRED, on_date=dt.date(2026, 6, 30))
    entry = audit.entries_for(item).filter(event="disclosure.mark_expired").get()
    assert (entry.from_code, entry.to_code) == (
        "disclosure.disclosureitem.validity:valid",
        "disclosure.disclosureitem.validity:expired",
    )
    with translation.override("zh-hans"):
        assert (entry.verb, entry.from_state, entry.to_state) == ("标注为失效", "有效", "失效")
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED and item.validity == Validity.EXPIRED


def test_a_withheld_item_is_reassessed_from_its_own_page(client, county, make_item):
    from disclosure.models import DisclosureAttribute

    item = make_item(title="内部请示", disclosure_attribute=DisclosureAttribute.WITHHELD, attribute_reason="内部事务")
    services.submit(county.clerk, item)
    services.file_withheld(county.reviewer, item)
    client.force_login(county.reviewer)
    assert page_actions(client, item) == {"reassess"}
    item.refresh_from_db()
    client.post(
        f"/gkgl/item/{item.pk}/reassess/",
        {"decision": "keep", "reason": "仍属内部事务", "lock_version": item.lock_version},
    )
    item.refresh_from_db()
    assert item.state == ItemState.WITHHELD and item.last_reassessed_on is not None
    assert item.reassessments.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_once_exactly_one_succeeds(county, make_item, second_reviewer):
    item = make_item()
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    seen = DisclosureItem.objects.get(pk=item.pk).lock_version
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(step):
        try:
            barrier.wait()
            results.append(step())
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    steps = [
        lambda: services.publish(county.reviewer, item, expected_version=seen),
        lambda: services.return_item(second_reviewer, item, comment="附件不全", expected_version=seen),
    ]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and STALE in " ".join(errors[0].messages)
    item.refresh_from_db()
    assert item.lock_version == seen + 1
    assert item.state in (ItemState.PUBLISHED, ItemState.RETURNED)
    assert bool(item.index_number) == (item.state == ItemState.PUBLISHED)
