"""Targeted push (精准推送) by e-mail: subscribe, confirm, notify, unsubscribe.

No account is needed. A subscription does nothing until its address is
confirmed through the link we mail; every message carries the link that
ends it. Messages go through the core's outbox: recorded with the change that
causes them (the subscription, the publication), sent by the worker.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import outbox, workdays

from .models import DisclosureItem, Subscription


def _absolute(path):
    base = getattr(settings, "PORTAL_BASE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


@transaction.atomic
def subscribe(email, *, domain=None, organization=None, base_url=""):
    """Create (or reuse) a pending subscription and mail its confirmation link."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("请输入有效的电子邮箱地址。")) from None
    if domain is None and organization is None:
        raise ValidationError(_("请选择要订阅的领域或机构。"))
    if domain is not None and not domain.is_domain:
        raise ValidationError(_("只能订阅领域。"))
    subscription, _created = Subscription.objects.get_or_create(email=email, domain=domain, organization=organization)
    if subscription.confirmed_at is None:
        base = base_url or ""
        link = (
            (base.rstrip("/") + reverse("disclosure:subscription_confirm", args=[subscription.token]))
            if base
            else _absolute(reverse("disclosure:subscription_confirm", args=[subscription.token]))
        )
        unsubscribe = (base.rstrip("/") if base else _absolute("")) + reverse(
            "disclosure:unsubscribe", args=[subscription.token]
        )
        body = render_to_string(
            "disclosure/email/confirm.txt",
            {
                "subscription": subscription,
                "link": link,
                "unsubscribe": unsubscribe,
            },
        )
        # At most one confirmation a day per subscription: asking again the same day resends nothing.
        outbox.enqueue(
            recipient=email,
            subject=_("请确认您的政务公开订阅"),
            body=body,
            about=subscription,
            organization=organization,
            event_key=outbox.event_key("subscription", subscription.pk, "confirm", workdays.today().isoformat()),
        )
    return subscription


@transaction.atomic
def confirm(token):
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        raise ValidationError(_("订阅确认链接无效或已失效。"))
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(token):
    deleted, _rows = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def matching_subscriptions(item):
    """Confirmed subscriptions to one of the item's domains, its organisation or an organisation above it."""
    trees = set(item.catalog_entries.values_list("tree_id", flat=True))
    orgs = item.organization.get_ancestors(include_self=True)
    return (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .filter(Q(domain__tree_id__in=trees, domain__parent__isnull=True) | Q(organization__in=orgs))
        .select_related("domain", "organization")
    )


def notify_published(item_pk, base_url=""):
    """Record one message per subscribed address, each with its own unsubscribe link; returns how many were new.

    Called inside the publication's transaction, so the notices are recorded
    with it (and not at all if it rolls back). One message per address and
    published version: publishing is never announced twice to the same person.
    """
    item = DisclosureItem.objects.select_related("organization").filter(pk=item_pk).first()
    if item is None or not item.is_public:
        return 0
    base = (base_url or getattr(settings, "PORTAL_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    seen = set()
    sent = 0
    for subscription in matching_subscriptions(item):
        if subscription.email in seen:
            continue
        seen.add(subscription.email)
        body = render_to_string(
            "disclosure/email/published.txt",
            {
                "item": item,
                "subscription": subscription,
                "link": base + reverse("disclosure:item", args=[item.pk]),
                "unsubscribe": base + reverse("disclosure:unsubscribe", args=[subscription.token]),
            },
        )
        message = outbox.enqueue(
            recipient=subscription.email,
            subject=_("新发布：%(title)s") % {"title": item.title[:60]},
            body=body,
            about=item,
            organization=item.organization,
            event_key=outbox.event_key(
                "published", item.pk, f"v{item.version_number}", outbox.address_key(subscription.email)
            ),
        )
        sent += message is not None
    return sent
