"""The letters mailbox (互动交流 — 信箱): a citizen's 咨询, 建议, 投诉 or 求助 to an organisation.

A letter is addressed to one organisation's mailbox (the county government's is 县长信箱).
Its state changes only through :data:`letters.services.WORKFLOW`; its reply deadline is a
stored date recomputed from ``clock_start`` and ``allowed_days`` with the core's working-day
calendar (:mod:`portal.workdays`), so a corrected holiday schedule moves it (the nightly job
refreshes open letters). The writer's name, phone and e-mail live on :class:`Letter` only
and never in ``__str__`` (the audit log prints objects).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organization, OrganizationKind
from requests_app.models import Request, private_storage

DEFAULT_REPLY_WORKING_DAYS = 10
MAX_EXTENSION_DAYS = 10


class LetterKind(models.TextChoices):
    """Every kind a site may offer; ``settings.LETTERS_KINDS`` picks (and orders) the offered ones."""

    CONSULTATION = "consult", _("咨询")
    SUGGESTION = "suggest", _("建议")
    COMPLAINT = "complain", _("投诉")
    HELP = "help", _("求助")
    REPORT = "report", _("举报")
    OTHER = "other", _("其他")


def offered_kinds():
    """The kinds this site's form offers, in the configured order (unknown values ignored)."""
    wanted = getattr(settings, "LETTERS_KINDS", None) or LetterKind.values
    return [(k, LetterKind(k).label) for k in wanted if k in LetterKind.values]


class LetterState(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("办理中")
    ANSWERED = "answered", _("已答复")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("已合并")
    CONVERTED = "converted", _("已转为依申请公开")


OPEN_STATES = (LetterState.SUBMITTED, LetterState.ACCEPTED)
CLOSED_STATES = (LetterState.ANSWERED, LetterState.REJECTED, LetterState.MERGED, LetterState.CONVERTED)


class RejectCategory(models.TextChoices):
    SPAM = "spam", _("垃圾信息")
    ABUSE = "abuse", _("含有辱骂、攻击等不当内容")
    OUT_OF_SCOPE = "out_of_scope", _("不属于本信箱受理范围")


class ExtensionStatus(models.TextChoices):
    NONE = "", _("未申请")
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class LetterQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def published(self):
        return self.filter(state=LetterState.ANSWERED, published=True)


class Letter(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="letters", verbose_name=_("受理机构")
    )
    tracking_number = models.CharField(_("查询号"), max_length=20, unique=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=100, editable=False)
    kind = models.CharField(_("来信类型"), max_length=10, choices=LetterKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("来信内容"))
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    publish_consent = models.BooleanField(_("同意答复后公开"), default=False)

    state = models.CharField(
        _("状态"), max_length=10, choices=LetterState.choices, default=LetterState.SUBMITTED, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    received_on = models.DateField(_("收信日期"))
    clock_start = models.DateField(_("计时起算日"), help_text=_("收信日或转办到本机构之日（当日不计）"))
    allowed_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"), default=DEFAULT_REPLY_WORKING_DAYS)
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理人"),
    )

    extension_status = models.CharField(
        _("延期状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.NONE, blank=True
    )
    extension_requested_days = models.PositiveSmallIntegerField(_("申请延长工作日数"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)

    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    days_taken = models.PositiveSmallIntegerField(_("办理用时（工作日）"), null=True, blank=True)

    reject_category = models.CharField(_("不予受理类别"), max_length=14, choices=RejectCategory.choices, blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("合并至")
    )
    converted_request = models.OneToOneField(
        Request,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="from_letter",
        verbose_name=_("转为的政府信息公开申请"),
    )
    from_request = models.OneToOneField(
        Request,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_letter",
        verbose_name=_("来源的政府信息公开申请"),
        help_text=_("以“信访、举报、投诉类申请”不予处理后转为来信的申请"),
    )

    published = models.BooleanField(_("已公开"), default=False, db_index=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    public_title = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_body = models.TextField(_("公开的来信内容（已脱敏）"), blank=True)
    public_reply = models.TextField(_("公开的答复内容（已脱敏）"), blank=True)

    rating = models.CharField(_("满意度评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        permissions = [
            ("handle_letter", _("办理来信")),
            ("approve_letter_extension", _("审批来信延期")),
            ("publish_letter", _("审核公开来信")),
        ]
        indexes = [
            models.Index(fields=["organization", "state"], name="letter_org_state"),
            models.Index(fields=["state", "due_on"], name="letter_state_due"),
        ]

    def __str__(self):
        return self.tracking_number

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def on_time(self):
        if self.replied_on is None or self.due_on is None:
            return None
        return self.replied_on <= self.due_on


def mailbox_name(organization):
    """县长信箱 for the county government; every other mailbox carries its organisation's name."""
    if organization.kind == OrganizationKind.GOVERNMENT and organization.parent_id is None:
        return str(_("县长信箱"))
    return str(_("%(org)s信箱")) % {"org": organization.display_name}


class ReplyDeadline(models.Model):
    """An organisation's own reply deadline, for one kind of letter or (kind empty) for all."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="letter_deadlines", verbose_name=_("机构")
    )
    kind = models.CharField(
        _("来信类型"), max_length=10, choices=LetterKind.choices, blank=True, help_text=_("留空表示所有类型")
    )
    working_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"))

    class Meta:
        verbose_name = _("来信答复期限")
        verbose_name_plural = _("来信答复期限")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="letter_deadline_org_kind"),
            models.CheckConstraint(
                condition=models.Q(working_days__gte=1, working_days__lte=60), name="letter_deadline_range"
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_kind_display() or _('所有类型')} {self.working_days}"


class Transfer(models.Model):
    """One 转办: the letter went from one organisation's mailbox to another's."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("来信"))
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("转出机构")
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("转入机构")
    )
    reason = models.CharField(_("转办理由"), max_length=300)
    on = models.DateField(_("转办日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")

    def __str__(self):
        return f"{self.letter} {self.on}"


class FileKind(models.TextChoices):
    CITIZEN = "citizen", _("来信附件")
    REPLY = "reply", _("答复附件")


def letter_file_path(instance, filename):
    import secrets

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"letters/{instance.letter_id}/{secrets.token_hex(12)}.{suffix[:8]}"


class LetterFile(models.Model):
    """A file of the letter or of its reply, in the private store; never on the public pages."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="files", verbose_name=_("来信"))
    kind = models.CharField(_("类别"), max_length=8, choices=FileKind.choices)
    file = models.FileField(_("文件"), upload_to=letter_file_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("来信附件")
        verbose_name_plural = _("来信附件")

    def __str__(self):
        return self.original_name
