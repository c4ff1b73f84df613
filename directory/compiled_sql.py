"""SQL built once per shape of query, then run with each request's own values.

Used by the directory's search (`sql_with_params`) and by the profile pages' query of their
cluster (`prepared`).

Django builds and compiles a queryset anew for every request. For the directory's search that
took longer than PostgreSQL takes to run it (bench/render.py: about 2 ms for the page of
results and 1 ms for the counts, against 1.5 ms of PostgreSQL). The SQL of a search depends
only on its shape: words or none, how many values of which facets, the sort order; the words
and the facet keys are parameters. So each shape is built once per process, with stand-ins
in place of the values, and kept with the place of each stand-in among its parameters; a later
search of that shape puts its own values in those places.

A value Django changes on its way into the parameters (an escaped LIKE pattern, say) leaves
its stand-in unfound: such a shape is built afresh every time, as without this module.
"""

import copy

from django.db import connections
from django.db.models.sql import Query

# Shapes are few (a search's facets and the number of values chosen in each); the bound only
# keeps a crawler trying every combination from growing a worker's memory.
MAX_SHAPES = 1000

_compiled = {}
_prepared = {}


class CompiledSQL:
    def __init__(self, sql, params, stand_ins):
        slot_of = {stand_in: slot for slot, stand_in in enumerate(stand_ins)}
        self.sql = sql
        self.slots = [
            (slot_of.get(param) if isinstance(param, str) else None, param) for param in params
        ]
        found = {slot for slot, _param in self.slots if slot is not None}
        self.reusable = found == set(range(len(stand_ins))) and not any(
            stand_in in sql for stand_in in stand_ins
        )

    def params(self, values):
        return [values[slot] if slot is not None else param for slot, param in self.slots]


def stand_ins(count):
    # One word (the search splits words at spaces and at what Python counts as such, as
    # \x1f), made unlike any real value by a control character: no facet key holds one.
    return tuple(f"\x01stand-in-{index}\x01" for index in range(count))


def sql_with_params(shape, values, build):
    """`build(values)` → (sql, params), built once per hashable `shape` for every `values`
    (a tuple of strings) of that shape."""
    compiled = _compiled.get(shape)
    if compiled is None:
        placeholders = stand_ins(len(values))
        compiled = CompiledSQL(*build(placeholders), placeholders)
        if len(_compiled) >= MAX_SHAPES:
            _compiled.clear()
        _compiled[shape] = compiled
    if not compiled.reusable:
        return build(values)
    return compiled.sql, compiled.params(values)


class PreparedQuery(Query):
    """A query that runs the SQL `prepared()` compiled for its shape, with its own values.

    Every queryset method clones the query first, and a clone is an ordinary query again: a
    queryset changed after `prepared()` compiles its own SQL, so it can never run SQL meant
    for another.
    """

    prepared = None  # (compiler set up for the shape, SQL, this query's params)

    def clone(self):
        clone = super().clone()
        clone.prepared = None
        return clone

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if self.prepared is None:
            return super().get_compiler(using, connection, elide_empty)
        set_up, sql, params = self.prepared
        # The shape's compiler knows the selected columns and how to turn rows into objects;
        # a copy of it, on this thread's connection, runs the SQL with this query's values.
        compiler = copy.copy(set_up)
        compiler.connection = connections[using] if using else connection
        compiler.using = using
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler


def prepared(shape, values, build, using):
    """The queryset `build(values)`, built and compiled once per hashable `shape` and
    database alias `using`.

    `build` makes the queryset from a tuple of strings (stand-ins the first time); what it
    adds (select_related, prefetch_related, annotations) works as usual.
    """
    key = (using, shape)
    entry = _prepared.get(key)
    if entry is None:
        placeholders = stand_ins(len(values))
        template = build(placeholders)
        query = template.query.clone()
        query.__class__ = PreparedQuery
        template.query = query
        compiler = query.get_compiler(using)
        compiled = CompiledSQL(*compiler.as_sql(), placeholders)
        if len(_prepared) >= MAX_SHAPES:
            _prepared.clear()
        entry = _prepared[key] = (template, compiler, compiled)
    template, compiler, compiled = entry
    if not compiled.reusable:
        return build(values)
    queryset = template._chain()
    queryset.query.prepared = (compiler, compiled.sql, compiled.params(values))
    return queryset
