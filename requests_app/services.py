"""Every step of an information request, and the only code that writes its status.

The state machine is :data:`STEPS`: for each verb, the statuses it may start
from and the status it leads to (``None``: the status stays). Each public
function is one verb; it locks the request row (``select_for_update``),
checks permission, organisation, state and — when the caller passes the
``expected_version`` it displayed — that nobody acted in between, so of two
officials acting at once exactly one succeeds and the other gets a clear
message. Every step writes the audit log; steps that the law ties to a formal
notice issue it here.

Dates: ``on`` is the date the step happened (defaults to today); the clock
counts from these dates, so officials can record a paper step the day after.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit, outbox
from portal.permissions import ensure_org_access, ensure_perm
from portal.workdays import WorkingCalendar

from . import access, clock, fees, notices
from .models import (
    OPEN_STATUSES,
    REPLY_OUTCOMES,
    ApplicantCategory,
    Channel,
    ClockSegment,
    Counter,
    DeliveryMethod,
    ExtensionStatus,
    FeeBasis,
    FileKind,
    IdType,
    Notice,
    NoticeDelivery,
    NoticeKind,
    Outcome,
    PauseReason,
    Request,
    RequestFile,
    RequestNote,
    RequestSettings,
    SegmentKind,
    Status,
    outcome_full_label,
)
from .validators import clean_id_number, clean_phone

logger = logging.getLogger(__name__)

HANDLE = "requests_app.handle_request"
APPROVE_EXTENSION = "requests_app.approve_extension"

# The event key suffix of the confirmation mail of an online application (the status page reports it).
SUBMITTED_MAIL = "submitted"

_CLOCKED = (Status.REGISTERED, Status.UNDER_REVIEW, Status.SUPPLEMENT_REQUESTED, Status.IN_HANDLING)

# verb: (label, statuses it may start from, status it leads to or None)
STEPS = {
    "submit": (gettext_lazy("在线提交"), (), Status.RECEIVED),
    "intake": (gettext_lazy("登记纸质申请"), (), Status.RECEIVED),
    "register": (gettext_lazy("登记"), (Status.RECEIVED,), Status.REGISTERED),
    "begin_review": (gettext_lazy("开始审核"), (Status.REGISTERED,), Status.UNDER_REVIEW),
    "request_supplement": (
        gettext_lazy("告知补正"),
        (Status.REGISTERED, Status.UNDER_REVIEW),
        Status.SUPPLEMENT_REQUESTED,
    ),
    "supplement": (gettext_lazy("收到补正"), (Status.SUPPLEMENT_REQUESTED,), Status.UNDER_REVIEW),
    "close_unsupplemented": (gettext_lazy("逾期未补正，终止处理"), (Status.SUPPLEMENT_REQUESTED,), Status.CLOSED),
    "accept": (gettext_lazy("审核通过，转入办理"), (Status.UNDER_REVIEW,), Status.IN_HANDLING),
    "assign_handler": (
        gettext_lazy("指定办理人"),
        (Status.REGISTERED, Status.UNDER_REVIEW, Status.SUPPLEMENT_REQUESTED, Status.IN_HANDLING),
        None,
    ),
    "start_consultation": (gettext_lazy("征求意见"), (Status.IN_HANDLING,), None),
    "end_consultation": (gettext_lazy("收到意见，恢复计时"), (Status.IN_HANDLING,), None),
    "request_extension": (gettext_lazy("申请延期"), (Status.IN_HANDLING,), None),
    "approve_extension": (gettext_lazy("批准延期"), (Status.IN_HANDLING,), None),
    "reject_extension": (gettext_lazy("不批准延期"), (Status.IN_HANDLING,), None),
    "issue_fee_notice": (gettext_lazy("发出收费通知"), (Status.IN_HANDLING,), None),
    "record_fee_payment": (gettext_lazy("收到缴费，恢复计时"), (Status.IN_HANDLING,), None),
    "close_unpaid": (gettext_lazy("逾期未缴费，终止处理"), (Status.IN_HANDLING,), Status.CLOSED),
    "reply": (gettext_lazy("答复"), (Status.UNDER_REVIEW, Status.IN_HANDLING), Status.REPLIED),
    "withdraw": (gettext_lazy("撤回申请"), OPEN_STATUSES, Status.WITHDRAWN),
    "archive": (gettext_lazy("归档"), (Status.REPLIED, Status.CLOSED, Status.WITHDRAWN), Status.ARCHIVED),
    "deliver_notice": (gettext_lazy("登记送达"), tuple(Status), None),
    "add_note": (gettext_lazy("添加备注"), tuple(Status), None),
    "attach_file": (gettext_lazy("上传材料"), OPEN_STATUSES + (Status.REPLIED,), None),
    "make_disclosure_draft": (gettext_lazy("转为主动公开草稿"), (Status.REPLIED, Status.ARCHIVED), None),
}


def step_label(verb):
    return str(STEPS[verb][0])


def allowed_steps(request):
    """Verbs whose state precondition holds now: what the staff page offers."""
    return {verb for verb, (_label, sources, _to) in STEPS.items() if request.status in sources}


# --- helpers ----------------------------------------------------------------


def _today(on=None):
    return on or clock.today()


def _lock(request, expected_version=None):
    pk = getattr(request, "pk", request)
    try:
        locked = Request.objects.select_for_update().select_related("organization").get(pk=pk)
    except Request.DoesNotExist:
        raise ValidationError(_("申请不存在。")) from None
    if expected_version not in (None, "") and int(expected_version) != locked.version:
        raise ValidationError(
            _("该申请刚刚已被其他人处理（当前状态：%(status)s），您的操作没有执行。请刷新页面查看最新情况后再操作。")
            % {"status": locked.get_status_display()}
        )
    return locked


def _check_state(req, verb):
    label, sources, _to = STEPS[verb]
    if req.status not in sources:
        raise ValidationError(
            _("该申请当前状态为“%(status)s”，不能执行“%(step)s”。")
            % {"status": req.get_status_display(), "step": label}
        )


def _check_staff(actor, req, perm=HANDLE):
    ensure_perm(actor, perm)
    ensure_org_access(actor, req.organization)


def _done(actor, req, verb, *, comment="", fields=None):
    """Apply the verb's status change (if any), bump the version, save and audit."""
    _label, _sources, to = STEPS[verb]
    before = req.get_status_display()
    if to is not None:
        req.status = to
    req.version += 1
    req.save()
    after = req.get_status_display()
    audit.record(
        actor, req, step_label(verb), from_state=before if to else "", to_state=after if to else "", comment=comment
    )
    req.__dict__.pop("clock", None)
    return req


def _open_segment(req):
    return req.segments.filter(ends_on__isnull=True).order_by("-starts_on", "-id").first()


def _close_open_segment(req, on):
    seg = _open_segment(req)
    if seg is not None:
        if on < seg.starts_on:
            raise ValidationError(_("日期不能早于当前计时段的开始日期 %(date)s。") % {"date": seg.starts_on})
        seg.ends_on = on
        seg.save(update_fields=["ends_on"])
    return seg


def _pause(req, reason, on, *, deadline=None, party="", note=""):
    seg = _open_segment(req)
    if seg is not None and seg.kind == SegmentKind.PAUSED:
        raise ValidationError(_("当前已暂停计时（%(reason)s），请先恢复计时。") % {"reason": seg.get_reason_display()})
    _close_open_segment(req, on)
    return ClockSegment.objects.create(
        request=req, kind=SegmentKind.PAUSED, reason=reason, starts_on=on, deadline=deadline, party=party, note=note
    )


def _resume(req, reasons, on, *, restart=False):
    seg = _open_segment(req)
    if seg is None or seg.kind != SegmentKind.PAUSED or seg.reason not in reasons:
        raise ValidationError(_("当前没有可以恢复的暂停计时。"))
    _close_open_segment(req, on)
    return ClockSegment.objects.create(request=req, kind=SegmentKind.RUNNING, starts_on=on, restarts_clock=restart)


def _check_date(on, *, not_before=None, label=None):
    if on > clock.today():
        raise ValidationError(_("日期不能晚于今天。"))
    if not_before is not None and on < not_before:
        raise ValidationError(_("%(label)s不能早于 %(date)s。") % {"label": label or _("日期"), "date": not_before})


def next_number(organization, year, series):
    """Take the next number of a series under a row lock: gapless and unique under concurrency."""
    Counter.objects.bulk_create([Counter(organization=organization, year=year, series=series)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(organization=organization, year=year, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def format_registration_number(year, serial):
    return f"〔{year}〕第{serial:04d}号"


def settings_for(organization):
    obj = RequestSettings.objects.filter(organization=organization).first()
    return obj or RequestSettings(organization=organization)


def _notice_values(req, **extra):
    org = req.organization
    org_settings = settings_for(org)
    state = clock.compute(req)
    values = {
        "applicant_name": req.applicant_name,
        "organization": org.name,
        "organization_address": org.office_address,
        "organization_phone": org.office_phone,
        "tracking_number": req.tracking_number,
        "registration_number": req.registration_number,
        "receipt_date": _date(req.receipt_date),
        "description": req.description,
        "form_wanted": req.get_form_wanted_display(),
        "delivery_method": req.get_delivery_method_display(),
        "due_date": _date(state.due_date),
        "original_due_date": _date(state.original_due_date),
        "today": _date(clock.today()),
        "reconsideration_body": org_settings.reconsideration_body
        or (org.parent.name if org.parent_id else _("上一级行政机关")),
        "court": org_settings.court or _("有管辖权的人民法院"),
    }
    values.update(extra)
    return values


def _date(value):
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _issue_notice(actor, req, kind, *, on, recipient="", **values):
    org = req.organization
    title, body = notices.render(kind, org, _notice_values(req, **values))
    prefix = settings_for(org).document_prefix or (org.short_name or org.name) + _("依申请公开")
    serial = next_number(org, on.year, "notice")
    notice = Notice.objects.create(
        request=req,
        kind=kind,
        title=title,
        body=body,
        issued_on=on,
        document_number=f"{prefix}〔{on.year}〕{serial}号",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        recipient=recipient or req.applicant_name,
    )
    if kind != NoticeKind.THIRD_PARTY and req.delivery_method == DeliveryMethod.ONLINE:
        # The applicant asked to receive online: the status page is the delivery.
        notice.delivered_at = timezone.now()
        notice.delivery_method = NoticeDelivery.ONLINE
        notice.save(update_fields=["delivered_at", "delivery_method"])
    if kind != NoticeKind.THIRD_PARTY and req.email:
        _mail_applicant(
            req, _("您的政府信息公开申请有新的文书：%(title)s") % {"title": title}, event=f"notice:{notice.pk}"
        )
    audit.record(actor, req, _("制发文书"), comment=f"{title} {notice.document_number}")
    return notice


def _mail_applicant(req, subject, *, event):
    """Tell the applicant something changed; the message carries no personal data and no code.

    Recorded in the outbox with the step (``event``: one message per notice),
    delivered by the worker after the step commits.
    """
    body = _(
        "您提交给%(org)s的政府信息公开申请（查询号 %(number)s）有新的进展。"
        "请凭查询号和查询码在政务公开网站“依申请公开 — 查询办理进度”中查看。"
    ) % {"org": req.organization.name, "number": req.tracking_number}
    outbox.enqueue(
        recipient=req.email,
        subject=subject,
        body=body,
        about=req,
        organization=req.organization,
        event_key=outbox.event_key("request", req.pk, event),
    )


def _save_files(req, files, kind, actor=None):
    saved = []
    for upload in files or ():
        saved.append(
            RequestFile.objects.create(
                request=req,
                kind=kind,
                file=upload,
                original_name=upload.name[:200],
                size=upload.size or 0,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    return saved


# --- creating a request -----------------------------------------------------

APPLICANT_FIELDS = (
    "applicant_category",
    "applicant_name",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "postcode",
    "contact_person",
    "description",
    "purpose",
    "form_wanted",
    "delivery_method",
)


def _clean_applicant(data):
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    required = (
        "applicant_category",
        "applicant_name",
        "id_type",
        "id_number",
        "phone",
        "description",
        "form_wanted",
        "delivery_method",
    )
    missing = [Request._meta.get_field(f).verbose_name for f in required if not cleaned.get(f)]
    if missing:
        raise ValidationError(_("请填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)})
    if cleaned["applicant_category"] not in ApplicantCategory.values or cleaned["id_type"] not in IdType.values:
        raise ValidationError(_("申请人类别或证件类型无效。"))
    cleaned["id_number"] = clean_id_number(cleaned["applicant_category"], cleaned["id_type"], cleaned["id_number"])
    cleaned["phone"] = clean_phone(cleaned["phone"])
    if cleaned["delivery_method"] == DeliveryMethod.EMAIL and not cleaned.get("email"):
        raise ValidationError({"email": _("选择电子邮件获取信息时，请填写电子邮箱。")})
    if cleaned["delivery_method"] == DeliveryMethod.POST and not cleaned.get("address"):
        raise ValidationError({"address": _("选择邮寄获取信息时，请填写通信地址。")})
    return cleaned


def _new_request(organization, channel, cleaned):
    for _attempt in range(5):
        number = access.new_tracking_number()
        if not Request.objects.filter(tracking_number=number).exists():
            break
    code = access.new_query_code()
    req = Request.objects.create(
        organization=organization,
        channel=channel,
        tracking_number=number,
        query_code_hash=access.hash_query_code(code),
        **cleaned,
    )
    return req, code


def _accepting(organization):
    from portal.selectors import guide_organizations

    if organization is None or not guide_organizations().filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("请选择受理机关。")})


@transaction.atomic
def submit_online(*, organization, **data):
    """A citizen's online application: received, waiting for the office to confirm (Art 31).

    Returns ``(request, query_code)``; the code exists nowhere else afterwards.
    """
    _accepting(organization)
    cleaned = _clean_applicant(data)
    req, code = _new_request(organization, Channel.ONLINE, cleaned)
    audit.record(None, req, step_label("submit"), to_state=req.get_status_display(), comment=_("网上申请"))
    if req.email:
        subject = _("您的政府信息公开申请已提交（查询号 %(number)s）") % {"number": req.tracking_number}
        body = _(
            "您已向%(org)s提交政府信息公开申请。\n查询号：%(number)s\n查询码：%(code)s\n\n"
            "请妥善保管查询码，凭查询号和查询码可在政务公开网站查看办理进度、补正材料或撤回申请。"
            "本机关不会以任何方式向您索要查询码。"
        ) % {"org": organization.name, "number": req.tracking_number, "code": access.format_query_code(code)}
        # The code is in this body only: the outbox erases it once the message is sent.
        outbox.enqueue(
            recipient=req.email,
            subject=subject,
            body=body,
            about=req,
            organization=organization,
            sensitive=True,
            event_key=outbox.event_key("request", req.pk, SUBMITTED_MAIL),
        )
    return req, code


@transaction.atomic
def intake(actor, organization, *, channel, receipt_date, **data):
    """Staff register a paper, post, fax or in-person application; it is registered at once.

    ``receipt_date`` follows Art 31: in person the day handed in; post the day
    signed for (ordinary mail: the day receipt is confirmed with the
    applicant); fax and online the day both sides confirm.
    """
    ensure_perm(actor, HANDLE)
    ensure_org_access(actor, organization)
    _accepting(organization)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择申请渠道。")})
    if not isinstance(receipt_date, dt.date):
        raise ValidationError({"receipt_date": _("请填写收到申请日期。")})
    if receipt_date > clock.today():
        raise ValidationError({"receipt_date": _("收到申请日期不能晚于今天。")})
    cleaned = _clean_applicant(data)
    req, code = _new_request(organization, channel, cleaned)
    req.received_by = actor
    req.save(update_fields=["received_by"])
    audit.record(
        actor,
        req,
        step_label("intake"),
        to_state=req.get_status_display(),
        comment=_("%(channel)s，收到日期 %(date)s") % {"channel": req.get_channel_display(), "date": receipt_date},
    )
    _register(actor, req, receipt_date)
    return req, code


def _register(actor, req, receipt_date):
    year = receipt_date.year
    serial = next_number(req.organization, year, "registration")
    req.registration_year, req.registration_serial = year, serial
    req.registration_number = format_registration_number(year, serial)
    req.receipt_date = receipt_date
    if req.received_by_id is None and getattr(actor, "is_authenticated", False):
        req.received_by = actor
    ClockSegment.objects.create(request=req, kind=SegmentKind.RUNNING, starts_on=receipt_date)
    _done(
        actor,
        req,
        "register",
        comment=_("登记号 %(n)s，收到日期 %(d)s") % {"n": req.registration_number, "d": receipt_date},
    )
    _issue_notice(actor, req, NoticeKind.ACKNOWLEDGEMENT, on=receipt_date)
    return req


@transaction.atomic
def register(actor, request, *, receipt_date=None, expected_version=None):
    """Confirm an online application: the confirmation day is its receipt date (Art 31)."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "register")
    receipt_date = receipt_date or clock.today()
    _check_date(receipt_date, not_before=timezone.localdate(req.submitted_at), label=_("收到申请日期"))
    return _register(actor, req, receipt_date)


# --- review -----------------------------------------------------------------


@transaction.atomic
def begin_review(actor, request, *, expected_version=None):
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "begin_review")
    return _done(actor, req, "begin_review")


def supplement_notice_deadline(req, calendar=None):
    """The last day a 补正 may be asked for: the 7th working day after receipt (Art 30)."""
    if req.receipt_date is None:
        return None
    return (calendar or WorkingCalendar()).add_working_days(req.receipt_date, clock.SUPPLEMENT_NOTICE_WORKING_DAYS)


@transaction.atomic
def request_supplement(actor, request, *, items, deadline=None, on=None, expected_version=None):
    """Tell the applicant, once and in one notice, everything to supplement (Art 30)."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "request_supplement")
    on = _today(on)
    _check_date(on, not_before=req.receipt_date, label=_("补正告知日期"))
    items = (items or "").strip()
    if not items:
        raise ValidationError({"items": _("请一次性写明需要补正的全部事项。")})
    if req.supplement_requested_on is not None:
        raise ValidationError(
            _("补正只能告知一次，本申请已于 %(date)s 告知补正。") % {"date": req.supplement_requested_on}
        )
    calendar = WorkingCalendar()
    last_day = supplement_notice_deadline(req, calendar)
    if on > last_day:
        raise ValidationError(
            _("补正告知应当在收到申请之日起7个工作日内作出（最迟 %(date)s），已超过期限，不能再要求补正。")
            % {"date": last_day}
        )
    if deadline is None:
        deadline = calendar.add_working_days(on, settings_for(req.organization).supplement_days)
    if deadline <= on:
        raise ValidationError({"deadline": _("补正期限应晚于告知日期。")})
    req.supplement_items, req.supplement_requested_on, req.supplement_deadline = items, on, deadline
    _pause(req, PauseReason.SUPPLEMENT, on, deadline=deadline)
    _done(actor, req, "request_supplement", comment=_("补正期限 %(date)s") % {"date": deadline})
    _issue_notice(actor, req, NoticeKind.SUPPLEMENT, on=on, supplement_items=items, supplement_deadline=_date(deadline))
    return req


@transaction.atomic
def supplement(request, *, text, files=(), actor=None, received_on=None, expected_version=None):
    """The applicant's supplement arrives: the 20 working days start again from that day.

    ``actor`` is None when the applicant supplements online (the view has
    checked the query code); staff record a paper supplement with their
    account and may accept one after the deadline when there was good reason.
    """
    req = _lock(request, expected_version)
    if actor is not None:
        _check_staff(actor, req)
    _check_state(req, "supplement")
    on = _today(received_on)
    _check_date(on, not_before=req.supplement_requested_on, label=_("收到补正日期"))
    if actor is None and on > req.supplement_deadline:
        raise ValidationError(
            _("补正期限（%(date)s）已过，不能在线补正。如有正当理由，请与受理机关联系。")
            % {"date": req.supplement_deadline}
        )
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError({"text": _("请填写补正内容或上传补正材料。")})
    req.supplement_text, req.supplement_received_on = text, on
    _resume(req, (PauseReason.SUPPLEMENT,), on, restart=True)
    _save_files(req, files, FileKind.APPLICANT, actor)
    return _done(actor, req, "supplement", comment=_("收到补正 %(date)s，答复期限重新起算") % {"date": on})


@transaction.atomic
def close_unsupplemented(actor, request, *, on=None, expected_version=None):
    """Not supplemented in time: deemed abandoned (annual report 其他处理 1).

    ``actor`` None is the deadline command acting for the office.
    """
    req = _lock(request, expected_version)
    if actor is not None:
        _check_staff(actor, req)
    _check_state(req, "close_unsupplemented")
    on = _today(on)
    if on <= req.supplement_deadline:
        raise ValidationError(_("补正期限 %(date)s 尚未届满。") % {"date": req.supplement_deadline})
    return _conclude(
        actor,
        req,
        "close_unsupplemented",
        Outcome.OTHER_NOT_SUPPLEMENTED,
        on,
        termination_reason=_(
            "本机关已于%(asked)s告知您补正，补正期限为%(deadline)s。您无正当理由逾期未补正，"
            "依照《中华人民共和国政府信息公开条例》第三十条，视为放弃申请，本机关不再处理该政府信息公开申请。"
        )
        % {"asked": _date(req.supplement_requested_on), "deadline": _date(req.supplement_deadline)},
    )


@transaction.atomic
def accept(actor, request, *, handler=None, expected_version=None):
    """Review passed: the request is complete, ours and a disclosure request; handling starts."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "accept")
    if handler is not None:
        _set_handler(req, handler)
    return _done(actor, req, "accept", comment=_("办理人：%(h)s") % {"h": req.handler} if req.handler else "")


def eligible_handlers(organization):
    from portal.models import User

    return [
        u
        for u in User.objects.filter(organization=organization, is_active=True).order_by("username")
        if u.has_perm(HANDLE)
    ]


def _set_handler(req, handler):
    if handler.organization_id != req.organization_id or not handler.is_active or not handler.has_perm(HANDLE):
        raise ValidationError({"handler": _("办理人须为本机关持有办理权限的工作人员。")})
    req.handler = handler


@transaction.atomic
def assign_handler(actor, request, handler, *, expected_version=None):
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "assign_handler")
    _set_handler(req, handler)
    return _done(actor, req, "assign_handler", comment=_("办理人：%(h)s") % {"h": handler})


# --- handling: consultation, extension, fees --------------------------------


@transaction.atomic
def start_consultation(actor, request, *, reason, party, on=None, note="", expected_version=None):
    """Consult a third party (Art 32, 15 working days) or another agency (Art 34); the clock pauses."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "start_consultation")
    if reason not in (PauseReason.THIRD_PARTY, PauseReason.OTHER_AGENCY):
        raise ValidationError({"reason": _("请选择征求第三方意见或征求其他机关意见。")})
    party = (party or "").strip()
    if not party:
        raise ValidationError({"party": _("请填写被征求意见的第三方或机关名称。")})
    on = _today(on)
    _check_date(on, not_before=req.receipt_date, label=_("征求意见日期"))
    deadline = None
    if reason == PauseReason.THIRD_PARTY:
        deadline = WorkingCalendar().add_working_days(on, clock.THIRD_PARTY_WORKING_DAYS)
    _pause(req, reason, on, deadline=deadline, party=party[:200], note=(note or "")[:300])
    _done(actor, req, "start_consultation", comment=PauseReason(reason).label)
    if reason == PauseReason.THIRD_PARTY:
        _issue_notice(
            actor,
            req,
            NoticeKind.THIRD_PARTY,
            on=on,
            recipient=party[:200],
            third_party=party,
            third_party_deadline=_date(deadline),
        )
    return req


@transaction.atomic
def end_consultation(actor, request, *, on=None, note="", expected_version=None):
    """The consulted party answered (or its 15 days ran out): the clock runs again."""
    req = _lock(request, expected_version)
    if actor is not None:
        _check_staff(actor, req)
    _check_state(req, "end_consultation")
    on = _today(on)
    if on > clock.today():
        raise ValidationError(_("日期不能晚于今天。"))
    _resume(req, (PauseReason.THIRD_PARTY, PauseReason.OTHER_AGENCY), on)
    return _done(actor, req, "end_consultation", comment=(note or "")[:300])


@transaction.atomic
def request_extension(actor, request, *, days, reason, on=None, expected_version=None):
    """A handler asks to extend the reply period (Art 33): at most 20 working days, once."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "request_extension")
    if req.extension_status == ExtensionStatus.APPROVED:
        raise ValidationError(_("答复期限只能延长一次，本申请已经延期。"))
    if req.extension_status == ExtensionStatus.REQUESTED:
        raise ValidationError(_("延期申请已提交，等待审核员批准。"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("请填写延长的工作日数。")}) from None
    if not 1 <= days <= clock.MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("延长期限最长不超过20个工作日。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写延期理由。")})
    state = clock.compute(req, on=_today(on))
    if state.original_due_date and _today(on) > state.original_due_date:
        raise ValidationError(_("原答复期限 %(date)s 已过，不能再延期。") % {"date": state.original_due_date})
    req.extension_status, req.extension_days, req.extension_reason = ExtensionStatus.REQUESTED, days, reason
    req.extension_requested_by = actor
    return _done(actor, req, "request_extension", comment=_("延长%(n)d个工作日：%(r)s") % {"n": days, "r": reason})


@transaction.atomic
def approve_extension(actor, request, *, on=None, expected_version=None):
    """The head of the disclosure office approves; the applicant must be told before the original deadline."""
    req = _lock(request, expected_version)
    _check_staff(actor, req, APPROVE_EXTENSION)
    _check_state(req, "approve_extension")
    if req.extension_status != ExtensionStatus.REQUESTED:
        raise ValidationError(_("没有待批准的延期申请。"))
    on = _today(on)
    original = clock.compute(req, on=on).original_due_date
    if original and on > original:
        raise ValidationError(
            _("延期应当在原答复期限（%(date)s）届满前告知申请人，现已超过，不能批准。") % {"date": original}
        )
    req.extension_status, req.extension_decided_by, req.extension_decided_on = (ExtensionStatus.APPROVED, actor, on)
    _done(actor, req, "approve_extension", comment=_("延长%(n)d个工作日") % {"n": req.extension_days})
    _issue_notice(
        actor,
        req,
        NoticeKind.EXTENSION,
        on=on,
        extension_days=req.extension_days,
        extension_reason=req.extension_reason,
    )
    return req


@transaction.atomic
def reject_extension(actor, request, *, comment="", on=None, expected_version=None):
    req = _lock(request, expected_version)
    _check_staff(actor, req, APPROVE_EXTENSION)
    _check_state(req, "reject_extension")
    if req.extension_status != ExtensionStatus.REQUESTED:
        raise ValidationError(_("没有待批准的延期申请。"))
    req.extension_status, req.extension_decided_by, req.extension_decided_on = (
        ExtensionStatus.REJECTED,
        actor,
        _today(on),
    )
    req.extension_days = 0
    return _done(actor, req, "reject_extension", comment=(comment or "")[:300])


def applications_in_month(req):
    """This applicant's position among its applications to the same agency in the receipt month."""
    if req.receipt_date is None:
        return None
    same = Request.objects.filter(
        organization=req.organization,
        id_type=req.id_type,
        id_number=req.id_number,
        receipt_date__year=req.receipt_date.year,
        receipt_date__month=req.receipt_date.month,
    )
    return (
        same.filter(receipt_date__lt=req.receipt_date).count()
        + same.filter(receipt_date=req.receipt_date, pk__lte=req.pk).count()
    )


# The fee column holds at most 99,999,999.99 元; no reply is a million pages long.
MAX_FEE_PAGES = 1_000_000


def assess_fee(req, basis, pages=None):
    """Return (amount, detail text, month count) for one basis, without changing anything."""
    if basis == FeeBasis.PER_APPLICATION:
        nth = applications_in_month(req)
        return fees.per_application_fee(nth), fees.describe_per_application(nth), nth
    if basis == FeeBasis.PER_VOLUME:
        try:
            pages = int(pages)
        except (TypeError, ValueError):
            raise ValidationError({"pages": _("按量计收请填写页数。")}) from None
        if pages < 0:
            raise ValidationError({"pages": _("页数不能为负数。")})
        if pages > MAX_FEE_PAGES:
            raise ValidationError({"pages": _("页数不能超过%(n)s。") % {"n": MAX_FEE_PAGES}})
        return fees.per_volume_fee(pages), fees.describe_per_volume(pages), None
    raise ValidationError({"basis": _("请选择按件计收或按量计收（只能选择一种）。")})


@transaction.atomic
def issue_fee_notice(actor, request, *, basis, pages=None, on=None, expected_version=None):
    """Charge the information-processing fee, on one basis; the clock pauses until payment."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "issue_fee_notice")
    if not settings_for(req.organization).charge_fees:
        raise ValidationError(_("本机关未开启收取信息处理费（可在“依申请公开设置”中开启）。"))
    if req.fee_notice_on is not None:
        raise ValidationError(
            _("本申请已于 %(date)s 发出收费通知，每件申请只能选择一种标准收费一次。") % {"date": req.fee_notice_on}
        )
    amount, detail, nth = assess_fee(req, basis, pages)
    if amount <= Decimal(0):
        raise ValidationError(_("按所选标准本申请不收费（%(detail)s）。") % {"detail": detail})
    on = _today(on)
    _check_date(on, not_before=req.receipt_date)
    deadline = WorkingCalendar().add_working_days(on, clock.FEE_PAYMENT_WORKING_DAYS)
    req.fee_basis, req.fee_amount, req.fee_notice_on, req.fee_month_count = basis, amount, on, nth
    req.fee_pages = int(pages) if basis == FeeBasis.PER_VOLUME else None
    _pause(req, PauseReason.FEE, on, deadline=deadline)
    _done(actor, req, "issue_fee_notice", comment=detail)
    _issue_notice(
        actor,
        req,
        NoticeKind.FEE,
        on=on,
        fee_basis=FeeBasis(basis).label,
        fee_amount=amount,
        fee_detail=detail,
        fee_deadline=_date(deadline),
    )
    return req


@transaction.atomic
def record_fee_payment(actor, request, *, on=None, expected_version=None):
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "record_fee_payment")
    on = _today(on)
    _check_date(on, not_before=req.fee_notice_on, label=_("缴费日期"))
    _resume(req, (PauseReason.FEE,), on)
    req.fee_paid_on = on
    return _done(actor, req, "record_fee_payment", comment=str(on))


@transaction.atomic
def close_unpaid(actor, request, *, on=None, expected_version=None):
    """The fee was not paid in time: the application is no longer handled (其他处理 2)."""
    req = _lock(request, expected_version)
    if actor is not None:
        _check_staff(actor, req)
    _check_state(req, "close_unpaid")
    seg = _open_segment(req)
    if seg is None or seg.reason != PauseReason.FEE:
        raise ValidationError(_("本申请没有等待缴费的收费通知。"))
    on = _today(on)
    if on <= seg.deadline:
        raise ValidationError(_("缴费期限 %(date)s 尚未届满。") % {"date": seg.deadline})
    return _conclude(
        actor,
        req,
        "close_unpaid",
        Outcome.OTHER_FEE_UNPAID,
        on,
        termination_reason=_(
            "本机关已于%(date)s向您发出收费通知，您逾期未按收费通知要求缴纳费用，本机关不再处理该政府信息公开申请。"
        )
        % {"date": _date(req.fee_notice_on)},
    )


def _conclude(actor, req, verb, outcome, on, *, comment=None, **notice_values):
    seg = _open_segment(req)
    if seg is not None:
        _close_open_segment(req, max(on, seg.starts_on))
    req.outcome, req.concluded_on = outcome, on
    _done(actor, req, verb, comment=comment or outcome_full_label(outcome))
    if notice_values:
        _issue_notice(actor, req, NoticeKind.TERMINATION, on=on, **notice_values)
    return req


# --- reply, withdrawal, archive ---------------------------------------------


@transaction.atomic
def reply(actor, request, *, outcome, decision, legal_basis="", files=(), on=None, expected_version=None):
    """The formal reply (Art 36): one outcome row, the decision, its legal basis and remedies."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "reply")
    if outcome not in [o.value for o in REPLY_OUTCOMES]:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("请填写答复内容。")})
    outcome = Outcome(outcome)
    needs_basis = outcome.value.startswith(("3.", "4.", "5."))
    if needs_basis and not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": _("不予公开、无法提供或不予处理的，应当写明法律依据。")})
    on = _today(on)
    _check_date(on, not_before=req.receipt_date, label=_("答复日期"))
    req.decision, req.legal_basis, req.replied_on = decision, (legal_basis or "").strip(), on
    _save_files(req, files, FileKind.DISCLOSED, actor)
    _conclude(actor, req, "reply", outcome, on)
    _issue_notice(
        actor,
        req,
        NoticeKind.REPLY,
        on=on,
        outcome=outcome_full_label(outcome),
        decision=decision,
        legal_basis=req.legal_basis or _("《中华人民共和国政府信息公开条例》第三十六条"),
    )
    return req


@transaction.atomic
def withdraw(request, *, actor=None, reason="", on=None, expected_version=None):
    """The applicant withdraws before the reply.

    Counted in the annual report under 其他处理 3 (project decision, see
    annual-report.md). ``actor`` None: the applicant online, code checked by the view.
    """
    req = _lock(request, expected_version)
    if actor is not None:
        _check_staff(actor, req)
    _check_state(req, "withdraw")
    on = _today(on)
    return _conclude(actor, req, "withdraw", Outcome.OTHER, on, comment=(reason or "").strip()[:300])


@transaction.atomic
def archive(actor, request, *, on=None, expected_version=None):
    """The whole file is complete and kept (归档); an archived request never changes state again."""
    req = _lock(request, expected_version)
    _check_staff(actor, req)
    _check_state(req, "archive")
    req.archived_on = _today(on)
    return _done(actor, req, "archive")


# --- notices, notes, files, privacy ------------------------------------------


@transaction.atomic
def deliver_notice(actor, notice, *, method, delivered_at=None, note=""):
    """Record when and how a notice reached its recipient: the evidence if the reply is challenged."""
    notice = Notice.objects.select_for_update().select_related("request__organization").get(pk=notice.pk)
    _check_staff(actor, notice.request)
    if notice.delivered_at is not None:
        raise ValidationError(
            _("该文书已于 %(at)s 登记送达。")
            % {"at": timezone.localtime(notice.delivered_at).strftime("%Y-%m-%d %H:%M")}
        )
    if method not in NoticeDelivery.values:
        raise ValidationError({"method": _("请选择送达方式。")})
    delivered_at = delivered_at or timezone.now()
    if delivered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"delivered_at": _("送达时间不能晚于现在。")})
    if timezone.localdate(delivered_at) < notice.issued_on:
        raise ValidationError({"delivered_at": _("送达时间不能早于制发日期。")})
    notice.delivered_at, notice.delivery_method, notice.delivery_note = delivered_at, method, (note or "")[:200]
    notice.save(update_fields=["delivered_at", "delivery_method", "delivery_note"])
    req = notice.request
    req.version += 1
    req.save(update_fields=["version", "updated_at"])
    audit.record(
        actor,
        req,
        step_label("deliver_notice"),
        comment=f"{notice.title} {notice.document_number}：{notice.get_delivery_method_display()}",
    )
    return notice


@transaction.atomic
def add_note(actor, request, text):
    req = _lock(request)
    _check_staff(actor, req)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写备注内容。")})
    note = RequestNote.objects.create(request=req, author=actor, text=text[:5000])
    audit.record(actor, req, step_label("add_note"))
    return note


@transaction.atomic
def attach_file(actor, request, upload, *, kind=FileKind.INTERNAL):
    req = _lock(request)
    _check_staff(actor, req)
    _check_state(req, "attach_file")
    if kind not in FileKind.values:
        raise ValidationError(_("文件类别无效。"))
    saved = _save_files(req, [upload], kind, actor)
    audit.record(actor, req, step_label("attach_file"), comment=f"{FileKind(kind).label}：{upload.name[:100]}")
    return saved[0]


def reveal_personal_data(actor, req, *, http_request=None):
    """Show the full record: allowed only to the target organisation's request staff, and audited."""
    from portal.access_audit import audit_access

    from .privacy import can_view_personal_data

    if not can_view_personal_data(actor, req):
        raise PermissionDenied(_("只有受理机关持有办理权限的工作人员可以查看申请人完整个人信息。"))
    audit_access("pii.view", actor=actor, request=http_request, target=req)
    return True


def ensure_can_view(actor, req):
    ensure_perm(actor, "requests_app.view_request")
    ensure_org_access(actor, req.organization)


@transaction.atomic
def make_disclosure_draft(actor, request):
    """Art 44: information many applicants ask for may be published proactively.

    Creates a draft item in the disclosure app through its service
    ``disclosure.services.create_draft(actor, organization, *, title, body, ...)``.
    Until that app provides it, this step says so instead of failing silently.
    """
    req = _lock(request)
    _check_staff(actor, req)
    _check_state(req, "make_disclosure_draft")
    if req.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL):
        raise ValidationError(_("只有予以公开或部分公开的答复可以转为主动公开。"))
    if req.disclosure_draft:
        raise ValidationError(_("本申请已转为主动公开草稿（%(ref)s）。") % {"ref": req.disclosure_draft})
    create_draft = _disclosure_create_draft()
    if create_draft is None:
        raise ValidationError(_("主动公开模块尚未提供创建草稿的功能，暂不能转为主动公开。"))
    # The applicant's identity and the wording addressed to them stay out of the public item.
    draft = create_draft(
        actor,
        req.organization,
        title=_("依申请公开转主动公开：%(desc)s") % {"desc": req.description[:60]},
        body=req.description,
        source_note=_(
            "依《条例》第四十四条，由依申请公开答复（登记号 %(n)s）转为主动公开，请补充正文和附件后提交审核。"
        )
        % {"n": req.registration_number},
    )
    req.disclosure_draft = str(getattr(draft, "pk", draft))[:100]
    return _done(actor, req, "make_disclosure_draft", comment=req.disclosure_draft)


def _disclosure_create_draft():
    try:
        from disclosure import services as disclosure_services
    except ImportError:
        return None
    return getattr(disclosure_services, "create_draft", None)


def disclosure_hook_available():
    return _disclosure_create_draft() is not None


# --- the deadline command -----------------------------------------------------


def process_deadlines(on=None):
    """What the daily command does; returns counts. Each request is handled in its own transaction."""
    on = _today(on)
    counts = {"not_supplemented": 0, "fee_unpaid": 0, "third_party_lapsed": 0}
    for req in Request.objects.filter(status=Status.SUPPLEMENT_REQUESTED, supplement_deadline__lt=on):
        try:
            close_unsupplemented(None, req, on=on)
            counts["not_supplemented"] += 1
        except ValidationError as exc:
            # Skipped, not lost: the next run tries again, and staff can see why in the log.
            logger.warning(
                "process_deadlines: request %s not closed as unsupplemented: %s",
                req.tracking_number,
                " ".join(exc.messages),
            )
    open_pauses = ClockSegment.objects.filter(
        ends_on__isnull=True,
        kind=SegmentKind.PAUSED,
        deadline__lt=on,
        request__status=Status.IN_HANDLING,
    ).select_related("request")
    for seg in open_pauses:
        try:
            if seg.reason == PauseReason.FEE:
                close_unpaid(None, seg.request, on=on)
                counts["fee_unpaid"] += 1
            elif seg.reason == PauseReason.THIRD_PARTY:
                # Silence for 15 working days: the agency decides, and the clock runs from the deadline.
                end_consultation(None, seg.request, on=seg.deadline, note=_("第三方逾期未提出意见"))
                counts["third_party_lapsed"] += 1
        except ValidationError as exc:
            logger.warning(
                "process_deadlines: request %s, lapsed %s pause not handled: %s",
                seg.request.tracking_number,
                seg.reason,
                " ".join(exc.messages),
            )
    return counts
