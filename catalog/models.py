"""The 26-domain standard catalog and each organisation's own version of it.

One tree holds both: roots are domains (领域), below them 一级事项, 二级事项
and deeper levels. Standard entries have no ``organization``; an entry an
organisation adds for itself (a local entry) carries that organisation and
hangs under a standard parent. Which entries an organisation publishes, and
its own wording of time limit, responsible body and channels, live in
:class:`Adoption`; every change to that is kept in :class:`Adjustment`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from portal.models import Organization


class Channel(models.TextChoices):
    """公开渠道和载体 — the fixed vocabulary of published catalogs."""

    WEBSITE = "website", _("政府网站")
    GAZETTE = "gazette", _("政府公报")
    SOCIAL = "social", _("两微一端")
    CONFERENCE = "conference", _("发布会/听证会")
    BROADCAST = "broadcast", _("广播电视")
    PRINT = "print", _("纸质媒体")
    READING_POINT = "reading_point", _("公开查阅点")
    SERVICE_CENTER = "service_center", _("政务服务中心")
    SERVICE_STATION = "service_station", _("便民服务站")
    DOOR_TO_DOOR = "door_to_door", _("入户/现场")
    NOTICE_BOARD = "notice_board", _("社区/企事业单位/村公示栏（电子屏）")
    TARGETED_PUSH = "targeted_push", _("精准推送")
    OTHER = "other", _("其他")


class FiveDisclosures(models.TextChoices):
    """五公开."""

    DECISION = "decision", _("决策公开")
    IMPLEMENTATION = "implementation", _("执行公开")
    MANAGEMENT = "management", _("管理公开")
    SERVICE = "service", _("服务公开")
    RESULT = "result", _("结果公开")


def validate_channels(value):
    if not isinstance(value, list):
        raise ValidationError(_("公开渠道应为列表。"))
    unknown = [v for v in value if v not in Channel.values]
    if unknown:
        raise ValidationError(_("未知的公开渠道：%(names)s"), params={"names": "、".join(map(str, unknown))})


class SourceKind(models.TextChoices):
    """Where a domain's standard rows come from (issue 13)."""

    NATIONAL = "national", _("国家标准指引")
    COUNTY = "county", _("县级目录")


class CatalogSource(models.Model):
    """The published text a domain's standard entries were copied from.

    国办发〔2019〕54号 asks counties to compile their catalogs from the 26 domain
    guidelines; a reader must be able to check every standard row against the
    text it came from. One primary source per domain (the ministry's 标准指引,
    or, where that could not be found, one published county catalog), plus a
    source for any rows taken from elsewhere (``rows`` names them by 序号).
    """

    domain = models.ForeignKey(
        "CatalogEntry",
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("领域"),
    )
    primary = models.BooleanField(_("本领域主要来源"), default=True)
    rows = models.CharField(
        _("涉及的行（序号）"),
        max_length=200,
        blank=True,
        help_text=_("取自其他来源的行，按目录文件中的序号，如“12-14”。"),
    )
    kind = models.CharField(_("来源类型"), max_length=10, choices=SourceKind.choices, default=SourceKind.NATIONAL)
    title = models.CharField(_("文件或网页标题"), max_length=300)
    issuer = models.CharField(_("发布机关"), max_length=200, blank=True)
    published = models.CharField(
        _("发布日期"), max_length=30, blank=True, help_text=_("如 2019-09-30，或来源所写的日期")
    )
    url = models.URLField(_("网址"), max_length=500, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    empty_cells = models.TextField(_("来源本身留空的单元格"), blank=True)
    file_name = models.CharField(_("目录文件"), max_length=200, blank=True)

    class Meta:
        ordering = ["domain__sort_order", "-primary", "pk"]
        verbose_name = _("标准目录来源")
        verbose_name_plural = _("标准目录来源")

    def __str__(self):
        return self.title


class CatalogEntryQuerySet(models.QuerySet):
    def domains(self):
        return self.filter(parent__isnull=True)

    def standard(self):
        return self.filter(organization__isnull=True)


class CatalogEntry(MPTTModel):
    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级事项"),
    )
    name = models.CharField(_("名称"), max_length=200)
    code = models.CharField(_("编码"), max_length=20, blank=True, help_text=_("部分目录为每级事项编号，如 120002003"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_catalog_entries",
        verbose_name=_("本地事项所属机构"),
        help_text=_("为空表示标准目录事项；填写则为该机构自行增加的本地事项。"),
    )
    # Domain-level facts (roots only).
    aliases = models.CharField(_("别名"), max_length=100, blank=True, help_text=_("多个别名以顿号分隔，如“生态环境”"))
    issuing_department = models.CharField(_("指引发布部门"), max_length=100, blank=True)
    is_example = models.BooleanField(
        _("示例数据"),
        default=False,
        help_text=_("演示用的示例事项，并非官方指引原文，页面上会明确标注。"),
    )
    # The official columns.
    content_elements = models.TextField(_("公开内容（要素）"), blank=True)
    legal_basis = models.TextField(_("公开依据"), blank=True)
    time_limit_text = models.CharField(_("公开时限"), max_length=300, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("公开时限（工作日）"),
        null=True,
        blank=True,
        help_text=_("时限文字中写明的工作日数；留空则保存时自动从文字中识别。"),
    )
    responsible_body = models.CharField(_("公开主体"), max_length=300, blank=True)
    channels = models.JSONField(_("公开渠道和载体"), default=list, blank=True, validators=[validate_channels])
    audience_public = models.BooleanField(_("公开对象：全社会"), default=False)
    audience_specific = models.BooleanField(_("公开对象：特定群体"), default=False)
    proactive = models.BooleanField(_("公开方式：主动"), default=False)
    on_request = models.BooleanField(_("公开方式：依申请"), default=False)
    level_county = models.BooleanField(_("公开层级：县级"), default=False)
    level_township = models.BooleanField(_("公开层级：乡级"), default=False)
    five_disclosures = models.CharField(_("五公开类别"), max_length=20, choices=FiveDisclosures.choices, blank=True)
    requires_interpretation = models.BooleanField(
        _("须同步解读"), default=False, help_text=_("此类政策文件发布时须同步发布政策解读。")
    )
    source = models.ForeignKey(
        CatalogSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("来源"),
        help_text=_("标准目录事项所依据的已发布文本。"),
    )

    objects = CatalogEntryQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by = ["sort_order", "name"]

    class Meta:
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name", "organization"],
                name="catalog_entry_unique_sibling_name",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A parent not saved yet (a bulk import's new group) counts as a parent.
        pending_parent = CatalogEntry.parent.is_cached(self) and self.parent is not None
        if self.organization_id and self.parent_id is None and not pending_parent:
            raise ValidationError(_("本地事项必须挂在某个领域或事项之下。"))

    def fill_derived(self):
        """What saving derives (also for rows written by ``bulk_create``, which skips save())."""
        from .timelimits import parse_time_limit_days

        if self.time_limit_days is None and self.time_limit_text:
            self.time_limit_days = parse_time_limit_days(self.time_limit_text)

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    @property
    def is_domain(self):
        return self.parent_id is None

    @property
    def is_local(self):
        return self.organization_id is not None

    @property
    def alias_list(self):
        return [a for a in self.aliases.replace(",", "、").split("、") if a.strip()]

    def channel_labels(self):
        labels = dict(Channel.choices)
        return [labels[c] for c in self.channels if c in labels]

    def level_labels(self):
        return [label for flag, label in ((self.level_county, _("县级")), (self.level_township, _("乡级"))) if flag]


class AdoptionStatus(models.TextChoices):
    ADOPTED = "adopted", _("已纳入")
    EXCLUDED = "excluded", _("不适用")


class Adoption(models.Model):
    """An organisation's current decision about one catalog entry."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("机构")
    )
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("事项"))
    status = models.CharField(_("状态"), max_length=10, choices=AdoptionStatus.choices)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    time_limit_text = models.CharField(_("本地公开时限"), max_length=300, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("本地公开时限（工作日）"), null=True, blank=True)
    responsible_body = models.CharField(_("本地公开主体"), max_length=300, blank=True)
    channels = models.JSONField(
        _("本地公开渠道和载体"),
        null=True,
        blank=True,
        validators=[validate_channels],
        help_text=_("为空表示沿用标准目录。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("本机构目录事项")
        verbose_name_plural = _("本机构目录")
        constraints = [
            models.UniqueConstraint(fields=["organization", "entry"], name="adoption_unique_entry"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.entry}"

    # The effective values: the organisation's own wording where it has one.
    @property
    def effective_time_limit_text(self):
        return self.time_limit_text or self.entry.time_limit_text

    @property
    def effective_time_limit_days(self):
        if self.time_limit_days is not None:
            return self.time_limit_days
        return self.entry.time_limit_days

    @property
    def effective_responsible_body(self):
        return self.responsible_body or self.entry.responsible_body

    @property
    def effective_channels(self):
        return self.channels if self.channels is not None else self.entry.channels

    def effective_channel_labels(self):
        labels = dict(Channel.choices)
        return [labels[c] for c in self.effective_channels if c in labels]


class AdjustmentAction(models.TextChoices):
    ADOPT = "adopt", _("纳入")
    EXCLUDE = "exclude", _("排除")
    ADD_LOCAL = "add_local", _("增加本地事项")
    OVERRIDE = "override", _("调整")
    IMPORT = "import", _("导入")
    STANDARD = "standard", _("标准目录修订")


class Adjustment(models.Model):
    """One dated change to an organisation's catalog, with its reason (动态管理)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="catalog_adjustments",
        verbose_name=_("机构"),
    )
    entry = models.ForeignKey(
        CatalogEntry, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("事项")
    )
    action = models.CharField(_("调整类型"), max_length=12, choices=AdjustmentAction.choices)
    effective_date = models.DateField(_("调整日期"))
    reason = models.CharField(_("调整理由"), max_length=300)
    changes = models.JSONField(_("调整内容"), default=dict, blank=True)
    actor = models.ForeignKey(
        "portal.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("目录调整记录")
        verbose_name_plural = _("目录调整记录")

    def __str__(self):
        return f"{self.effective_date} {self.get_action_display()} {self.entry}"
