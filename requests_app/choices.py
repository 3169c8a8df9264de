"""The enumerations of information requests: statuses, outcomes (the annual report's rows), kinds.

Kept apart from the models so the tables of the law (the outcome rows of table 三, the pause
reasons, the notice kinds) read on one page; :mod:`requests_app.models` re-exports them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def label_of(choices, value) -> str:
    """The label of ``value`` in ``choices`` (the value itself if it is none of them), as get_FOO_display gives it.

    Django's get_FOO_display hashes every lazy label of the field's choices on
    each call (a translation each); a list of 50 requests made 1,050 of them.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class ApplicantCategory(models.TextChoices):
    """The columns of the annual report's table 三: every application names one."""

    NATURAL_PERSON = "natural", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORGANIZATION = "other_org", _("其他")

    @classmethod
    def grouped_choices(cls):
        """Choices as the form shows them: 自然人, then 法人或其他组织 with its five kinds."""
        return [
            (cls.NATURAL_PERSON.value, cls.NATURAL_PERSON.label),
            (_("法人或其他组织"), [(c.value, c.label) for c in cls if c != cls.NATURAL_PERSON]),
        ]


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    USCC = "uscc", _("统一社会信用代码")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他有效证件")


class Channel(models.TextChoices):
    """How the application arrived; decides the receipt date (Art 31)."""

    ONLINE = "online", _("互联网渠道")
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄")
    FAX = "fax", _("传真")


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECT = "collect", _("当面领取")
    ONLINE = "online", _("网上获取")
    FAX = "fax", _("传真")


class Status(models.TextChoices):
    """The closed loop 接收 → 登记 → 审核 → 办理 → 答复 → 归档, plus its side exits."""

    RECEIVED = "received", _("已接收")
    REGISTERED = "registered", _("已登记")
    UNDER_REVIEW = "under_review", _("审核中")
    SUPPLEMENT_REQUESTED = "supplement", _("待补正")
    IN_HANDLING = "in_handling", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("终止处理")
    WITHDRAWN = "withdrawn", _("已撤回")
    ARCHIVED = "archived", _("已归档")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.REGISTERED,
    Status.UNDER_REVIEW,
    Status.SUPPLEMENT_REQUESTED,
    Status.IN_HANDLING,
)
# Statuses whose clock is running or paused (an online submission starts at registration).
CLOCKED_STATUSES = (Status.REGISTERED, Status.UNDER_REVIEW, Status.SUPPLEMENT_REQUESTED, Status.IN_HANDLING)
CONCLUDED_STATUSES = (Status.REPLIED, Status.CLOSED, Status.WITHDRAWN, Status.ARCHIVED)


class Outcome(models.TextChoices):
    """One outcome per concluded request; each value is a row of the annual report's table 三.

    The value is the row's position under 三、本年度办理结果: "1" is （一）予以公开,
    "3.4" is （三）不予公开 / 4.保护第三方合法权益. Labels are the rows' exact text,
    so the report needs no mapping; :data:`OUTCOME_GROUPS` gives the group rows.
    """

    DISCLOSED = "1", _("予以公开")
    PARTIAL = "2", _("部分公开（区分处理的，只计这一情形，不计其他情形）")
    WITHHELD_STATE_SECRET = "3.1", _("属于国家秘密")
    WITHHELD_PROHIBITED_BY_LAW = "3.2", _("其他法律行政法规禁止公开")
    WITHHELD_THREE_SAFETIES = "3.3", _("危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "3.4", _("保护第三方合法权益")
    WITHHELD_INTERNAL_AFFAIRS = "3.5", _("属于三类内部事务信息")
    WITHHELD_PROCESS = "3.6", _("属于四类过程性信息")
    WITHHELD_ENFORCEMENT_FILE = "3.7", _("属于行政执法案卷")
    WITHHELD_ADMIN_QUERY = "3.8", _("属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "4.1", _("本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATING = "4.2", _("没有现成信息需要另行制作")
    UNAVAILABLE_STILL_UNCLEAR = "4.3", _("补正后申请内容仍不明确")
    NOT_HANDLED_PETITION = "5.1", _("信访举报投诉类申请")
    NOT_HANDLED_REPEAT = "5.2", _("重复申请")
    NOT_HANDLED_PUBLICATION = "5.3", _("要求提供公开出版物")
    NOT_HANDLED_MASS_REPEAT = "5.4", _("无正当理由大量反复申请")
    NOT_HANDLED_CONFIRMATION = "5.5", _("要求行政机关确认或重新出具已获取信息")
    OTHER_NOT_SUPPLEMENTED = "6.1", _("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    OTHER_FEE_UNPAID = "6.2", _("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    OTHER = "6.3", _("其他")


# The group rows of table 三, part 三, in order, with their outcomes.
OUTCOME_GROUPS = [
    ("1", _("（一）予以公开"), [Outcome.DISCLOSED]),
    ("2", _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), [Outcome.PARTIAL]),
    ("3", _("（三）不予公开"), [o for o in Outcome if o.value.startswith("3.")]),
    ("4", _("（四）无法提供"), [o for o in Outcome if o.value.startswith("4.")]),
    ("5", _("（五）不予处理"), [o for o in Outcome if o.value.startswith("5.")]),
    ("6", _("（六）其他处理"), [o for o in Outcome if o.value.startswith("6.")]),
]
_GROUP_SHORT = {
    "1": _("予以公开"),
    "2": _("部分公开"),
    "3": _("不予公开"),
    "4": _("无法提供"),
    "5": _("不予处理"),
    "6": _("其他处理"),
}

# Outcomes an official chooses when replying; 6.1 and 6.2 are reached only by
# the deadline steps, and a withdrawal is recorded as 6.3 (project decision).
REPLY_OUTCOMES = [o for o in Outcome if o not in (Outcome.OTHER_NOT_SUPPLEMENTED, Outcome.OTHER_FEE_UNPAID)]


def outcome_row_label(value):
    """The row as printed in the report: "1.属于国家秘密", or the group row for 1 and 2."""
    outcome = Outcome(value)
    if "." not in outcome.value:
        return str(outcome.label)
    return f"{outcome.value.split('.')[1]}.{outcome.label}"


def outcome_full_label(value):
    """What a person reads in a list: "不予公开 · 属于国家秘密"."""
    if not value:
        return ""
    outcome = Outcome(value)
    if "." not in outcome.value:
        return str(_GROUP_SHORT[outcome.value])
    return f"{_GROUP_SHORT[outcome.value.split('.')[0]]} · {outcome_row_label(value)}"


def outcome_grouped_choices(outcomes=REPLY_OUTCOMES):
    result = []
    for _code, label, members in OUTCOME_GROUPS:
        members = [o for o in members if o in outcomes]
        if not members:
            continue
        if len(members) == 1 and "." not in members[0].value:
            result.append((members[0].value, label))
        else:
            result.append((label, [(o.value, outcome_row_label(o.value)) for o in members]))
    return result


class ExtensionStatus(models.TextChoices):
    NONE = "", _("未申请")
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class FeeBasis(models.TextChoices):
    """国办函〔2020〕109号: one basis per application, never both."""

    PER_APPLICATION = "per_application", _("按件计收")
    PER_VOLUME = "per_volume", _("按量计收")


class SegmentKind(models.TextChoices):
    RUNNING = "running", _("计时")
    PAUSED = "paused", _("暂停计时")


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("等待申请人补正")
    THIRD_PARTY = "third_party", _("征求第三方意见")
    OTHER_AGENCY = "other_agency", _("征求其他机关意见")
    FEE = "fee", _("等待缴纳信息处理费")


class NoticeKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("受理回执")
    SUPPLEMENT = "supplement", _("补正告知书")
    THIRD_PARTY = "third_party", _("征求第三方意见书")
    EXTENSION = "extension", _("延期答复告知书")
    FEE = "fee", _("收费通知书")
    REPLY = "reply", _("政府信息公开申请答复告知书")
    TERMINATION = "termination", _("终止处理告知书")


# Notices that go to someone other than the applicant never show on the status page.
APPLICANT_NOTICE_KINDS = [k for k in NoticeKind if k != NoticeKind.THIRD_PARTY]


class NoticeDelivery(models.TextChoices):
    IN_PERSON = "in_person", _("当面送达")
    POST = "post", _("邮寄送达")
    EMAIL = "email", _("电子邮件送达")
    ONLINE = "online", _("网上送达")
    FAX = "fax", _("传真送达")


class FileKind(models.TextChoices):
    APPLICANT = "applicant", _("申请人提交")
    DISCLOSED = "disclosed", _("公开的信息")
    INTERNAL = "internal", _("内部材料")


PUBLIC_FILE_KINDS = (FileKind.APPLICANT, FileKind.DISCLOSED)
