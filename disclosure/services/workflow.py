"""The item's state machine, declared once; nothing else writes ``DisclosureItem.state``.

Every step names the states it starts from, where it leads, the permission it needs and (in a
guard) the condition a page must meet before offering it, so the staff page, the services and
the audit log read the same table. The audit code of a step is ``disclosure.<verb>``: the verbs
are the codes the audit log has used since it stored codes, so old entries read as before.

Validity (有效性: 失效/废止) is a second field of a published item, not a state: the item stays
public and listed, with a banner. It is still two steps of this workflow (``mark_expired``,
``mark_repealed``) that keep the state: they need the same lock, version check, permission and
audit as every other change to a published item, and a second workflow on the same row would
need a second version counter to stay safe. The value a step writes is in its ``params``.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.workflow import Step, Workflow

from ..models import EDITABLE_STATES, OPEN_STATES, DisclosureAttribute, DisclosureItem, ItemState, Validity

#: The ``lock_version`` a page showed (a hidden field, so possibly text); None skips the check.
Version = int | str | None

__all__ = ["Version", "WORKFLOW", "EXTRA_EVENTS", "VALIDITY_STEPS"]

ADD = "disclosure.add_disclosureitem"
CHANGE = "disclosure.change_disclosureitem"
REVIEW = "disclosure.review_item"
PUBLISH = "disclosure.publish_item"
SIGN_OFF = "disclosure.sign_off_confidentiality"
REASSESS = "disclosure.reassess_item"


# ---------------------------------------------------------------- guards: (item, user) -> why not


def _sign_off_guard(item, user):
    if user is not None and getattr(user, "organization_id", None) != item.organization_id:
        return _("保密审查须由%(org)s的审核员签发。") % {"org": item.organization}
    if item.confidentiality_signed_at:
        return _("“%(title)s”已经通过保密审查。") % {"title": item.title}
    return None


def _publish_guard(item, user):
    if item.disclosure_attribute == DisclosureAttribute.WITHHELD:
        return _("公开属性为“不予公开”的信息不能发布。")
    if not item.confidentiality_signed_at:
        return _("“%(title)s”尚未通过保密审查，不能发布。") % {"title": item.title}
    return None


def _withhold_guard(item, user):
    if item.disclosure_attribute != DisclosureAttribute.WITHHELD:
        return _("只有公开属性为“不予公开”的信息才能确认不予公开。")
    return None


def _not_a_revision(label):
    def guard(item, user):
        if item.revision_of_id:
            return _("“%(title)s”是修订稿，不能%(action)s。") % {"title": item.title, "action": label}
        return None

    return guard


def _revision_guard(item, user):
    reason = _not_a_revision(gettext_lazy("开始修订"))(item, user)
    if reason:
        return reason
    if item.revisions.filter(state__in=OPEN_STATES).exists():
        return _("“%(title)s”已有一份正在办理的修订。") % {"title": item.title}
    return None


# The validity a published item may move to, from which validities.
VALIDITY_FROM = {Validity.EXPIRED: (Validity.VALID,), Validity.REPEALED: (Validity.VALID, Validity.EXPIRED)}


def _marked(validity):
    """The label “标注为失效” built lazily from the one msgid the audit log has always used."""
    return lazy(lambda: _("标注为%(v)s") % {"v": validity.label}, str)()


def _validity_guard(validity):
    action = _marked(validity)

    def guard(item, user):
        reason = _not_a_revision(action)(item, user)
        if reason:
            return reason
        if item.validity not in VALIDITY_FROM[validity]:
            return _("“%(title)s”目前为“%(current)s”，不能%(action)s。") % {
                "title": item.title,
                "current": item.get_validity_display(),
                "action": action,
            }
        return None

    return guard


SUBMITTED, SCHEDULED, PUBLISHED, WITHHELD = (
    ItemState.SUBMITTED,
    ItemState.SCHEDULED,
    ItemState.PUBLISHED,
    ItemState.WITHHELD,
)

WORKFLOW = Workflow(
    DisclosureItem,
    noun=gettext_lazy("信息"),
    version_field="lock_version",
    messages={
        "missing": gettext_lazy("该信息不存在。"),
        "stale": gettext_lazy(
            "该信息刚刚已被其他人处理（当前状态：%(state)s），您的操作没有执行。请刷新页面查看最新情况后再操作。"
        ),
        "wrong_state": gettext_lazy("该信息当前状态为“%(state)s”，不能%(step)s。"),
    },
    steps=[
        # Drafting: a clerk of the organisation (or the requests app turning a reply into a draft).
        Step("create", gettext_lazy("新建草稿"), (), ItemState.DRAFT, ADD),
        Step("edit", gettext_lazy("修改草稿"), EDITABLE_STATES, None, CHANGE),
        Step("attach", gettext_lazy("上传附件"), EDITABLE_STATES, None, "disclosure.add_attachment"),
        Step("detach", gettext_lazy("删除附件"), EDITABLE_STATES, None, "disclosure.delete_attachment"),
        Step("submit", gettext_lazy("提交审核"), EDITABLE_STATES, SUBMITTED, CHANGE),
        # Review.
        Step("sign_off", gettext_lazy("保密审查签发"), [SUBMITTED], None, SIGN_OFF, _sign_off_guard),
        Step("return", gettext_lazy("退回"), [SUBMITTED, SCHEDULED], ItemState.RETURNED, REVIEW),
        Step("withhold", gettext_lazy("确认不予公开"), [SUBMITTED], WITHHELD, REVIEW, _withhold_guard),
        # Publication: now, or at a time the beat task keeps.
        Step("publish", gettext_lazy("发布"), [SUBMITTED], PUBLISHED, PUBLISH, _publish_guard),
        Step("schedule", gettext_lazy("定时发布"), [SUBMITTED], SCHEDULED, PUBLISH, _publish_guard),
        Step("publish_scheduled", gettext_lazy("定时发布生效"), [SCHEDULED], PUBLISHED, offered=False),
        # Revision: a draft of its own that runs the same review, then merges into the original.
        Step("begin_revision", gettext_lazy("开始修订"), [PUBLISHED], None, CHANGE, _revision_guard),
        Step("create_revision", gettext_lazy("新建修订草稿"), (), ItemState.DRAFT, CHANGE),
        Step(
            "merge_revision", gettext_lazy("修订已并入原信息"), [SUBMITTED, SCHEDULED], ItemState.MERGED, offered=False
        ),
        Step("publish_revision", gettext_lazy("修订发布"), [PUBLISHED], None, offered=False),
        # After publication: validity (the state stays 已发布) and withdrawal.
        Step(
            "mark_expired",
            _marked(Validity.EXPIRED),
            [PUBLISHED],
            None,
            PUBLISH,
            _validity_guard(Validity.EXPIRED),
            params={"validity": Validity.EXPIRED},
        ),
        Step(
            "mark_repealed",
            _marked(Validity.REPEALED),
            [PUBLISHED],
            None,
            PUBLISH,
            _validity_guard(Validity.REPEALED),
            params={"validity": Validity.REPEALED},
        ),
        Step(
            "withdraw",
            gettext_lazy("撤回"),
            [PUBLISHED],
            ItemState.WITHDRAWN,
            PUBLISH,
            _not_a_revision(gettext_lazy("撤回")),
        ),
        # The yearly review of a withheld item.
        Step("keep_withheld", gettext_lazy("年度复核：继续不予公开"), [WITHHELD], None, REASSESS),
        Step("reassess_publish", gettext_lazy("年度复核：转为主动公开"), [WITHHELD], SUBMITTED, REASSESS),
        # An item already published on an old site.
        Step("migrate_import", gettext_lazy("迁移导入"), (), PUBLISHED, PUBLISH),
    ],
)

# The validity steps by the validity they write.
VALIDITY_STEPS = {step.params["validity"]: verb for verb, step in WORKFLOW.steps.items() if "validity" in step.params}

# Audit codes that are no step (none today: every change to an item is a step).
EXTRA_EVENTS: dict = {}
