"""Every change to a consultation and its comments, and the only code that writes their states.

Consultation: 草稿 → 已发布 (open from its start date to its end date) → 已结束并反馈, or
撤回. Publishing checks the period: at least ``CONSULTATION_MIN_DAYS`` (30) calendar days, or a
recorded reason for a shorter one. Closing needs the feedback (意见采纳情况) and the period
over. Comments: 待审核 → 已公开 / 不公开 / 无效意见; nothing a citizen writes is shown before
an officer of the consulting organisation has read it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import DisclosureItem
from portal import filetypes
from portal.actors import recorded_actor
from portal.permissions import ensure_org_access, ensure_perm
from portal.workflow import Step, Workflow
from requests_app import clock

from . import sections
from .models import (
    COUNTED_STATES,
    Adoption,
    Comment,
    CommentState,
    Consultation,
    ConsultationAttachment,
    ConsultationState,
    FeedbackGroup,
    min_period_days,
)

MANAGE = "consultations.manage_consultation"
MODERATE = "consultations.moderate_comment"
MAX_TEXT = 100_000
MAX_COMMENT = 3000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

S = ConsultationState


def today() -> dt.date:
    return clock.today()


def _period_ended(consultation, user):
    if today() <= consultation.ends_on:
        return _("征集期至%(date)s结束，结束后才能公布反馈。") % {"date": consultation.ends_on.isoformat()}
    return None


def _feedback_ready(consultation, user):
    ended = _period_ended(consultation, user)
    if ended:
        return ended
    problems = feedback_problems(consultation)
    return problems[0] if problems else None


WORKFLOW = Workflow(
    Consultation,
    noun=gettext_lazy("意见征集"),
    steps=[
        Step("create", gettext_lazy("新建意见征集"), (), S.DRAFT, MANAGE),
        Step("edit", gettext_lazy("编辑草案"), [S.DRAFT], None, MANAGE),
        Step("publish", gettext_lazy("发布征集"), [S.DRAFT], S.PUBLISHED, MANAGE),
        Step("record_feedback", gettext_lazy("填写意见采纳情况"), [S.PUBLISHED], None, MANAGE, guard=_period_ended),
        Step("close", gettext_lazy("公布反馈并结束征集"), [S.PUBLISHED], S.CLOSED, MANAGE, guard=_feedback_ready),
        Step("link_policy", gettext_lazy("关联正式文件"), [S.PUBLISHED, S.CLOSED], None, MANAGE),
        Step("withdraw", gettext_lazy("撤回征集"), [S.DRAFT, S.PUBLISHED], S.WITHDRAWN, MANAGE),
    ],
)

C = CommentState

COMMENTS = Workflow(
    Comment,
    noun=gettext_lazy("意见"),
    lock_related=("consultation__organization",),
    steps=[
        Step("comment", gettext_lazy("提交意见"), (), C.PENDING, None, offered=False),
        Step("approve", gettext_lazy("公开意见"), [C.PENDING, C.WITHHELD], C.PUBLISHED, MODERATE),
        Step("withhold", gettext_lazy("不公开意见"), [C.PENDING, C.PUBLISHED], C.WITHHELD, MODERATE),
        Step("reject", gettext_lazy("标为无效意见"), [C.PENDING, C.WITHHELD], C.REJECTED, MODERATE),
    ],
)

#: Audit codes that are not steps (registered in ``ready()``).
EXTRA_EVENTS = {"attach": gettext_lazy("上传草案附件")}


def available_steps(user, obj) -> set[str]:
    workflow = COMMENTS if isinstance(obj, Comment) else WORKFLOW
    return {step.verb for step in workflow.available_steps(user, obj)}


# --- checks -------------------------------------------------------------------------------


def period_problems(starts_on, ends_on, reason) -> list:
    """Why the period cannot be published as it is; empty when it can."""
    if not starts_on or not ends_on:
        return [_("请填写征集开始和截止日期。")]
    if ends_on < starts_on:
        return [_("截止日期不能早于开始日期。")]
    days = (ends_on - starts_on).days + 1
    minimum = min_period_days()
    if days < minimum and not (reason or "").strip():
        return [
            _("征集期为%(days)d日，少于%(min)d日；确需缩短的，请填写理由（将在征集页面公开）。")
            % {"days": days, "min": minimum}
        ]
    return []


def received_count(consultation) -> int:
    """Opinions received: online comments that are not spam, and those by mail and post."""
    online = consultation.comments.filter(state__in=COUNTED_STATES).count()
    return online + consultation.offline_count


def feedback_problems(consultation) -> list:
    """What the feedback still lacks before the consultation may be closed."""
    problems = []
    received = received_count(consultation)
    if consultation.comments.filter(state=CommentState.PENDING).exists():
        problems.append(_("还有未审核的公众意见，请先审核。"))
    if consultation.adopted_count > received:
        problems.append(
            _("采纳意见数（%(a)d）不能多于收到的意见数（%(r)d）。") % {"a": consultation.adopted_count, "r": received}
        )
    if not consultation.feedback_summary.strip():
        problems.append(_("请填写意见采纳情况说明。"))
    if received and not consultation.feedback_groups.exists():
        problems.append(_("请至少填写一组意见及其采纳情况和理由。"))
    return problems


def _clean_text(value, limit, field, label):
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise ValidationError({field: _("%(label)s过长（最多 %(n)d 字）。") % {"label": label, "n": limit}})
    return value


def _apply_fields(consultation, data):
    for name in ("title", "draft_text", "explanation", "short_period_reason", "email", "postal_address"):
        if name in data:
            field = Consultation._meta.get_field(name)
            limit = getattr(field, "max_length", None) or MAX_TEXT
            setattr(consultation, name, _clean_text(data[name], limit, name, field.verbose_name))
    for name in ("starts_on", "ends_on", "catalog_entry", "accepts_online"):
        if name in data:
            setattr(consultation, name, data[name])
    if not consultation.title:
        raise ValidationError({"title": _("请填写草案名称。")})
    if not consultation.draft_text:
        raise ValidationError({"draft_text": _("请填写草案全文。")})
    if not consultation.starts_on or not consultation.ends_on:
        raise ValidationError({"ends_on": _("请填写征集开始和截止日期。")})
    if consultation.ends_on < consultation.starts_on:
        raise ValidationError({"ends_on": _("截止日期不能早于开始日期。")})
    if not (consultation.accepts_online or consultation.email or consultation.postal_address):
        raise ValidationError({"accepts_online": _("请至少提供一种提交意见的渠道。")})


# --- consultation steps -------------------------------------------------------------------


@transaction.atomic
def create(actor, organization, **data):
    ensure_perm(actor, MANAGE)
    if organization is None:
        raise ValidationError({"organization": _("请选择征集机构。")})
    ensure_org_access(actor, organization)
    consultation = Consultation(organization=organization, created_by=recorded_actor(actor))
    _apply_fields(consultation, data)
    return WORKFLOW.perform(actor, consultation, "create")


@transaction.atomic
def update(actor, consultation, *, expected_version=None, **data):
    consultation = WORKFLOW.begin(actor, consultation, "edit", expected_version=expected_version)
    _apply_fields(consultation, data)
    return WORKFLOW.perform(actor, consultation, "edit")


@transaction.atomic
def publish(actor, consultation, *, expected_version=None):
    """Open the draft to comment; the 30-day rule (or its recorded exception) is checked here."""
    consultation = WORKFLOW.begin(actor, consultation, "publish", expected_version=expected_version)
    problems = period_problems(consultation.starts_on, consultation.ends_on, consultation.short_period_reason)
    if consultation.ends_on < today():
        problems.append(_("截止日期已过，请修改征集期。"))
    if problems:
        raise ValidationError(problems)
    consultation.published_at = timezone.now()
    comment = ""
    if consultation.period_days < min_period_days():
        comment = consultation.short_period_reason[:500]
    return WORKFLOW.perform(actor, consultation, "publish", comment=comment, days=consultation.period_days)


@transaction.atomic
def record_feedback(actor, consultation, *, expected_version=None, offline_count, adopted_count, summary, groups):
    """Replace the feedback: the counts, the summary, and the groups of opinions with their answers."""
    consultation = WORKFLOW.begin(actor, consultation, "record_feedback", expected_version=expected_version)
    try:
        offline_count, adopted_count = int(offline_count or 0), int(adopted_count or 0)
    except (TypeError, ValueError):
        raise ValidationError(_("意见数须为整数。")) from None
    if not (0 <= offline_count <= 100_000 and 0 <= adopted_count <= 100_000):
        raise ValidationError(_("意见数须在0至100000之间。"))
    cleaned = []
    for n, group in enumerate(groups or [], 1):
        text = _clean_text(group.get("summary"), 5000, "summary", _("意见概要"))
        reason = _clean_text(group.get("reason"), 5000, "reason", _("理由"))
        if not text and not reason:
            continue
        if not text or not reason:
            raise ValidationError(_("第%(n)d组：请同时填写意见概要和采纳或不采纳的理由。") % {"n": n})
        if group.get("adoption") not in Adoption.values:
            raise ValidationError(_("第%(n)d组：请选择采纳情况。") % {"n": n})
        try:
            count = max(1, min(100_000, int(group.get("count") or 1)))
        except (TypeError, ValueError):
            raise ValidationError(_("第%(n)d组：意见条数须为整数。") % {"n": n}) from None
        cleaned.append(FeedbackGroup(summary=text, reason=reason, adoption=group["adoption"], count=count))
    consultation.offline_count = offline_count
    consultation.adopted_count = adopted_count
    consultation.feedback_summary = _clean_text(summary, 10000, "summary", _("意见采纳情况说明"))
    consultation.feedback_groups.all().delete()
    for n, group in enumerate(cleaned, 1):
        group.consultation = consultation
        group.sort_order = n
    FeedbackGroup.objects.bulk_create(cleaned)
    return WORKFLOW.perform(actor, consultation, "record_feedback", groups=len(cleaned))


@transaction.atomic
def close(actor, consultation, *, expected_version=None):
    """Publish the feedback and end the consultation (refused while the feedback is incomplete)."""
    consultation = WORKFLOW.begin(actor, consultation, "close", expected_version=expected_version)
    consultation.feedback_published_at = timezone.now()
    return WORKFLOW.perform(
        actor,
        consultation,
        "close",
        received=received_count(consultation),
        adopted=consultation.adopted_count,
    )


@transaction.atomic
def link_policy(actor, consultation, item, *, expected_version=None):
    """Link the final policy (a published disclosure item of the same organisation's subtree)."""
    consultation = WORKFLOW.begin(actor, consultation, "link_policy", expected_version=expected_version)
    if item is not None:
        if not isinstance(item, DisclosureItem):
            item = DisclosureItem.objects.public().filter(pk=item).select_related("organization").first()
            if item is None:
                raise ValidationError({"final_item": _("找不到该已发布的政府信息，请核对编号。")})
        if not item.is_public:
            raise ValidationError({"final_item": _("只能关联已发布的政府信息。")})
        ensure_org_access(actor, item.organization)
    consultation.final_item = item
    return WORKFLOW.perform(actor, consultation, "link_policy", item=item.pk if item else None)


@transaction.atomic
def withdraw(actor, consultation, *, reason, expected_version=None):
    consultation = WORKFLOW.begin(actor, consultation, "withdraw", expected_version=expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("撤回时请填写原因。")})
    return WORKFLOW.perform(actor, consultation, "withdraw", comment=reason[:500])


@transaction.atomic
def add_attachment(actor, consultation, uploaded_file):
    consultation = WORKFLOW.begin(actor, consultation, "edit")
    name = (getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    name = name or _("附件")
    if uploaded_file.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("文件“%(name)s”超过了20MB的上限。") % {"name": name})
    file_type = filetypes.detect(uploaded_file)
    if file_type is None:
        raise ValidationError(
            _("无法识别文件“%(name)s”的内容，只接受PDF、OFD、Word、Excel、WPS和图片。") % {"name": name}
        )
    uploaded_file.seek(0)
    attachment = ConsultationAttachment(
        consultation=consultation, original_name=name, file_type=file_type, size=uploaded_file.size
    )
    attachment.stored_extension = filetypes.stored_extension(file_type, name)
    attachment.file.save(name, uploaded_file, save=False)
    attachment.save()
    WORKFLOW.record(actor, consultation, "attach", comment=name)
    return attachment


# --- comments -----------------------------------------------------------------------------


@transaction.atomic
def submit_comment(consultation, *, body, section="", name="", contact="", ip=""):
    """A citizen's comment, waiting for moderation. Refused outside the period."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_open(today()) or not consultation.accepts_online:
        raise ValidationError(_("该草案当前不在网上征集意见期内。"))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": _("请填写意见内容。")})
    if len(body) > MAX_COMMENT:
        raise ValidationError({"body": _("意见内容过长（最多 %(n)d 字）。") % {"n": MAX_COMMENT}})
    section = (section or "").strip()
    if section and section not in sections.sections(consultation.draft_text):
        section = ""
    comment = Comment(
        consultation=consultation,
        section=section[:60],
        body=body,
        name=(name or "").strip()[:50],
        contact=(contact or "").strip()[:100],
        ip=(ip or "")[:45],
    )
    return COMMENTS.perform(None, comment, "comment")


def _moderate(verb):
    @transaction.atomic
    def step(actor, comment, *, expected_version=None):
        comment = COMMENTS.begin(actor, comment, verb, expected_version=expected_version)
        comment.moderated_at = timezone.now()
        comment.moderated_by = recorded_actor(actor)
        return COMMENTS.perform(actor, comment, verb)

    step.__name__ = verb
    return step


approve_comment = _moderate("approve")
withhold_comment = _moderate("withhold")
reject_comment = _moderate("reject")
