"""The parts of ``base.html`` that differ from page to page, written in Python.

Most of the chrome is the same on every page and is rendered once per language
(``{% fragment %}``). What is left depends on the page's own address: the display toolbar's
links (适老化, ``portal/display.py``) and the language links each carry ``?next=`` with it.
As template loops they were a sixth of an uncached item page's template (three tools with
their states, two languages with their comparisons, issue 10); here they are a few
string joins. The markup is the loops' markup (``tests/portal/test_chrome.py`` keeps the
loops and compares).
"""

import functools
from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop

from portal import display
from portal.templatetags.memo_i18n import kept_translations
from portal.templatetags.memo_urls import reverse_remembered

register = template.Library()

_MODE_LABELS = tuple(display.MODES.values())
_TOOLBAR_LABELS = (gettext_noop("（已开启）"), gettext_noop("恢复默认"))


def _full_path(context):
    request = context.get("request")
    return request.get_full_path() if request is not None else None


@register.simple_tag(takes_context=True)
def display_toolbar(context):
    """The toolbar's ``<li>`` links: each mode leads to its other state, then 恢复默认.

    Each link names the state it leads to and brings the visitor back to this page; a page
    rendered without a request (no address to come back to) shows no links."""
    path = _full_path(context)
    if path is None:
        return ""
    here = urlencode({"next": path})
    modes = context.get("display_modes", ())
    on_label, reset_label = kept_translations(_TOOLBAR_LABELS)
    parts = []
    for mode, label in zip(display.MODES, kept_translations(_MODE_LABELS), strict=True):
        on = mode in modes
        url = reverse_remembered("display_mode", (mode, display.OFF if on else display.ON))
        state = f'<span class="a11y-state">{on_label}</span>' if on else ""
        classes = "a11y-tool is-on" if on else "a11y-tool"
        parts.append(f'<li><a class="{classes}" href="{url}?{here}" rel="nofollow">{label}{state}</a></li>')
    reset = reverse_remembered("display_reset")
    parts.append(f'<li><a class="a11y-tool" href="{reset}?{here}" rel="nofollow">{reset_label}</a></li>')
    return mark_safe("\n      ".join(parts))  # noqa: S308 (labels escaped, addresses quoted)


@functools.cache
def _languages(languages):
    """``(code, escaped name in its own language)`` of each of ``settings.LANGUAGES``."""
    return tuple((code, escape(translation.get_language_info(code)["name_local"])) for code, _name in languages)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The language switch: the current language as text, each other one a link back to this page."""
    path = _full_path(context)
    here = quote(path, safe="/") if path is not None else ""
    current = translation.get_language()
    parts = []
    for code, name in _languages(tuple(settings.LANGUAGES)):
        if code == current:
            parts.append(f'<span lang="{code}" aria-current="true">{name}</span>')
        else:
            url = reverse_remembered("choose_language", (code,))
            parts.append(f'<a lang="{code}" hreflang="{code}" href="{url}?next={here}">{name}</a>')
    return mark_safe("\n        ".join(parts))  # noqa: S308 (names escaped, addresses quoted)
