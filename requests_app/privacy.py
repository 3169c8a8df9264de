"""Who may see an applicant's personal data, and how it looks to everyone else.

Identity number, phone, address and e-mail are used only to handle the
application (PIPL; requests.md "Other obligations"). They show in full only to
staff of the *target* organisation holding ``view_personal_data`` (办理人,
管理员) — not to staff of a superior body supervising the request — and every
full view is written to the audit log by :func:`services.reveal_personal_data`.
Everyone else, and every list, sees the masked forms below.
"""

from django.utils.translation import gettext as _

PERSONAL_FIELDS = ("applicant_name", "id_number", "phone", "email", "address", "postcode", "contact_person")


def can_view_personal_data(user, request):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.organization_id is not None
        and user.organization_id == request.organization_id
        and user.has_perm("requests_app.view_personal_data")
    )


def mask_id_number(value):
    value = value or ""
    if len(value) <= 4:
        return "*" * len(value)
    if len(value) >= 15:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value):
    digits = value or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(value):
    value = value or ""
    if not value:
        return ""
    return value[:6] + "****" if len(value) > 6 else value[:2] + "****"


def mask_email(value):
    if not value or "@" not in value:
        return ""
    local, domain = value.split("@", 1)
    return (local[:1] or "*") + "***@" + domain


def mask_name(value):
    value = value or ""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


class ApplicantView:
    """The applicant's data as one user may see it: full or masked, field by field."""

    def __init__(self, request, full):
        self.full = full
        from .choices import ApplicantCategory, IdType, label_of

        self.category = label_of(ApplicantCategory, request.applicant_category)
        self.id_type = label_of(IdType, request.id_type)
        if full:
            self.name = request.applicant_name
            self.id_number = request.id_number
            self.phone = request.phone
            self.email = request.email
            self.address = request.address
            self.postcode = request.postcode
            self.contact_person = request.contact_person
        else:
            # An organisation's name is not personal data; a person's is.
            natural = request.applicant_category == "natural"
            self.name = mask_name(request.applicant_name) if natural else request.applicant_name
            self.id_number = mask_id_number(request.id_number)
            self.phone = mask_phone(request.phone)
            self.email = mask_email(request.email)
            self.address = mask_address(request.address)
            self.postcode = ""
            self.contact_person = mask_name(request.contact_person)

    @property
    def note(self):
        return "" if self.full else _("个人信息已脱敏显示")
