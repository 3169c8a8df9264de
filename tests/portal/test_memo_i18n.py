"""``{% translate "literal" %}`` is remembered per language: pages still read in the visitor's language."""

import re

from django.template import Context, Engine, Template
from django.utils import translation

from portal.templatetags.memo_i18n import MemoTranslateNode

SOURCES = [
    '{% translate "首页" %}',
    '<a title="{% translate "搜索" %}">{% translate "搜索" %}</a>',
    '{% translate "政务公开" context "栏目" %}',
    '{% translate "首页" noop %}',
    '{% translate "首页" as home %}[{{ home }}]',
    '{% translate "首页"|upper %}',
    "{% translate word %}",
    '{% translate "a < b & 100%" %}',
    '{% autoescape off %}{% translate "a < b & 100%" %}{% endautoescape %}',
]


def _djangos(source, context):
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return engine.from_string("{% load i18n %}" + source).render(Context(context))


def test_every_form_of_the_tag_renders_as_djangos_in_each_language_and_again():
    context = {"word": "搜索"}
    for language in ("zh-hans", "en", "zh-hans", "en"):
        with translation.override(language):
            for source in SOURCES:
                expected = _djangos(source, context)
                assert Template("{% load memo_i18n %}" + source).render(Context(context)) == expected, (
                    language,
                    source,
                )


def test_a_visitor_reads_the_language_they_chose_after_another_visitor_read_the_other():
    template = Template('{% load memo_i18n %}{% translate "首页" %}·{% translate "搜索" %}')
    with translation.override("zh-hans"):
        chinese = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("zh-hans"):
        assert template.render(Context()) == chinese == "首页·搜索"
    assert english == "Home·Search"


def test_a_variable_is_translated_by_its_value_each_time():
    template = Template("{% load memo_i18n %}{% translate word %}")
    with translation.override("en"):
        assert template.render(Context({"word": "首页"})) == "Home"
        assert template.render(Context({"word": "搜索"})) == "Search"


def test_changing_the_languages_forgets_what_was_kept(settings):
    template = Template('{% load memo_i18n %}{% translate "首页" %}')
    with translation.override("en"):
        assert template.render(Context()) == "Home"
    settings.LOCALE_PATHS = []  # no English catalogue: the source text
    with translation.override("en"):
        assert template.render(Context()) == "首页"


def test_every_site_template_loads_the_remembering_tags():
    """A template loading Django's ``i18n`` would work, only without the memo: none does."""
    from pathlib import Path

    from django.conf import settings

    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + list(Path(settings.BASE_DIR).glob("*/templates"))
    files = [f for root in roots for f in root.rglob("*") if f.suffix in {".html", ".txt", ".xml"}]
    assert len(files) > 100
    plain = [str(f) for f in files if re.search(r"{%\s*load\s+(\S+\s+)*i18n[\s%]", f.read_text(encoding="utf-8"))]
    assert plain == []
    template = Template('{% load memo_i18n %}{% translate "首页" %}')
    assert isinstance(template.nodelist[-1], MemoTranslateNode)
