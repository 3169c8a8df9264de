"""The request's file around the steps: notes, uploaded material, personal data, proactive disclosure."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.permissions import ensure_org_access, ensure_perm

from ..models import FileKind, Request, RequestFile, RequestNote
from .workflow import WORKFLOW, begin, perform, save_files


@transaction.atomic
def add_note(actor, request, text: str) -> RequestNote:
    req = begin(actor, request, "add_note")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写备注内容。")})
    note = RequestNote.objects.create(request=req, author=actor, text=text[:5000])
    WORKFLOW.record(actor, req, "add_note")
    return note


@transaction.atomic
def attach_file(actor, request, upload, *, kind: str = FileKind.INTERNAL) -> RequestFile:
    req = begin(actor, request, "attach_file")
    if kind not in FileKind.values:
        raise ValidationError(_("文件类别无效。"))
    saved = save_files(req, [upload], kind, actor)
    WORKFLOW.record(actor, req, "attach_file", comment=f"{FileKind(kind).label}：{upload.name[:100]}")
    return saved[0]


def reveal_personal_data(actor, req: Request, *, http_request=None) -> bool:
    """Show the full record: allowed only to the target organisation's request staff, and audited."""
    from portal.access_audit import audit_access

    from ..privacy import can_view_personal_data

    if not can_view_personal_data(actor, req):
        raise PermissionDenied(_("只有受理机关持有办理权限的工作人员可以查看申请人完整个人信息。"))
    audit_access("pii.view", actor=actor, request=http_request, target=req)
    return True


def ensure_can_view(actor, req: Request) -> None:
    ensure_perm(actor, "requests_app.view_request")
    ensure_org_access(actor, req.organization)


@transaction.atomic
def make_disclosure_draft(actor, request) -> Request:
    """Art 44: information many applicants ask for may be published proactively.

    Creates a draft item in the disclosure app through its service
    ``disclosure.services.create_draft(actor, organization, *, title, body, ...)``.
    Until that app provides it, this step says so instead of failing silently.
    """
    req = begin(actor, request, "make_disclosure_draft")
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
    return perform(actor, req, "make_disclosure_draft", comment=req.disclosure_draft)


def _disclosure_create_draft():
    try:
        from disclosure import services as disclosure_services
    except ImportError:
        return None
    return getattr(disclosure_services, "create_draft", None)


def disclosure_hook_available() -> bool:
    return _disclosure_create_draft() is not None
