"""``{% extends %}`` finds the root template's blocks once: pages still fill exactly their own blocks."""

from django.template import Context, Engine
from django.template.loader import render_to_string

from portal.templatetags.memo_extends import MemoExtendsNode


def _engine(**templates):
    return Engine(
        loaders=[("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", templates)])],
        builtins=["portal.templatetags.memo_extends"],
    )


LAYOUT = {
    "root.html": "<t>{% block title %}根{% endblock %}</t>{% block body %}空{% endblock %}"
    "<f>{% block foot %}脚{% endblock %}</f>",
    "page.html": "{% extends 'root.html' %}{% block title %}{{ name }}{% endblock %}{% block body %}甲{% endblock %}",
    "other.html": "{% extends 'root.html' %}{% block body %}乙{% endblock %}",
    "section.html": "{% extends 'root.html' %}{% block body %}<s>{% block inner %}段{% endblock %}</s>{% endblock %}",
    "leaf.html": "{% extends 'section.html' %}{% block inner %}{{ block.super }}+叶{% endblock %}"
    "{% block foot %}{{ block.super }}+尾{% endblock %}",
}


def test_each_page_fills_its_own_blocks_on_every_render_of_the_same_root():
    engine = _engine(**LAYOUT)
    page, other = engine.get_template("page.html"), engine.get_template("other.html")
    for _ in range(3):  # the root's blocks are reused, never a previous page's
        assert page.render(Context({"name": "一"})) == "<t>一</t>甲<f>脚</f>"
        assert other.render(Context()) == "<t>根</t>乙<f>脚</f>"
        assert page.render(Context({"name": "二"})) == "<t>二</t>甲<f>脚</f>"


def test_three_levels_and_block_super_are_djangos():
    memo = _engine(**LAYOUT)
    django = Engine(loaders=[("django.template.loaders.locmem.Loader", LAYOUT)])
    for name in ("leaf.html", "section.html", "page.html"):
        expected = django.get_template(name).render(Context({"name": "丙"}))
        assert memo.get_template(name).render(Context({"name": "丙"})) == expected
        assert memo.get_template(name).render(Context({"name": "丙"})) == expected
    assert memo.get_template("leaf.html").render(Context()) == "<t>根</t><s>段+叶</s><f>脚+尾</f>"


def test_a_root_edited_without_the_cached_loader_shows_its_new_blocks():
    templates = dict(LAYOUT)
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)], builtins=["portal.templatetags.memo_extends"]
    )
    assert engine.get_template("other.html").render(Context()) == "<t>根</t>乙<f>脚</f>"
    templates["root.html"] = "{% block body %}{% endblock %}<f>{% block foot %}新脚{% endblock %}</f>"
    assert engine.get_template("other.html").render(Context()) == "乙<f>新脚</f>"


def test_the_site_templates_use_it():
    from django.template import engines

    template = engines["django"].engine.get_template("404.html")
    assert isinstance(template.nodelist[0], MemoExtendsNode) or any(
        isinstance(node, MemoExtendsNode) for node in template.nodelist
    )
    assert "<main" in render_to_string("404.html")
