"""``{% url %}`` with its answers remembered in the process (installed as a template builtin).

An uncached list page reversed 46 addresses, a twentieth of its time (issue 10): the same
few dozen view names, and the same item numbers on every view of a list. The address of a
view with given arguments only changes with the URL configuration, the script prefix (the
path the site is served under) and the current application namespace, so those are the
key; the URL configuration of a process never changes after start-up. Only numbers and
strings are remembered as arguments (an object's address is built from its ``str()``,
which can change while it compares equal); anything else, ``as`` variables and every
failure go to Django's own tag unchanged.
"""

import functools

from django import template
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()
_PLAIN = (int, str)


@functools.lru_cache(maxsize=4096)  # about 1 MB at most
def _reverse(view_name, args, kwargs, current_app, prefix, urlconf):
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def reverse_remembered(view_name, args=()):
    """``reverse(view_name, args=args)`` remembered the same way, for the chrome's own links
    (the display toolbar, the named places) built in Python on every page.
    Only numbers and strings are remembered as arguments; anything else is reversed afresh."""
    if not all(isinstance(v, _PLAIN) for v in args):
        return reverse(view_name, args=args)
    return _reverse(view_name, tuple(args), (), None, get_script_prefix(), get_urlconf())


class MemoURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.asvar:
            return super().render(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((k, v.resolve(context)) for k, v in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        if not all(isinstance(v, _PLAIN) for v in (view_name, *args, *(v for _k, v in kwargs))):
            return super().render(context)
        try:  # the current application, exactly as Django's tag finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = _reverse(view_name, args, kwargs, current_app, get_script_prefix(), get_urlconf())
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = MemoURLNode
    return node
