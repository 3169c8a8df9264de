"""Admin forms of the catalog: channels ticked from the fixed vocabulary, and the reason
and date every adjustment of an organisation's catalog carries.

The forms run the same ``services.clean_*`` rules the services apply, so a
mistake shows next to its field and nothing is saved; the services still
check everything again when they write.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.forms import MPTTAdminForm, TreeNodeChoiceField

from portal.models import Organization
from portal.permissions import organization_scope

from . import services
from .models import Adoption, AdoptionStatus, CatalogEntry, Channel

# Where the services name a value, and the form field that shows it.
SERVICE_FIELDS = {"reason": "adjustment_reason", "effective_date": "adjustment_date"}


class ChannelsField(forms.MultipleChoiceField):
    """公开渠道和载体 as checkboxes, refusing anything outside the vocabulary."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid_choice": _("未知的公开渠道：%(value)s")}

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Channel.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("公开渠道和载体"))
        super().__init__(**kwargs)


def reason_field(required=True, initial=""):
    return forms.CharField(
        label=_("调整理由"),
        required=required,
        initial=initial,
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"required": _("请填写调整理由。")},
        help_text=_("写明为什么调整（如“本乡无此项业务”），记入调整记录并对外公开。"),
    )


def date_field(required=True):
    return forms.DateField(
        label=_("调整日期"),
        required=required,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写调整日期。"), "invalid": _("调整日期无法识别，应写成 2026-03-01。")},
        help_text=_("调整生效的日期，不能晚于今天。"),
    )


def add_service_error(form, exc):
    """Show a service's ValidationError on the matching field, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = SERVICE_FIELDS.get(field, field)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def clean_note(form):
    """Apply the services' rules to the reason and date fields of ``form``."""
    data = form.cleaned_data
    for key, rule in (("adjustment_reason", services.clean_reason), ("adjustment_date", services.clean_effective_date)):
        if key in data and key not in form.errors:
            try:
                data[key] = rule(data[key])
            except ValidationError as exc:
                form.add_error(key, exc.messages)


class CatalogEntryForm(MPTTAdminForm):
    """A catalog entry; for a local entry also the reason and date of the adjustment."""

    channels = ChannelsField()
    adjustment_reason = reason_field(required=False)
    adjustment_date = date_field(required=False)

    user = None  # set by the admin

    class Meta:
        model = CatalogEntry
        fields = "__all__"

    def _organization(self):
        if self.instance.pk:
            return self.instance.organization
        return self.cleaned_data.get("organization")

    def content_changed(self):
        return [f for f in self.changed_data if f not in ("adjustment_reason", "adjustment_date")]

    def clean(self):
        data = super().clean()
        organization = self._organization()
        if organization is None:
            return data  # a standard entry: only superusers get this far, and it needs no reason
        parent = data.get("parent") if "parent" in self.fields else self.instance.parent
        if parent is not None and parent.is_local and parent.organization_id != organization.pk:
            self.add_error(
                "parent",
                gettext("“%(parent)s”是其他机构的本地事项；本地事项只能挂在标准目录事项或本机构的本地事项之下。")
                % {"parent": parent},
            )
        if parent is not None and data.get("name"):
            try:
                services.ensure_free_name(
                    parent, " ".join(data["name"].split()), organization, exclude_pk=self.instance.pk
                )
            except ValidationError as exc:
                add_service_error(self, exc)
        if not self.instance.pk or self.content_changed():
            if not (data.get("adjustment_reason") or "").strip() and "adjustment_reason" not in self.errors:
                self.add_error("adjustment_reason", gettext("请填写调整理由：本地事项的增加和修改都记入调整记录。"))
            clean_note(self)
        return data


class AdoptionOverrideForm(forms.ModelForm):
    """The organisation's own wording of an adopted entry, shown as the values now in force."""

    time_limit_text = forms.CharField(
        label=_("公开时限"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("与标准目录相同则沿用标准目录；写明“N个工作日”时自动识别工作日数。"),
    )
    responsible_body = forms.CharField(
        label=_("公开主体"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("与标准目录相同则沿用标准目录。"),
    )
    channels = ChannelsField(help_text=_("与标准目录相同则沿用标准目录。"))
    adjustment_reason = reason_field()
    adjustment_date = date_field()

    class Meta:
        model = Adoption
        fields = ["time_limit_text", "responsible_body", "channels"]

    override_values = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["time_limit_text"] = self.instance.effective_time_limit_text
            self.initial["responsible_body"] = self.instance.effective_responsible_body
            self.initial["channels"] = list(self.instance.effective_channels or [])

    def clean(self):
        data = super().clean()
        clean_note(self)
        if self.instance.status != AdoptionStatus.ADOPTED:
            self.add_error(None, gettext("该事项已排除出本机构目录，请先在列表中选中并“纳入”，再调整。"))
        values = {k: data[k] for k in ("time_limit_text", "responsible_body", "channels") if k in data}
        try:
            self.override_values = services.clean_override_values(self.instance.entry, values)
        except ValidationError as exc:
            add_service_error(self, exc)
        return data


def entry_choices(user):
    """Entries a user may put into a catalog: the standard ones and its subtree's local ones."""
    return CatalogEntry.objects.filter(
        Q(organization__isnull=True) | Q(organization__in=organization_scope(user))
    ).order_by("tree_id", "lft")


class AdoptionAddForm(forms.ModelForm):
    """Adopt one entry (and everything below it) into an organisation's catalog."""

    entry = TreeNodeChoiceField(
        queryset=CatalogEntry.objects.none(),
        label=_("事项"),
        help_text=_("纳入后，其下级事项一并纳入；已排除的上级事项同时恢复。"),
    )
    adjustment_reason = reason_field(initial=_("纳入本机构目录"))
    adjustment_date = date_field()

    user = None  # set by the admin

    class Meta:
        model = Adoption
        fields = ["organization", "entry"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = organization_scope(self.user)
        self.fields["organization"] = TreeNodeChoiceField(queryset=scope, label=_("机构"))
        if self.user is not None and self.user.organization_id:
            self.fields["organization"].initial = self.user.organization_id
        self.fields["entry"].queryset = entry_choices(self.user)

    def clean(self):
        data = super().clean()
        organization, entry = data.get("organization"), data.get("entry")
        if organization and entry and entry.is_local and entry.organization_id != organization.pk:
            self.add_error("entry", gettext("“%(entry)s”是其他机构的本地事项。") % {"entry": entry})
        clean_note(self)
        return data

    def validate_unique(self):
        """An entry excluded earlier is adopted again, not refused as a duplicate."""


class AdjustSelectedForm(forms.Form):
    """The intermediate page of the 纳入/排除 actions: reason, date and, from the tree, the organisation."""

    organization = TreeNodeChoiceField(queryset=Organization.objects.none(), label=_("机构"))
    adjustment_reason = reason_field()
    adjustment_date = date_field()

    def __init__(self, *args, user=None, with_organization=False, reason_initial="", **kwargs):
        super().__init__(*args, **kwargs)
        if with_organization:
            self.fields["organization"].queryset = organization_scope(user)
            if user is not None and user.organization_id:
                self.fields["organization"].initial = user.organization_id
        else:
            del self.fields["organization"]
        if reason_initial:
            self.fields["adjustment_reason"].initial = reason_initial

    def clean(self):
        data = super().clean()
        clean_note(self)
        return data
