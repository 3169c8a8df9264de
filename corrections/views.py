"""Public pages under /hdjl/jc/ (我要纠错): the report form and the answer by reference.

The footer of every page links here with the page's address as ``?url=``; only a path of
this site is kept (anything else is dropped, so the link cannot be turned into an open
redirect or a way to file reports about other sites). The answer page shows the state and
the answer, never the reporter's details.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal import ratelimit
from portal.net import client_ip

from . import owners, selectors, services
from .forms import LookupForm, ReportForm

DEFAULT_LIMITS = {"report": 5, "failure": 20, "lookup": 30}


def _limit(kind):
    limits = getattr(settings, "CORRECTION_RATE_LIMITS", {})
    return {"limit": limits.get(kind, DEFAULT_LIMITS[kind]), "window": 3600}


@never_cache
def report(request):
    address = client_ip(request)
    if request.method == "POST":
        for kind in ("report", "failure"):
            result = ratelimit.peek(f"jc:{kind}", address, **_limit(kind))
            if not result.allowed:
                return ratelimit.too_many_requests(request, result.retry_after)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    created = services.submit(
                        page_url=owners.normalize(form.cleaned_data["url"], host=request.get_host()),
                        kind=form.cleaned_data["kind"],
                        description=form.cleaned_data["description"],
                        name=form.cleaned_data["name"],
                        contact=form.cleaned_data["contact"],
                        ip=address,
                    )
                    ratelimit.hit("jc:report", address, **_limit("report"))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return render(request, "corrections/done.html", {"report": created})
        if form.non_field_errors() or form.has_error("answer"):
            ratelimit.hit("jc:failure", address, **_limit("failure"))
        form.refresh_challenge()
    else:
        form = ReportForm(initial={"url": owners.normalize(request.GET.get("url", ""), host=request.get_host())})
    page = owners.normalize(form["url"].value() or "", host=request.get_host())
    return render(request, "corrections/report.html", {"form": form, "page_path": page})


@never_cache
def lookup(request):
    address = client_ip(request)
    form = LookupForm(request.GET or None)
    found, missing = None, False
    if form.is_bound:
        limited = ratelimit.peek("jc:lookup", address, **_limit("lookup"))
        if not limited.allowed:
            return ratelimit.too_many_requests(request, limited.retry_after)
        if form.is_valid():
            found = selectors.public_report(form.cleaned_data["reference"])
            if found is None:
                ratelimit.hit("jc:lookup", address, **_limit("lookup"))
                missing = True
    return render(request, "corrections/lookup.html", {"form": form, "found": found, "missing": missing})
