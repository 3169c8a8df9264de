"""The public statistics page and the staff dashboard: each table with its SVG chart and CSV.

Charts are separate ``image/svg+xml`` responses shown with ``<img>``, so the
pages carry neither script nor inline style; the numbers are in the table
beside each chart.
"""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.exports import safe_row
from portal.permissions import ensure_perm, organization_scope
from portal.selectors import guide_organizations

from . import charts, stats

VIEW = "annual.view_annualreport"


def _public_orgs():
    return guide_organizations()


def _staff_orgs(user):
    return organization_scope(user).exclude(kind__in=["village", "community"]).order_by("tree_id", "lft")


def _svg(table):
    response = HttpResponse(charts.render(table), content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _csv(table, filters):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(table.headers))
    for row in table.rows:
        writer.writerow(safe_row(row))
    org = filters.organization.code if filters.organization else "all"
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}-{filters.year}-{org}.csv"'
    return response


def _default(request):
    """Staff see their own subtree unless they choose a part of it; superusers see everything."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    return user.organization


def _page(request, template, organizations, names, chart_url, csv_url, extra=None, *, staff=False):
    filters = stats.parse_filters(request.GET, organizations, _default(request) if staff else None)
    tables = stats.build(names, filters, organizations)
    context = {
        "filters": filters,
        "tables": tables,
        "organizations": organizations,
        "years": list(range(stats.clock.today().year, 2019, -1)),
        "chart_url": chart_url,
        "csv_url": csv_url,
        "querystring": filters.querystring(),
        "all_label": _("全部机构") if not staff or _default(request) is None else "",
    }
    context.update(extra or {})
    return render(request, template, context)


def _one(request, organizations, names, name, *, staff=False):
    if name not in names:
        raise Http404(_("没有这张统计表。"))
    filters = stats.parse_filters(request.GET, organizations, _default(request) if staff else None)
    return filters, stats.build([name], filters, organizations)[0]


def public_statistics(request):
    return _page(
        request,
        "annual/statistics.html",
        _public_orgs(),
        stats.PUBLIC_TABLES,
        "annual:statistics_chart",
        "annual:statistics_csv",
    )


def public_chart(request, name):
    _filters, table = _one(request, _public_orgs(), stats.PUBLIC_TABLES, name)
    return _svg(table)


def public_csv(request, name):
    filters, table = _one(request, _public_orgs(), stats.PUBLIC_TABLES, name)
    return _csv(table, filters)


def _staff(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        ensure_perm(request.user, VIEW)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_staff
def dashboard(request):
    return _page(
        request,
        "annual/staff/dashboard.html",
        _staff_orgs(request.user),
        stats.STAFF_TABLES,
        "annual_staff:chart",
        "annual_staff:csv",
        {"section": "dashboard"},
        staff=True,
    )


@_staff
def staff_chart(request, name):
    _filters, table = _one(request, _staff_orgs(request.user), stats.STAFF_TABLES, name, staff=True)
    return _svg(table)


@_staff
def staff_csv(request, name):
    filters, table = _one(request, _staff_orgs(request.user), stats.STAFF_TABLES, name, staff=True)
    return _csv(table, filters)
