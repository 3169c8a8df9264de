from django import template

from disclosure import selectors

register = template.Library()


@register.inclusion_tag("disclosure/_latest.html")
def latest_items(limit=8):
    """The newest public items, for the home page."""
    return {"items": list(selectors.latest(limit))}
