"""``{% url %}`` remembers its answers: the addresses stay exactly Django's."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix


def render(source, **context):
    return Template("{% load i18n %}" + source).render(Context(context))


@pytest.fixture(autouse=True)
def root_prefix():
    set_script_prefix("/")
    yield
    set_script_prefix("/")


def test_addresses_are_djangos_for_numbers_strings_and_keywords():
    assert render("{% url 'disclosure:item' 7 %}") == reverse("disclosure:item", args=[7])
    assert render("{% url 'disclosure:item' pk %}", pk="8") == reverse("disclosure:item", args=[8])
    assert render("{% url 'disclosure:version' pk=3 number=2 %}") == reverse(
        "disclosure:version", kwargs={"pk": 3, "number": 2}
    )
    # Each argument its own address (the remembered one is never another item's).
    assert [render("{% url 'disclosure:item' n %}", n=n) for n in (1, 2, 1)] == [
        reverse("disclosure:item", args=[n]) for n in (1, 2, 1)
    ]


def test_a_site_served_under_a_sub_path_links_under_it():
    before = render("{% url 'disclosure:list' %}")
    set_script_prefix("/county/")
    assert render("{% url 'disclosure:list' %}") == "/county" + before
    set_script_prefix("/")
    assert render("{% url 'disclosure:list' %}") == before


class Number:
    """An argument that compares equal to itself while its text changes."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text

    def __hash__(self):
        return 1

    def __eq__(self, other):
        return isinstance(other, Number)


def test_as_variables_failures_and_objects_behave_as_in_django():
    assert render("{% url 'disclosure:item' 5 as link %}[{{ link }}]") == f"[{reverse('disclosure:item', args=[5])}]"
    assert render("{% url 'no-such-view' as link %}[{{ link }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-view' %}")
    # An object as argument: its str() builds the address, so it is never remembered.
    number = Number("5")
    assert render("{% url 'disclosure:item' n %}", n=number) == reverse("disclosure:item", args=[5])
    number.text = "6"
    assert render("{% url 'disclosure:item' n %}", n=number) == reverse("disclosure:item", args=[6])


def test_the_current_namespace_is_part_of_the_answer():
    request = RequestFactory().get("/")
    request.current_app = "admin"
    html = Template("{% url 'admin:index' %}").render(Context({"request": request}))
    assert html == reverse("admin:index", current_app="admin")


def test_the_chromes_own_links_in_python_follow_the_sub_path():
    from portal import places
    from portal.templatetags.memo_urls import reverse_remembered

    assert reverse_remembered("disclosure:item", (7,)) == reverse("disclosure:item", args=[7])
    column, reset = places.url("column"), reverse_remembered("display_reset")
    set_script_prefix("/county/")
    assert places.url("column") == "/county" + column
    assert reverse_remembered("display_reset") == "/county" + reset
    set_script_prefix("/")
    assert places.url("column") == column
