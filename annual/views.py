"""Public pages of the column's 年报 sub-column (/zwgk/annual-reports/): published reports only."""

from itertools import groupby

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import exports, presentation
from .models import AnnualReport, ReportState


def published():
    return AnnualReport.objects.filter(state=ReportState.PUBLISHED).select_related("organization")


def _published_or_404(pk):
    report = published().filter(pk=pk).first()
    if report is None:
        raise Http404(_("没有找到这份年度报告。"))
    return report


def report_list(request):
    reports = published().order_by("-year", "organization__tree_id", "organization__lft", "scope")
    years = [(year, list(items)) for year, items in groupby(reports, key=lambda r: r.year)]
    return render(request, "annual/list.html", {"years": years})


def report_detail(request, pk):
    report = _published_or_404(pk)
    return render(request, "annual/report.html", presentation.context(report))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(report):
    """A published report's spreadsheet streams from the store; a draft's is made afresh."""
    if report.is_published:
        return FileResponse(
            exports.stored(report, "xlsx"),
            as_attachment=True,
            filename=exports.filename(report, "xlsx"),
            content_type=XLSX_TYPE,
        )
    response = HttpResponse(exports.workbook(report), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "xlsx")}"'
    return response


def pdf_response(report):
    """A published report's PDF streams from the store; a draft's is rendered afresh."""
    try:
        if report.is_published:
            return FileResponse(
                exports.stored(report, "pdf"),
                as_attachment=True,
                filename=exports.filename(report, "pdf"),
                content_type="application/pdf",
            )
        data = exports.pdf(report)
    except RuntimeError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "pdf")}"'
    return response


def report_xlsx(request, pk):
    return xlsx_response(_published_or_404(pk))


def report_pdf(request, pk):
    return pdf_response(_published_or_404(pk))
