"""Where attachment files live: outside MEDIA_ROOT, so only the download view serves them.

A withdrawn item's files must stop being served; a file under a public media
URL could not be stopped. The location is read from settings at use time.
"""
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class AttachmentStorage(FileSystemStorage):
    @property
    def base_location(self):
        configured = getattr(settings, "DISCLOSURE_FILES_ROOT", "")
        return str(configured or Path(settings.MEDIA_ROOT).parent / "disclosure-files")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def attachment_storage():
    return AttachmentStorage()
