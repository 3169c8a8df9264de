"""Queries of the staff queue and the statistics."""

from __future__ import annotations

from statistics import median

from django.db.models import Count

from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar

from .models import ANSWERED_STATES, ErrorReport, ReportState

OPEN_STATES = (ReportState.NEW, ReportState.IN_HAND)


def queue(user, state=None):
    qs = ErrorReport.objects.filter(organization__in=organization_scope(user)).select_related("organization")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES).order_by("due_on", "received_at", "id")
    elif state in ReportState.values:
        qs = qs.filter(state=state).order_by("-received_at", "-id")
    else:
        qs = qs.order_by("-received_at", "-id")
    return qs


def scoped(user, pk):
    return (
        ErrorReport.objects.filter(organization__in=organization_scope(user))
        .select_related("organization", "handled_by")
        .filter(pk=pk)
        .first()
    )


def public_report(reference):
    reference = (reference or "").strip().upper()[:16]
    if not reference.startswith("JC"):
        return None
    return (
        ErrorReport.objects.filter(reference=reference)
        .only("reference", "state", "received_on", "due_on", "answered_on", "answer", "page_url", "kind")
        .first()
    )


def statistics(user, start, end, today):
    """Reports received in [start, end] in the user's subtree: by state, by organisation, answer times.

    Answer time is counted in working days from the day received to the day answered (that
    day not counted), with one calendar for the whole page.
    """
    qs = ErrorReport.objects.filter(
        organization__in=organization_scope(user), received_on__gte=start, received_on__lte=end
    )
    by_state = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    answered = list(qs.filter(state__in=ANSWERED_STATES).values_list("received_on", "answered_on", "due_on"))
    calendar = WorkingCalendar()
    spans = [calendar.working_days_between(r, a) for r, a, _due in answered if a]
    on_time = sum(1 for _r, a, due in answered if a and a <= due)
    overdue_open = qs.filter(state__in=OPEN_STATES, due_on__lt=today).count()
    rows = (
        qs.values("organization__name", "organization__tree_id", "organization__lft")
        .annotate(n=Count("id"))
        .order_by("organization__tree_id", "organization__lft")
    )
    by_org = []
    for row in rows:
        by_org.append({"name": row["organization__name"], "count": row["n"]})
    total = sum(by_state.values())
    return {
        "total": total,
        "by_state": [(state, label, by_state.get(state, 0)) for state, label in ReportState.choices],
        "answered": len(answered),
        "on_time": on_time,
        "on_time_rate": round(100 * on_time / len(answered)) if answered else None,
        "average_days": round(sum(spans) / len(spans), 1) if spans else None,
        "median_days": median(spans) if spans else None,
        "longest_days": max(spans) if spans else None,
        "overdue_open": overdue_open,
        "by_org": by_org,
    }
