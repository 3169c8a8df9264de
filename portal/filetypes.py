"""Recognising an uploaded file's type from its bytes, never from its name.

Used by disclosure attachments and by information requests' uploads (applicants' ID
copies and supplements, officers' attachments) alike.

A county site receives files from many offices; a renamed executable or an
HTML page saved as ``.pdf`` must not be served as a document. We read the
magic bytes and, for ZIP containers, the member names that identify OFD
(``OFD.xml``) and Office Open XML (``[Content_Types].xml``). Pure Python, no
libmagic.
"""

import re
import zipfile
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileType(models.TextChoices):
    PDF = "pdf", _("PDF文档")
    OFD = "ofd", _("OFD版式文档")
    DOCX = "docx", _("Word文档")
    XLSX = "xlsx", _("Excel表格")
    OLE = "ole", _("Word/Excel/WPS文档（旧格式）")
    PNG = "png", _("PNG图片")
    JPEG = "jpeg", _("JPEG图片")
    GIF = "gif", _("GIF图片")
    WEBP = "webp", _("WebP图片")
    ZIP = "zip", _("ZIP压缩包")


@dataclass(frozen=True)
class TypeInfo:
    extensions: tuple  # accepted name endings; the first is used for the stored name
    mime: str


TYPES = {
    FileType.PDF: TypeInfo(("pdf",), "application/pdf"),
    FileType.OFD: TypeInfo(("ofd",), "application/ofd"),
    FileType.DOCX: TypeInfo(
        ("docx", "wps", "docm"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    FileType.XLSX: TypeInfo(
        ("xlsx", "et", "xlsm"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    FileType.OLE: TypeInfo(("doc", "xls", "wps", "et"), "application/octet-stream"),
    FileType.PNG: TypeInfo(("png",), "image/png"),
    FileType.JPEG: TypeInfo(("jpg", "jpeg"), "image/jpeg"),
    FileType.GIF: TypeInfo(("gif",), "image/gif"),
    FileType.WEBP: TypeInfo(("webp",), "image/webp"),
    FileType.ZIP: TypeInfo(("zip",), "application/zip"),
}

OLE_MIME = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    lowered = {n.lower() for n in names}
    if "ofd.xml" in lowered:
        return FileType.OFD
    if "[content_types].xml" in lowered:
        if any(n.startswith("word/") for n in lowered):
            return FileType.DOCX
        if any(n.startswith("xl/") for n in lowered):
            return FileType.XLSX
        return None  # presentations and other OOXML: not an accepted type
    return FileType.ZIP


def detect(fileobj):
    """Return the :class:`FileType` of a seekable binary file, or None."""
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return FileType.PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return FileType.PNG
        if head.startswith(b"\xff\xd8\xff"):
            return FileType.JPEG
        if head.startswith((b"GIF87a", b"GIF89a")):
            return FileType.GIF
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return FileType.WEBP
        if head.startswith(OLE2_MAGIC):
            return FileType.OLE
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _zip_kind(fileobj)
        return None
    finally:
        fileobj.seek(0)


def extension_of(name):
    name = (name or "").strip()
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def mime_for(file_type, original_name=""):
    if file_type == FileType.OLE:
        return OLE_MIME.get(extension_of(original_name), "application/octet-stream")
    return TYPES[FileType(file_type)].mime


def stored_extension(file_type, original_name=""):
    info = TYPES[FileType(file_type)]
    ext = extension_of(original_name)
    return ext if ext in info.extensions else info.extensions[0]


def accepted_extensions():
    return sorted({ext for info in TYPES.values() for ext in info.extensions})


# Markup a browser would render or run: a "text" file containing it is refused.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|a\s|img|\?xml)", re.I)


def is_plain_text(fileobj, limit=256 * 1024):
    """Whether a ``.txt`` upload really is text: UTF-8 or GB18030, no NUL, no HTML/SVG markup."""
    fileobj.seek(0)
    try:
        data = fileobj.read(limit)
    finally:
        fileobj.seek(0)
    if b"\x00" in data or _MARKUP.search(data):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def matches_extension(fileobj, name):
    """Whether the bytes of ``fileobj`` are what the extension of ``name`` claims.

    ``report.pdf`` must start like a PDF, ``scan.jpg`` like a JPEG, ``note.txt`` must be
    plain text; an HTML page renamed to any of them is refused.
    """
    ext = extension_of(name)
    if ext == "txt":
        return is_plain_text(fileobj)
    kind = detect(fileobj)
    return kind is not None and ext in TYPES[kind].extensions
