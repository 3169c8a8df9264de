"""Information requests (依申请公开): the application, its clock, its notices and files.

The state of a request changes only in :mod:`requests_app.services`; the
clock (:class:`ClockSegment`) is a list of dated running and paused segments
from which :mod:`requests_app.clock` derives the due date at any time, so a
deadline can always be recomputed and explained instead of being a stored
number nobody can check.

Applicants' personal data (identity number, phone, address, e-mail) lives on
:class:`Request` only; ``__str__`` never includes it, because the audit log
and admin messages print objects.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal import storage as portal_storage
from portal.models import Organization
from portal.validators import validate_postcode

from .choices import (  # noqa: F401 (the app's enumerations, imported from here everywhere)
    APPLICANT_NOTICE_KINDS,
    CLOCKED_STATUSES,
    CONCLUDED_STATUSES,
    OPEN_STATUSES,
    OUTCOME_GROUPS,
    PUBLIC_FILE_KINDS,
    REPLY_OUTCOMES,
    ApplicantCategory,
    Channel,
    DeliveryMethod,
    ExtensionStatus,
    FeeBasis,
    FileKind,
    FormWanted,
    IdType,
    NoticeDelivery,
    NoticeKind,
    Outcome,
    PauseReason,
    SegmentKind,
    Status,
    outcome_full_label,
    outcome_grouped_choices,
    outcome_row_label,
)


def private_storage():
    """The core's "private" store: applicants' files, served only by views that check access.

    Local ``REQUESTS_PRIVATE_ROOT`` (default ``var/private``) or the bucket's
    private prefix; see portal/storage.py. Migrations name this callable.
    """
    return portal_storage.private


class RequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Request(models.Model):
    """One application for government information."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="information_requests",
        verbose_name=_("受理机关"),
    )
    tracking_number = models.CharField(_("查询号"), max_length=20, unique=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=100, editable=False)
    registration_number = models.CharField(_("登记号"), max_length=30, blank=True)
    registration_year = models.PositiveSmallIntegerField(_("登记年度"), null=True, blank=True)
    registration_serial = models.PositiveIntegerField(_("登记流水号"), null=True, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=4, choices=Outcome.choices, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    applicant_category = models.CharField(_("申请人类别"), max_length=16, choices=ApplicantCategory.choices)
    applicant_name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=12, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True, validators=[validate_postcode])
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True, help_text=_("法人或其他组织填写"))

    description = models.TextField(_("所需信息的内容描述"), help_text=_("信息名称、文号或者便于查询的其他特征性描述"))
    purpose = models.CharField(_("用途（选填）"), max_length=200, blank=True)
    form_wanted = models.CharField(_("信息的载体形式"), max_length=12, choices=FormWanted.choices)
    delivery_method = models.CharField(_("获取信息的方式"), max_length=10, choices=DeliveryMethod.choices)

    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    receipt_date = models.DateField(
        _("收到申请日期"), null=True, blank=True, db_index=True, help_text=_("依《条例》第三十一条确定")
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_requests",
        verbose_name=_("办理人"),
    )

    supplement_items = models.TextField(_("需要补正的事项"), blank=True)
    supplement_requested_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    supplement_deadline = models.DateField(_("补正期限"), null=True, blank=True)
    supplement_text = models.TextField(_("补正内容"), blank=True)
    supplement_received_on = models.DateField(_("收到补正日期"), null=True, blank=True)

    extension_status = models.CharField(
        _("延期状态"), max_length=10, choices=ExtensionStatus.choices, blank=True, default=ExtensionStatus.NONE
    )
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("延期申请人"),
    )
    extension_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("延期审批人"),
    )
    extension_decided_on = models.DateField(_("延期审批日期"), null=True, blank=True)

    fee_basis = models.CharField(_("收费标准"), max_length=16, choices=FeeBasis.choices, blank=True)
    fee_pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    fee_month_count = models.PositiveIntegerField(_("当月累计申请件数"), null=True, blank=True)
    fee_amount = models.DecimalField(_("信息处理费（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_notice_on = models.DateField(_("收费通知日期"), null=True, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)

    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    decision = models.TextField(_("答复内容"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    concluded_on = models.DateField(
        _("办结日期"), null=True, blank=True, db_index=True, help_text=_("答复、终止处理或撤回之日，年度报告据此统计")
    )
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    disclosure_draft = models.CharField(
        _("转主动公开草稿"), max_length=100, blank=True, help_text=_("依《条例》第四十四条转为主动公开时生成的草稿标识")
    )

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The clock's answer stored beside its segments (requests_app/clockstore.py), so the
    # workbench filters, counts and sorts every open request in SQL. Recomputed whenever a
    # segment, the request or the calendar changes; a paused clock's projected due date
    # moves with the day, so it is recomputed on the first read of a later day.
    clock_due_on = models.DateField(_("答复期限（计算值）"), null=True, blank=True, editable=False)
    clock_paused = models.BooleanField(_("暂停计时中"), default=False, editable=False)
    clock_computed_on = models.DateField(_("期限计算日期"), null=True, blank=True, editable=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "registration_number"],
                condition=~Q(registration_number=""),
                name="request_registration_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "clock_due_on"], name="request_status_due"),
        ]
        permissions = [
            ("handle_request", _("办理政府信息公开申请")),
            ("approve_extension", _("批准延期答复")),
            ("view_personal_data", _("查看申请人完整个人信息")),
            ("export_register", _("导出登记台账")),
        ]

    def __str__(self):
        # Never the applicant's name or numbers: this string reaches the audit log.
        return self.registration_number or self.tracking_number

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def outcome_label(self):
        return outcome_full_label(self.outcome)

    @cached_property
    def clock(self):
        from .clock import compute

        return compute(self)


class ClockSegment(models.Model):
    """A stretch of the reply period, running or paused, as the half-open span (starts_on, ends_on].

    The start day itself is not counted (Civil Code Art 201): a running segment
    counts the working days after ``starts_on`` up to and including
    ``ends_on``; a pause covers the days after it starts up to and including
    the day it ends. So every day belongs to exactly one segment.
    """

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="segments", verbose_name=_("申请"))
    kind = models.CharField(_("类型"), max_length=8, choices=SegmentKind.choices)
    reason = models.CharField(_("暂停原因"), max_length=14, choices=PauseReason.choices, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    restarts_clock = models.BooleanField(
        _("重新起算"),
        default=False,
        help_text=_("补正后重新计算20个工作日"),
    )
    deadline = models.DateField(_("暂停期限"), null=True, blank=True, help_text=_("第三方答复期限、补正期限或缴费期限"))
    party = models.CharField(_("被征求意见方"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("计时段")
        verbose_name_plural = _("计时段")

    def __str__(self):
        label = self.get_reason_display() if self.kind == SegmentKind.PAUSED else self.get_kind_display()
        return f"{label} {self.starts_on}–{self.ends_on or ''}"


class NoticeTemplate(models.Model):
    """The wording of a formal notice; an organisation may keep its own version of each kind.

    The body is a Django template over plain values (see
    :data:`requests_app.notices.PLACEHOLDERS`), so an administrator can edit
    wording, legal basis and remedies without a developer.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机构"),
        help_text=_("留空为全县通用模板"),
    )
    kind = models.CharField(_("文书类型"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文模板"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["kind", "organization"]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="notice_template_org_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(organization__isnull=True), name="notice_template_default_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.organization or _('通用')}）"

    def clean(self):
        from .notices import validate_template_body

        validate_template_body(self.body)


class Notice(models.Model):
    """A formal notice as issued: its text is frozen when issued, with its number and delivery."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="notices", verbose_name=_("申请"))
    kind = models.CharField(_("文书类型"), max_length=16, choices=NoticeKind.choices)
    document_number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    issued_on = models.DateField(_("制发日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("制发人"),
    )
    recipient = models.CharField(
        _("送达对象"), max_length=200, blank=True, help_text=_("第三方意见书填写第三方名称；其他文书为申请人")
    )
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=10, choices=NoticeDelivery.choices, blank=True)
    delivery_note = models.CharField(_("送达说明"), max_length=200, blank=True, help_text=_("如邮件单号、签收人"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("告知书")
        verbose_name_plural = _("告知书")

    def __str__(self):
        return f"{self.title} {self.document_number}"

    @property
    def for_applicant(self):
        return self.kind != NoticeKind.THIRD_PARTY


def request_file_path(instance, filename):
    import secrets

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"requests/{instance.request_id}/{secrets.token_hex(12)}.{suffix[:8]}"


class RequestFile(models.Model):
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="files", verbose_name=_("申请"))
    kind = models.CharField(_("类别"), max_length=10, choices=FileKind.choices)
    file = models.FileField(_("文件"), upload_to=request_file_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.original_name


class RequestNote(models.Model):
    """An official's internal note: never shown to the applicant."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="notes", verbose_name=_("申请"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("内部备注")
        verbose_name_plural = _("内部备注")

    def __str__(self):
        return self.text[:30]


class Counter(models.Model):
    """The last number used in a series (registration, notices) per organisation and year.

    Numbers are taken under a row lock inside the caller's transaction, so
    they are gapless and never repeat, even with concurrent intake.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "series"], name="request_counter_unique"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year} {self.series} {self.last}"


class RequestSettings(models.Model):
    """An organisation's own choices for handling requests."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="request_settings", verbose_name=_("机构")
    )
    charge_fees = models.BooleanField(
        _("收取信息处理费"),
        default=False,
        help_text=_("依国办函〔2020〕109号，申请数量、频次明显超过合理范围时可以收取；默认不收费"),
    )
    document_prefix = models.CharField(
        _("文号前缀"),
        max_length=30,
        blank=True,
        help_text=_("如“示民依申”；留空时用机构简称"),
    )
    supplement_days = models.PositiveSmallIntegerField(
        _("默认补正期限（工作日）"),
        default=15,
        help_text=_("补正告知书给申请人的合理期限"),
    )
    reconsideration_body = models.CharField(
        _("行政复议机关"),
        max_length=100,
        blank=True,
        help_text=_("答复告知书救济途径中写明"),
    )
    court = models.CharField(_("管辖人民法院"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("依申请公开设置")
        verbose_name_plural = _("依申请公开设置")

    def __str__(self):
        return str(self.organization)
