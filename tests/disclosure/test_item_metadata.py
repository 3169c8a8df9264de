"""The metadata table of an item page (``disclosure_tags.item_metadata``), written in Python for speed (issue 10).

The table must stay what ``_metadata.html`` wrote (the 政府信息公开目录's columns, which the
styles, screen readers and the government-website inspection read), so it is compared with
that template, kept here, over items with every optional field filled and every one empty.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from disclosure.models import DisclosureAttribute, Validity

THE_TEMPLATE = Template(
    """{% load i18n %}<table class="data fields metadata">
  <tbody>
    <tr><th scope="row">{% translate "索引号" %}</th><td>{{ item.index_number|default:"—" }}</td></tr>
    <tr><th scope="row">{% translate "主题分类" %}</th><td>{{ item.subject|default:"—" }}</td></tr>
    <tr><th scope="row">{% translate "发布机构" %}</th><td>{{ item.organization.name }}</td></tr>
    <tr><th scope="row">{% translate "成文日期" %}</th><td>{{ item.written_on|date:"Y-m-d"|default:"—" }}</td></tr>
    <tr><th scope="row">{% translate "文号" %}</th><td>{{ item.document_number|default:"—" }}</td></tr>
    <tr><th scope="row">{% translate "发布日期" %}</th><td>{{ item.published_at|date:"Y-m-d" }}{% if item.last_revised_at %} <span class="badge">{% blocktranslate with d=item.last_revised_at|date:"Y-m-d" %}{{ d }} 修订{% endblocktranslate %}</span>{% endif %}</td></tr>
    <tr><th scope="row">{% translate "有效性" %}</th><td>{{ item.get_validity_display }}{% if item.effective_on %}<span class="meta-date">{% translate "实施日期：" %}{{ item.effective_on|date:"Y-m-d" }}</span>{% endif %}{% if item.expired_on %}<span class="meta-date">{% translate "失效日期：" %}{{ item.expired_on|date:"Y-m-d" }}</span>{% endif %}{% if item.repealed_on %}<span class="meta-date">{% translate "废止日期：" %}{{ item.repealed_on|date:"Y-m-d" }}</span>{% endif %}</td></tr>
    <tr><th scope="row">{% translate "公开方式" %}</th><td>{{ item.publication_mode }}</td></tr>
    <tr><th scope="row">{% translate "主题词" %}</th><td>{{ item.keywords|default:"—" }}</td></tr>
  </tbody>
</table>
"""  # noqa: E501
)
THE_TAG = Template("{% load disclosure_tags %}{% item_metadata item %}")


@pytest.fixture
def items(publish_item):
    bare = publish_item(title="没有可选项的信息", document_number="")
    bare.subject = bare.keywords = bare.index_number = ""
    bare.written_on = None
    full = publish_item(title="关于<低保>的通知", document_number="示府发〔2026〕3号")
    full.subject, full.keywords = "民政、扶贫、救灾\\社会救助", "低保 & 救助"
    full.written_on = dt.date(2026, 3, 2)
    full.effective_on, full.expired_on, full.repealed_on = dt.date(2026, 4, 1), dt.date(2027, 4, 1), dt.date(2026, 9, 1)
    full.validity = Validity.REPEALED
    full.disclosure_attribute = DisclosureAttribute.ON_REQUEST
    # 23:30 UTC on 31 December is already 1 January in Beijing: the table shows the local day.
    full.published_at = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    full.last_revised_at = dt.datetime(2026, 6, 30, 16, 10, tzinfo=dt.UTC)
    return [bare, full]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_table_is_the_markup_the_template_wrote(items, language):
    with translation.override(language), timezone.override("Asia/Shanghai"):
        for item in items:
            assert THE_TAG.render(Context({"item": item})) == THE_TEMPLATE.render(Context({"item": item}))


def test_the_table_shows_every_field_escaped_with_local_days(items, client):
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        bare, full = (THE_TAG.render(Context({"item": item})) for item in items)
    assert bare.count("<td>—</td>") == 5  # 索引号, 主题分类, 成文日期, 文号, 主题词
    assert '<th scope="row">发布日期</th><td>2026-01-01 <span class="badge">2026-07-01 修订</span></td>' in full
    assert "<td>2026-03-02</td>" in full and "低保 &amp; 救助" in full
    assert '<span class="meta-date">废止日期：2026-09-01</span>' in full
    assert "依申请公开" in full and "<td>主动公开</td>" in bare
    # The item page shows the table of the item as published.
    page = client.get(f"/zwgk/xxgk/item/{items[1].pk}/").content.decode()
    assert '<table class="data fields metadata">' in page and "示府发〔2026〕3号" in page
