"""Forms: they check and present input; the services decide and change state."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from portal import filetypes, workdays
from portal.selectors import guide_organizations

from . import antispam, clock
from .models import (
    ApplicantCategory,
    Channel,
    DeliveryMethod,
    FeeBasis,
    FormWanted,
    IdType,
    NoticeDelivery,
    PauseReason,
    Request,
    outcome_grouped_choices,
)
from .validators import clean_id_number, clean_phone

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt", "ofd", "zip"}
PUBLIC_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "ofd"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked for size and type."""

    def __init__(self, *args, extensions=ALLOWED_EXTENSIONS, max_files=5, **kwargs):
        self.extensions, self.max_files = extensions, max_files
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(f, initial) for f in files]
        files = [f for f in files if f]
        if len(files) > self.max_files:
            raise ValidationError(_("最多上传%(n)d个文件。") % {"n": self.max_files})
        for upload in files:
            suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in self.extensions:
                raise ValidationError(
                    _("不支持的文件类型“%(name)s”，请上传 %(types)s 格式。")
                    % {"name": upload.name[:60], "types": "、".join(sorted(self.extensions))}
                )
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("文件“%(name)s”超过10MB。") % {"name": upload.name[:60]})
            if not filetypes.matches_extension(upload, upload.name):
                # The name is chosen by whoever uploads; the bytes decide (an HTML page
                # named .pdf would otherwise be handed to officers as a document).
                raise ValidationError(
                    _("文件“%(name)s”的内容与其扩展名不符，请上传真实的 %(types)s 文件。")
                    % {"name": upload.name[:60], "types": "、".join(sorted(self.extensions))}
                )
        return files


class ApplicantFieldsMixin:
    """The fields of Art 29 with the identity-document checks; shared by online and staff intake."""

    def clean_postcode(self):
        import unicodedata

        return unicodedata.normalize("NFKC", self.cleaned_data.get("postcode") or "").strip()

    def clean(self):
        data = super().clean()
        category, id_type, number = data.get("applicant_category"), data.get("id_type"), data.get("id_number")
        if category and id_type and number:
            try:
                data["id_number"] = clean_id_number(category, id_type, number)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        if data.get("phone"):
            try:
                data["phone"] = clean_phone(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc.message_dict["phone"])
        method = data.get("delivery_method")
        if method == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", _("选择电子邮件获取信息时，请填写电子邮箱。"))
        if method == DeliveryMethod.POST and not data.get("address"):
            self.add_error("address", _("选择邮寄获取信息时，请填写通信地址。"))
        return data

    def applicant_data(self):
        from .services import APPLICANT_FIELDS

        return {f: self.cleaned_data.get(f) or "" for f in APPLICANT_FIELDS}


class ApplicationForm(antispam.ChallengeFormMixin, ApplicantFieldsMixin, forms.ModelForm):
    """The citizen's online application."""

    organization = forms.ModelChoiceField(
        queryset=guide_organizations(), label=_("受理机关"), empty_label=_("请选择受理机关")
    )
    # Not shown to people (hidden by CSS and aria-hidden); bots fill it in.
    website = forms.CharField(required=False, label=_("请勿填写此项"))
    token = forms.CharField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("验证问题"), max_length=10)
    consent = forms.BooleanField(
        label=_("我确认以上信息真实，并同意受理机关为办理本申请使用我的个人信息"),
        error_messages={"required": _("请确认后提交。")},
    )

    class Meta:
        model = Request
        fields = [
            "organization",
            "applicant_category",
            "applicant_name",
            "id_type",
            "id_number",
            "contact_person",
            "phone",
            "email",
            "address",
            "postcode",
            "description",
            "purpose",
            "form_wanted",
            "delivery_method",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "form_wanted": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = guide_organizations()
        self.fields["applicant_category"].choices = [("", _("请选择"))] + ApplicantCategory.grouped_choices()
        self.fields["id_type"].choices = [("", _("请选择"))] + list(IdType.choices)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["delivery_method"].choices = list(DeliveryMethod.choices)
        self.fields["form_wanted"].choices = list(FormWanted.choices)
        self.fields["description"].validators.append(MaxLengthValidator(5000))
        self.fields["description"].widget.attrs["maxlength"] = 5000
        self.init_challenge()

    def clean(self):
        data = super().clean()
        self.check_challenge()
        return data


class IntakeForm(ApplicantFieldsMixin, forms.ModelForm):
    """Staff register an application received on paper, by post, fax or in person (Art 31)."""

    organization = forms.ModelChoiceField(queryset=None, label=_("受理机关"))
    receipt_date = forms.DateField(
        label=_("收到申请日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("当面提交：提交当日；邮寄：签收之日（平常信函以与申请人确认之日）；传真、网络：双方确认之日。"),
    )

    class Meta:
        model = Request
        fields = [
            "organization",
            "channel",
            "receipt_date",
            "applicant_category",
            "applicant_name",
            "id_type",
            "id_number",
            "contact_person",
            "phone",
            "email",
            "address",
            "postcode",
            "description",
            "purpose",
            "form_wanted",
            "delivery_method",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["channel"].choices = [(c.value, c.label) for c in Channel if c != Channel.ONLINE] + [
            (Channel.ONLINE.value, _("互联网渠道（电子邮件等，非本网站在线申请）"))
        ]
        self.fields["applicant_category"].choices = [("", _("请选择"))] + ApplicantCategory.grouped_choices()
        self.fields["receipt_date"].initial = clock.today()

    def clean_receipt_date(self):
        value = self.cleaned_data["receipt_date"]
        if value > clock.today():
            raise ValidationError(_("收到申请日期不能晚于今天。"))
        return value


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label=_("查询号"), max_length=30)
    query_code = forms.CharField(
        label=_("查询码"), max_length=40, widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
    )


class SupplementForm(forms.Form):
    text = forms.CharField(
        label=_("补正内容"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    files = MultipleFileField(
        label=_("补正材料（可选，PDF或图片，每个不超过10MB）"), extensions=PUBLIC_EXTENSIONS, max_files=3
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("我确认撤回本申请（撤回后不能恢复）"), error_messages={"required": _("请勾选确认后再撤回。")}
    )


# --- staff step forms -------------------------------------------------------


def _date_field(label, required=False):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("留空为今天")
    )


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class RegisterForm(StepForm):
    receipt_date = _date_field(_("确认收到日期"))


class SimpleStepForm(StepForm):
    pass


class SupplementRequestForm(StepForm):
    items = forms.CharField(label=_("需要补正的事项（一次性告知全部）"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(
        label=_("补正期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空按本机关默认期限"),
    )
    on = _date_field(_("告知日期"))


class StaffSupplementForm(StepForm):
    text = forms.CharField(label=_("补正内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    files = MultipleFileField(label=_("补正材料"))
    on = _date_field(_("收到补正日期"))


class HandlerForm(StepForm):
    handler = forms.ModelChoiceField(queryset=None, label=_("办理人"), required=False)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        from portal.models import User

        self.fields["handler"].queryset = User.objects.filter(pk__in=[h.pk for h in handlers])


class ConsultationForm(StepForm):
    reason = forms.ChoiceField(
        label=_("类型"),
        choices=[
            (PauseReason.THIRD_PARTY.value, PauseReason.THIRD_PARTY.label),
            (PauseReason.OTHER_AGENCY.value, PauseReason.OTHER_AGENCY.label),
        ],
    )
    party = forms.CharField(label=_("被征求意见方"), max_length=200)
    on = _date_field(_("发出日期"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ResumeForm(StepForm):
    on = _date_field(_("收到意见或缴费日期"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ExtensionRequestForm(StepForm):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=clock.MAX_EXTENSION_DAYS, initial=20)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(StepForm):
    comment = forms.CharField(label=_("意见"), max_length=300, required=False)


class FeeForm(StepForm):
    basis = forms.ChoiceField(label=_("收费标准（只能选一种）"), choices=FeeBasis.choices, widget=forms.RadioSelect)
    # Bounded: 10³⁰ pages would overflow the fee's decimal column (a 500 on PostgreSQL).
    pages = forms.IntegerField(label=_("页数（按量计收）"), min_value=0, max_value=1_000_000, required=False)
    on = _date_field(_("通知日期"))


class ReplyForm(StepForm):
    outcome = forms.ChoiceField(label=_("办理结果"))
    decision = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
    legal_basis = forms.CharField(
        label=_("法律依据"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("不予公开、无法提供、不予处理的必须填写"),
    )
    files = MultipleFileField(label=_("公开的信息（附件）"))
    on = _date_field(_("答复日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", _("请选择"))] + outcome_grouped_choices()


class WithdrawStaffForm(StepForm):
    reason = forms.CharField(label=_("撤回说明（如书面撤回申请的日期）"), max_length=300)
    on = _date_field(_("撤回日期"))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内部备注（申请人看不到）"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class AttachForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    kind = forms.ChoiceField(label=_("类别"), choices=[("internal", _("内部材料")), ("disclosed", _("公开的信息"))])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return MultipleFileField(max_files=1).clean([upload])[0]


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=NoticeDelivery.choices)
    delivered_on = forms.DateField(
        label=_("送达日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("留空为现在")
    )
    note = forms.CharField(label=_("送达说明（如邮件单号、签收人）"), max_length=200, required=False)

    def delivered_at(self):
        from django.utils import timezone

        day = self.cleaned_data.get("delivered_on")
        if not day or day == workdays.today():
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
