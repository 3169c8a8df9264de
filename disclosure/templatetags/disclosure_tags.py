import functools
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from disclosure import selectors

register = template.Library()


@register.inclusion_tag("disclosure/_latest.html")
def latest_items(limit=8):
    """The newest public items, for the home page."""
    return {"items": list(selectors.latest(limit))}


@register.simple_tag
def option_tags(choices, selected=None):
    """The ``<option>`` elements of a filter select, one marked ``selected``.

    Written in Python rather than a template loop: the organisation select alone has one
    option per organisation (233 in a real county), and looping over them in the template
    engine was most of an uncached list page's time (issue 10, ``bench/RESULTS.md``).
    ``choices`` holds (value, label) pairs, objects with ``pk`` and ``name``, or plain values.
    """
    chosen = "" if selected is None or selected == "" else str(selected)
    parts = []
    for choice in choices:
        if isinstance(choice, tuple):
            value, label = choice
        elif hasattr(choice, "pk"):
            value, label = choice.pk, choice.name
        else:
            value = label = choice
        value = str(value)
        head, tail = _option(value, str(label))
        parts.append(head + (" selected" if value == chosen else "") + tail)
    return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped in _option)


@functools.lru_cache(maxsize=8192)
def _option(value: str, label: str) -> tuple[str, str]:
    """An option's escaped markup before and after its ``selected`` (the same on every page)."""
    return f'<option value="{escape(value)}"', f">{escape(label)}</option>"


@register.simple_tag
def entry_nav_items(entries):
    """The ``<li>`` links of a domain page's 按公开事项浏览 list, one per ``(id, name, level)``.

    A domain has a hundred entries or more, and ``{% url %}`` per entry (a reverse each) was
    a third of an uncached domain page (issue 10); the address is reversed once and the
    entry's number put in its place.
    """
    sample = reverse("disclosure:entry", args=[0])
    before, after = sample.rsplit("/0/", 1)
    return mark_safe(  # noqa: S308 (names are escaped, the rest is ours)
        "".join(
            f'<li class="level-{int(level)}"><a href="{before}/{int(pk)}/{after}">{escape(name)}</a></li>'
            for pk, name, level in entries
        )
    )
