"""Model and form validators built on :mod:`portal.codes`."""

import re
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import codes


def validate_organization_code(value):
    """Accept a 9-character organisation code or an 18-character credit code.

    The messages say what is wrong (length, a character the standard does not
    use, or the check character) so a clerk can find the typo.
    """
    code = codes.normalize(value)
    if len(code) == 9:
        if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
            raise ValidationError(
                _("组织机构代码“%(code)s”只能由数字和大写字母组成，最后一位为数字或 X。"),
                params={"code": value},
                code="characters",
            )
        if not codes.is_valid_org_code(code):
            raise ValidationError(
                _("组织机构代码“%(code)s”的校验位不正确，请核对是否录错。"),
                params={"code": value},
                code="checksum",
            )
    elif len(code) == 18:
        if any(c not in codes.USCC_ALPHABET for c in code):
            raise ValidationError(
                _("统一社会信用代码“%(code)s”含有不允许的字符（只用数字和除 I、O、S、V、Z 以外的大写字母）。"),
                params={"code": value},
                code="characters",
            )
        if not codes.is_valid_uscc(code):
            raise ValidationError(
                _("统一社会信用代码“%(code)s”的校验位不正确，请核对是否录错。"),
                params={"code": value},
                code="checksum",
            )
    else:
        raise ValidationError(
            _("机构代码应为9位组织机构代码或18位统一社会信用代码（现为%(length)d位）。"),
            params={"length": len(code)},
            code="length",
        )


def validate_uscc(value):
    if not codes.is_valid_uscc(value):
        raise ValidationError(_("统一社会信用代码“%(code)s”无效。"), params={"code": value})


def validate_resident_id(value):
    if not codes.is_valid_resident_id(value):
        raise ValidationError(_("居民身份证号码“%(code)s”无效。"), params={"code": value})


INDEX_PATTERN_FIELDS = {"code", "year", "serial"}
# Width and zero padding only ("05d", "4", "d"): anything else either fails at
# publishing time or, with a huge width, builds a huge string.
_INDEX_SPEC = re.compile(r"0?[1-9]?d?")
INDEX_NUMBER_MAX_LENGTH = 100


def validate_index_pattern_strict(value):
    """The index-number pattern an organisation admin may type in the admin.

    Only ``{code}``, ``{year}`` and ``{serial}`` with a small width are
    allowed; attribute access (``{code.__class__}``), conversions and wide
    padding are refused, because the pattern is applied to every published item.
    """
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValidationError(
            _("索引号格式中的花括号不成对（%(error)s）。"), params={"error": exc}, code="syntax"
        ) from exc
    names = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in INDEX_PATTERN_FIELDS or conversion or (spec and not _INDEX_SPEC.fullmatch(spec)):
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            raise ValidationError(
                _("索引号格式中的“%(field)s”不可用：只能使用 {code}、{year}、{serial} 或 {serial:05d} 这类写法。"),
                params={"field": shown},
                code="field",
            )
        if name != "serial" and spec:
            raise ValidationError(_("只有流水号 {serial} 可以指定位数，如 {serial:05d}。"), code="field")
        names.add(name)
    if "serial" not in names:
        raise ValidationError(_("索引号格式必须包含流水号 {serial}，否则索引号会重复。"), code="serial")
    sample = value.format(code="X" * 18, year=2026, serial=1)
    if len(sample) > INDEX_NUMBER_MAX_LENGTH:
        raise ValidationError(
            _("按此格式生成的索引号超过%(max)d个字符。"), params={"max": INDEX_NUMBER_MAX_LENGTH}, code="length"
        )


def validate_postcode(value):
    """A mainland postcode is six digits (GB/T 2260-based 邮政编码); full-width digits are accepted."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value or "").strip()
    if text and not re.fullmatch(r"[0-9]{6}", text):
        raise ValidationError(_("邮政编码应为6位数字，如 999001。"), code="postcode")
