"""Where django-import-export keeps an upload between its preview and its confirmation.

The library's default, ``TempFolderStorage``, opens ``<tmp>/<import_file_name>`` with the
name taken from the confirmation form: any staff account could make the server read (and
then delete) any file in the temporary directory by naming it. Here the upload lives in the
shared cache (so the confirmation may reach another worker), under a random name that must
look like one we created; :class:`portal.admin_mixins.SafeImportMixin` also checks that the
same session created it.
"""

from __future__ import annotations

import re

from django.core.exceptions import SuspiciousOperation
from import_export.tmp_storages import CacheStorage

_NAME = re.compile(r"[0-9a-f]{32}")


def valid_name(name) -> bool:
    return isinstance(name, str) and bool(_NAME.fullmatch(name))


class ValidatedCacheStorage(CacheStorage):
    CACHE_LIFETIME = 2 * 3600  # a preview older than two hours is uploaded again
    CACHE_PREFIX = "import-upload-"

    def _checked(self):
        if not valid_name(self.name):
            raise SuspiciousOperation("import_file_name is not an upload this server created")
        return self.name

    def read(self):
        self._checked()
        data = super().read()
        if data is None:
            raise SuspiciousOperation("import upload expired or unknown")
        return data

    def remove(self):
        self._checked()
        super().remove()
