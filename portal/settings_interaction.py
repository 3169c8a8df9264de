"""Settings of the interaction channels (互动交流): letters, 意见征集 and 我要纠错.

Kept apart from ``portal/settings.py`` (imported at its end) so that file stays readable; every
value here comes from the environment with the default a county would expect.
"""

import os

# --- Letters mailbox (互动交流) ------------------------------------------------------------
# The kinds the letter form offers, in order (letters.models.LetterKind has every possible one):
# LETTERS_KINDS="consult,suggest,complain,help". The reply deadline when an organisation has set
# none of its own (admin: 来信答复期限), in working days.
LETTERS_KINDS = [
    k.strip()
    for k in os.environ.get("LETTERS_KINDS", "consult,suggest,complain,help,report,other").split(",")
    if k.strip()
]
LETTERS_REPLY_WORKING_DAYS = int(os.environ.get("LETTERS_REPLY_WORKING_DAYS", "10"))
# Per address and hour: letters written, failed form checks, wrong look-ups, ratings; per number: wrong codes.
LETTERS_RATE_LIMITS = {"write": 5, "failure": 20, "lookup": 30, "lookup_number": 20, "rate": 10}


# --- 互动交流: 意见征集 (consultations) and 我要纠错 (corrections) ---------------------
# The shortest comment period without a recorded reason (重大行政决策程序暂行条例 Art 15: 30 days),
# the working days after its end for publishing the feedback, the working days to answer an
# error report; hourly allowances per client address, as REQUESTS_RATE_LIMITS
# (CONSULTATION_RATE_LIMITS="comment=10,failure=20", CORRECTION_RATE_LIMITS="report=5,failure=20,lookup=30").
CONSULTATION_MIN_DAYS = int(os.environ.get("CONSULTATION_MIN_DAYS", "30"))
CONSULTATION_FEEDBACK_WORKING_DAYS = int(os.environ.get("CONSULTATION_FEEDBACK_WORKING_DAYS", "15"))
CORRECTION_RESPONSE_WORKING_DAYS = int(os.environ.get("CORRECTION_RESPONSE_WORKING_DAYS", "5"))


def _limits(name):
    return {
        kind.strip(): int(value)
        for kind, _sep, value in (item.partition("=") for item in os.environ.get(name, "").split(",") if "=" in item)
    }


CONSULTATION_RATE_LIMITS = _limits("CONSULTATION_RATE_LIMITS")
CORRECTION_RATE_LIMITS = _limits("CORRECTION_RATE_LIMITS")
