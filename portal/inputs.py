"""Reading numbers and text from the address bar without ever reaching a server error.

``str.isdigit()`` is true for "²" and "١٢" and ``int()`` accepts "１２" and 30-digit strings
that overflow a database integer; every integer query parameter goes through
:func:`int_param` instead: ASCII digits only, within a range, else the default.
"""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")

# PostgreSQL's bigint, the widest integer column the portal has.
MAX_ID = 2**63 - 1


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``value`` as an int when it is plain ASCII digits within [minimum, maximum], else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if minimum <= value <= maximum else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def int_param(params, name: str, default=None, *, minimum: int = 0, maximum: int = MAX_ID):
    """The integer ``params[name]`` (a QueryDict or dict), or ``default`` if missing or malformed."""
    number = parse_int(params.get(name, ""), minimum=minimum, maximum=maximum)
    return default if number is None else number


def id_param(params, name: str, default=None):
    """A primary key from the address: 1 … the largest bigint."""
    return int_param(params, name, default, minimum=1)


def year_param(params, name: str = "year", default=None):
    """A calendar year the portal can have data for (the Regulations date from 2008)."""
    return int_param(params, name, default, minimum=1900, maximum=9999)


def has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value
