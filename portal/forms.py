import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from mptt.forms import MPTTAdminForm

from . import codes
from .models import Organization, ScheduleYear
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
            raise forms.ValidationError(_("年份应为四位数，如 %(year)d。"), params={"year": dt.date.today().year + 1})
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
        self.fields["year"].initial = dt.date.today().year + 1
