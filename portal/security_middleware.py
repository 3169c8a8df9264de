"""Response headers and input checks every page shares (等保 2.0: 访问控制, 入侵防范).

Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and COOP from settings and
django-csp sends the Content-Security-Policy; this adds what neither does: a
``Permissions-Policy`` and ``Cache-Control: no-store`` on staff pages and private files, and
a 400 for a NUL byte anywhere in the address or a form before it can reach PostgreSQL (which
refuses NUL in text with a server error).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .inputs import has_nul

DEFAULT_NO_STORE_PREFIXES = ("/gkgl/", "/staff/", "/admin/", "/ysqgk/status/")


def _no_store(path: str) -> bool:
    prefixes = getattr(settings, "PORTAL_NO_STORE_PREFIXES", DEFAULT_NO_STORE_PREFIXES)
    return path.startswith(tuple(prefixes))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PORTAL_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        if _no_store(request.path_info) or getattr(response, "private_download", False):
            # Officers' pages show applicants' names, IDs and phones; the browser's back
            # button or a shared proxy must not keep a copy.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class RejectNulMiddleware:
    """Refuse a NUL (or an undecodable form) with the Chinese 400 page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request.path_info):
            raise BadRequest(_("请求中含有不允许的控制字符。"))
        try:
            pairs = list(request.GET.lists())
            if request.method == "POST":
                pairs += list(request.POST.lists())
        except (RequestDataTooBig, TooManyFieldsSent):
            raise
        except (UnicodeDecodeError, LookupError, ValueError) as exc:
            raise BadRequest(_("无法读取提交的内容，请使用 UTF-8 编码。")) from exc
        for key, values in pairs:
            if has_nul(key) or any(has_nul(v) for v in values):
                raise BadRequest(_("请求中含有不允许的控制字符。"))
        return self.get_response(request)
