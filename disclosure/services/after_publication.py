"""After publication: validity (失效/废止, the item stays public with a banner) and withdrawal.

Withdrawal (撤回) takes the item out of the lists and stops serving its files; its address
becomes a tombstone with the public reason. Validity is a second field, written by two steps
of the same workflow that keep the state (see :mod:`.workflow` for why).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DisclosureItem, Validity
from .drafting import _require_text
from .workflow import VALIDITY_STEPS, WORKFLOW, Version

if TYPE_CHECKING:
    from portal.models import User


def _validity_code(value: str) -> str:
    return f"disclosure.disclosureitem.validity:{value}"


@transaction.atomic
def change_validity(
    actor: User,
    item: DisclosureItem,
    validity: str,
    *,
    on_date: dt.date | None,
    note: str = "",
    expected_version: Version = None,
) -> DisclosureItem:
    """Mark a published item 失效 or 废止 with its date; it stays public with a banner."""
    validity = Validity(validity)
    verb = VALIDITY_STEPS.get(validity)
    if verb is None:
        raise ValidationError(
            _("“%(title)s”目前为“%(current)s”，不能%(action)s。")
            % {
                "title": item.title,
                "current": item.get_validity_display(),
                "action": _("标注为%(v)s") % {"v": validity.label},
            }
        )
    item = WORKFLOW.begin(actor, item, verb, expected_version=expected_version)
    if on_date is None:
        raise ValidationError(_("请填写%(v)s日期。") % {"v": validity.label})
    before = item.validity
    item.validity = validity
    if validity == Validity.EXPIRED:
        item.expired_on = on_date
    else:
        item.repealed_on = on_date
    item.validity_note = (note or "").strip()[:300]
    return WORKFLOW.perform(
        actor,
        item,
        verb,
        comment=f"{on_date:%Y-%m-%d} {item.validity_note}".strip(),
        from_code=_validity_code(before),
        to_code=_validity_code(validity),
    )


@transaction.atomic
def withdraw(actor: User, item: DisclosureItem, *, reason: str, expected_version: Version = None) -> DisclosureItem:
    """撤回: the item leaves the lists and its files stop being served; its page becomes a tombstone."""
    item = WORKFLOW.begin(actor, item, "withdraw", expected_version=expected_version)
    reason = _require_text(reason, _("撤回时请填写撤回原因（将向公众显示）。"))[:300]
    item.withdrawn_at = timezone.now()
    item.withdrawal_reason = reason
    return WORKFLOW.perform(actor, item, "withdraw", comment=reason)
