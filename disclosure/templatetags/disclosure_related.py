from django import template

from disclosure import related

register = template.Library()


@register.inclusion_tag("disclosure/_related_links.html")
def related_links(item):
    """What the apps above disclosure link to this item (see disclosure/related.py)."""
    return {"links": related.links_for(item)}
