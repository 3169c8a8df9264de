"""Checks of an applicant's identity document, shared by the forms and the services.

Messages never repeat the number typed: error pages and logs must not carry it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import codes

from .models import ApplicantCategory, IdType


def clean_id_number(category, id_type, id_number):
    """Return the normalised number or raise ValidationError({field: message})."""
    number = (id_number or "").strip()
    if id_type in (IdType.RESIDENT_ID, IdType.USCC):
        number = codes.normalize(number)
    if not number:
        raise ValidationError({"id_number": _("请填写证件号码。")})
    if category == ApplicantCategory.NATURAL_PERSON and id_type == IdType.USCC:
        raise ValidationError({"id_type": _("自然人请选择居民身份证或其他个人证件。")})
    if category != ApplicantCategory.NATURAL_PERSON and id_type not in (IdType.USCC, IdType.OTHER):
        raise ValidationError({"id_type": _("法人或其他组织请填写统一社会信用代码（没有的选择“其他有效证件”）。")})
    if id_type == IdType.RESIDENT_ID and not codes.is_valid_resident_id(number):
        if len(number) != 18:
            raise ValidationError({"id_number": _("居民身份证号码应为18位。")})
        raise ValidationError({"id_number": _("居民身份证号码校验位不正确，请核对是否录错。")})
    if id_type == IdType.USCC and not codes.is_valid_uscc(number):
        if len(number) != 18:
            raise ValidationError({"id_number": _("统一社会信用代码应为18位。")})
        raise ValidationError({"id_number": _("统一社会信用代码校验位不正确，请核对是否录错。")})
    if len(number) > 40:
        raise ValidationError({"id_number": _("证件号码过长。")})
    return number


def clean_phone(value):
    import re

    value = re.sub(r"[\s\-－()（）]", "", value or "")
    if not re.fullmatch(r"\+?\d{5,20}", value):
        raise ValidationError({"phone": _("请填写有效的联系电话（手机或带区号的固定电话）。")})
    return value
