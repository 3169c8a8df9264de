"""Shared core: organisations, users, the working-day calendar and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from . import codes
from .validators import validate_organization_code, validate_postcode


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("县（区）人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区（居）")


class GovernmentLevel(models.TextChoices):
    """The two levels a catalog entry can apply to (公开层级)."""

    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


# Which catalog level an organisation publishes at; villages publish under their township.
KIND_LEVEL = {
    OrganizationKind.GOVERNMENT: GovernmentLevel.COUNTY,
    OrganizationKind.DEPARTMENT: GovernmentLevel.COUNTY,
    OrganizationKind.TOWNSHIP: GovernmentLevel.TOWNSHIP,
    OrganizationKind.STREET: GovernmentLevel.TOWNSHIP,
    OrganizationKind.VILLAGE: GovernmentLevel.TOWNSHIP,
    OrganizationKind.COMMUNITY: GovernmentLevel.TOWNSHIP,
}

DEFAULT_INDEX_PATTERN = "{code}/{year}-{serial:05d}"


def validate_index_pattern(value):
    """Kept under this name for the migrations; the admin's strict rules apply everywhere."""
    from .validators import validate_index_pattern_strict

    validate_index_pattern_strict(value)


class Organization(MPTTModel):
    """A government body: county government, department, township, village.

    The tree is also the permission boundary: a staff user works inside the
    subtree of the organisation it belongs to.
    """

    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级机构"),
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganizationKind.choices)
    code = models.CharField(
        _("机构代码"),
        max_length=18,
        unique=True,
        validators=[validate_organization_code],
        help_text=_("9位组织机构代码或18位统一社会信用代码，保存时校验校验位。"),
    )
    index_pattern = models.CharField(
        _("索引号格式"),
        max_length=60,
        default=DEFAULT_INDEX_PATTERN,
        validators=[validate_index_pattern],
        help_text=_("可用占位符：{code} 机构代码、{year} 年份、{serial:05d} 五位流水号。"),
    )
    office_address = models.CharField(_("政务公开办公室地址"), max_length=200, blank=True)
    office_postcode = models.CharField(_("邮政编码"), max_length=6, blank=True, validators=[validate_postcode])
    office_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    office_fax = models.CharField(_("传真"), max_length=40, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    office_email = models.EmailField(_("电子邮箱"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class MPTTMeta:
        order_insertion_by = ["sort_order", "name"]

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # People type codes with spaces and hyphens; validate what will be stored.
        self.code = codes.normalize(self.code)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.code = codes.normalize(self.code)
        super().save(*args, **kwargs)

    @property
    def government_level(self):
        return KIND_LEVEL[self.kind]

    @property
    def display_name(self):
        return self.short_name or self.name

    def format_index_number(self, year, serial):
        return self.index_pattern.format(code=self.code, year=year, serial=serial)


class Role(models.TextChoices):
    """The four staff roles; the value is the name of the matching auth group."""

    CLERK = "录入员", _("录入员")
    REVIEWER = "审核员", _("审核员")
    REQUEST_OFFICER = "办理人", _("办理人")
    ORG_ADMIN = "管理员", _("管理员")


class User(AbstractUser):
    """A portal account. Staff accounts belong to exactly one organisation."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属机构"),
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    # When the password was last set: the maximum password age (PASSWORD_MAX_AGE_DAYS) counts from here.
    password_changed_at = models.DateTimeField(_("密码设置时间"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def has_role(self, role):
        return self.groups.filter(name=role).exists()


class DayKind(models.TextChoices):
    DAY_OFF = "off", _("放假")
    WORKDAY = "work", _("调休上班")


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("软件包预置")
    ADMIN = "admin", _("管理员录入")
    LOCAL = "local", _("本地放假")


class CalendarDay(models.Model):
    """A date that differs from the plain Monday-Friday week.

    Only exceptions are stored: a weekday that is a day off, or a weekend day
    that is a make-up workday (调休). Everything else follows the weekday.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50, help_text=_("如“国庆节”“国庆节调休”"))
    source = models.CharField(_("来源"), max_length=10, choices=CalendarSource.choices)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self):
        return f"{self.date} {self.name}（{self.get_kind_display()}）"


class ScheduleYear(models.Model):
    """Marks a year whose State Council holiday schedule is loaded.

    Dates in a year without one are counted provisionally (weekdays minus the
    statutory holidays) and every result says so.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=10, choices=CalendarSource.choices)
    notice = models.CharField(_("放假安排通知"), max_length=120, blank=True, help_text=_("如“国办发明电〔2025〕7号”"))
    loaded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")

    def __str__(self):
        return str(self.year)


class AuditEvent(models.TextChoices):
    """The core's audit event codes: object edits in the admin and the account events of 等保 2.0.

    The entry stores the code, never the sentence, so the log reads in the reader's language.
    The domain apps' workflow verbs are codes too (``portal.audit_vocabulary``); an entry written
    before codes existed, whose text matched no code, is ``legacy`` and keeps its text.
    """

    ADD = "add", _("新增")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    MOVE = "move", _("移动")
    PASSWORD_RESET = "password_reset", _("修改密码")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    OTP_ENROLLED = "otp_enrolled", _("绑定双因素认证")
    OTP_VERIFIED = "otp_verified", _("双因素认证通过")
    OTP_FAILED = "otp_failed", _("双因素认证失败")
    OTP_RECOVERY_USED = "otp_recovery_used", _("使用恢复码")
    OTP_RESET = "otp_reset", _("重置双因素认证")
    PASSWORD_CHANGE = "password_change", _("修改本人密码")
    PASSWORD_REFUSED = "password_refused", _("新密码不符合要求")
    GROUPS_CHANGED = "groups_changed", _("角色变更")
    PERMISSIONS_CHANGED = "permissions_changed", _("权限变更")
    VIEW_PERSONAL_DATA = "view_personal_data", _("查看个人信息")
    DOWNLOAD_FILE = "download_file", _("下载文件")
    EXPORT = "export", _("导出数据")
    AUDIT_EXPORT = "audit_export", _("导出审计日志")
    LEGACY = "legacy", _("历史记录")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEntry(models.Model):
    """One thing somebody did, to an object or to an account: the trail supervisors and courts ask for.

    Stored as data — an event code, state codes and JSON parameters — and rendered in the
    reader's language (``portal.audit``). Append-only: the admin is read-only and on
    PostgreSQL a trigger refuses UPDATE and DELETE (migration 0008).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # The account name as typed or held at the time: a failed login may name no real user.
    username = models.CharField(_("账号"), max_length=150, blank=True, db_index=True)
    event = models.CharField(_("事件"), max_length=60, db_index=True, default=AuditEvent.LEGACY)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS, db_index=True
    )
    ip = models.CharField(_("来源地址"), max_length=45, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("对象类型")
    )
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    from_code = models.CharField(_("原状态"), max_length=80, blank=True)
    to_code = models.CharField(_("新状态"), max_length=80, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or self.username or '-'} {self.verb} {self.object_repr}"

    # Rendered in the active language; the templates and tests read these as before.
    @property
    def verb(self):
        from .audit import event_label

        return event_label(self)

    @property
    def from_state(self):
        from .audit import state_label

        return state_label(self.from_code, self.params.get("from_state", ""))

    @property
    def to_state(self):
        from .audit import state_label

        return state_label(self.to_code, self.params.get("to_state", ""))

    @property
    def detail(self):
        from .audit import event_detail

        return event_detail(self)


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so the last few cannot be chosen again (等保 身份鉴别)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("电子邮件")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboundMessage(models.Model):
    """One message the portal owes someone: the outbox (issue 8).

    A service records the message in the same transaction as the change it is
    about, so a rolled-back change sends nothing and a committed one is never
    forgotten; a Celery worker delivers it afterwards (``portal.outbox``).
    ``event_key`` names the event the message is for (a submission, a notice,
    one reminder of one due date): a second enqueue of the same event does
    nothing, which is what keeps reminders and notices to once per event
    however often and on however many workers a job runs.
    """

    channel = models.CharField(_("渠道"), max_length=10, choices=MessageChannel.choices, default=MessageChannel.EMAIL)
    recipient = models.CharField(_("收件人"), max_length=254)
    subject = models.CharField(_("主题"), max_length=255)
    body = models.TextField(_("正文"))
    # The body carries a secret (the applicant's query code): erased once delivered.
    sensitive = models.BooleanField(_("含保密内容"), default=False)
    event_key = models.CharField(_("事件标识"), max_length=200, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属机构"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("关联对象类型")
    )
    object_id = models.CharField(_("关联对象编号"), max_length=40, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), db_index=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        permissions = [("resend_outboundmessage", _("重新发送消息"))]

    def __str__(self):
        return f"{self.get_channel_display()} {self.subject}"
