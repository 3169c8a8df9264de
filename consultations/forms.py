from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogEntry
from disclosure.forms import entry_choices
from requests_app import antispam

from .models import Adoption, Consultation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(forms.ModelForm):
    organization = forms.ModelChoiceField(queryset=None, label=_("征集机构"))

    class Meta:
        model = Consultation
        fields = [
            "organization",
            "title",
            "draft_text",
            "explanation",
            "catalog_entry",
            "starts_on",
            "ends_on",
            "short_period_reason",
            "accepts_online",
            "email",
            "postal_address",
        ]
        widgets = {
            "draft_text": forms.Textarea(attrs={"rows": 14}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
            "short_period_reason": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, organizations, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        # The organisation's own catalog (adopted and local entries), as on the item form.
        self.fields["catalog_entry"].queryset = CatalogEntry.objects.all()
        self.fields["catalog_entry"].required = False
        org = self.instance.organization if self.instance.pk else organization
        keep = [self.instance.catalog_entry_id] if self.instance.catalog_entry_id else []
        self.fields["catalog_entry"].choices = [("", "---------")] + entry_choices(org, keep=keep)
        if self.instance.pk:
            del self.fields["organization"]

    def service_data(self):
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        return data


class CommentForm(antispam.ChallengeFormMixin, forms.Form):
    """A citizen's comment. No account; contact details optional and never shown publicly."""

    section = forms.ChoiceField(label=_("针对条款"), required=False)
    body = forms.CharField(
        label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 6, "maxlength": 3000}), max_length=3000
    )
    name = forms.CharField(label=_("姓名或称呼（选填）"), required=False, max_length=50)
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        required=False,
        max_length=100,
        help_text=_("电话或电子邮箱，仅供征集机关与您联系，不会公开。"),
    )
    website = forms.CharField(required=False, label=_("请勿填写此项"))
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(label=_("验证问题"), max_length=10)

    def __init__(self, *args, headings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("整体意见"))] + [(h, h) for h in headings]
        self.init_challenge()

    def clean(self):
        data = super().clean()
        self.check_challenge()
        return data


class FeedbackForm(forms.Form):
    offline_count = forms.IntegerField(
        label=_("邮件、信函等渠道收到的意见数"), min_value=0, max_value=100000, initial=0
    )
    adopted_count = forms.IntegerField(label=_("采纳意见数"), min_value=0, max_value=100000, initial=0)
    summary = forms.CharField(
        label=_("意见采纳情况说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False
    )


class GroupForm(forms.Form):
    summary = forms.CharField(
        label=_("意见概要"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )
    count = forms.IntegerField(label=_("意见条数"), min_value=1, max_value=100000, required=False)
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=[("", "—")] + list(Adoption.choices), required=False)
    reason = forms.CharField(
        label=_("采纳或不采纳的理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )


GroupFormSet = forms.formset_factory(GroupForm, extra=2, max_num=50, absolute_max=60)


class LinkForm(forms.Form):
    final_item = forms.IntegerField(
        label=_("正式文件的信息编号"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text=_("政府信息页面地址 /zwgk/xxgk/item/编号/ 中的编号；留空表示取消关联。"),
    )


class ReasonForm(forms.Form):
    comment = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))
