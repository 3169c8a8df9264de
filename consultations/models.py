"""Public consultations on draft policies (意见征集) and the citizens' comments on them.

A consultation is a draft policy document put out for comment for a fixed period. The
period is at least 30 days by default: 《重大行政决策程序暂行条例》 Art 15 asks for "一般
不少于30日" for major administrative decisions, and most counties apply it to every
normative document; a shorter period is allowed only with its reason recorded and shown.
After the period the organisation publishes its feedback (意见采纳情况): how many opinions
were received and adopted, and for each group of opinions what it said and why it was or
was not adopted. Only then can the consultation be closed, and the final policy, once
published as a disclosure item, is linked from here (and back, through disclosure's
related-links hook).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogEntry
from disclosure.models import DisclosureItem
from disclosure.storage import attachment_storage
from portal import workdays
from portal.models import Organization
from portal.workdays import WorkingCalendar

MIN_PERIOD_DAYS = 30
FEEDBACK_WORKING_DAYS = 15


def min_period_days() -> int:
    return int(getattr(settings, "CONSULTATION_MIN_DAYS", MIN_PERIOD_DAYS))


def feedback_working_days() -> int:
    return int(getattr(settings, "CONSULTATION_FEEDBACK_WORKING_DAYS", FEEDBACK_WORKING_DAYS))


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束并反馈")
    WITHDRAWN = "withdrawn", _("已撤回")


class Phase(models.TextChoices):
    """What a citizen sees: derived from the state and today's date, never stored."""

    UPCOMING = "upcoming", _("即将开始")
    OPEN = "open", _("正在征集")
    ENDED = "ended", _("征集结束")
    FEEDBACK = "feedback", _("已公布反馈")


class Consultation(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("征集机构")
    )
    title = models.CharField(_("草案名称"), max_length=300)
    draft_text = models.TextField(
        _("草案全文"), help_text=_("以“第一条”“第二章”等开头的行作为条款，公众可以针对某一条提出意见。")
    )
    explanation = models.TextField(_("起草说明"), blank=True)
    catalog_entry = models.ForeignKey(
        CatalogEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("对应目录事项"),
    )
    starts_on = models.DateField(_("征集开始日期"))
    ends_on = models.DateField(_("征集截止日期"))
    short_period_reason = models.TextField(
        _("征集期少于30日的理由"), blank=True, help_text=_("征集期少于规定天数时必填，并在征集页面公开。")
    )
    accepts_online = models.BooleanField(_("接受网上留言"), default=True)
    email = models.EmailField(_("电子邮箱"), blank=True, help_text=_("公众可发送意见的电子邮箱，留空表示不接受。"))
    postal_address = models.CharField(
        _("通信地址"), max_length=300, blank=True, help_text=_("公众可邮寄意见的地址和邮编，留空表示不接受。")
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=ConsultationState.choices, default=ConsultationState.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    # 意见采纳情况
    offline_count = models.PositiveIntegerField(
        _("邮件、信函等渠道收到的意见数"), default=0, help_text=_("网上留言由系统统计，这里只填其他渠道收到的意见。")
    )
    adopted_count = models.PositiveIntegerField(_("采纳意见数"), default=0)
    feedback_summary = models.TextField(_("意见采纳情况说明"), blank=True)
    feedback_published_at = models.DateTimeField(_("反馈公布时间"), null=True, blank=True, editable=False)
    final_item = models.ForeignKey(
        DisclosureItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("正式发布的文件"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        permissions = [
            ("manage_consultation", _("发布意见征集和反馈")),
            ("moderate_comment", _("审核公众意见")),
        ]
        indexes = [models.Index(fields=["state", "ends_on"])]

    def __str__(self):
        return self.title

    @property
    def period_days(self) -> int:
        """Calendar days of the period, both the first and the last day counted."""
        if not (self.starts_on and self.ends_on):
            return 0
        return (self.ends_on - self.starts_on).days + 1

    def phase(self, today=None):
        today = today or workdays.today()
        if self.state == ConsultationState.CLOSED:
            return Phase.FEEDBACK
        if today < self.starts_on:
            return Phase.UPCOMING
        if today <= self.ends_on:
            return Phase.OPEN
        return Phase.ENDED

    def is_open(self, today=None) -> bool:
        return self.state == ConsultationState.PUBLISHED and self.phase(today) == Phase.OPEN

    def feedback_due(self, calendar=None):
        """The last day for the feedback: a number of working days after the period ends."""
        return (calendar or WorkingCalendar()).add_working_days(self.ends_on, feedback_working_days())

    @property
    def is_public(self) -> bool:
        return self.state in (ConsultationState.PUBLISHED, ConsultationState.CLOSED)


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class FeedbackGroup(models.Model):
    """One group of similar opinions and the organisation's answer to it."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="feedback_groups", verbose_name=_("意见征集")
    )
    summary = models.TextField(_("意见概要"))
    count = models.PositiveIntegerField(_("意见条数"), default=1)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices)
    reason = models.TextField(_("采纳或不采纳的理由"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("意见采纳情况")
        verbose_name_plural = _("意见采纳情况")

    def __str__(self):
        return self.summary[:40]


def attachment_path(instance, filename):
    return f"consultations/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.stored_extension}"


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("意见征集")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, storage=attachment_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file_type = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    stored_extension = "bin"

    class Meta:
        ordering = ["id"]
        verbose_name = _("草案附件")
        verbose_name_plural = _("草案附件")

    def __str__(self):
        return self.original_name


class CommentState(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    WITHHELD = "withheld", _("不公开")
    REJECTED = "rejected", _("无效意见")


#: Counted as opinions received (the spam and the off-topic are not).
COUNTED_STATES = (CommentState.PENDING, CommentState.PUBLISHED, CommentState.WITHHELD)


class Comment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments", verbose_name=_("意见征集")
    )
    section = models.CharField(_("针对条款"), max_length=60, blank=True)
    body = models.TextField(_("意见内容"))
    name = models.CharField(_("姓名或称呼"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    ip = models.CharField(_("来源地址"), max_length=45, blank=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=CommentState.choices, default=CommentState.PENDING, editable=False
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        indexes = [models.Index(fields=["consultation", "state"])]

    def __str__(self):
        return self.body[:40]

    @property
    def organization(self):
        """The consultation's organisation: whose staff moderate this comment."""
        return self.consultation.organization
