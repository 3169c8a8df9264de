"""The catalog's admin, one module per page (``admin.autodiscover`` imports this package).

Every page is thin: it reads the form, calls ``catalog.services`` and shows the message.
"""

from . import adoptions, entries, history  # noqa: F401  (registers the ModelAdmins)
from .common import (
    AdoptionDomainFilter,
    DomainFilter,
    EntryKindFilter,
    EntryLevelFilter,
    OrganizationFilter,
    adjust_selected,
    entry_path,
    history_table,
)

__all__ = [
    "AdoptionDomainFilter",
    "DomainFilter",
    "EntryKindFilter",
    "EntryLevelFilter",
    "OrganizationFilter",
    "adjust_selected",
    "entry_path",
    "history_table",
]
