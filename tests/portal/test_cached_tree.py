"""``{% recursetree %}`` of ``portal/templatetags/cached_tree.py``: mptt's markup, one query (issue 10)."""

from django.template import Context, Template

from portal.models import Organization

TREE = (
    "{% load LIBRARY %}<ul>{% recursetree organizations %}"
    '<li{% if children %} class="group"{% endif %}>{{ node.name }}\n'
    "{% if children %}<ul>{{ children }}</ul>{% endif %}</li>{% endrecursetree %}</ul>"
)


def test_the_tree_is_mptts_markup_nested_in_order_and_costs_one_query(db, django_assert_num_queries):
    county = Organization.objects.create(name="示范县人民政府", code="T01")
    office = Organization.objects.create(name="县政府办公室", parent=county, code="T02")
    Organization.objects.create(name="政务公开科", parent=office, code="T03")
    Organization.objects.create(name="县民政局", parent=county, code="T04")
    Organization.objects.create(name="另一个县", parent=None, code="T05")

    def tree(library):
        organizations = Organization.objects.order_by("tree_id", "lft")
        return Template(TREE.replace("LIBRARY", library)).render(Context({"organizations": organizations}))

    expected = tree("mptt_tags")
    with django_assert_num_queries(1):
        html = tree("cached_tree")
    assert html == expected
    assert '<li class="group">示范县人民政府\n<ul><li class="group">县政府办公室\n<ul><li>政务公开科' in html
    assert "<li>县民政局\n</li></ul></li>" in html and "<li>另一个县\n</li>" in html
