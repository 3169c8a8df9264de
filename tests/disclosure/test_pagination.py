"""The pagination bar of every paged list (``disclosure_tags.pagination``), written in Python for speed (issue 10).

It must stay what ``_pagination.html`` wrote (the styles, the browser tests and screen readers
rely on it), so it is compared with that template, kept here: one page, the first, a middle
and the last page, an estimated count, a list with other parameters (Chinese, repeated, an
``&`` to escape) and Django's own paginator (the consultations, the staff queues).
"""

import pytest
from django.core.paginator import Paginator as DjangoPaginator
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from disclosure import paging

pytestmark = pytest.mark.django_db  # the request's context processors read the site settings

THE_TEMPLATE = Template(
    """{% load i18n %}{% if page_obj.has_other_pages %}
<nav class="pagination" aria-label="{% translate '分页' %}">
  {% if page_obj.has_previous %}<a href="{% querystring page=page_obj.previous_page_number %}" rel="prev">{% translate "上一页" %}</a>{% endif %}
  <span>{% if page_obj.paginator.estimated %}{% blocktranslate with n=page_obj.number total=page_obj.paginator.num_pages %}第 {{ n }} / 约 {{ total }} 页{% endblocktranslate %}{% else %}{% blocktranslate with n=page_obj.number total=page_obj.paginator.num_pages %}第 {{ n }} / {{ total }} 页{% endblocktranslate %}{% endif %}</span>
  {% if page_obj.has_next %}<a href="{% querystring page=page_obj.next_page_number %}" rel="next">{% translate "下一页" %}</a>{% endif %}
</nav>
{% endif %}
"""  # noqa: E501
)
THE_TAG = Template("{% load disclosure_tags %}{% pagination page_obj %}")


def _pages():
    yield paging.Page([1], 1, paging.Paginator(1, False, 20), False)  # one page: no bar
    yield paging.Page([1] * 20, 1, paging.Paginator(45, False, 20), True)
    yield paging.Page([1] * 20, 2, paging.Paginator(45, False, 20), True)
    yield paging.Page([1] * 5, 3, paging.Paginator(45, False, 20), False)
    yield paging.Page([1] * 20, 500, paging.Paginator(67_842, True, 20), True)  # 约 3,393 页
    yield DjangoPaginator(list(range(45)), 20).page(2)
    yield None  # a template without a page


@pytest.mark.parametrize("query", ["", "q=%E4%BD%8E%E4%BF%9D&kind=document&kind=interpretation&page=2", "a=1&b=2"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_bar_is_the_markup_the_template_wrote(query, language):
    request = RequestFactory().get("/zwgk/xxgk/?" + query)
    with translation.override(language):
        for page in _pages():
            tag = THE_TAG.render(RequestContext(request, {"page_obj": page}))
            assert tag == THE_TEMPLATE.render(RequestContext(request, {"page_obj": page}))


def test_the_bar_links_the_neighbouring_pages_keeping_the_filters():
    request = RequestFactory().get("/zwgk/xxgk/?q=%E4%BD%8E%E4%BF%9D&page=500")
    page = paging.Page([1] * 20, 500, paging.Paginator(67_842, True, 20), True)
    with translation.override("zh-hans"):
        html = THE_TAG.render(RequestContext(request, {"page_obj": page}))
    assert 'href="?q=%E4%BD%8E%E4%BF%9D&amp;page=499" rel="prev">上一页</a>' in html
    assert 'href="?q=%E4%BD%8E%E4%BF%9D&amp;page=501" rel="next">下一页</a>' in html
    assert "第 500 / 约 3393 页" in html
