"""Review: submission, the confidentiality sign-off (保密审查), return, and withheld items.

A reviewer of the item's own organisation signs it off before publication; a county reviewer
sees a township's queue but cannot sign for the township. An item the drafter marked 不予公开
is filed instead of published and re-assessed every year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import workdays
from portal.permissions import ensure_org_access, ensure_perm

from ..models import (
    DisclosureAttribute,
    DisclosureItem,
    ItemKind,
    ItemState,
    Reassessment,
    ReassessmentDecision,
)
from .drafting import _author, _require_text
from .numbering import _refresh_due_date
from .workflow import SIGN_OFF, WORKFLOW, Version

if TYPE_CHECKING:
    from portal.models import User


def _clear_sign_off(item: DisclosureItem) -> None:
    item.confidentiality_signed_by = None
    item.confidentiality_signed_at = None
    item.confidentiality_note = ""


@transaction.atomic
def submit(actor: User, item: DisclosureItem, *, expected_version: Version = None) -> DisclosureItem:
    """Hand a draft to the reviewers; the disclosure attribute must be decided by now."""
    item = WORKFLOW.begin(actor, item, "submit", expected_version=expected_version)
    if not item.disclosure_attribute:
        raise ValidationError(_("提交审核前请确定公开属性（主动公开、依申请公开或不予公开）。"))
    if item.disclosure_attribute != DisclosureAttribute.PROACTIVE and not item.attribute_reason.strip():
        raise ValidationError(
            _("公开属性为“%(attr)s”时，须填写不予主动公开的理由和法律依据。")
            % {"attr": item.get_disclosure_attribute_display()}
        )
    if not item.body_text and not item.attachments.filter(retired=False).exists():
        raise ValidationError(_("正文和附件不能都为空。"))
    if item.kind == ItemKind.INTERPRETATION and not item.interprets.exists():
        raise ValidationError(_("政策解读须关联至少一个所解读的政策文件。"))
    item.submitted_at = timezone.now()
    item.review_comment = ""
    _clear_sign_off(item)
    return WORKFLOW.perform(actor, item, "submit")


@transaction.atomic
def sign_off_confidentiality(
    actor: User, item: DisclosureItem, *, note: str = "", expected_version: Version = None
) -> DisclosureItem:
    """保密审查: a named reviewer of the item's own organisation signs it off."""
    item = WORKFLOW.lock(item, expected_version)
    # Who may sign is a matter of permission (403), not of the item's state: checked first.
    ensure_perm(actor, SIGN_OFF)
    ensure_org_access(actor, item.organization)
    if actor.organization_id != item.organization_id:
        raise PermissionDenied(_("保密审查须由%(org)s的审核员签发。") % {"org": item.organization})
    WORKFLOW.check(actor, item, "sign_off")
    item.confidentiality_signed_by = actor
    item.confidentiality_signed_at = timezone.now()
    item.confidentiality_note = (note or "").strip()[:300]
    return WORKFLOW.perform(actor, item, "sign_off", comment=item.confidentiality_note or _("经审查，不涉及国家秘密。"))


@transaction.atomic
def return_item(actor: User, item: DisclosureItem, *, comment: str, expected_version: Version = None) -> DisclosureItem:
    """Send a submitted (or scheduled) item back to the clerk with the reason."""
    item = WORKFLOW.begin(actor, item, "return", expected_version=expected_version)
    comment = _require_text(comment, _("退回时请填写退回意见。"))
    item.review_comment = comment
    item.scheduled_for = None
    _clear_sign_off(item)
    return WORKFLOW.perform(actor, item, "return", comment=comment)


@transaction.atomic
def file_withheld(
    actor: User, item: DisclosureItem, *, comment: str = "", expected_version: Version = None
) -> DisclosureItem:
    """Confirm a submitted item is not to be disclosed; it is then re-assessed every year."""
    item = WORKFLOW.begin(actor, item, "withhold", expected_version=expected_version)
    item.withheld_on = workdays.today()
    return WORKFLOW.perform(actor, item, "withhold", comment=comment or item.attribute_reason)


@transaction.atomic
def reassess(
    actor: User, item: DisclosureItem, decision: str, *, reason: str, expected_version: Version = None
) -> DisclosureItem:
    """Record the yearly review of a withheld item; releasing sends it back to review for publication."""
    decision = ReassessmentDecision(decision)
    verb = "keep_withheld" if decision == ReassessmentDecision.KEEP else "reassess_publish"
    item = WORKFLOW.begin(actor, item, verb, expected_version=expected_version)
    reason = _require_text(reason, _("请填写复核理由。"))
    Reassessment.objects.create(item=item, decision=decision, reason=reason, decided_by=_author(actor))
    today = workdays.today()
    item.last_reassessed_on = today
    if decision == ReassessmentDecision.KEEP:
        return WORKFLOW.perform(actor, item, verb, comment=reason)
    item.disclosure_attribute = DisclosureAttribute.PROACTIVE
    item.attribute_reason = ""
    item.formed_on = today
    item.submitted_at = timezone.now()
    item.confidentiality_signed_by = None
    item.confidentiality_signed_at = None
    WORKFLOW.perform(actor, item, verb, comment=reason)
    _refresh_due_date(item)
    return item


def review_warnings(item: DisclosureItem) -> list[str]:
    """What a reviewer should know before publishing; warnings, not refusals."""
    warnings = []
    if item.kind == ItemKind.DOCUMENT:
        needs = [e for e in item.catalog_entries.all() if e.requires_interpretation]
        if needs:
            policies = [item.pk] + ([item.revision_of_id] if item.revision_of_id else [])
            has = (
                DisclosureItem.objects.filter(interprets__in=policies)
                .exclude(state__in=(ItemState.WITHDRAWN, ItemState.MERGED))
                .exists()
            )
            if not has:
                warnings.append(
                    _("“%(entry)s”要求政策文件与解读同步发布，但本文件尚无政策解读。") % {"entry": needs[0].name}
                )
    if item.disclosure_attribute == DisclosureAttribute.PROACTIVE and not item.catalog_entries.exists():
        warnings.append(_("未关联目录事项，公开情况统计中将无法计入。"))
    if item.is_late:
        warnings.append(_("已超过应公开日期（%(due)s）。") % {"due": item.due_date})
    return warnings
