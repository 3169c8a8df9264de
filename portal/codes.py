"""Check digits of the identification codes Chinese administrations use.

Three national standards, each with its own weights and alphabet:
GB 11714 (9-character organisation code), GB 32100 (18-character unified
social credit code) and GB 11643 (18-digit resident identity number). The
functions are pure so that forms, imports and tests all share them, and the
``make_*`` helpers let demo data and tests invent well-formed codes.
"""

from __future__ import annotations

import re
import unicodedata

ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def normalize(code: str) -> str:
    """Upper-case and drop the spaces and hyphens people type into codes.

    Codes are often typed with a Chinese input method switched on, so
    full-width digits and letters (９１３５…) are folded to ASCII first.
    """
    folded = unicodedata.normalize("NFKC", code or "")
    return re.sub(r"[\s\-‐‑‒–—―]", "", folded).upper()


def org_code_check_char(body: str) -> str:
    total = sum(ORG_CODE_ALPHABET.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def is_valid_org_code(code: str) -> bool:
    code = normalize(code)
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return False
    return org_code_check_char(code[:8]) == code[8]


def uscc_check_char(body: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = normalize(code)
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def resident_id_check_char(body: str) -> str:
    return RESIDENT_ID_CHECK[sum(int(c) * w for c, w in zip(body, RESIDENT_ID_WEIGHTS)) % 11]


def is_valid_resident_id(number: str) -> bool:
    number = normalize(number)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    return resident_id_check_char(number[:17]) == number[17]


def make_org_code(body: str) -> str:
    """Complete an 8-character body with its check character."""
    return body + org_code_check_char(body)


def make_uscc(body: str) -> str:
    """Complete a 17-character body with its check character."""
    return body + uscc_check_char(body)


def make_resident_id(body: str) -> str:
    """Complete a 17-digit body with its check character."""
    return body + resident_id_check_char(body)
