"""The portal with its templates costing nothing: ``loadtest.py --template-ceiling``.

A diagnostic, never a deployment: each Django template renders once per page address,
language and cookie header, and every later render returns that text. Under the same
load, the rest of a page (gunicorn, the middleware, the view's queries and Python) is
then all that is measured, so the column it adds says how fast the page could be with a
template engine that cost nothing; the gap to the uncached column is what the template
engine costs under load (issue 10's uncached goal).
"""

from django.template.backends import django as django_backend
from django.utils import translation

from portal.wsgi import application  # noqa: F401 (the WSGI application gunicorn serves)

_rendered = {}
_render = django_backend.Template.render


def _remembered(self, context=None, request=None):
    key = (self.template.name, translation.get_language())
    if request is not None:
        key += (request.get_full_path(), request.META.get("HTTP_COOKIE", ""))
    text = _rendered.get(key)
    if text is None:
        text = _rendered[key] = _render(self, context, request)
    return text


django_backend.Template.render = _remembered
