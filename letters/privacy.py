"""What of a letter may appear on the public pages, and how it is masked.

A letter is published only when the writer allowed it and an officer approved it; even
then the writer's name shows as its first character and ``**`` (张**), and phone numbers,
identity numbers, e-mail addresses and street addresses inside the text are masked with
the same rules as the information requests' applicant data (:mod:`requests_app.privacy`).
The masked texts are computed when the letter is published and stored, so the officer
approves exactly what the public sees.
"""

import re

from requests_app.privacy import mask_address, mask_email, mask_id_number, mask_phone

_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:0\d{2,3}[ -]?)?\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff0-9]{2,20}?(?:路|街|巷|大道|村|组|小区|社区|花园|苑)[\u4e00-\u9fff0-9\-]{0,12}?\d+\s*(?:号|栋|幢|室|单元)"
    r"(?:[\u4e00-\u9fff0-9\-]{0,10}?\d+\s*(?:号|栋|幢|室|单元|楼))*"
)


def mask_person_name(value):
    """张三 and 张三丰 both become 张**: the length of a name is itself a hint."""
    value = (value or "").strip()
    return value[:1] + "**" if value else ""


def mask_text(text, *, name=""):
    """The text with the writer's name, IDs, phones, e-mails and addresses masked."""
    text = text or ""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))), text)
    text = _LANDLINE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))), text)
    text = _ADDRESS.sub(lambda m: mask_address(m.group(0)), text)
    name = (name or "").strip()
    if len(name) >= 2:
        text = text.replace(name, mask_person_name(name))
    return text
