"""适老化与无障碍: the visitor's display modes (大字版, 高对比度, 长辈版), without JavaScript.

政府网站发展指引 (国办发〔2017〕47号), the 互联网应用适老化及无障碍改造 rules and GB/T 37668 ask a
government site to offer larger type, a high-contrast scheme and a simplified layout for
elders, and to keep them working for people whose browser runs no script. So every mode is a
plain GET link in the toolbar of every page (like the language switch in ``portal/language.py``):
the link sets a cookie and goes back; the server then writes the modes as classes on
``<html>`` (``context processor display``) and the stylesheet does the rest. The links name the
state they lead to (``/display/large/on/``), not a toggle, so following one twice — a double
click, a reload, a bookmark — never flips the mode back. The modes combine freely;
``/display/reset/`` (恢复默认) forgets them all.

Choosing a mode changes nothing but the visitor's own cookie, so a GET without CSRF token is
safe, and the redirect is ``no-store`` so no cache keeps one visitor's choice for another.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_noop

COOKIE_NAME = "zwgk_display"
COOKIE_MAX_AGE = 365 * 24 * 3600
# In the toolbar's order; the value is the toolbar label (translated where it is written,
# ``portal/templatetags/chrome.py``).
MODES = {
    "large": gettext_noop("大字版"),
    "contrast": gettext_noop("高对比度"),
    "elder": gettext_noop("长辈版"),
}
ON, OFF = "on", "off"


def chosen_modes(request):
    """The modes the visitor switched on, in the toolbar's order; unknown words are ignored."""
    words = set(request.COOKIES.get(COOKIE_NAME, "").split("."))
    return [mode for mode in MODES if mode in words]


def _safe_next(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return next_url


def _redirect_with(request, modes):
    response = HttpResponseRedirect(_safe_next(request))
    if modes:
        response.set_cookie(
            COOKIE_NAME,
            ".".join(m for m in MODES if m in modes),
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    response["Cache-Control"] = "no-store"
    return response


def choose(request, mode, state):
    """``/display/<mode>/<on|off>/?next=…``: switch one mode, keep the others, go back."""
    modes = set(chosen_modes(request))
    if mode in MODES and state == ON:
        modes.add(mode)
    elif mode in MODES and state == OFF:
        modes.discard(mode)
    return _redirect_with(request, modes)


def reset(request):
    """``/display/reset/?next=…`` (恢复默认): every mode off."""
    return _redirect_with(request, set())


def display(request):
    """Context processor: the modes, and the classes for ``<html>``; the toolbar's links are
    written by ``{% display_toolbar %}`` (``portal/templatetags/chrome.py``)."""
    modes = chosen_modes(request)
    return {
        "display_modes": modes,
        "display_classes": " ".join(f"mode-{mode}" for mode in modes),
    }
