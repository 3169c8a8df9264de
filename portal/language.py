"""The visitor's language: Chinese unless the visitor chose otherwise.

A Chinese government site is Chinese for everyone whose browser happens to send
``Accept-Language: en`` (a phone bought abroad, an English-language OS); English is
offered, never imposed. So the language comes only from the visitor's explicit choice
— the language cookie, set by the footer's plain links — and ``Accept-Language`` is
ignored. The links are GET requests: choosing a language changes nothing but the
cookie, so it needs no CSRF token, and pages do not set a ``csrftoken`` cookie just to
show the switch (which also kept every page out of shared caches).
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme


def supported(code):
    return code in {c for c, _name in settings.LANGUAGES}


def chosen_language(request):
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if supported(code) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Replaces Django's LocaleMiddleware: the cookie or the default, nothing else."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def choose(request, code):
    """``/i18n/lang/<code>/?next=…``: remember the visitor's choice and go back."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if supported(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    response["Cache-Control"] = "no-store"
    return response
