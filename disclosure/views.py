"""The public disclosure column: lists, item pages, downloads, search, subscriptions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog.selectors import search_entries
from portal import ratelimit
from portal.models import Organization
from portal.net import client_ip
from portal.pagecache import public_page

from . import filetypes, paging, selectors, subscriptions
from .forms import SubscribeForm
from .models import Attachment, DisclosureItem, ItemState, ItemVersion

PAGE_SIZE = paging.PAGE_SIZE


def _filtered_rows(filters):
    """The filtered list as a queryset, built only if the page needs it.

    The compiled shape reads the rows and the count is remembered, so most pages never run
    the queryset; building it in the ORM was a twentieth of an uncached list page (issue 10).
    """
    return SimpleLazyObject(lambda: selectors.apply_filters(selectors.list_rows(), filters))


def _page(request, filters):
    """20 rows and whether there are more; the list's count is remembered (``list_count``)."""
    qs = _filtered_rows(filters)
    return paging.get_page(
        qs,
        request.GET.get("page"),
        PAGE_SIZE,
        counted=selectors.list_count(filters, qs),
        source=selectors.rows_for(filters),
    )


def _list(request, *, template="disclosure/list.html", heading="", **fixed):
    filters = selectors.parse_filters(request.GET, **fixed)
    return render(
        request,
        template,
        {
            "page_obj": _page(request, filters),
            "filters": filters,
            "options": selectors.filter_options(),
            "heading": heading,
            **fixed,
        },
    )


@public_page
def item_list(request):
    return _list(request, heading=_("政府信息"))


@public_page
def domain_list(request, pk):
    domain = selectors.domain_for_page(pk)
    if domain is None:
        raise Http404
    filters = selectors.parse_filters(request.GET, domain=domain)
    return render(
        request,
        "disclosure/domain.html",
        {
            "domain": domain,
            "entries": selectors.domain_entries(domain),
            "page_obj": (
                # The keys are the domain's public items: the rows need no filter but theirs.
                paging.get_page_of_keys(
                    SimpleLazyObject(selectors.list_rows),
                    selectors.domain_keys(domain),
                    request.GET.get("page"),
                    PAGE_SIZE,
                    by_keys=selectors.rows_by_keys,
                )
                if selectors.only_domain(filters)
                else _page(request, filters)
            ),
            "filters": filters,
            "options": selectors.filter_options(),
        },
    )


@public_page
def entry_list(request, pk):
    found = selectors.entry_for_page(pk)
    if found is None:
        raise Http404
    entry, ancestors = found
    filters = selectors.parse_filters(request.GET, entry=entry, domain=ancestors[0])
    return render(
        request,
        "disclosure/entry.html",
        {
            "entry": entry,
            "ancestors": ancestors,
            "domain": ancestors[0],
            "page_obj": _page(request, filters),
            "filters": filters,
            "options": selectors.filter_options(),
        },
    )


@public_page
def organization_list(request, pk):
    organization = selectors.organization_for_page(pk)
    if organization is None:
        raise Http404
    filters = selectors.parse_filters(request.GET, organization=organization)
    filters.include_subtree = organization.kind in selectors.VILLAGE_KINDS or request.GET.get("sub") == "1"
    return render(
        request,
        "disclosure/organization.html",
        {
            "organization": organization,
            "villages": selectors.villages_of(organization),
            "page_obj": _page(request, filters),
            "filters": filters,
            "options": selectors.filter_options(),
            "is_village": organization.kind in selectors.VILLAGE_KINDS,
        },
    )


@public_page
def organizations(request):
    orgs = list(Organization.objects.order_by("tree_id", "lft"))
    return render(
        request,
        "disclosure/organizations.html",
        {
            "organizations": [o for o in orgs if o.kind not in selectors.VILLAGE_KINDS],
            "villages": [o for o in orgs if o.kind in selectors.VILLAGE_KINDS],
        },
    )


@public_page
def year_list(request, year):
    if not 1949 <= year <= 2100:
        raise Http404
    return _list(request, heading=_("%(year)d年政府信息") % {"year": year}, year=year)


@public_page
def item_detail(request, pk, print_view=False):
    item = selectors.item_for_page(pk)
    if item is None or item.revision_of_id is not None:
        raise Http404
    if item.state == ItemState.WITHDRAWN:
        return render(request, "disclosure/tombstone.html", {"item": item}, status=410)
    if item.state != ItemState.PUBLISHED:
        raise Http404
    domain, path = selectors.breadcrumbs_for(item)
    return render(
        request,
        "disclosure/print.html" if print_view else "disclosure/item.html",
        {
            "item": item,
            "domain": domain,
            "path": path,
            "versions": item.version_list,
        },
    )


@public_page
def item_print(request, pk):
    return item_detail(request, pk, print_view=True)


@public_page
def version_detail(request, pk, number):
    item = get_object_or_404(DisclosureItem.objects.select_related("organization"), pk=pk, revision_of__isnull=True)
    if item.state == ItemState.WITHDRAWN:
        return render(request, "disclosure/tombstone.html", {"item": item}, status=410)
    if item.state != ItemState.PUBLISHED:
        raise Http404
    version = get_object_or_404(ItemVersion.objects.prefetch_related("attachments"), item=item, number=number)
    return render(
        request,
        "disclosure/version.html",
        {
            "item": item,
            "version": version,
            "is_current": version.number == item.version_number,
        },
    )


def attachment_download(request, pk):
    """Serve a file of a public item (current or earlier version) under its original name."""
    attachment = get_object_or_404(Attachment.objects.select_related("item"), pk=pk)
    item = attachment.item
    if item.state == ItemState.WITHDRAWN:
        return render(request, "disclosure/tombstone.html", {"item": item}, status=410)
    if not item.is_public:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=filetypes.mime_for(attachment.file_type, attachment.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@public_page
def search(request):
    query = selectors.clean_query(request.GET.get("q", ""))
    filters = selectors.parse_filters(request.GET)
    options = selectors.filter_options()
    page_obj = None
    entries = []
    results = None
    facets = []
    if query:
        results = selectors.search_results(query, filters)
        # Pages run over the ranked candidates on PostgreSQL: the newest SEARCH_CANDIDATES plus exact matches.
        counted = results.total
        if selectors.search.uses_postgres(DisclosureItem) and results.facets_of_newest:
            counted = (len(results.candidates), False)
        page_obj = paging.get_page(
            selectors.search_items(query, filters, candidates=results.candidates),
            request.GET.get("page"),
            PAGE_SIZE,
            counted=counted,
        )
        page_obj.object_list = selectors.with_snippets(page_obj.object_list, query)
        facets = selectors.search_facets(results, filters, query, options)
        entries = list(search_entries(query, limit=10))
    total = results.total if results else None
    return render(
        request,
        "disclosure/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "filters": filters,
            "options": options,
            "entries": entries,
            "total": total[0] if total else 0,
            "total_display": paging.count_display(*total) if total else "",
            "ranked_newest": bool(results and results.facets_of_newest),
            "candidates": selectors.site_search.SEARCH_CANDIDATES,
            "facets": facets,
        },
    )


@require_http_methods(["GET", "POST"])
def _subscribe_limited(request, form):
    """Refuse (429) a burst of subscriptions from one address, or of confirmation mails to one mailbox.

    Each subscription mails a confirmation link: without a limit the form is a way to
    flood a stranger's mailbox from the government's mail server.
    """
    limits = getattr(settings, "DISCLOSURE_SUBSCRIBE_LIMITS", {})
    per_address = limits.get("address", (10, 3600))
    per_email = limits.get("email", (3, 86400))
    allowance = ratelimit.hit("subscribe:ip", client_ip(request), limit=per_address[0], window=per_address[1])
    if not allowance.allowed:
        return ratelimit.too_many_requests(request, allowance.retry_after)
    email = (request.POST.get("email") or "").strip().lower()[:254]
    if email and form.is_valid():
        allowance = ratelimit.hit("subscribe:email", email, limit=per_email[0], window=per_email[1])
        if not allowance.allowed:
            return ratelimit.too_many_requests(
                request, allowance.retry_after, _("该邮箱近期已收到多封确认邮件，请查收邮件或稍后再试。")
            )
    return None


def subscribe(request):
    form = SubscribeForm(
        request.POST or None,
        initial={
            "domain": request.GET.get("domain") or None,
            "organization": request.GET.get("org") or None,
        },
    )
    if request.method == "POST":
        limited = _subscribe_limited(request, form)
        if limited is not None:
            return limited
    if request.method == "POST" and form.is_valid():
        base = request.build_absolute_uri("/")
        try:
            for target in ("domain", "organization"):
                if form.cleaned_data.get(target):
                    subscriptions.subscribe(
                        form.cleaned_data["email"], base_url=base, **{target: form.cleaned_data[target]}
                    )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("确认邮件将发送到您的邮箱，请打开邮件中的链接完成订阅。"))
            return redirect("disclosure:subscribe")
    return render(request, "disclosure/subscribe.html", {"form": form})


def subscription_confirm(request, token):
    try:
        subscription = subscriptions.confirm(token)
    except ValidationError as exc:
        return render(request, "disclosure/subscription_done.html", {"error": exc.messages[0]}, status=404)
    return render(request, "disclosure/subscription_done.html", {"subscription": subscription, "confirmed": True})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        subscriptions.unsubscribe(token)
        return render(request, "disclosure/subscription_done.html", {"unsubscribed": True})
    from .models import Subscription

    subscription = Subscription.objects.filter(token=token).select_related("domain", "organization").first()
    return render(request, "disclosure/unsubscribe.html", {"subscription": subscription, "token": token})
