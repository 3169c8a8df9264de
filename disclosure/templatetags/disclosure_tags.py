import datetime as dt
import functools
from html import escape

from django import template
from django.template.base import render_value_in_context
from django.template.defaulttags import querystring
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from disclosure import selectors
from disclosure.models import ItemKind, Validity
from portal.templatetags.memo_i18n import kept_translations
from portal.templatetags.memo_urls import reverse_remembered

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


def _around_pk(view_name):
    """The address of ``view_name`` for an object before and after its number (reversed once, not per row)."""
    before, after = reverse_remembered(view_name, (0,)).rsplit("/0/", 1)
    return before, after


def _escaped(value):
    """``conditional_escape(value)`` as text, without the wrapper that looks for lazy arguments.

    A list page escapes some 60 values in its rows, and the wrapper was half of each call
    (issue 10). Markup (search's highlighted title) is kept as it is; anything else is
    escaped as Django's ``escape`` does it, a lazy translation included.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


@register.simple_tag
def entry_nav_items(entries):
    """The ``<li>`` links of a domain page's 按公开事项浏览 list, one per ``(id, name, level)``.

    A domain has a hundred entries or more, and ``{% url %}`` per entry (a reverse each) was
    a third of an uncached domain page (issue 10); the address is reversed once and the
    entry's number put in its place.
    """
    before, after = _around_pk("disclosure:entry")
    return mark_safe(  # noqa: S308 (names are escaped, the rest is ours)
        "".join(
            f'<li class="level-{int(level)}"><a href="{before}/{int(pk)}/{after}">{escape(name)}</a></li>'
            for pk, name, level in entries
        )
    )


_ROW_BADGES = (gettext_noop("解读"), gettext_noop("索引号或文号相符"))


@register.simple_tag
def item_rows(items):
    """The ``<li>`` rows of a list of items (every list page and the search results).

    Written in Python for the reason of :func:`option_tags`: twenty rows of ten tags each
    were about a third of an uncached list page in the template engine (issue 10). The
    markup is the one the template loop wrote, byte for byte; a row shows the title (or
    search's highlighted title), the validity, 解读 and exact-match badges, search's
    snippet, the organisation, the 文号 and the day of publication (in the site's time zone).
    """
    before, after = _around_pk("disclosure:item")
    interpretation, exact = kept_translations(_ROW_BADGES)
    zone = timezone.get_current_timezone()
    parts = []
    for item in items:
        title = getattr(item, "title_highlighted", None) or item.title
        validity = item.validity
        badge = (
            f'<span class="badge badge-{_escaped(validity)}">{_escaped(item.get_validity_display())}</span>'
            if validity != Validity.VALID
            else ""
        )
        kind = ""
        if item.kind == ItemKind.INTERPRETATION:
            kind = f'<span class="badge badge-interpretation">{interpretation}</span>'
        match = f'<span class="badge badge-exact">{exact}</span>' if getattr(item, "exact", None) else ""
        snippet = getattr(item, "snippet", None)
        snippet = f'<p class="snippet">{_escaped(snippet)}</p>' if snippet else ""
        number = item.document_number
        number = f"<span>{_escaped(number)}</span>" if number else ""
        day = _day(item.published_at, zone)
        organization = getattr(item, "organization_name", None) or item.organization.name
        parts.append(
            f'\n  <li>\n    <a class="item-title" href="{before}/{int(item.pk)}/{after}">'
            f"{_escaped(title)}</a>"
            f"\n    {badge}\n    {kind}\n    {match}\n    {snippet}"
            f'\n    <span class="item-meta"><span>{_escaped(organization)}</span>{number}'
            f'<time datetime="{day}">{day}</time></span>\n  </li>\n  '
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


def _day(moment, zone):
    """``moment|date:"Y-m-d"`` as the template wrote it: in the time zone ``zone``, "" for none.

    A moment is shown in ``zone``; a date (成文日期, 实施日期) as it is.

    The caller looks the current zone up once for all its rows (a context-local read each).
    """
    if not moment:
        return ""
    if isinstance(moment, dt.datetime) and timezone.is_aware(moment):
        moment = moment.astimezone(zone)
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"  # "Y-m-d" without the formatter's setup per call


# The metadata table's row labels, in its order, and the labels of the dates 有效性 can show.
_METADATA_LABELS = (
    gettext_noop("索引号"),
    gettext_noop("主题分类"),
    gettext_noop("发布机构"),
    gettext_noop("成文日期"),
    gettext_noop("文号"),
    gettext_noop("发布日期"),
    gettext_noop("有效性"),
    gettext_noop("公开方式"),
    gettext_noop("主题词"),
)
_VALIDITY_DATE_LABELS = (gettext_noop("实施日期："), gettext_noop("失效日期："), gettext_noop("废止日期："))


@register.simple_tag
def item_metadata(item):
    """The metadata table of an item page and its print view (索引号, 主题分类, 发布机构 …).

    Written in Python for the reason of :func:`item_rows`: its nine rows, their labels and
    five date filters were the largest part of an uncached item page's template, a quarter
    of a millisecond (issue 10). The markup is the one ``_metadata.html`` wrote, byte for
    byte (tests/disclosure/test_item_metadata.py keeps that template and compares).
    Dates are days in the site's time zone, as the ``date`` filter shows them; an empty
    field shows "—".
    """
    zone = timezone.get_current_timezone()
    published = _day(item.published_at, zone)
    if item.last_revised_at:
        revised = gettext("%(d)s 修订") % {"d": _day(item.last_revised_at, zone)}
        published += f' <span class="badge">{_escaped(revised)}</span>'
    validity = _escaped(item.get_validity_display())
    days = (item.effective_on, item.expired_on, item.repealed_on)
    for label, day in zip(kept_translations(_VALIDITY_DATE_LABELS), days, strict=True):
        if day:
            validity += f'<span class="meta-date">{label}{_day(day, zone)}</span>'
    values = (
        _escaped(item.index_number or "—"),
        _escaped(item.subject or "—"),
        _escaped(item.organization.name),
        _day(item.written_on, zone) or "—",
        _escaped(item.document_number or "—"),
        published,
        validity,
        _escaped(item.publication_mode),
        _escaped(item.keywords or "—"),
    )
    cells = "".join(
        f'    <tr><th scope="row">{label}</th><td>{value}</td></tr>\n'
        for label, value in zip(kept_translations(_METADATA_LABELS), values, strict=True)
    )
    return mark_safe(f'<table class="data fields metadata">\n  <tbody>\n{cells}  </tbody>\n</table>\n')  # noqa: S308 (escaped above)


@register.simple_tag
def entry_crumbs(domain, entries):
    """The breadcrumb's links from a domain down through catalog entries (item and entry pages).

    The item page's path as a template loop was a tenth of its template (issue 10)."""
    links = [f'<a href="{reverse_remembered("disclosure:domain", (domain.pk,))}">{_escaped(domain.name)}</a>']
    links += [f'<a href="{reverse_remembered("disclosure:entry", (e.pk,))}">{_escaped(e.name)}</a>' for e in entries]
    return mark_safe("".join(links))  # noqa: S308 (escaped above)


_PAGINATION_LABELS = (gettext_noop("分页"), gettext_noop("上一页"), gettext_noop("下一页"))


@register.simple_tag(takes_context=True)
def pagination(context, page_obj):
    """The 上一页 · 第 n / m 页 · 下一页 bar of every paged list, nothing when there is one page.

    Written in Python for the reason of :func:`item_rows`: its conditions, two query strings
    and the page count's sentence were a twentieth of an uncached list page in the template
    engine (issue 10). The markup is the one ``_pagination.html`` wrote, byte for byte
    (tests/disclosure/test_pagination.py keeps that template and compares). The links keep
    the list's other parameters (Django's ``querystring``); an estimated count says 约.
    """
    has_other_pages = getattr(page_obj, "has_other_pages", None)  # as the template read a missing page
    if has_other_pages is None or not has_other_pages():
        return "\n"
    label, previous, following = kept_translations(_PAGINATION_LABELS)
    where = {
        "n": render_value_in_context(page_obj.number, context),
        "total": render_value_in_context(page_obj.paginator.num_pages, context),
    }
    if getattr(page_obj.paginator, "estimated", False):
        where = gettext("第 %(n)s / 约 %(total)s 页") % where
    else:
        where = gettext("第 %(n)s / %(total)s 页") % where
    before = after = ""
    if page_obj.has_previous():
        address = _escaped(querystring(context, page=page_obj.previous_page_number()))
        before = f'<a href="{address}" rel="prev">{previous}</a>'
    if page_obj.has_next():
        address = _escaped(querystring(context, page=page_obj.next_page_number()))
        after = f'<a href="{address}" rel="next">{following}</a>'
    return mark_safe(  # noqa: S308 (the addresses are escaped, the rest is ours or the translation's)
        f'\n<nav class="pagination" aria-label="{label}">\n  {before}\n  <span>{where}</span>\n  {after}\n</nav>\n\n'
    )
