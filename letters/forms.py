"""Forms: they check and present input; the services decide and change state."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.selectors import guide_organizations
from requests_app import antispam
from requests_app.forms import PUBLIC_EXTENSIONS, MultipleFileField
from requests_app.models import ApplicantCategory, DeliveryMethod, FormWanted, IdType
from requests_app.validators import clean_phone

from .models import MAX_EXTENSION_DAYS, Rating, RejectCategory, mailbox_name, offered_kinds


class MailboxChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return mailbox_name(obj)


class LetterForm(antispam.ChallengeFormMixin, forms.Form):
    """The citizen's letter, with the online application's checks against scripts."""

    organization = MailboxChoiceField(queryset=None, label=_("信箱"), empty_label=_("请选择信箱"))
    kind = forms.ChoiceField(label=_("来信类型"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("来信内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(
        label=_("附件（可选，PDF或图片，最多3个，每个不超过10MB）"), extensions=PUBLIC_EXTENSIONS, max_files=3
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    publish_consent = forms.BooleanField(label=_("同意在答复后公开本信（姓名、电话等个人信息将隐去）"), required=False)
    website = forms.CharField(required=False, label=_("请勿填写此项"))
    token = forms.CharField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("验证问题"), max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = guide_organizations()
        self.fields["kind"].choices = offered_kinds()
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["body"].widget.attrs["maxlength"] = 5000
        self.init_challenge()

    def clean(self):
        data = super().clean()
        if data.get("phone"):
            try:
                data["phone"] = clean_phone(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc.message_dict.get("phone", exc.messages))
        if (
            not data.get("phone")
            and not data.get("email")
            and not self.has_error("phone")
            and not self.has_error("email")
        ):
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项，以便答复。"))
        self.check_challenge()
        return data


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("查询号"), max_length=30)
    query_code = forms.CharField(
        label=_("查询码"), max_length=40, widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对答复是否满意"), choices=Rating.choices, widget=forms.RadioSelect)


class PublicFilterForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, required=False, label=_("信箱"))
    kind = forms.ChoiceField(required=False, label=_("类型"))
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("年份"))
    q = forms.CharField(required=False, max_length=50, label=_("关键词"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = MailboxChoiceField(
            queryset=guide_organizations(), required=False, label=_("信箱"), empty_label=_("全部信箱")
        )
        self.fields["kind"].choices = [("", _("全部类型"))] + offered_kinds()


# --- staff step forms ---------------------------------------------------------------


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class SimpleStepForm(StepForm):
    pass


class TransferForm(StepForm):
    to_organization = MailboxChoiceField(queryset=None, label=_("转办至"))
    reason = forms.CharField(label=_("转办理由"), max_length=300)

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = guide_organizations()
        if letter is not None:
            qs = qs.exclude(pk=letter.organization_id)
        self.fields["to_organization"].queryset = qs


class MergeForm(StepForm):
    into_number = forms.CharField(label=_("合并至来信（查询号）"), max_length=30)


class RejectForm(StepForm):
    category = forms.ChoiceField(label=_("类别"), choices=RejectCategory.choices)
    reason = forms.CharField(label=_("理由（来信人可见）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(StepForm):
    text = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("答复附件（可选）"), extensions=PUBLIC_EXTENSIONS, max_files=5)


class ExtensionRequestForm(StepForm):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=MAX_EXTENSION_DAYS, initial=5)
    reason = forms.CharField(label=_("延期理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(StepForm):
    comment = forms.CharField(label=_("意见"), max_length=300, required=False)


class PublishForm(StepForm):
    public_title = forms.CharField(label=_("公开标题"), max_length=100, required=False)
    public_body = forms.CharField(
        label=_("公开的来信内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    public_reply = forms.CharField(
        label=_("公开的答复内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class UnpublishForm(StepForm):
    reason = forms.CharField(label=_("撤销理由"), max_length=300)


class ConvertForm(StepForm):
    """What an information request needs and a letter lacks (Art 29)."""

    applicant_category = forms.ChoiceField(label=_("申请人类别"))
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = forms.CharField(label=_("证件号码"), max_length=40)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False, help_text=_("留空则使用来信人的电话"))
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    form_wanted = forms.ChoiceField(label=_("信息的载体形式"), choices=FormWanted.choices)
    delivery_method = forms.ChoiceField(label=_("获取信息的方式"), choices=DeliveryMethod.choices)

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_category"].choices = ApplicantCategory.grouped_choices()

    def applicant_data(self):
        keys = ("applicant_category", "id_type", "id_number", "phone", "address", "form_wanted", "delivery_method")
        return {k: self.cleaned_data.get(k) or "" for k in keys}


class ForwardForm(forms.Form):
    """转为来信 from a request answered 不予处理 (信访举报投诉类): the kind and title of the new letter."""

    kind = forms.ChoiceField(label=_("来信类型"))
    title = forms.CharField(label=_("标题"), max_length=100, required=False, help_text=_("留空则使用默认标题"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import LetterKind

        self.fields["kind"].choices = LetterKind.choices
        self.fields["kind"].initial = LetterKind.COMPLAINT
