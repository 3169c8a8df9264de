"""django-import-export glue: the catalog table formats, the resource and the admin buttons.

The official table does not map one row to one model instance, so the
resource hands the whole sheet to :mod:`catalog.importer` and turns its report
into django-import-export's ``Result``. That keeps the admin's
preview-before-confirm flow (the preview is a dry run rolled back) while the
rules live in the importer and the services.
"""

from collections import OrderedDict

import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.resources import Resource
from import_export.results import Error, Result, RowResult

from portal import workdays
from portal.models import Organization
from portal.permissions import can_access_org, organization_scope

from . import importer, spreadsheet
from .models import CatalogEntry, Channel

# --------------------------------------------------------------------------- formats


def grid_from_dataset(dataset):
    return spreadsheet.Grid(
        rows=[["" if v is None else str(v) for v in row] for row in dataset], name=dataset.title or ""
    )


def _dataset_from_grid(grid):
    dataset = tablib.Dataset(title=grid.name or None)
    for row in grid.rows:
        dataset.append(row)
    return dataset


class CatalogXLSX(base_formats.XLSX):
    """.xlsx in the official layout: title row, two header rows, merged cells."""

    def create_dataset(self, in_stream):
        return _dataset_from_grid(spreadsheet.read_xlsx(in_stream))

    def export_data(self, dataset, **kwargs):
        return spreadsheet.write_xlsx(dataset.title or "", list(dataset.headers), [list(r) for r in dataset])


class CatalogCSV(base_formats.CSV):
    """CSV in the same layout; read as bytes so that GBK files from Chinese Excel work too."""

    def create_dataset(self, in_stream, **kwargs):
        return _dataset_from_grid(spreadsheet.read_csv(in_stream))

    def export_data(self, dataset, **kwargs):
        return spreadsheet.write_csv(dataset.title or "", list(dataset.headers), [list(r) for r in dataset])

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


FORMATS = {"xlsx": CatalogXLSX, "csv": CatalogCSV}


def format_for(file_name, default="xlsx"):
    suffix = str(file_name).rsplit(".", 1)[-1].lower() if "." in str(file_name) else default
    return FORMATS.get(suffix)


# --------------------------------------------------------------------------- the resource


class CatalogImportError(Exception):
    """A problem that belongs to the whole file (no header, no permission)."""


class CatalogResource(Resource):
    """The catalog as a table in the official layout, for one target: the standard catalog or an organisation's."""

    seq = Field(column_name=gettext_lazy("序号"))
    domain = Field(column_name=gettext_lazy("领域"))
    level1 = Field(column_name=gettext_lazy("公开事项〔一级事项〕"))
    level2 = Field(column_name=gettext_lazy("公开事项〔二级事项〕"))
    content = Field(column_name=gettext_lazy("公开内容（要素）"))
    basis = Field(column_name=gettext_lazy("公开依据"))
    time_limit = Field(column_name=gettext_lazy("公开时限"))
    body = Field(column_name=gettext_lazy("公开主体"))
    channels = Field(column_name=gettext_lazy("公开渠道和载体"))
    audience = Field(column_name=gettext_lazy("公开对象〔全社会｜特定群体〕"))
    method = Field(column_name=gettext_lazy("公开方式〔主动｜依申请〕"))
    level = Field(column_name=gettext_lazy("公开层级〔县级｜乡级〕"))

    @classmethod
    def get_display_name(cls):
        return str(gettext_lazy("政务公开事项目录（官方表格格式）"))

    def __init__(self, organization=None, user=None, domain=None, reason=None, **kwargs):
        super().__init__(**kwargs)
        self.organization = organization
        self.user = user
        self.domain = domain
        self.reason = reason

    def export(self, queryset=None, **kwargs):
        title, headers, rows = importer.export_table(organization=self.organization, domain=self.domain)
        return tablib.Dataset(*rows, headers=headers, title=title)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        sheet = spreadsheet.parse(grid_from_dataset(dataset))
        report = importer.import_sheet(
            sheet,
            actor=kwargs.get("user") or self.user,
            organization=self.organization,
            file_name=kwargs.get("file_name", ""),
            reason=self.reason,
            dry_run=dry_run,
            progress=kwargs.get("progress"),
        )
        self.report = report
        return result_from_report(report, sheet)


PREVIEW_HEADERS = (
    gettext_lazy("行号"),
    gettext_lazy("领域"),
    gettext_lazy("公开事项"),
    gettext_lazy("公开时限"),
    gettext_lazy("公开主体"),
    gettext_lazy("公开渠道和载体"),
    gettext_lazy("处理"),
)


def result_from_report(report, sheet):
    """django-import-export's Result: one row per sheet row, problems as invalid rows or base errors."""
    result = Result()
    result.diff_headers = [str(h) for h in PREVIEW_HEADERS]
    result.total_rows = len(sheet.rows)
    result.problems = report.problems
    result.ignored_columns = report.ignored
    result.new_parents = report.new_parents
    by_row = OrderedDict()
    for problem in report.problems:
        if problem.row is None:
            result.append_base_error(Error(CatalogImportError(str(problem))))
            continue
        key = f"{problem.column.letter} {problem.column.label}" if problem.column else NON_FIELD_ERRORS
        by_row.setdefault(problem.row, {}).setdefault(key, []).append(problem.message)
    for number, errors in sorted(by_row.items()):
        result.append_invalid_row(number, {}, ValidationError(errors))
        row_result = RowResult()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        result.increment_row_result_total(row_result)
    if report.problems:
        return result
    labels = dict(Channel.choices)
    for outcome in report.outcomes:
        row_result = RowResult()
        row_result.import_type = outcome.kind
        row_result.instance = outcome.entry
        row_result.add_instance_info(outcome.entry)
        channels = "、".join(str(labels[c]) for c in outcome.effective.get("channels") or [] if c in labels)
        summary = "；".join([s for s in [outcome.summary, *outcome.notes] if s])
        row_result.diff = [
            outcome.row.number,
            outcome.domain.name,
            "／".join(outcome.row.names),
            outcome.effective.get("time_limit_text", ""),
            outcome.effective.get("responsible_body", ""),
            channels,
            summary,
        ]
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result


# --------------------------------------------------------------------------- admin


class _OrganizationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "—" * obj.level + " " + obj.name if obj.level else obj.name


class CatalogImportForm(ImportForm):
    organization = _OrganizationField(
        queryset=Organization.objects.none(),
        required=False,
        label=gettext_lazy("导入到"),
        empty_label=gettext_lazy("标准目录（仅系统管理员）"),
        help_text=gettext_lazy(
            "选择机构：文件中与标准目录同名的事项纳入该机构目录，时限、主体、渠道不同的记为本机构调整，"
            "其余作为本地事项新增。留空则导入标准目录。"
        ),
    )
    field_order = ["resource", "organization", "import_file", "format"]


class CatalogConfirmImportForm(ConfirmImportForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), required=False, widget=forms.HiddenInput
    )


class CatalogExportForm(ExportForm):
    organization = _OrganizationField(
        queryset=Organization.objects.none(),
        required=False,
        label=gettext_lazy("导出"),
        empty_label=gettext_lazy("标准目录"),
        help_text=gettext_lazy("选择机构则导出该机构目录（含本机构调整后的时限、主体、渠道和本地事项）。"),
    )
    domain = forms.ModelChoiceField(
        queryset=CatalogEntry.objects.none(),
        required=False,
        label=gettext_lazy("领域"),
        empty_label=gettext_lazy("全部领域"),
    )


class CatalogImportExportMixin(ImportExportMixin):
    """Import and export buttons for the catalog changelist, in the official table layout."""

    resource_classes = [CatalogResource]
    formats = [CatalogXLSX, CatalogCSV]
    import_form_class = CatalogImportForm
    confirm_form_class = CatalogConfirmImportForm
    export_form_class = CatalogExportForm
    import_template_name = "admin/catalog/catalogentry/import.html"
    import_error_display = ("message",)
    skip_admin_log = True  # the services and the importer write the portal's own audit log

    def has_import_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm("catalog.change_adoption"))

    def has_export_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.has_perm("catalog.view_catalogentry"))

    def _scope_organizations(self, form, request, field="organization"):
        form.fields[field].queryset = organization_scope(request.user).order_by("tree_id", "lft")
        if not request.user.is_superuser:
            form.fields[field].required = True
            form.fields[field].empty_label = None
        return form

    def create_import_form(self, request):
        return self._scope_organizations(super().create_import_form(request), request)

    def create_confirm_form(self, request, import_form=None):
        return self._scope_organizations(super().create_confirm_form(request, import_form), request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            organization = import_form.cleaned_data.get("organization")
            initial["organization"] = organization.pk if organization else ""
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        organization = None
        if form is not None and getattr(form, "cleaned_data", None):
            organization = form.cleaned_data.get("organization")
        if organization is not None and not can_access_org(request.user, organization):
            raise PermissionDenied(_("您只能处理本机构及下级机构的数据。"))
        return {"organization": organization, "user": request.user}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, spreadsheet.SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", _("无法读取文件（%(error)s），请确认选择了正确的格式。") % {"error": e})

    def add_success_message(self, result, request):
        summary = importer.summary_counts(
            result.totals[RowResult.IMPORT_TYPE_NEW],
            getattr(result, "new_parents", 0),
            result.totals[RowResult.IMPORT_TYPE_UPDATE],
            result.totals[RowResult.IMPORT_TYPE_SKIP],
        )
        messages.success(request, _("导入完成：%(summary)s") % {"summary": summary})

    def export_action(self, request):
        """The export form with a target (standard catalog or an organisation) and an optional domain."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        formats = self.get_export_formats()
        form = CatalogExportForm(formats, self.get_export_resource_classes(request), data=request.POST or None)
        self._scope_organizations(form, request)
        form.fields["organization"].required = False
        form.fields["organization"].empty_label = CatalogExportForm.base_fields["organization"].empty_label
        form.fields["domain"].queryset = CatalogEntry.objects.domains().standard().order_by("sort_order", "name")
        if form.is_valid():
            file_format = formats[int(form.cleaned_data["format"])]()
            organization = form.cleaned_data.get("organization")
            domain = form.cleaned_data.get("domain")
            resource = CatalogResource(organization=organization, user=request.user, domain=domain)
            data = file_format.export_data(resource.export())
            name = "%s-%s.%s" % (
                (organization.name if organization else _("标准目录")) + (f"-{domain.name}" if domain else ""),
                workdays.today().isoformat(),
                file_format.get_extension(),
            )
            response = HttpResponse(data, content_type=file_format.get_content_type())
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        context = self.init_request_context_data(request, form)
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.export_template_name], context=context)
