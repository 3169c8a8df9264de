"""Django's ``i18n`` tags, with ``{% translate "literal" %}`` remembered per language.

The site's templates ``{% load memo_i18n %}`` instead of ``{% load i18n %}``: the same tags
and filters. An uncached item page ran two dozen of these tags outside the chrome's
fragments, each a trip through the lazy string, the active translation (a context-local
read), the catalogue and the escaping: a fifth of the page's Python calls (issue 10). For a
quoted string with no filter, no ``as`` and no ``noop``, the output depends on the string,
the message context, the active language and autoescaping alone, so it is kept under those.
The catalogues of a process change only when ``LANGUAGES``, ``LANGUAGE_CODE`` or
``LOCALE_PATHS`` do (tests), and those empty what is kept, as they make Django reload its
own. Every other use of the tag, and every other ``i18n`` tag, is Django's unchanged.

Why not installed under the name ``i18n`` (``TEMPLATES`` ``libraries``) so that every
``{% load i18n %}`` got it: ``check --deploy`` then warns that two modules are named ``i18n``
(templates.W003), and the deploy check must print nothing. A template that still loads
``i18n`` works, only without the memo (``tests/portal/test_memo_i18n.py`` finds any).
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable
from django.templatetags import i18n
from django.utils import translation
from django.utils.html import conditional_escape

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

_kept = {}
KEPT_AT_MOST = 4096  # the site's templates hold some 780 literal strings, in two languages


@receiver(setting_changed)
def _forget(*, setting, **_kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _kept.clear()


class MemoTranslateNode(i18n.TranslateNode):
    def render(self, context):
        key = self.memo_key
        if key is None:
            return super().render(context)
        full_key = (key, translation.get_language(), context.autoescape)
        value = _kept.get(full_key)
        if value is None:
            value = super().render(context)
            if len(_kept) >= KEPT_AT_MOST:
                _kept.clear()
            _kept[full_key] = value
        return value


def kept_translations(messages):
    """The escaped translations of ``messages`` (a tuple) in the active language, kept as the tag's are.

    For the fixed labels of the tags written in Python (``disclosure_tags``): each
    ``gettext`` is a trip through the active translation (a context-local read) and its
    catalogues, and the item page's metadata table spent two thirds of its time in a dozen of
    them (issue 10). The caller lists its messages with ``gettext_noop`` so that
    ``makemessages`` finds them.
    """
    key = (messages, translation.get_language())
    value = _kept.get(key)
    if value is None:
        value = tuple(conditional_escape(translation.gettext(message)) for message in messages)
        if len(_kept) >= KEPT_AT_MOST:
            _kept.clear()
        _kept[key] = value
    return value


def _memo_key(node):
    """``(msgid, message context)`` when the output is the same wherever the tag renders."""
    expression = node.filter_expression
    var = expression.var
    if node.asvar or node.noop or expression.filters or not isinstance(var, Variable) or var.literal is None:
        return None
    message_context = node.message_context
    if message_context is not None:
        if message_context.filters or not isinstance(message_context.var, str):
            return None  # a context that is a variable
        message_context = message_context.var
    return (var.literal, message_context)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    node.__class__ = MemoTranslateNode
    node.memo_key = _memo_key(node)
    return node
