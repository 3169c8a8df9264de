import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ScheduleYear


class ScheduleYearForm(forms.ModelForm):
    """The State Council's yearly notice, typed in as it is published."""

    days_off = forms.CharField(
        label=_("放假日期"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一段：“2027-10-01~2027-10-07 国庆节”或“01-01 元旦”。"),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一天：“2027-09-26 国庆节调休”。"),
    )

    class Meta:
        model = ScheduleYear
        fields = ["year", "notice"]

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
