"""Every change to an organisation's catalog (local adaptation, 因地制宜).

54号 asks each organisation to keep its own catalog current and to be able to
say, for every entry it left out or worded differently, when and why. So each
verb here checks the user may act for the organisation, writes one dated
:class:`Adjustment` with its reason (the history the public and supervisors
read), writes the audit log and runs in a transaction. Views, the admin and
the importer call these; nothing else writes adoptions or local entries.

The ``clean_*`` helpers are the same rules the verbs apply, exposed so forms
can show a mistake next to the field instead of after the fact.

The package splits them by subject: :mod:`.rules` (the checks), :mod:`.records`
(the adjustment and audit line every verb writes), :mod:`.adoption` (纳入, 排除,
本机构调整), :mod:`.batch` (the same for a whole import at once), :mod:`.local`
(本地事项), :mod:`.history` (reading it back, and the
standard catalog's revisions). Callers import from ``catalog.services``.
"""

from .adoption import ManyOutcome, adjust_many, adopt, adopt_for_level, exclude, override
from .batch import AdoptionBatch
from .history import describe_changes, history, record_standard_revision
from .local import LocalEntries, add_local_entry, change_local_entry
from .rules import (
    LOCAL_FIELDS,
    MAX_DAYS,
    OVERRIDABLE,
    REASON_MAX_LENGTH,
    clean_channels,
    clean_effective_date,
    clean_local_fields,
    clean_name,
    clean_override_values,
    clean_reason,
    ensure_free_name,
)

__all__ = [
    "LOCAL_FIELDS",
    "MAX_DAYS",
    "OVERRIDABLE",
    "REASON_MAX_LENGTH",
    "AdoptionBatch",
    "LocalEntries",
    "ManyOutcome",
    "add_local_entry",
    "adjust_many",
    "adopt",
    "adopt_for_level",
    "change_local_entry",
    "clean_channels",
    "clean_effective_date",
    "clean_local_fields",
    "clean_name",
    "clean_override_values",
    "clean_reason",
    "describe_changes",
    "ensure_free_name",
    "exclude",
    "history",
    "override",
    "record_standard_revision",
]
