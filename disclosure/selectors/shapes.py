"""The public lists' rows from compiled query shapes (``portal/compiled.py``).

Building and compiling a list page's query took longer than running it (issue 10), and the
query of a list differs only in its values from that of any list filtered the same way:
which parts its filter has (``public.FILTER_PARTS``) is its shape. A year's bounds are
moments, bound as the backend stores them (``compiled``'s ``datetime`` kind): the year list
was the one list still built and planned on every request, 0.9 ms of PostgreSQL's time.
"""

from __future__ import annotations

from portal import compiled

from .. import paging
from ..models import DisclosureItem
from .public import FILTER_PARTS, Filters, apply_parts, filter_parts, list_rows


def _list_shape(names: tuple[str, ...]) -> compiled.Shape:
    """The compiled query of the list rows for a filter with these parts, one per process and shape."""
    shape = _LIST_SHAPES.get(names)
    if shape is None:
        sizes = [len(FILTER_PARTS[name][0]) for name in names]

        def build(*values):
            parts, start = [], 0
            for name, size in zip(names, sizes, strict=True):
                parts.append((name, values[start : start + size]))
                start += size
            return apply_parts(list_rows(), parts)

        kinds = [kind for name in names for kind in FILTER_PARTS[name][0]]
        shape = _LIST_SHAPES.setdefault(names, compiled.Shape(build, *kinds, name="list:" + "+".join(names)))
    return shape


_LIST_SHAPES: dict[tuple[str, ...], compiled.Shape] = {}
_KEYS_PER_SHAPE = paging.PAGE_SIZE + 2  # the most rows a page reads (paging.get_page)
_ROWS_BY_KEYS = compiled.Shape(lambda *keys: list_rows().filter(pk__in=keys), *[int] * _KEYS_PER_SHAPE)


def rows_by_keys(keys: list[int]) -> list[DisclosureItem]:
    """The list rows of the public items ``keys``, in the lists' order (one compiled query)."""
    if not keys:
        return []
    if len(keys) > _KEYS_PER_SHAPE:
        return list(list_rows().filter(pk__in=keys))
    return _ROWS_BY_KEYS.fetch(*keys, *[keys[-1]] * (_KEYS_PER_SHAPE - len(keys)))


class ListRows:
    """Where ``paging.get_page`` reads a filtered list's rows: its compiled shape, not the ORM."""

    def __init__(self, shape: compiled.Shape, values: list):
        self.shape, self.values = shape, values

    def slice(self, offset: int, limit: int) -> list[DisclosureItem]:
        return self.shape.fetch(*self.values, limit=limit, offset=offset)

    by_keys = staticmethod(rows_by_keys)


def rows_for(f: Filters) -> ListRows:
    """The rows of the list filtered by ``f``, from the compiled shape of its filter's parts."""
    parts = filter_parts(f)
    return ListRows(_list_shape(tuple(name for name, _values in parts)), [v for _name, vs in parts for v in vs])
