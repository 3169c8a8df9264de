"""Forms of the staff pages and the public subscription box. Services do the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogEntry
from portal.inputs import id_param
from portal.models import Organization
from portal.permissions import organization_scope

from . import filetypes, selectors, subjects
from .models import DisclosureItem, ReassessmentDecision, Validity
from .text import normalize_document_number, validate_body_nesting
from .widgets import BodyEditorWidget

ITEM_FIELDS = [
    "kind",
    "title",
    "catalog_entries",
    "disclosure_attribute",
    "attribute_reason",
    "document_type",
    "disclosure_rule",
    "five_disclosures",
    "subject",
    "document_number",
    "written_on",
    "formed_on",
    "effective_on",
    "keywords",
    "interpretation_form",
    "video_url",
    "interprets",
    "body",
    "revision_note",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def entry_choices(organization, keep=()):
    """The catalog entries the organisation has adopted, as "领域 › 事项 › 子项" labels.

    Only its own catalog (standard entries it adopted and its local entries), never the whole
    standard catalog; entries in ``keep`` (those an item already has) stay offered.
    """
    adopted = set(selectors.adopted_entry_ids(organization)) if organization is not None else set()
    wanted = adopted | {pk for pk in keep}
    if not wanted:
        return []
    trees = set(CatalogEntry.objects.filter(pk__in=wanted).values_list("tree_id", flat=True))
    nodes = list(
        CatalogEntry.objects.filter(tree_id__in=trees).order_by("tree_id", "lft").only("id", "name", "parent_id")
    )
    by_id = {n.pk: n for n in nodes}
    choices = []
    for node in nodes:
        if node.parent_id is None or node.pk not in wanted:
            continue
        names, parent = [node.name], by_id.get(node.parent_id)
        while parent is not None:
            names.append(parent.name)
            parent = by_id.get(parent.parent_id)
        choices.append((node.pk, " › ".join(reversed(names))))
    return choices


class ItemForm(forms.ModelForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("发布机构"))
    video_url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https")
    subject = forms.ChoiceField(label=_("主题分类"), required=False, help_text=_("按国务院公文主题分类选择。"))

    class Meta:
        model = DisclosureItem
        fields = ITEM_FIELDS
        widgets = {
            "written_on": DateInput(),
            "formed_on": DateInput(),
            "effective_on": DateInput(),
            "body": BodyEditorWidget(),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
            "catalog_entries": forms.SelectMultiple(attrs={"size": 8}),
            "interprets": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = organization_scope(user)
        self.fields["organization"].queryset = scope.order_by("tree_id", "lft")
        org = organization or (self.instance.organization if self.instance.pk else user.organization)
        self.fields["organization"].initial = org
        if self.instance.pk:
            self.fields["organization"].disabled = True
        if self.is_bound and not self.instance.pk:
            # The picker follows the organisation the clerk chose (within the scope).
            chosen = self.fields["organization"].queryset.filter(pk=id_param(self.data, "organization")).first()
            org = chosen or org
        self.entry_organization = org
        self.fields["catalog_entries"].queryset = CatalogEntry.objects.all()
        kept = list(self.instance.catalog_entries.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["catalog_entries"].choices = entry_choices(org, keep=kept)
        if not self.fields["catalog_entries"].choices:
            self.fields["catalog_entries"].help_text = _(
                "%(org)s尚未纳入任何目录事项，暂无可选事项。请先由管理员在“管理后台 → 标准目录”中为本机构纳入适用的"
                "标准目录事项或增加本地事项。"
            ) % {"org": org.name if org else ""}
        else:
            self.fields["catalog_entries"].help_text = _("只列出本机构目录中已纳入的事项。")
        self.fields["subject"].choices = subjects.choices(self.instance.subject if self.instance.pk else "")
        policies = selectors.interpretable_policies(user)
        if self.instance.pk:
            policies = policies.exclude(pk=self.instance.pk)
        self.fields["interprets"].queryset = policies.order_by("-published_at", "-id")
        self.fields["disclosure_attribute"].required = False
        if not (self.instance.pk and self.instance.revision_of_id):
            del self.fields["revision_note"]

    def clean_catalog_entries(self):
        entries = self.cleaned_data.get("catalog_entries") or []
        allowed = {pk for pk, _label in self.fields["catalog_entries"].choices}
        outside = [e.name for e in entries if e.pk not in allowed]
        if outside:
            raise ValidationError(
                _("“%(names)s”不在本机构已纳入的目录事项中，请重新选择。") % {"names": "、".join(outside)}
            )
        return entries

    def clean_document_number(self):
        return normalize_document_number(self.cleaned_data.get("document_number", ""))

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        validate_body_nesting(body)
        return body

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"),
        help_text=_("支持PDF、OFD、Word、Excel、WPS、图片和ZIP，系统按文件内容识别类型。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join("." + e for e in filetypes.accepted_extensions())}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("留空表示立即发布；填写将来的时间则到时自动发布。"),
    )

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and value <= timezone.now():
            return None
        return value


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(
        label=_("有效性"),
        choices=[(Validity.EXPIRED, Validity.EXPIRED.label), (Validity.REPEALED, Validity.REPEALED.label)],
    )
    on_date = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, *args, offered=None, **kwargs):
        """``offered``: the validities the item may move to now (the page offers no other)."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            field = self.fields["validity"]
            field.choices = [(value, label) for value, label in field.choices if value in offered]


class ReasonForm(forms.Form):
    """撤回原因 or 修订说明: optional here, so the service says in its own words when it is missing."""

    reason = forms.CharField(label=_("原因"), required=False, max_length=300)


class ReassessForm(forms.Form):
    decision = forms.ChoiceField(label=_("复核结论"), choices=ReassessmentDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("电子邮箱"))
    domain = forms.ModelChoiceField(
        queryset=CatalogEntry.objects.none(),
        required=False,
        label=_("领域"),
        empty_label=_("（不限）"),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("机构"),
        empty_label=_("（不限）"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = CatalogEntry.objects.domains().standard().order_by("sort_order", "name")
        self.fields["organization"].queryset = Organization.objects.order_by("tree_id", "lft")

    def clean(self):
        data = super().clean()
        if not data.get("domain") and not data.get("organization"):
            raise ValidationError(_("请选择要订阅的领域或机构（至少一项）。"))
        return data
