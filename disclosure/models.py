"""Government information items (政府信息) and everything hanging off them.

An item is published against one or more catalog entries, goes through
review and a confidentiality sign-off, and then lives on: it is revised
(every published version kept), expires or is repealed (still shown, with a
banner), or is withdrawn (a tombstone). The ``state`` field is written only
by :data:`disclosure.services.WORKFLOW`.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogEntry, FiveDisclosures
from portal import workdays
from portal.models import Organization

from .filetypes import FileType
from .search import SearchDocumentField
from .storage import attachment_storage
from .text import (
    document_number_key,
    html_to_text,
    normalize_document_number,
    sanitize_body,
    validate_document_number,
)


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("政府信息")
    INTERPRETATION = "interpretation", _("政策解读")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    QA = "qa", _("问答")
    PRESS = "press", _("新闻发布会")


class DocumentType(models.TextChoices):
    """The annual report counts 规章 and 行政规范性文件 separately."""

    REGULATION = "regulation", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    OTHER = "other", _("其他文件")


class DisclosureAttribute(models.TextChoices):
    """公开属性, decided when the document is drafted (源头认定)."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class ItemState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    WITHHELD = "withheld", _("不予公开（存档）")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("修订已发布")


EDITABLE_STATES = (ItemState.DRAFT, ItemState.RETURNED)
OPEN_STATES = (ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED)


class DisclosureItemQuerySet(models.QuerySet):
    def public(self):
        """What citizens see in lists, feeds, search and the sitemap."""
        return self.filter(state=ItemState.PUBLISHED, revision_of__isnull=True)

    def in_domain(self, domain):
        return self.filter(catalog_entries__tree_id=domain.tree_id).distinct()


# The rows the public lists read (published, not a pending revision): the condition of the
# partial indexes that serve them in publication order.
_PUBLIC_ROWS = models.Q(state="published", revision_of__isnull=True)


class DisclosureItem(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="disclosure_items",
        verbose_name=_("发布机构"),
    )
    kind = models.CharField(_("信息类别"), max_length=16, choices=ItemKind.choices, default=ItemKind.DOCUMENT)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(
        _("正文"), blank=True, help_text=_("可粘贴带格式的内容；脚本、事件属性等不安全内容保存时自动清除。")
    )
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    catalog_entries = models.ManyToManyField(
        CatalogEntry,
        blank=True,
        related_name="disclosure_items",
        verbose_name=_("对应目录事项"),
    )
    subject = models.CharField(_("主题分类"), max_length=60, blank=True, help_text=_("如“综合政务\\其他”"))
    document_number = models.CharField(
        _("文号"),
        max_length=60,
        blank=True,
        validators=[validate_document_number],
        help_text=_("如“示府办〔2026〕3号”，可输入[]或【】，保存时统一为〔〕。没有文号的留空。"),
    )
    # The 文号 as search looks it up (text.document_number_key): whatever brackets, 第 or zeros a visitor types.
    document_number_key = models.CharField(_("文号检索键"), max_length=80, blank=True, editable=False)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    formed_on = models.DateField(
        _("信息形成（变更）日期"),
        default=timezone.localdate,
        help_text=_("公开时限从这一天起算（《条例》第二十六条：20个工作日内，目录另有较短时限的从其规定）。"),
    )
    document_type = models.CharField(
        _("文件类型"), max_length=12, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    # The 制度 sub-column (政府信息公开制度, 国办公开办函〔2019〕61号) lists the items marked here. A mark,
    # not a document type: a disclosure rule is still a 规章, a 行政规范性文件 or another document
    # (示范县's 工作规范 is a 行政规范性文件), and annual table 二 counts it by its type as before.
    disclosure_rule = models.BooleanField(
        _("政府信息公开制度"),
        default=False,
        help_text=_(
            "本机关政府信息公开工作的规章制度（如公开工作规范、保密审查、依申请公开办理制度），"
            "勾选后在“政府信息公开制度”栏目列出；不改变文件类型和年报统计。"
        ),
    )
    five_disclosures = models.CharField(_("五公开类别"), max_length=20, choices=FiveDisclosures.choices, blank=True)
    disclosure_attribute = models.CharField(
        _("公开属性"), max_length=12, choices=DisclosureAttribute.choices, blank=True
    )
    attribute_reason = models.TextField(
        _("不予主动公开的理由和依据"),
        blank=True,
        help_text=_("公开属性为依申请公开或不予公开时必填。"),
    )
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    interpretation_form = models.CharField(_("解读形式"), max_length=10, choices=InterpretationForm.choices, blank=True)
    video_url = models.URLField(_("视频链接"), blank=True)
    interprets = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="interpretations",
        verbose_name=_("解读的政策文件"),
    )
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    effective_on = models.DateField(_("实施日期"), null=True, blank=True)
    expired_on = models.DateField(_("失效日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    validity_note = models.CharField(_("有效性说明"), max_length=300, blank=True)

    state = models.CharField(
        _("状态"), max_length=12, choices=ItemState.choices, default=ItemState.DRAFT, editable=False
    )
    index_number = models.CharField(_("索引号"), max_length=80, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, editable=False)
    scheduled_for = models.DateTimeField(_("定时发布时间"), null=True, blank=True, editable=False)
    last_revised_at = models.DateTimeField(_("最近修订发布时间"), null=True, blank=True, editable=False)
    version_number = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    # Not the published version above: a counter every workflow step bumps, so a step taken from
    # a page opened before someone else acted is refused instead of silently undoing their work.
    lock_version = models.PositiveIntegerField(_("修改次数"), default=0, editable=False)
    due_date = models.DateField(_("应公开日期"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("审核意见"), blank=True, editable=False)
    confidentiality_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("保密审查人"),
    )
    confidentiality_signed_at = models.DateTimeField(_("保密审查时间"), null=True, blank=True, editable=False)
    confidentiality_note = models.CharField(_("保密审查意见"), max_length=300, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField(_("撤回原因"), max_length=300, blank=True, editable=False)
    withheld_on = models.DateField(_("确认不予公开日期"), null=True, blank=True, editable=False)
    last_reassessed_on = models.DateField(_("最近复核日期"), null=True, blank=True, editable=False)
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        editable=False,
        verbose_name=_("修订的信息"),
    )
    revision_note = models.CharField(_("修订说明"), max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    search_vector = SearchDocumentField(_("全文索引"))

    objects = DisclosureItemQuerySet.as_manager()

    # Set by the search on the rows it returns. Defaults here so the shared list template
    # finds them on every row: a missing attribute makes the template engine call dir()
    # on the item, which was 2 ms of every uncached list page (issue 10).
    title_highlighted = snippet = ""
    exact = False

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        permissions = [
            ("review_item", _("审核政府信息（退回）")),
            ("publish_item", _("发布、撤回政府信息，标注失效废止")),
            ("sign_off_confidentiality", _("保密审查签发")),
            ("reassess_item", _("年度复核不予公开信息")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "index_number"],
                condition=~models.Q(index_number=""),
                name="disclosure_unique_index_number",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="disclosure_state_pub"),
            models.Index(fields=["organization", "state"], name="disclosure_org_state"),
            # The public lists' order over public items only: deep pages read the index alone.
            models.Index(
                fields=["-published_at", "-id"],
                name="disclosure_public_order",
                condition=_PUBLIC_ROWS,
            ),
            # Search's exact lookups: a typed 索引号 or 文号 is found through an index, not a scan.
            models.Index(fields=["index_number"], name="disclosure_index_number"),
            models.Index(fields=["document_number_key"], name="disclosure_docnumber_key"),
            # The 制度 sub-column and the 政策文件库: a few rows among many, read newest first.
            models.Index(
                fields=["-published_at", "-id"],
                name="disclosure_rules_order",
                condition=models.Q(state="published", revision_of__isnull=True, disclosure_rule=True),
            ),
            models.Index(
                fields=["-published_at", "-id"],
                name="disclosure_policy_order",
                condition=models.Q(state="published", revision_of__isnull=True, kind="document")
                & (models.Q(document_type__in=["regulation", "normative"]) | ~models.Q(document_number="")),
            ),
            # The column landing's newest items of each kind (政策解读 and the rest): without it a
            # kind with few or no items scans every item (76 ms at 200,000 items, issue 10).
            models.Index(
                fields=["kind", "-published_at", "-id"],
                name="disclosure_public_kind_order",
                condition=_PUBLIC_ROWS,
            ),
            # The list filters 有效性 and 文件类型 the same way: a value few items have (废止, 规章)
            # walked the whole publication order to fill a page (170 ms at 200,000 items, issue 10).
            models.Index(
                fields=["validity", "-published_at", "-id"],
                name="disclosure_public_valid_order",
                condition=_PUBLIC_ROWS,
            ),
            models.Index(
                fields=["document_type", "-published_at", "-id"],
                name="disclosure_public_type_order",
                condition=_PUBLIC_ROWS,
            ),
            # An organisation's own list (a department, a village): its items newest first, not a
            # walk of everyone's publication order to find its rows (a department with 2 % of the
            # items: 1.5 ms of SQL per page, a fifth of the page under load; issue 10).
            models.Index(
                fields=["organization", "-published_at", "-id"],
                name="disclosure_public_org_order",
                condition=_PUBLIC_ROWS,
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        self.body_text = html_to_text(self.body)
        self.document_number = normalize_document_number(self.document_number)
        self.document_number_key = document_number_key(self.document_number)
        self.title = " ".join((self.title or "").split())
        if self.video_url and not self.video_url.lower().startswith(("http://", "https://")):
            self.video_url = ""  # imports skip form validation; never link to javascript: and the like
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {
                "body",
                "body_text",
                "document_number",
                "document_number_key",
                "title",
                "search_vector",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def search_texts(self):
        return [
            ("A", self.title),
            ("A", self.keywords),
            ("B", self.document_number),
            ("C", self.body_text),
        ]

    # Derived facts the pages show.
    @property
    def is_public(self):
        return self.state == ItemState.PUBLISHED and self.revision_of_id is None

    @property
    def is_interpretation(self):
        return self.kind == ItemKind.INTERPRETATION

    @property
    def publication_mode(self):
        """公开方式 as the metadata table shows it."""
        if self.disclosure_attribute == DisclosureAttribute.ON_REQUEST:
            return DisclosureAttribute.ON_REQUEST.label
        return DisclosureAttribute.PROACTIVE.label

    @property
    def validity_date(self):
        if self.validity == Validity.REPEALED:
            return self.repealed_on
        if self.validity == Validity.EXPIRED:
            return self.expired_on
        return None

    @property
    def effective_published_at(self):
        return self.last_revised_at or self.published_at

    @property
    def is_late(self):
        """Published after its due date, or still unpublished past it."""
        if self.due_date is None or self.state in (ItemState.WITHHELD, ItemState.WITHDRAWN):
            return False
        published = self.effective_published_at if self.revision_of_id is None else self.published_at
        if self.state in (ItemState.PUBLISHED, ItemState.MERGED) and published:
            return timezone.localdate(published) > self.due_date
        return workdays.today() > self.due_date


class IndexCounter(models.Model):
    """The last 索引号 serial an organisation used in a year; locked while a number is taken."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        verbose_name_plural = _("索引号计数器")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="disclosure_counter_unique")]

    def __str__(self):
        return f"{self.organization} {self.year}: {self.last_serial}"


def attachment_path(instance, filename):
    """A generated name: the original one is kept in the row, never on disk."""
    return f"disclosure/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.stored_extension}"


class Attachment(models.Model):
    item = models.ForeignKey(
        DisclosureItem, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("所属信息")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, storage=attachment_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file_type = models.CharField(_("文件类型"), max_length=8, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    retired = models.BooleanField(
        _("仅属于早期版本"),
        default=False,
        help_text=_("修订后不再属于现行版本，但早期版本仍可下载。"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    stored_extension = "bin"  # set by the service before the file is saved

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name

    @property
    def size_display(self):
        size = float(self.size)
        for unit in ("B", "KB", "MB"):
            if size < 1024 or unit == "MB":
                return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            size /= 1024
        return ""


class ItemVersion(models.Model):
    """What was published, as it was published: courts and citizens rely on old versions."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.PROTECT, related_name="versions", verbose_name=_("信息"))
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    metadata = models.JSONField(_("元数据"), default=dict)
    change_note = models.CharField(_("修订说明"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="versions", verbose_name=_("附件"))

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="disclosure_version_unique")]

    def __str__(self):
        return f"{self.title}（第{self.number}版）"


class ReassessmentDecision(models.TextChoices):
    KEEP = "keep", _("继续不予公开")
    RELEASE = "release", _("转为主动公开")


class Reassessment(models.Model):
    """One yearly review of a withheld item."""

    item = models.ForeignKey(
        DisclosureItem, on_delete=models.PROTECT, related_name="reassessments", verbose_name=_("信息")
    )
    decision = models.CharField(_("复核结论"), max_length=10, choices=ReassessmentDecision.choices)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("复核人"),
    )
    decided_on = models.DateField(_("复核日期"), default=timezone.localdate)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("不予公开信息年度复核")
        verbose_name_plural = _("不予公开信息年度复核")

    def __str__(self):
        return f"{self.decided_on} {self.get_decision_display()} {self.item}"


def new_token():
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """A citizen's e-mail subscription to a domain or an organisation (精准推送)."""

    email = models.EmailField(_("电子邮箱"))
    domain = models.ForeignKey(
        CatalogEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("领域"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机构"),
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain__isnull=False) | models.Q(organization__isnull=False),
                name="disclosure_subscription_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.target}"

    @property
    def target(self):
        return self.domain or self.organization
