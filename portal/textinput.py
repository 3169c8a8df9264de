"""Control characters never enter the database from a form.

A citizen's \\x01 or \\x1b (pasted from a terminal, a PDF, a broken input method) breaks
spreadsheet exports, PDF notices and feed readers for everyone who later opens the record.
Every text field of every form — the public application, letters, staff pages, the admin —
passes through Django's ``CharField.to_python``, so that is the one place they are removed
(等保 入侵防范). Tabs and line breaks stay: a 公开内容 cell or a reply has paragraphs.
NUL never gets this far: ``RejectNulMiddleware`` answers it with the 400 page.
"""

import re

from django import forms

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def install():
    """Wrap ``forms.CharField.to_python`` once (idempotent)."""
    if getattr(forms.CharField.to_python, "_strips_controls", False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        return strip_controls(original(self, value))

    to_python._strips_controls = True
    forms.CharField.to_python = to_python
