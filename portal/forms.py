from django import forms
from django.utils.translation import gettext_lazy as _
from mptt.forms import MPTTAdminForm

from . import codes, workdays
from .models import Organization, ScheduleYear, SiteSettings
from .validators import validate_index_pattern_strict


class OrganizationAdminForm(MPTTAdminForm):
    """The organisation form of the admin.

    The code is normalised before the model validates it, so "9135 0100 …"
    typed with spaces is accepted and a duplicate written differently is
    reported as a duplicate instead of failing at the database.
    """

    code = forms.CharField(
        label=Organization._meta.get_field("code").verbose_name,
        help_text=Organization._meta.get_field("code").help_text,
        max_length=40,
    )

    class Meta:
        model = Organization
        fields = "__all__"

    def clean_code(self):
        return codes.normalize(self.cleaned_data["code"])

    def clean_index_pattern(self):
        value = self.cleaned_data["index_pattern"]
        validate_index_pattern_strict(value)
        return value


class ScheduleYearForm(forms.ModelForm):
    """The State Council's yearly notice, typed in as it is published."""

    days_off = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一段：“2027-10-01~2027-10-07 国庆节”或“01-01 元旦”。"),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一天：“2027-09-26 国庆节调休”。"),
    )

    class Meta:
        model = ScheduleYear
        fields = ["year", "notice"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1900 <= year <= 9999:
            raise forms.ValidationError(_("年份应为四位数，如 %(year)d。"), params={"year": workdays.today().year + 1})
        return year

    def clean(self):
        from .services import parse_schedule

        data = super().clean()
        if data.get("year") and "days_off" in data:
            parse_schedule(data["year"], data["days_off"], data.get("workdays", ""))
        return data

    def validate_unique(self):
        """An existing year is replaced by the new notice, not refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = workdays.today().year + 1


class SiteSettingsForm(forms.ModelForm):
    """网站信息（页脚）: the fields, plus the 党政机关网站标识 as an optional image upload.

    The image's type is read from its bytes (portal.filetypes: PNG, JPEG, GIF or WebP only);
    anything else, or a file over 200 KB, is refused with a message and changes nothing.
    """

    MAX_LOGO_BYTES = 200 * 1024
    IMAGE_TYPES = ("png", "jpeg", "gif", "webp")

    logo_upload = forms.FileField(
        label=_("党政机关网站标识图片"),
        required=False,
        help_text=_("PNG、JPEG、GIF 或 WebP 图片，不超过200KB；不上传则保留原图。"),
    )
    logo_clear = forms.BooleanField(label=_("删除现有标识图片"), required=False)
    conac_url = forms.URLField(
        label=SiteSettings._meta.get_field("conac_url").verbose_name,
        required=False,
        assume_scheme="https",
        help_text=SiteSettings._meta.get_field("conac_url").help_text,
    )
    correction_url = forms.URLField(
        label=SiteSettings._meta.get_field("correction_url").verbose_name,
        required=False,
        assume_scheme="https",
        help_text=SiteSettings._meta.get_field("correction_url").help_text,
    )

    class Meta:
        model = SiteSettings
        fields = (
            "organization",
            "sponsor",
            "organizer",
            "address",
            "phone",
            "email",
            "website_code",
            "icp_number",
            "police_number",
            "conac_url",
            "correction_url",
        )

    def clean_logo_upload(self):
        from . import filetypes

        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > self.MAX_LOGO_BYTES:
            raise forms.ValidationError(_("标识图片不能超过200KB。"))
        kind = filetypes.detect(upload)
        if kind not in self.IMAGE_TYPES:
            raise forms.ValidationError(_("标识图片须为 PNG、JPEG、GIF 或 WebP 图片（按文件内容识别）。"))
        return upload, kind

    def save(self, commit=True):
        import hashlib

        settings = super().save(commit=False)
        logo = self.cleaned_data.get("logo_upload")
        if logo:
            upload, kind = logo
            upload.seek(0)
            data = upload.read()
            settings.conac_logo, settings.conac_logo_type = data, kind
            settings.conac_logo_sha = hashlib.sha256(data).hexdigest()[:32]
        elif self.cleaned_data.get("logo_clear"):
            settings.conac_logo, settings.conac_logo_type, settings.conac_logo_sha = b"", "", ""
        if commit:
            settings.save()
        return settings
