from django import template

from portal import places

register = template.Library()


@register.simple_tag
def place_url(place, *args):
    """``{% place_url "column" %}``: the URL of a named place (portal/places.py)."""
    return places.url(place, *args)
