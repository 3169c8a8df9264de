"""Every step of an information request, and the only code that writes its status.

The state machine is :data:`WORKFLOW` (``workflow.py``): for each verb, the statuses it may
start from, the status it leads to, the permission it needs and the guard that says why it
cannot be taken now. Each public function is one verb; it locks the request row, checks
permission, organisation, state, guard and — when the caller passes the
``expected_version`` it displayed — that nobody acted in between, so of two officials acting
at once exactly one succeeds and the other gets a clear message. Every step writes the audit
log as codes (``requests_app.<verb>``); steps that the law ties to a formal notice issue it.

Dates: ``on`` is the date the step happened (defaults to today); the clock counts from these
dates, so officials can record a paper step the day after.

The modules follow the request's life: ``intake`` (arrival, registration, review),
``supplement`` (补正), ``handling`` (handler, consultation, extension), ``fee_steps``,
``reply`` (reply, withdrawal, archive), ``notices`` (文书 and delivery), ``records`` (notes,
files, personal data, proactive disclosure), ``deadlines`` (the daily job), ``export`` (the
register). Callers use this package: ``from requests_app import services; services.reply(…)``.
"""

from ..models import REPLY_OUTCOMES
from .deadlines import process_deadlines
from .export import export_register
from .fee_steps import (
    MAX_FEE_PAGES,
    applications_in_month,
    assess_fee,
    close_unpaid,
    issue_fee_notice,
    record_fee_payment,
)
from .handling import (
    accept,
    approve_extension,
    assign_handler,
    eligible_handlers,
    end_consultation,
    reject_extension,
    request_extension,
    start_consultation,
)
from .intake import APPLICANT_FIELDS, SUBMITTED_MAIL, begin_review, intake, register, submit_online
from .notices import deliver_notice, format_date, format_registration_number, issue_notice, next_number
from .records import (
    add_note,
    attach_file,
    disclosure_hook_available,
    ensure_can_view,
    make_disclosure_draft,
    reveal_personal_data,
)
from .reply import archive, reply, withdraw
from .supplement import close_unsupplemented, request_supplement, supplement, supplement_notice_deadline
from .workflow import (
    APPROVE_EXTENSION,
    EVENTS,
    HANDLE,
    WORKFLOW,
    available_steps,
    settings_for,
    step_label,
)

__all__ = [
    "APPLICANT_FIELDS",
    "APPROVE_EXTENSION",
    "EVENTS",
    "HANDLE",
    "MAX_FEE_PAGES",
    "REPLY_OUTCOMES",
    "SUBMITTED_MAIL",
    "WORKFLOW",
    "accept",
    "add_note",
    "applications_in_month",
    "approve_extension",
    "archive",
    "assess_fee",
    "assign_handler",
    "attach_file",
    "available_steps",
    "begin_review",
    "close_unpaid",
    "close_unsupplemented",
    "deliver_notice",
    "disclosure_hook_available",
    "eligible_handlers",
    "end_consultation",
    "ensure_can_view",
    "export_register",
    "format_date",
    "format_registration_number",
    "intake",
    "issue_fee_notice",
    "issue_notice",
    "make_disclosure_draft",
    "next_number",
    "process_deadlines",
    "record_fee_payment",
    "register",
    "reject_extension",
    "reply",
    "request_extension",
    "request_supplement",
    "reveal_personal_data",
    "settings_for",
    "start_consultation",
    "step_label",
    "submit_online",
    "supplement",
    "supplement_notice_deadline",
    "withdraw",
]
