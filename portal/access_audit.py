"""The one place this branch writes security audit events (等保 2.0 安全审计).

Every full view of an applicant's personal data and every staff download of a request's
file goes through :func:`audit_access`. When the audit log's event API
(``portal.audit.record_event(code, *, actor, request=None, target=None, outcome=..., **params)``)
is present it is used, so the event carries its code, the client address and the outcome;
until then the entry goes to the object's trail through ``portal.audit.record``.
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from . import audit
from .net import client_ip

# code -> the verb shown in an object's trail when the event API is not there.
VERBS = {
    "pii.view": "查看申请人完整信息",
    "request_file.download": "下载申请材料",
    "request_file.refused": "下载申请材料被拒绝",
}


# This branch's codes -> the audit vocabulary's (sec-auth: AuditEvent.VIEW_PERSONAL_DATA, DOWNLOAD_FILE).
EVENT_CODES = {
    "pii.view": "view_personal_data",
    "request_file.download": "download_file",
    "request_file.refused": "download_file",
}


def audit_access(code, *, actor, request=None, target=None, outcome="success", **params):
    record_event = getattr(audit, "record_event", None)
    if record_event is not None:
        return record_event(EVENT_CODES.get(code, code), actor=actor, request=request, target=target,
                            outcome=outcome, **params)
    if target is None:
        return None
    details = [f"{k}={v}" for k, v in sorted(params.items())]
    if request is not None:
        details.append(_("来源地址：%(ip)s") % {"ip": client_ip(request)})
    return audit.record(actor, target, _(VERBS.get(code, code)), comment="；".join(details))
