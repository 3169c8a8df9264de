from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    """The Chinese 400 page (Django's own renders without the request, so no header links)."""
    return render(request, "400.html", status=400)


# --- the outbox: staff see what is waiting or failed, and send it again --------------------

from django.contrib import messages  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.shortcuts import get_object_or_404, redirect  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from . import outbox as outbox_service  # noqa: E402
from .decorators import staff_permission_required  # noqa: E402
from .models import MessageStatus  # noqa: E402

_OUTBOX_FILTERS = {
    "open": (MessageStatus.FAILED, MessageStatus.PENDING, MessageStatus.SENDING),
    "failed": (MessageStatus.FAILED,),
    "pending": (MessageStatus.PENDING, MessageStatus.SENDING),
    "sent": (MessageStatus.SENT,),
}


@staff_permission_required(outbox_service.VIEW)
def outbox(request):
    """Failed and waiting messages of the user's organisations (superusers: all), failed first.

    Addresses are masked and bodies never shown: a body may hold an applicant's query code.
    """
    shown = request.GET.get("status") if request.GET.get("status") in _OUTBOX_FILTERS else "open"
    qs = outbox_service.visible_to(request.user).filter(status__in=_OUTBOX_FILTERS[shown])
    failed_first = sorted(_OUTBOX_FILTERS[shown], key=lambda s: s != MessageStatus.FAILED)
    from django.db.models import Case, IntegerField, When

    qs = qs.annotate(
        rank=Case(*[When(status=s, then=i) for i, s in enumerate(failed_first)], output_field=IntegerField())
    ).order_by("rank", "-updated_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for message in page.object_list:
        message.masked_recipient = outbox_service.mask_address(message.recipient)
    return render(
        request,
        "portal/outbox.html",
        {
            "page": page,
            "shown": shown,
            "filters": [
                ("open", _("待处理")),
                ("failed", _("发送失败")),
                ("pending", _("待发送")),
                ("sent", _("已发送")),
            ],
            "can_resend": request.user.has_perm(outbox_service.RESEND),
            "counts": {
                "failed": outbox_service.visible_to(request.user).filter(status=MessageStatus.FAILED).count(),
                "pending": outbox_service.visible_to(request.user)
                .filter(status__in=(MessageStatus.PENDING, MessageStatus.SENDING))
                .count(),
            },
        },
    )


@require_POST
@staff_permission_required(outbox_service.RESEND)
def outbox_resend(request, pk):
    message = get_object_or_404(outbox_service.visible_to(request.user), pk=pk)
    try:
        outbox_service.resend(request.user, message)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已重新排队发送：%(subject)s") % {"subject": message.subject})
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/staff/outbox/") else "outbox")


# --- site furniture: /favicon.ico and the 党政机关网站标识 of the footer ------------------------

from pathlib import Path  # noqa: E402

from django.conf import settings as django_settings  # noqa: E402
from django.http import Http404, HttpResponse  # noqa: E402
from django.utils.cache import patch_cache_control  # noqa: E402

from . import filetypes  # noqa: E402
from .models import SiteSettings  # noqa: E402

_FAVICON = Path(django_settings.BASE_DIR) / "static" / "favicon.ico"


def favicon(request):
    """``/favicon.ico``, which browsers ask for whatever the page's ``<link rel="icon">`` says."""
    response = HttpResponse(_FAVICON.read_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=7 * 24 * 3600)
    return response


def site_logo(request, sha):
    """The uploaded 党政机关网站标识, addressed by its checksum (a new image is a new address)."""
    row = SiteSettings.objects.filter(conac_logo_sha=sha).only("conac_logo", "conac_logo_type").first()
    if row is None or not row.conac_logo:
        raise Http404(_("没有这个图片。"))
    response = HttpResponse(bytes(row.conac_logo), content_type=filetypes.mime_for(row.conac_logo_type))
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response


def staff_login(request, extra_context=None):
    """The admin's login page, landing on the user's workbench unless a page was asked for.

    A login without ``next`` (or with the admin index, which the admin puts there by default)
    goes to ``/account/``, which sends each role to its own workbench (portal.security).
    """
    from django.contrib import admin
    from django.urls import reverse

    workbench = reverse("portal:workbench")
    admin_index = reverse("admin:index")
    for name in ("GET", "POST"):
        params = getattr(request, name)
        if name == "POST" and request.method != "POST":
            continue
        if params.get("next", "") in ("", admin_index):
            params = params.copy()
            params["next"] = workbench
            setattr(request, name, params)
    return admin.site.login(request, extra_context)
