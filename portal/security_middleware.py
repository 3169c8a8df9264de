"""Response headers and input checks every page shares (等保 2.0: 访问控制, 入侵防范).

Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and COOP from settings and
django-csp sends the Content-Security-Policy; this adds what neither does: a
``Permissions-Policy`` and ``Cache-Control: no-store`` on staff pages and private files, and
a 400 for a NUL byte anywhere in the address or a form before it can reach PostgreSQL (which
refuses NUL in text with a server error).
"""

from __future__ import annotations

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .inputs import has_nul

DEFAULT_NO_STORE_PREFIXES = ("/gkgl/", "/staff/", "/admin/", "/ysqgk/status/")


def _no_store(path: str) -> bool:
    prefixes = getattr(settings, "PORTAL_NO_STORE_PREFIXES", DEFAULT_NO_STORE_PREFIXES)
    return path.startswith(tuple(prefixes))


# What a view or a nonce can change in django-csp's header, per response or request.
_PER_RESPONSE_PARTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)


@cache
def _fixed_policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, value, excluded path prefixes) of the policies the settings fix."""
    policies = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            policies.append((header, value, tuple(prefixes)))
    return tuple(policies)


@receiver(setting_changed)
def _forget_fixed_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _fixed_policies.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware, with the header built once per process rather than per response.

    The portal's policy is fixed by settings: no page uses a nonce (there is no inline code)
    and no view a ``csp_*`` decorator. django-csp still rebuilt the same two strings from the
    settings for every response, about a sixth of what the whole middleware stack costs a
    page (measured in bench/RESULTS.md, eleventh pass). A response with a decorator's parts,
    a request that took a nonce, or DEBUG's exempted error pages go the library's own way.
    """

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or isinstance(getattr(request, "_csp_nonce", None), str)
            or any(hasattr(response, part) for part in _PER_RESPONSE_PARTS)
        ):
            return super().process_response(request, response)
        for header, value, prefixes in _fixed_policies():
            if header not in response and not request.path_info.startswith(prefixes):
                response[header] = value
        # As the library does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


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
