"""``{% extends %}`` that finds the root template's blocks once (installed as a template builtin).

Django's tag walks the whole node tree of the root template (``base.html``) on every
render to collect its ``{% block %}`` nodes, some 250 calls per page and a twentieth of a
page that shows nothing but the chrome (issue 10). A compiled template never changes
once the cached loader holds it, so its blocks are kept on the template object itself: a
template parsed afresh (``DEBUG``, no cached loader) is a new object and is walked again.
Everything else is Django's tag unchanged.
"""

from django import template
from django.template import loader_tags
from django.template.base import TextNode

register = template.Library()


def _root_blocks(compiled):
    """The ``{% block %}`` nodes of a template that extends nothing, or ``None`` if it extends."""
    try:
        return compiled._memo_root_blocks
    except AttributeError:
        pass
    blocks = None
    for node in compiled.nodelist:
        if not isinstance(node, TextNode):  # the extends tag has to be the first non-text node
            if not isinstance(node, loader_tags.ExtendsNode):
                blocks = {n.name: n for n in compiled.nodelist.get_nodes_by_type(loader_tags.BlockNode)}
            break
    compiled._memo_root_blocks = blocks
    return blocks


class MemoExtendsNode(loader_tags.ExtendsNode):
    def render(self, context):
        compiled_parent = self.get_parent(context)
        if loader_tags.BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[loader_tags.BLOCK_CONTEXT_KEY] = loader_tags.BlockContext()
        block_context = context.render_context[loader_tags.BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        root_blocks = _root_blocks(compiled_parent)
        if root_blocks is not None:
            block_context.add_blocks(root_blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag
def extends(parser, token):
    node = loader_tags.do_extends(parser, token)
    node.__class__ = MemoExtendsNode
    return node
