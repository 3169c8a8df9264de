"""Where the portal's files live: one place for every kind of stored file.

Three kinds, each a named alias of Django's ``STORAGES`` setting:

``attachments``
    The files of disclosure items. Public once the item is published, but only
    through the download view: a withdrawn item's files must stop being served
    at once, which a file under a public URL could not do.
``private``
    Applicants' uploads, the files sent to them and the PDFs of the notices
    issued to them (personal information under the 个人信息保护法): served
    only by the views that check the tracking number and code, or staff scope.
``default``
    Everything else (published annual reports' downloads, media).

By default each alias is a local directory, exactly as before
(``DISCLOSURE_FILES_ROOT``, ``REQUESTS_PRIVATE_ROOT``, ``MEDIA_ROOT``). With
``STORAGE_S3_BUCKET`` set they are prefixes of one bucket of an S3-compatible
store (MinIO, a cloud's object store), so any number of application servers
serve the same files. Objects are never public in the bucket: no ACL is sent
(the bucket's private default applies), URLs are signed, and the views stream
from the store after their own access check. The S3 backend is in
``portal/storage_s3.py``, so boto3 (~17 MB per process) is loaded only where a
bucket is configured.

Models name the alias through the small callables below (``storage=`` of a
FileField), never a class, so switching stores needs no migration. The proxy
looks the alias up on every use, so settings changed at run time (tests, a
restore into another location) take effect.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

from .storage_config import ALIASES, ATTACHMENTS, DEFAULT, PRIVATE, S3_FOLDERS, storages_setting  # noqa: F401

logger = logging.getLogger(__name__)

# --- local directories -------------------------------------------------------


class _SettingsLocationStorage(FileSystemStorage):
    """A directory named by a setting, read on every use, never served under a URL."""

    location_setting = ""

    def default_location(self):
        raise NotImplementedError

    @property
    def base_location(self):
        return str(getattr(settings, self.location_setting, "") or self.default_location())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class LocalAttachmentStorage(_SettingsLocationStorage):
    """``DISCLOSURE_FILES_ROOT`` (default ``var/disclosure-files``), outside MEDIA_ROOT."""

    location_setting = "DISCLOSURE_FILES_ROOT"

    def default_location(self):
        from pathlib import Path

        return Path(settings.MEDIA_ROOT).parent / "disclosure-files"


class LocalPrivateStorage(_SettingsLocationStorage):
    """``REQUESTS_PRIVATE_ROOT`` (default ``var/private``), outside MEDIA_ROOT."""

    location_setting = "REQUESTS_PRIVATE_ROOT"

    def default_location(self):
        return settings.VAR_DIR / "private"


# --- the alias proxy used by model fields -----------------------------------


class AliasStorage(Storage):
    """A storage that is whatever ``STORAGES[alias]`` is at the moment of use.

    A FileField evaluates its ``storage=`` callable once, at import; handing it
    this proxy keeps the choice of backend in the settings.
    """

    def __init__(self, alias):
        self.alias = alias

    @property
    def backend(self):
        return storages[self.alias]

    def __repr__(self):
        return f"<AliasStorage {self.alias}: {type(self.backend).__name__}>"

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


attachments = AliasStorage(ATTACHMENTS)
private = AliasStorage(PRIVATE)
default = AliasStorage(DEFAULT)


def alias_of(storage):
    """The alias a FileField's storage stands for (``default`` for Django's default storage)."""
    return getattr(storage, "alias", DEFAULT)


def backend_kind(alias):
    """``"s3"`` or ``"local"``: what the alias is configured as now."""
    return "s3" if getattr(storages[alias], "is_object_store", False) else "local"


# --- walking and hashing -----------------------------------------------------


def walk(storage, folder=""):
    """Every file name below ``folder`` of a storage, sorted, in any backend."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def sha256_of(storage, name, chunk_size=1024 * 1024):
    """(sha256 hex, size) of a stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- rendered documents kept in the store ------------------------------------


def rendered(alias, folder, key, suffix, build):
    """Open the stored rendering of a document, rendering and storing it first if needed.

    ``key`` is everything the output depends on (the rendered HTML, the
    stylesheet): its digest names the file, so a changed document gets a new
    file and the same document is rendered once for every server, not once
    per download. Returns an open file of the store.
    """
    storage = storages[alias]
    digest = hashlib.sha256(key if isinstance(key, bytes) else key.encode()).hexdigest()[:40]
    name = f"{folder}/{digest}.{suffix}"
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(build()))
        if saved != name:  # another server stored the same rendering meanwhile
            storage.delete(saved)
    return storage.open(name, "rb")


# --- readiness ---------------------------------------------------------------


def check():
    """Whether every store is reachable, for ``/readyz``: ``{alias: {"status", "ms"}}``.

    Says only ``ok`` or ``error``, never a path, bucket or message (logged instead).
    """
    results = {}
    for alias in ALIASES:
        started = time.monotonic()
        try:
            backend = storages[alias]
            if hasattr(backend, "check"):
                backend.check()
            else:
                location = backend.location
                probe = location
                while not os.path.isdir(probe):
                    parent = os.path.dirname(probe)
                    if parent == probe:
                        break
                    probe = parent
                if not os.access(probe, os.W_OK):
                    raise PermissionError(f"{probe} is not writable")
            status = "ok"
        except Exception:  # noqa: BLE001 - a readiness probe reports, it does not raise
            logger.exception("storage %s is not reachable", alias)
            status = "error"
        results[alias] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1)}
    return results


def healthy():
    return all(result["status"] == "ok" for result in check().values())
