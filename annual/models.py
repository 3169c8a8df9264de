"""The annual report (政府信息公开工作年度报告) and the facts staff enter for it.

A report's numbers are computed from requests and disclosure items when it is
generated and then frozen in :attr:`AnnualReport.data`: a published report
must keep saying what it said on the day it was published, even when a late
entry changes the underlying records. Only :mod:`annual.services`
writes :attr:`AnnualReport.state`.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organization, OrganizationKind

FIRST_YEAR = 2008  # the Regulations took effect on 1 May 2008


class ReportScope(models.TextChoices):
    """Whose facts a report counts: the organisation alone, or it and everything below it."""

    ORGANIZATION = "organization", _("本机关")
    SUBTREE = "subtree", _("本机关及所属部门、乡镇（街道）汇总")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("报告机关")
    )
    year = models.PositiveSmallIntegerField(_("报告年度"), validators=[MinValueValidator(FIRST_YEAR)])
    scope = models.CharField(
        _("统计范围"), max_length=12, choices=ReportScope.choices, default=ReportScope.ORGANIZATION
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT, editable=False, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    data = models.JSONField(
        _("统计数据"), default=dict, editable=False, help_text=_("生成时计算并固定的表二、表三、表四和收费数据")
    )

    generated_at = models.DateTimeField(_("数据生成时间"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("审核意见"), blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("发布人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("编制人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year", "organization__tree_id", "organization__lft", "scope"]
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "scope"], name="annual_report_unique"),
        ]
        permissions = [
            ("prepare_report", _("编制年度报告（生成数据、编辑正文、提交审核）")),
            ("review_report", _("审核年度报告（退回修改）")),
            ("publish_report", _("发布年度报告")),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return _("%(org)s%(year)d年政府信息公开工作年度报告") % {"org": self.organization.name, "year": self.year}

    @property
    def is_published(self):
        return self.state == ReportState.PUBLISHED


def deadline_for(organization, year):
    """The day a report on ``year`` must be published (Art 49 as applied locally).

    Departments, townships and streets: 31 January; the county (or higher)
    government: 31 March. Villages and communities publish no report.
    """
    if organization.kind == OrganizationKind.GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


REPORTING_KINDS = (
    OrganizationKind.GOVERNMENT,
    OrganizationKind.DEPARTMENT,
    OrganizationKind.TOWNSHIP,
    OrganizationKind.STREET,
)


class ProactiveFigures(models.Model):
    """Table 二 figures that live in other systems and are entered by hand, per organisation and year."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    licensing_decisions = models.PositiveIntegerField(_("行政许可本年处理决定数量"), default=0)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚本年处理决定数量"), default=0)
    enforcement_decisions = models.PositiveIntegerField(_("行政强制本年处理决定数量"), default=0)
    fees_amount = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"),
        max_digits=14,
        decimal_places=6,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("单位：万元，可填写至小数点后六位（即精确到分）"),
    )
    source_note = models.CharField(
        _("数据来源"), max_length=200, blank=True, help_text=_("如“县政务服务平台2025年度统计”")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year", "organization__tree_id", "organization__lft"]
        verbose_name = _("主动公开数据（手工填报）")
        verbose_name_plural = _("主动公开数据（手工填报）")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="annual_figures_unique"),
        ]

    def __str__(self):
        return _("%(org)s %(year)d年主动公开数据") % {"org": self.organization, "year": self.year}


class CaseKind(models.TextChoices):
    """The three groups of table 四."""

    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER = "litigation_after", _("行政诉讼（复议后起诉）")


class CaseResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class ReviewCase(models.Model):
    """An administrative reconsideration or lawsuit about this organisation's disclosure work (table 四)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("被申请人（被告）机关")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=CaseKind.choices)
    case_number = models.CharField(_("案号"), max_length=80, blank=True, help_text=_("如复议决定书或判决书的文号"))
    filed_on = models.DateField(_("立案（受理）日期"))
    result = models.CharField(_("结果"), max_length=10, choices=CaseResult.choices, default=CaseResult.PENDING)
    concluded_on = models.DateField(
        _("审结日期"), null=True, blank=True, help_text=_("复议决定或判决作出之日；尚未审结的留空")
    )
    request = models.ForeignKey(
        "requests_app.Request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_cases",
        verbose_name=_("涉及的政府信息公开申请"),
    )
    summary = models.CharField(
        _("案由摘要"), max_length=300, blank=True, help_text=_("不要填写申请人姓名、证件号码等个人信息")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("行政复议、行政诉讼案件")
        verbose_name_plural = _("行政复议、行政诉讼案件")

    def __str__(self):
        return self.case_number or _("%(kind)s（%(date)s立案）") % {
            "kind": self.get_kind_display(),
            "date": self.filed_on,
        }

    def clean(self):
        errors = {}
        if self.result == CaseResult.PENDING and self.concluded_on:
            errors["concluded_on"] = _("尚未审结的案件不填写审结日期；已审结的请选择结果。")
        if self.result != CaseResult.PENDING and not self.concluded_on:
            errors["concluded_on"] = _("已审结的案件请填写审结日期。")
        if self.concluded_on and self.filed_on and self.concluded_on < self.filed_on:
            errors["concluded_on"] = _("审结日期不能早于立案日期。")
        if self.request_id and self.organization_id and self.request.organization_id != self.organization_id:
            errors["request"] = _("所选申请不是由该机关受理的。")
        if errors:
            raise ValidationError(errors)
