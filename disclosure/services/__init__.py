"""The lifecycle of a disclosure item: every change to it, and the only code that writes its state.

draft 草稿 → submitted 待审核 → published 已发布 (or scheduled 定时发布 first),
or returned 退回 with a comment and back to submitted; a withheld item is
filed (不予公开) instead and re-assessed every year. A published item is
revised through a revision draft that runs the same review and is merged
into it when published (the earlier version kept), expires or is repealed
with a date, or is withdrawn leaving a tombstone.

The steps are declared once in :data:`WORKFLOW` (:mod:`.workflow`). Every function here runs in
a transaction, locks the item row, checks the actor's permission and organisation, the state and
the step's guard, and, given ``expected_version`` (the ``lock_version`` the page showed), refuses
a step taken from a stale page; it raises ValidationError with a Chinese message (changing
nothing) when the step is impossible, and writes the audit log as codes.

The modules, by responsibility: :mod:`.workflow` (the state machine), :mod:`.drafting`,
:mod:`.attachments`, :mod:`.review` (submission, 保密审查, return, withheld items),
:mod:`.publication` (publication and revisions), :mod:`.after_publication` (validity,
withdrawal), :mod:`.numbering` (索引号 and due dates) and :mod:`.importing` (an old site's items).
Callers import from this package: ``from disclosure import services; services.publish(...)``.
"""

from . import publication
from .after_publication import change_validity, withdraw
from .attachments import add_attachment, max_attachment_bytes, remove_attachment
from .drafting import CONTENT_FIELDS, _check_links, _require_text, create_draft, update_draft
from .importing import import_published
from .numbering import (
    ART26_WORKING_DAYS,
    _refresh_due_date,
    _serial_in_number,
    allocate_index_number,
    compute_due_date,
    time_limit_days,
)
from .publication import _metadata, _notify_subscribers, _snapshot, begin_revision, publish, publish_due
from .review import file_withheld, reassess, return_item, review_warnings, sign_off_confidentiality, submit
from .workflow import EXTRA_EVENTS, VALIDITY_STEPS, WORKFLOW

__all__ = [
    "ART26_WORKING_DAYS",
    "CONTENT_FIELDS",
    "EXTRA_EVENTS",
    "VALIDITY_STEPS",
    "WORKFLOW",
    "_check_links",
    "_metadata",
    "_notify_subscribers",
    "_refresh_due_date",
    "_require_text",
    "_serial_in_number",
    "_snapshot",
    "add_attachment",
    "allocate_index_number",
    "available_steps",
    "begin_revision",
    "change_validity",
    "compute_due_date",
    "create_draft",
    "file_withheld",
    "import_published",
    "max_attachment_bytes",
    "publish",
    "publication",
    "publish_due",
    "reassess",
    "remove_attachment",
    "return_item",
    "review_warnings",
    "sign_off_confidentiality",
    "submit",
    "time_limit_days",
    "update_draft",
    "withdraw",
]


def available_steps(user, item) -> set[str]:
    """The verbs the staff item page offers ``user``: state, permission, organisation and guard hold."""
    return {step.verb for step in WORKFLOW.available_steps(user, item)}
