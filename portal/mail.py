"""The development mail backend: prints mails to the console with every secret masked.

With DEBUG on, mails go to the server's console, which ends up in logs that developers,
operators and log collectors read. A query code (查询码) or a subscription token there is
as good as the applicant's or subscriber's password, so the copy that is printed has them
replaced by asterisks; the message itself (what a test or a real backend sends) is untouched.
"""

from __future__ import annotations

import copy
import re

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

_CODE_ALPHABET = "0-9A-HJKMNP-TV-Z"
_PATTERNS = [
    # A query code as printed in mails: XXXX-XXXX-XXXX-XXXX (Crockford base32), or unformatted.
    (re.compile(rf"\b[{_CODE_ALPHABET}]{{4}}(?:-[{_CODE_ALPHABET}]{{4}}){{3}}\b"), "****-****-****-****"),
    (re.compile(rf"((?:查询码|query code)\s*[:：]?\s*)[{_CODE_ALPHABET}-]{{8,}}", re.I), r"\1****"),
    # Subscription confirm/unsubscribe links carry the subscriber's token.
    (re.compile(r"(/(?:subscribe/confirm|unsubscribe)/)[^/\s]+"), r"\1****"),
]


def mask_secrets(text: str) -> str:
    if not isinstance(text, str):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskingConsoleBackend(ConsoleBackend):
    def write_message(self, message):
        masked = copy.copy(message)
        masked.subject = mask_secrets(message.subject)
        masked.body = mask_secrets(message.body)
        masked.alternatives = [
            type(alt)(mask_secrets(alt[0]), alt[1]) if isinstance(alt, tuple) else alt
            for alt in getattr(message, "alternatives", [])
        ]
        return super().write_message(masked)
