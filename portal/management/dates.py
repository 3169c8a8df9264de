"""Shared by the management commands: a ``--date`` argument read with a Chinese message."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def date_option(text):
    """``YYYY-MM-DD`` or None; anything else is a clear message (exit status 1), never a traceback."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(_("日期“%(text)s”无法识别，请写成 年-月-日，例如 2026-10-08。") % {"text": text}) from None
