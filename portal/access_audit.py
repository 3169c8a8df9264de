"""The one place security audit events of data access are written (等保 2.0 安全审计).

Every full view of an applicant's personal data and every staff download of a request's
file goes through :func:`audit_access`, so the event carries its code, the client address
(``portal.net.client_ip``) and the outcome, whichever view it comes from.
"""

from __future__ import annotations

from . import audit
from .models import AuditEvent

# The callers' names for what happened -> the core's audit event codes.
EVENT_CODES = {
    "pii.view": AuditEvent.VIEW_PERSONAL_DATA,
    "request_file.download": AuditEvent.DOWNLOAD_FILE,
    "request_file.refused": AuditEvent.DOWNLOAD_FILE,
}


def audit_access(code, *, actor, request=None, target=None, outcome="success", **params):
    return audit.record_event(
        EVENT_CODES.get(code, code), actor=actor, request=request, target=target, outcome=outcome, **params
    )
