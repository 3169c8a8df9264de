from django import template

from .. import selectors

register = template.Library()


@register.filter
def stat_cells(row):
    return selectors.stat_cells(row)


@register.filter
def index(sequence, position):
    try:
        return sequence[position]
    except (IndexError, TypeError):
        return ""
