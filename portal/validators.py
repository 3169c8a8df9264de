"""Model and form validators built on :mod:`portal.codes`."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import codes


def validate_organization_code(value):
    """Accept a 9-character organisation code or an 18-character credit code."""
    code = codes.normalize(value)
    if len(code) == 9:
        if not codes.is_valid_org_code(code):
            raise ValidationError(
                _("组织机构代码“%(code)s”的校验位不正确。"), params={"code": value}, code="checksum"
            )
    elif len(code) == 18:
        if not codes.is_valid_uscc(code):
            raise ValidationError(
                _("统一社会信用代码“%(code)s”的校验位不正确。"), params={"code": value}, code="checksum"
            )
    else:
        raise ValidationError(
            _("机构代码应为9位组织机构代码或18位统一社会信用代码。"), code="length"
        )


def validate_uscc(value):
    if not codes.is_valid_uscc(value):
        raise ValidationError(_("统一社会信用代码“%(code)s”无效。"), params={"code": value})


def validate_resident_id(value):
    if not codes.is_valid_resident_id(value):
        raise ValidationError(_("居民身份证号码“%(code)s”无效。"), params={"code": value})
