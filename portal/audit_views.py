"""The audit page for administrators (安全审计): filter the log, export it as CSV.

Who sees what: a superuser the whole log; an organisation's 管理员 (``portal.view_auditentry``)
what the accounts of its own subtree did, including failed logins naming those accounts. The
CSV goes through ``portal.exports.safe_row`` (a username typed as ``=HYPERLINK(…)`` stays text)
and each export is itself audited.
"""

import csv
from datetime import datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import audit
from .decorators import staff_permission_required
from .exports import safe_row
from .models import AuditEntry, AuditEvent, AuditOutcome, User
from .permissions import organization_scope

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def _event_choices():
    codes = audit.event_codes()
    return [("", _("全部"))] + sorted(((c, str(label)) for c, label in codes.items()), key=lambda x: x[1])


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=gettext_lazy("账号"), required=False, max_length=150)
    event = forms.ChoiceField(label=gettext_lazy("事件"), required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("结果"), required=False, choices=[("", gettext_lazy("全部"))] + AuditOutcome.choices
    )
    ip = forms.CharField(label=gettext_lazy("来源地址"), required=False, max_length=45)
    start = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = _event_choices()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        for name in ("user", "ip"):
            if "\x00" in (data.get(name) or ""):
                raise forms.ValidationError(_("查询条件含有不允许的字符。"))
        return data


def visible_entries(user):
    qs = AuditEntry.objects.select_related("actor", "content_type")
    if user.is_superuser:
        return qs
    scope = organization_scope(user)
    names = User.objects.filter(organization__in=scope).values("username")
    return qs.filter(Q(actor__organization__in=scope) | Q(actor__isnull=True, username__in=names))


def filtered(request):
    form = AuditFilterForm(request.GET or None)
    qs = visible_entries(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            qs = qs.filter(Q(username__icontains=data["user"]) | Q(actor__full_name__icontains=data["user"]))
        if data["event"]:
            qs = qs.filter(event=data["event"])
        if data["outcome"]:
            qs = qs.filter(outcome=data["outcome"])
        if data["ip"]:
            qs = qs.filter(ip__startswith=data["ip"].strip())
        zone = timezone.get_current_timezone()
        if data["start"]:
            qs = qs.filter(at__gte=datetime.combine(data["start"], time.min, tzinfo=zone))
        if data["end"]:
            qs = qs.filter(at__lt=datetime.combine(data["end"] + timedelta(days=1), time.min, tzinfo=zone))
    elif form.is_bound:
        qs = qs.none()
    return form, qs


@never_cache
@staff_permission_required("portal.view_auditentry")
def audit_log(request):
    form, qs = filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@never_cache
@staff_permission_required("portal.view_auditentry")
def audit_export(request):
    form, qs = filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response.write("\ufeff")  # Excel and WPS read UTF-8 only with the byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        safe_row(
            [_("时间"), _("账号"), _("姓名"), _("事件"), _("结果"), _("来源地址"), _("对象"), _("状态变化"), _("说明")]
        )
    )
    count = 0
    for entry in qs[:EXPORT_LIMIT]:
        states = (
            f"{entry.from_state} → {entry.to_state}"
            if (entry.from_code or entry.to_code or entry.from_state or entry.to_state)
            else ""
        )
        writer.writerow(
            safe_row(
                [
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.username,
                    getattr(entry.actor, "full_name", "") or "",
                    entry.verb,
                    entry.get_outcome_display(),
                    entry.ip,
                    entry.object_repr,
                    states,
                    entry.detail,
                ]
            )
        )
        count += 1
    audit.record_event(
        AuditEvent.AUDIT_EXPORT,
        actor=request.user,
        request=request,
        rows=count,
        filters={k: v for k, v in request.GET.items() if v},
    )
    return response
