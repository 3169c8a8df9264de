"""我要纠错: a citizen reports an error on a page of the portal; its organisation answers.

The link is in every page's footer with the page's address filled in. The report goes to
the organisation that owns the page (the item's, the catalog entry's, the organisation
page's; otherwise the root government, which runs the site), and is answered within a
number of working days (``CORRECTION_RESPONSE_WORKING_DAYS``, default 5): 《政府网站发展
指引》 and the national 政府网站找错 platform ask sites to answer 网民纠错 within a few
working days, and the monitoring of 政府网站 counts late answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organization

RESPONSE_WORKING_DAYS = 5


def response_working_days() -> int:
    return int(getattr(settings, "CORRECTION_RESPONSE_WORKING_DAYS", RESPONSE_WORKING_DAYS))


class ErrorKind(models.TextChoices):
    TYPO = "typo", _("错别字")
    WRONG = "wrong", _("内容错误")
    OUTDATED = "outdated", _("信息过时")
    BROKEN = "broken", _("链接或附件无法打开")
    OTHER = "other", _("其他问题")


class ReportState(models.TextChoices):
    NEW = "new", _("待处理")
    IN_HAND = "in_hand", _("处理中")
    FIXED = "fixed", _("已更正")
    NOT_ERROR = "not_error", _("经核实无误")


ANSWERED_STATES = (ReportState.FIXED, ReportState.NOT_ERROR)


class ErrorReport(models.Model):
    reference = models.CharField(_("纠错编号"), max_length=16, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="error_reports", verbose_name=_("处理机构")
    )
    page_url = models.CharField(_("页面地址"), max_length=500)
    page_title = models.CharField(_("页面"), max_length=300, blank=True)
    kind = models.CharField(_("问题类型"), max_length=10, choices=ErrorKind.choices, default=ErrorKind.OTHER)
    description = models.TextField(_("问题描述"))
    name = models.CharField(_("姓名或称呼"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    ip = models.CharField(_("来源地址"), max_length=45, blank=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=ReportState.choices, default=ReportState.NEW, editable=False
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)
    received_on = models.DateField(_("收到日期"), editable=False)
    due_on = models.DateField(_("答复期限"), editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True, editable=False)
    answer = models.TextField(_("答复内容"), blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("纠错")
        verbose_name_plural = _("纠错")
        permissions = [("handle_report", _("处理网民纠错"))]
        indexes = [models.Index(fields=["organization", "state", "due_on"])]

    def __str__(self):
        return self.reference

    @property
    def is_answered(self) -> bool:
        return self.state in ANSWERED_STATES

    def overdue_on(self, today) -> bool:
        if self.is_answered:
            return bool(self.answered_on and self.answered_on > self.due_on)
        return today > self.due_on
