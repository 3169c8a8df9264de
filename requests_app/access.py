"""Tracking numbers and secret query codes: how an applicant follows a request without an account.

The query code carries 80 random bits (16 Crockford base-32 characters) and
is shown once; only a salted SHA-256 digest is stored. With that much
entropy a slow password hash adds nothing, and the check is constant-time.
Looking up an unknown number costs the same digest as a wrong code, so the
two cannot be told apart by the answer or its timing.
"""

import hashlib
import hmac
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits
_TRANSLATE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_tracking_number():
    return "YS" + "".join(secrets.choice("0123456789") for _ in range(10))


def normalize_tracking_number(value):
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:20]


def new_query_code():
    value = int.from_bytes(secrets.token_bytes(10), "big")
    chars = []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, 32)
        chars.append(CROCKFORD[digit])
    return "".join(chars)


def format_query_code(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_query_code(value):
    """Accept what people type: lower case, spaces, hyphens, I/L for 1 and O for 0."""
    cleaned = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return cleaned.translate(_TRANSLATE)[:64]


def hash_query_code(code, salt=None):
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{normalize_query_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


_DUMMY = hash_query_code("0" * CODE_LENGTH, salt="0" * 16)


def check_query_code(code, stored):
    """Constant-time check; a missing ``stored`` (unknown number) is checked against a dummy."""
    target = stored or _DUMMY
    try:
        _algorithm, salt, digest = target.split("$")
    except ValueError:
        salt, digest = "0" * 16, _DUMMY.split("$")[2]
    candidate = hashlib.sha256(f"{salt}:{normalize_query_code(code)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest) and stored is not None
