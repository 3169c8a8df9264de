"""The password policy of 等保 2.0 身份鉴别, as Django password validators.

Django's own validators cover length, common passwords, all-digit passwords and similarity to
the username. These add what the assessment asks for beyond that:

* three of the four character classes (lower case, upper case, digits, symbols);
* no predictable password: a common word or a local word (the county's pinyin, 政务公开's
  abbreviations) dressed up with capitals, digits and symbols — "Zwgk@2026" is "zwgk" + a year,
  the first thing an attacker tries against a county portal (list: ``PASSWORD_LOCAL_WORDS``);
* none of the last five passwords (hashes kept in :class:`portal.models.PasswordHistory`).

The history validator also records each new password's hash and the time it was set, from
which the maximum password age (``PASSWORD_MAX_AGE_DAYS``) counts.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
)


class CharacterClassValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号四类中的至少%(count)d类。"),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号四类中的至少%(count)d类。") % {"count": self.min_classes}


class PredictablePasswordValidator:
    """Refuse a common or local word with only capitals, digits and symbols added."""

    def __init__(self):
        self._common = CommonPasswordValidator()

    def _local_words(self):
        return {w.strip().lower() for w in getattr(settings, "PASSWORD_LOCAL_WORDS", ()) if w.strip()}

    def validate(self, password, user=None):
        letters = re.sub(r"[^a-z]", "", password.lower())
        local = self._local_words()
        predictable = (
            len(letters) < 3
            or letters in self._common.passwords
            or letters in local
            or any(word in letters and len(word) >= 4 for word in local)
        )
        if predictable:
            raise ValidationError(
                _("密码过于常见或容易猜到（常用词、单位名称拼音或缩写加数字、符号），请换一个。"),
                code="password_predictable",
            )

    def get_help_text(self):
        return _("不能用常用词、本单位名称的拼音或缩写加数字、符号组成。")


class PasswordHistoryValidator:
    def __init__(self, count=5):
        self.count = count

    def _recent(self, user):
        # The history holds the current password too (written when it was set); an account
        # created without the history (create_user, before this existed) still has its current one.
        hashes = list(user.password_history.values_list("password", flat=True)[: self.count])
        if user.password and user.password not in hashes:
            hashes = [user.password] + hashes[: self.count - 1]
        return hashes

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(
                _("不能使用最近%(count)d次用过的密码。"),
                code="password_reused",
                params={"count": self.count},
            )

    def password_changed(self, password, user=None):
        """Called by Django after a new password is saved: keep its hash, start its age."""
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(user.password_history.values_list("pk", flat=True)[: self.count])
        user.password_history.exclude(pk__in=keep).delete()
        now = timezone.now()
        type(user).objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now
        from . import security

        security.password_saved(user)

    def get_help_text(self):
        return _("不能使用最近%(count)d次用过的密码。") % {"count": self.count}


def password_expired(user) -> bool:
    days = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)
    if not days or user.password_changed_at is None or not user.has_usable_password():
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=days)
