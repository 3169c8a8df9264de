from django import template

from catalog import selectors

register = template.Library()


@register.inclusion_tag("catalog/_domain_grid.html")
def domain_grid():
    """The 26 domains as links; the home page and the column show it."""
    return {"domains": selectors.domains()}
