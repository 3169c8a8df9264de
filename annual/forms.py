from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REPORTING_KINDS, AnnualReport, ReportScope


class GenerateForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("报告机关"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("报告年度"), min_value=2008, max_value=2100)
    scope = forms.ChoiceField(label=_("统计范围"), choices=ReportScope.choices)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.filter(kind__in=REPORTING_KINDS).order_by("tree_id", "lft")


class TextForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["overview", "problems", "other_matters"]
        widgets = {name: forms.Textarea(attrs={"rows": 10}) for name in fields}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
