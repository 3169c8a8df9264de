"""The rows of every item list (``disclosure_tags.item_rows``), written in Python for speed (issue 10).

The markup must stay what the template loop wrote, which the lists' styles, the
browser tests and screen readers rely on; so the rows are compared with that loop,
kept here, over rows with every badge, a snippet, markup in a title and no 文号.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from disclosure.models import ItemKind, Validity

THE_TEMPLATE_LOOP = Template(
    """{% load i18n %}<ul class="item-list">
  {% for item in page_obj.object_list %}
  <li>
    <a class="item-title" href="{% url 'disclosure:item' item.pk %}">{% if item.title_highlighted %}{{ item.title_highlighted }}{% else %}{{ item.title }}{% endif %}</a>
    {% if item.validity != "valid" %}<span class="badge badge-{{ item.validity }}">{{ item.get_validity_display }}</span>{% endif %}
    {% if item.kind == "interpretation" %}<span class="badge badge-interpretation">{% translate "解读" %}</span>{% endif %}
    {% if item.exact %}<span class="badge badge-exact">{% translate "索引号或文号相符" %}</span>{% endif %}
    {% if item.snippet %}<p class="snippet">{{ item.snippet }}</p>{% endif %}
    <span class="item-meta"><span>{{ item.organization.name }}</span>{% if item.document_number %}<span>{{ item.document_number }}</span>{% endif %}{% with day=item.published_at|date:"Y-m-d" %}<time datetime="{{ day }}">{{ day }}</time>{% endwith %}</span>
  </li>
  {% endfor %}
</ul>"""  # noqa: E501
)
THE_TAG = Template(
    """{% load disclosure_tags %}<ul class="item-list">
  {% item_rows page_obj.object_list %}
</ul>"""
)


@pytest.fixture
def rows(publish_item):
    plain = publish_item(title="关于<低保>标准的“通知”", document_number="示府发〔2026〕3号")
    repealed = publish_item(title="已废止的办法", document_number="")
    repealed.validity = Validity.REPEALED
    reading = publish_item(title="一图读懂低保")
    reading.kind = ItemKind.INTERPRETATION
    reading.validity = Validity.EXPIRED
    found = publish_item(title="检索到的文件")
    found.title_highlighted = mark_safe("检索到的<mark>文件</mark>")
    found.snippet = mark_safe("……城乡<mark>低保</mark>标准 & 说明……")
    found.exact = 1
    # 23:30 UTC on 31 December is already 1 January in Beijing: the row shows the local day.
    found.published_at = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    return [plain, repealed, reading, found]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_are_the_markup_the_template_loop_wrote(rows, language):
    context = {"page_obj": type("Page", (), {"object_list": rows})}
    with translation.override(language):
        assert THE_TAG.render(Context(context)) == THE_TEMPLATE_LOOP.render(Context(context))


def test_a_row_shows_its_badges_escaped_title_and_local_day(rows):
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        html = THE_TAG.render(Context({"page_obj": type("Page", (), {"object_list": rows})}))
    assert "关于&lt;低保&gt;标准的“通知”" in html and "<低保>" not in html
    assert '<span class="badge badge-repealed">废止</span>' in html
    assert '<span class="badge badge-interpretation">解读</span>' in html
    assert '<span class="badge badge-exact">索引号或文号相符</span>' in html
    assert "城乡<mark>低保</mark>标准" in html
    assert '<time datetime="2026-01-01">2026-01-01</time>' in html
    assert f'href="/zwgk/xxgk/item/{rows[0].pk}/"' in html
    assert html.count("<li>") == 4
