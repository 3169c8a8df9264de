"""Keeping scripts from flooding the online application form, with no outside service.

Three cheap checks, each defeating a different kind of script, and a rate limit:

* a **signed, timestamped token** made when the form is shown: a script that
  posts without loading the form has none, a token older than an hour or
  younger than a few seconds (no human fills the form that fast) is refused,
  and each token works once;
* a **question in Chinese words** ("七加五等于几？"): the answer is not in the
  page, only an HMAC of it under the server's secret is in the token, so a
  script must read Chinese numerals to pass — trivial for a person, not for a
  generic form-filling bot, and guessing is capped by the rate limit;
* a **honeypot** field hidden from people (CSS and ``aria-hidden``) that bots
  fill in;
* a **rate limit per address** in the shared cache (``portal.ratelimit``) (default: 5 applications and
  20 failed checks per hour), so even a script that solves the question
  cannot file more than a handful.

None of this needs JavaScript or a third-party CAPTCHA, which matters for
accessibility and for intranet deployments without Internet access.
"""

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.net import client_ip

SIGNING_SALT = "requests_app.antispam"
NUMERALS = "零一二三四五六七八九十"


def _setting(name, default):
    return getattr(settings, name, default)


def chinese_number(n):
    """0–99 in Chinese numerals: 七, 十二, 二十, 三十五."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else NUMERALS[tens]) + "十"
    return text + (NUMERALS[ones] if ones else "")


def parse_answer(value):
    """Accept "12", "１２" or "十二"."""
    import unicodedata

    value = unicodedata.normalize("NFKC", (value or "").strip())
    if value.isascii() and value.isdigit() and len(value) < 6:
        return int(value)
    for n in range(0, 100):
        if chinese_number(n) == value:
            return n
    return None


def _answer_mac(nonce, answer):
    return salted_hmac(SIGNING_SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge():
    """Return (question, token) for a freshly shown form."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        question, answer = _("%(a)s加%(b)s等于几？") % {"a": chinese_number(a), "b": chinese_number(b)}, a + b
    else:
        a, b = max(a, b) + 5, min(a, b)
        question, answer = _("%(a)s减%(b)s等于几？") % {"a": chinese_number(a), "b": chinese_number(b)}, a - b
    nonce = secrets.token_hex(8)
    token = signing.dumps(
        {"n": nonce, "t": time.time(), "h": _answer_mac(nonce, answer), "q": question}, salt=SIGNING_SALT
    )
    return question, token


def question_of(token):
    """The question a token was made for, to show it again after a failed submission."""
    try:
        return signing.loads(token, salt=SIGNING_SALT).get("q", "")
    except signing.BadSignature:
        return ""


class WrongAnswer(ValueError):
    """The question was answered wrongly (or not at all): an error of the answer field."""


def verify(token, answer, honeypot):
    """Raise ValueError with a message for the applicant when the check fails."""
    if honeypot:
        raise ValueError(_("提交未通过校验，请刷新页面后重新填写。"))
    max_age = _setting("REQUESTS_FORM_MAX_AGE", 3600)
    try:
        data = signing.loads(token or "", salt=SIGNING_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValueError(_("页面停留时间过长，校验已失效，请重新回答验证问题。")) from None
    except signing.BadSignature:
        raise ValueError(_("提交未通过校验，请刷新页面后重新填写。")) from None
    if time.time() - data["t"] < _setting("REQUESTS_FORM_MIN_SECONDS", 3):
        raise ValueError(_("提交过快，请核对填写内容后再提交。"))
    number = parse_answer(answer)
    if number is None or not constant_time_compare(_answer_mac(data["n"], number), data["h"]):
        raise WrongAnswer(_("验证问题回答不正确，请重新计算。"))
    if not cache.add(f"ysq:nonce:{data['n']}", 1, timeout=max_age + 60):
        raise ValueError(_("该表单已经提交过，请勿重复提交。"))


def client_address(http_request):
    """The applicant's real address (see ``portal.net``: trusted proxies only)."""
    return client_ip(http_request)


def _limit(kind):
    limit = _setting("REQUESTS_RATE_LIMITS", {}).get(kind, DEFAULT_LIMITS[kind])
    return {"limit": limit, "window": _setting("REQUESTS_RATE_WINDOW", 3600)}


def peek(kind, key):
    """``key``'s allowance of ``kind`` in the current window, without using any (a ``ratelimit.Result``)."""
    return ratelimit.peek(f"ysq:{kind}", key, **_limit(kind))


def wait_minutes(retry_after):
    """Whole minutes until a refused address may try again, for the Chinese message."""
    return max(1, -(-int(retry_after) // 60))


def over_limit(kind, address):
    """Whether ``address`` has used up its allowance of ``kind`` in the current window."""
    return not ratelimit.peek(f"ysq:{kind}", address, **_limit(kind)).allowed


def retry_after(kind, address):
    """Seconds until ``address`` may try ``kind`` again (0 when it may now)."""
    return ratelimit.peek(f"ysq:{kind}", address, **_limit(kind)).retry_after


def count(kind, key):
    """Use one allowance of ``kind`` for ``key`` (an address, or a tracking number)."""
    return ratelimit.hit(f"ysq:{kind}", key, **_limit(kind))


def take(kind, address):
    """Use one allowance of ``kind`` (atomically); the result says whether it was granted."""
    return ratelimit.hit(f"ysq:{kind}", address, **_limit(kind))


# Per address and hour: applications, failed form checks, wrong status look-ups; and per
# tracking number and hour: wrong query codes from any address ("lookup_number"), which
# stops a distributed guess at one request's code without locking out its applicant,
# whose right code is always let through unless their own address is over its limit.
# Supplements and withdrawals need the query code, but a script that has one must not
# flood the officers' queue with uploads or retries.
DEFAULT_LIMITS = {"apply": 5, "failure": 20, "lookup": 30, "lookup_number": 20, "supplement": 10, "withdraw": 10}


class ChallengeFormMixin:
    """The public forms' question, token and honeypot (application, letter, comment, error report).

    The form declares the ``token``, ``answer`` and ``website`` fields; it calls
    :meth:`init_challenge` at the end of ``__init__`` and :meth:`check_challenge` in ``clean``.
    """

    def init_challenge(self):
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["answer"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})
        if not self.is_bound:
            self.question, self.fields["token"].initial = new_challenge()
        else:
            self.question = ""

    def refresh_challenge(self):
        """After a failed submission: a new question and token, keeping what was typed."""
        self.question, token = new_challenge()
        data = self.data.copy()
        data["token"], data["answer"] = token, ""
        self.data = data

    def check_challenge(self):
        """Checked whatever the other fields say, and reported beside them: every error shows at once."""
        try:
            verify(self.data.get("token"), self.data.get("answer"), self.data.get("website"))
        except WrongAnswer as exc:
            if not self.has_error("answer"):  # a blank answer already says 必填
                self.add_error("answer", str(exc))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
