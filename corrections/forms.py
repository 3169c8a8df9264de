from django import forms
from django.utils.translation import gettext_lazy as _

from requests_app import antispam

from .models import ErrorKind


class ReportForm(antispam.ChallengeFormMixin, forms.Form):
    url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    kind = forms.ChoiceField(label=_("问题类型"), choices=ErrorKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        max_length=2000,
        help_text=_("请写明错误的位置和内容，以及正确的内容（如知道）。"),
    )
    name = forms.CharField(label=_("姓名或称呼（选填）"), required=False, max_length=50)
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        required=False,
        max_length=100,
        help_text=_("电话或电子邮箱，仅供处理机构核实情况，不会公开。"),
    )
    website = forms.CharField(required=False, label=_("请勿填写此项"))
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(label=_("验证问题"), max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_challenge()

    def clean(self):
        data = super().clean()
        self.check_challenge()
        return data


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("纠错编号"), max_length=16)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("给网民的答复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TransferForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("转交给"))
    comment = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
