"""``{% fragment "name" [value …] %}…{% endfragment %}``: markup every public page repeats, rendered once.

Most of ``base.html`` (the head's links, the skip link, the header and its navigation, the
footer's links and site information) is the same on every page in a language, until
something public changes: the site settings and the organisations bump the public-content
generation (``portal.pagecache``). Rendering it cost about a millisecond of every page, many
times a bare Django view (issue 10). A fragment is rendered once per name, language,
generation and the values it names, in each process, and reused after that. A list's
filter form (``disclosure/_filters.html``) is one too, under every value it shows.

Only for anonymous visitors: a signed-in user's navigation depends on their permissions.
What a fragment shows must depend on nothing else, never on the request's path, query,
cookies or messages; ``base.html`` keeps those outside its fragments, and
tests/portal/test_fragments.py compares pages rendered with and without fragments.
``TEMPLATE_FRAGMENTS = False`` renders every fragment each time.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from portal import pagecache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        user = context.get("user")
        if user is None or user.is_authenticated or not getattr(settings, "TEMPLATE_FRAGMENTS", True):
            return self.nodelist.render(context)
        # The script prefix: the addresses inside are under the path the site is served at.
        values = (v.resolve(context) for v in self.values)
        key = ("fragment", self.name, translation.get_language(), get_script_prefix(), *values)
        return mark_safe(pagecache.remember_here(key, lambda: self.nodelist.render(context)))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
