"""The display toolbar and the language links of every page (``portal/templatetags/chrome.py``).

Written in Python for speed (issue 10), they must stay what ``base.html``'s loops wrote: the
styles, the browser tests and screen readers rely on that markup. So the loops are kept here
and compared, for every combination of display modes, in both languages, on addresses with
a query string, Chinese and characters to escape. Only the amount of white space between
the links may differ (HTML shows any run of it as one space).
"""

import itertools
import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from portal import display

pytestmark = pytest.mark.django_db  # the request's context processors read the site settings

THE_LOOPS = Template(
    """{% load i18n %}{% get_current_language as LANGUAGE_CODE %}
{% for tool in display_tools %}<li><a class="a11y-tool{% if tool.on %} is-on{% endif %}" href="{{ tool.url }}" rel="nofollow">{{ tool.label }}{% if tool.on %}<span class="a11y-state">{% translate "（已开启）" %}</span>{% endif %}</a></li>
      {% endfor %}<li><a class="a11y-tool" href="{{ display_reset_url }}" rel="nofollow">{% translate "恢复默认" %}</a></li>
|
{% get_available_languages as LANGUAGES %}{% get_language_info_list for LANGUAGES as choices %}
        {% for choice in choices %}
        {% if choice.code == LANGUAGE_CODE %}<span lang="{{ choice.code }}" aria-current="true">{{ choice.name_local }}</span>{% else %}<a lang="{{ choice.code }}" hreflang="{{ choice.code }}" href="{% url 'choose_language' choice.code %}?next={{ request.get_full_path|urlencode }}">{{ choice.name_local }}</a>{% endif %}
        {% endfor %}
"""  # noqa: E501
)
THE_TAGS = Template("{% load chrome %}\n{% display_toolbar %}\n|\n{% language_links %}\n")


def _loops_context(request):
    """What the context processor gave the loops before the tags: the tools and the reset link."""
    modes = display.chosen_modes(request)
    here = urlencode({"next": request.get_full_path()})
    tools = [
        {
            "label": translation.gettext(label),
            "on": mode in modes,
            "url": f"{reverse('display_mode', args=(mode, 'off' if mode in modes else 'on'))}?{here}",
        }
        for mode, label in display.MODES.items()
    ]
    return {"display_tools": tools, "display_reset_url": f"{reverse('display_reset')}?{here}"}


def _spaced(html):
    return re.sub(r"\s+", " ", html).strip()


MODE_SETS = [".".join(c) for n in range(4) for c in itertools.combinations(display.MODES, n)]
ADDRESSES = [
    "/",
    "/zwgk/xxgk/item/12/",
    "/zwgk/xxgk/search/?q=%E4%BD%8E%E4%BF%9D&kind=document&page=2",
    "/zwgk/xxgk/search/?q=低保",
    '/x/?a=<b>&c="d"#e',
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("modes", MODE_SETS)
def test_the_toolbar_and_language_links_are_the_markup_the_loops_wrote(language, modes):
    for address in ADDRESSES:
        request = RequestFactory().get(address)
        request.COOKIES[display.COOKIE_NAME] = modes
        with translation.override(language):
            tags = THE_TAGS.render(RequestContext(request))
            loops = THE_LOOPS.render(RequestContext(request, _loops_context(request)))
        assert _spaced(tags) == _spaced(loops)


def test_each_link_leads_back_to_this_page_and_names_the_state_it_leads_to():
    request = RequestFactory().get("/zwgk/xxgk/search/?q=%E4%BD%8E%E4%BF%9D&page=2")  # q=低保
    request.COOKIES[display.COOKIE_NAME] = "contrast"
    with translation.override("zh-hans"):
        html = THE_TAGS.render(RequestContext(request))
    back = "next=%2Fzwgk%2Fxxgk%2Fsearch%2F%3Fq%3D%25E4%25BD%258E%25E4%25BF%259D%26page%3D2"
    assert f'<a class="a11y-tool" href="/display/large/on/?{back}" rel="nofollow">大字版</a>' in html
    assert (
        f'<a class="a11y-tool is-on" href="/display/contrast/off/?{back}" rel="nofollow">'
        '高对比度<span class="a11y-state">（已开启）</span></a>'
    ) in html
    assert f'href="/display/reset/?{back}" rel="nofollow">恢复默认</a>' in html
    assert '<span lang="zh-hans" aria-current="true">简体中文</span>' in html
    assert (
        'href="/i18n/lang/en/?next=/zwgk/xxgk/search/%3Fq%3D%25E4%25BD%258E%25E4%25BF%259D%26page%3D2">English</a>'
        in html
    )
    with translation.override("en"):
        html = THE_TAGS.render(RequestContext(request))
    assert 'rel="nofollow">High contrast<span class="a11y-state"> (on)</span></a>' in html  # the reader's language
    assert 'rel="nofollow">Reset to default</a>' in html
    assert '<span lang="en" aria-current="true">English</span>' in html


def test_a_page_rendered_without_a_request_shows_no_toolbar_links():
    """An error page rendered without its request has no address to come back to."""
    html = THE_TAGS.render(Context())
    assert "a11y-tool" not in html
    assert 'href="/i18n/lang/en/?next=">English</a>' in html
