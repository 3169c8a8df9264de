"""Query shapes built and compiled once per process; each use binds its values and runs.

Measured on the item page at 200,000 items (issue 10): building and compiling the item's
query in the ORM (``select_related``, ``defer``, two ``EXISTS``) took 1.3 ms of a 7 ms page,
running it 0.4 ms. The SQL of a query depends only on its shape, not on the item asked
for, so a :class:`Shape` builds its queryset once with markers in place of its values,
keeps the compiled SQL and what Django needs to turn rows into objects, and each call only
puts its values where the markers were.

A shape is a function of its values returning a queryset, with the kinds of its values
(``int``, ``str`` or ``datetime``). A marker must reach the compiled parameters as it is; a
lookup that changes its value (``icontains`` adds ``%``) is refused when the shape is first
compiled, so a test of the page catches it. A ``datetime`` is compared with a
``DateTimeField`` only: it reaches the parameters as the backend stores one (SQLite's text
in UTC, PostgreSQL's aware value), and each value is put in that form the same way.
``LIMIT``/``OFFSET`` are not part of a shape (Django writes them into the SQL);
:meth:`Shape.fetch` appends them.

The objects are the ORM's own: ``from_db`` with the same fields, ``select_related``
objects, annotations and the backend's converters (SQLite's dates), as the queryset
would have built them. For a model whose construction only stores its values (Django's own
``__init__`` and ``from_db``, no ``pre_init``/``post_init`` receiver, no field whose
attribute has a setter of its own), the object is made directly with those values in its
``__dict__``, as ``__init__`` would leave it: the deferred-field walk of ``from_db`` and
``__init__`` over all 48 columns of an item was 9 µs of each of a list's 20 rows, 0.19 ms of
an uncached list page (issue 10), against 0.7 µs.
"""

import datetime as dt
import inspect
import threading
import weakref

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import get_related_populators

# Markers no real value here takes, inside the range of a 32-bit column: Django turns a value
# out of its column's range into "matches nothing" (or everything) instead of a parameter.
_INT_MARKER = 2_081_000_000
_STR_MARKER = "\x1fzwgk-compiled-marker-{}\x1f"
# A moment no publication has (a second's millionths tell the markers apart).
_DATETIME_MARKER = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
KINDS = (int, str, dt.datetime)


# A shape's integers are keys it compares with equality (an item's number in its address, the
# rows of a page): one outside a 64-bit column's range matches nothing, as the ORM decides for
# an exact lookup. SQLite refuses to bind it at all (OverflowError: a 500 for a typed address).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


class ShapeError(Exception):
    pass


class _Compiled:
    def __init__(self, shape, connection, alias):
        markers = [_marker(kind, i) for i, kind in enumerate(shape.kinds)]
        queryset = shape.build(*markers)
        if queryset.query.is_sliced:
            raise ShapeError(f"{shape.name}: a shape is not sliced; pass limit/offset to fetch()")
        compiler = queryset.query.get_compiler(using=alias, connection=connection)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as error:
            raise ShapeError(f"{shape.name}: a marker decided the query ({type(error).__name__})") from error
        # For each parameter, the value it takes (its marker's index), or None to keep it as compiled;
        # and how that value is put in the parameter's form: the type the backend gave an integer
        # (psycopg's Int4 for a 32-bit column, which the SQL casts to), a moment as the backend
        # stores it (the lookup's own ``adapt_datetimefield_value``).
        adapt = connection.ops.adapt_datetimefield_value
        sent = [adapt(m) if kind is dt.datetime else m for kind, m in zip(shape.kinds, markers, strict=True)]
        self.slots = [
            next((i for i, m in enumerate(sent) if isinstance(value, type(m)) and value == m), None) for value in params
        ]
        self.types = [
            None if slot is None else _conversion(shape.kinds[slot], value, adapt)
            for value, slot in zip(params, self.slots, strict=True)
        ]
        missing = set(range(len(markers))) - set(self.slots)
        if missing:
            raise ShapeError(f"{shape.name}: values {sorted(missing)} do not reach the SQL unchanged")
        self.sql, self.params, self.compiler = sql, list(params), compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(first, last)
        self.init_list = [column[0].target.attname for column in select[first:last]]
        self.plain = _built_plainly(self.model, self.init_list)
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.alias = alias
        # The backend's converters, found once: asking each of a page's 70 columns for them
        # on every fetch was what ``results_iter`` spent its time on.
        self.fields = [column[0] for column in select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(self.fields)
        self.composite = compiler.has_composite_fields(self.fields)


def _built_plainly(model, attnames):
    """Whether ``model.from_db`` only stores ``attnames`` in the instance (see the module docstring).

    The receivers of ``pre_init``/``post_init`` are asked on each fetch (one may connect later).
    A foreign key's attribute has a setter that only forgets a cached object, which a new
    instance has none of.
    """
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    for name in attnames:
        setter = getattr(type(inspect.getattr_static(model, name, None)), "__set__", None)
        if setter is not None and setter is not ForeignKeyDeferredAttribute.__set__:
            return False
    return True


def _made(model, alias, attnames, values):
    """The instance ``model.from_db(alias, attnames, values)`` gives, for a model built plainly."""
    obj = model.__new__(model)
    state = ModelState()
    state.adding, state.db = False, alias
    obj._state = state
    obj.__dict__.update(zip(attnames, values, strict=True))
    return obj


def _from_db(model, alias, attnames, values):
    return model.from_db(alias, attnames, values)


def _conversion(kind, compiled_value, adapt):
    """What turns a value of ``kind`` into its parameter, or None to bind it as it is."""
    if kind is dt.datetime:
        return adapt
    return type(compiled_value) if type(compiled_value) is not kind else None


def _marker(kind, i):
    if kind is int:
        return _INT_MARKER + i
    if kind is str:
        return _STR_MARKER.format(i)
    return _DATETIME_MARKER.replace(microsecond=i)


class Shape:
    """One query shape; see the module docstring."""

    def __init__(self, build, *kinds, name=None):
        if any(kind not in KINDS for kind in kinds):
            raise ShapeError("a shape's values are int, str or datetime")
        self.build, self.kinds = build, kinds
        self.name = name or getattr(build, "__qualname__", "shape")
        self._compiled = weakref.WeakKeyDictionary()  # per connection object (one per thread and alias)
        self._lock = threading.Lock()

    def _for(self, alias):
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(connection) or _Compiled(self, connection, alias)
                self._compiled[connection] = compiled
        return connection, compiled

    def fetch_one(self, *values, using="default"):
        """The object of a shape that finds at most one (by its key), or None: a page's own object."""
        found = self.fetch(*values, using=using)
        return found[0] if found else None

    def fetch(self, *values, using="default", limit=None, offset=0):
        """The objects of the shape for ``values``, in its order (``limit``/``offset`` as a slice would)."""
        if len(values) != len(self.kinds):
            raise ShapeError(f"{self.name} takes {len(self.kinds)} values")
        connection, c = self._for(using)
        if any(kind is int and not _INT_MIN <= value <= _INT_MAX for kind, value in zip(self.kinds, values)):
            return []  # no row has such a key
        params = [
            c.params[i] if slot is None else (values[slot] if c.types[i] is None else c.types[i](values[slot]))
            for i, slot in enumerate(c.slots)
        ]
        sql = c.sql
        if limit is not None or offset:
            # Both backends here (PostgreSQL, SQLite) read LIMIT … OFFSET …; -1 is SQLite's "no limit".
            sql += " LIMIT %s OFFSET %s"
            params += [limit if limit is not None else (-1 if connection.vendor == "sqlite" else None), offset]
        # PostgreSQL keeps the statement prepared (portal/postgresql/base.py); SQLite has no such cursor.
        with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        objects = []
        model, alias, init_list, model_slice = c.model, c.alias, c.init_list, c.model_slice
        if c.converters:
            rows = c.compiler.apply_converters(rows, c.converters)
        if c.composite:
            rows = c.compiler.composite_fields_to_tuples(rows, c.fields)
        plain = c.plain and not (signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model))
        make = _made if plain else _from_db
        for row in rows:
            obj = make(model, alias, init_list, row[model_slice])
            for populator in c.populators:
                populator.populate(row, obj)
            for name, position in c.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
