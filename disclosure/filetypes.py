"""Moved to :mod:`portal.filetypes` so request uploads are sniffed the same way; kept for imports."""

from portal.filetypes import *  # noqa: F401,F403
from portal.filetypes import OLE2_MAGIC, OLE_MIME, TYPES, FileType, TypeInfo, detect  # noqa: F401
