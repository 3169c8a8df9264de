import re

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from . import display, selectors
from .pagecache import public_page


@public_page
def home(request):
    """The portal's front page; domain apps fill it through their template tags.

    In 长辈版 (elder mode, ``portal/display.py``) it is the simplified home instead: four large
    buttons for what elders come to do — read the latest notices, check an application, phone
    the disclosure office, apply — and the latest items, nothing else.
    """
    if "elder" in display.chosen_modes(request):
        root = selectors.root_organization()
        phone = root.office_phone if root else ""
        return render(
            request,
            "portal/home_elder.html",
            {
                "office_phone": phone,
                "office_tel": re.sub(r"[^0-9+]", "", phone),
            },
        )
    return render(request, "portal/home.html")


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
