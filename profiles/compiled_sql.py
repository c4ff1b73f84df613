"""SQL built once per shape of query, then run with each request's own values.

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

# Shapes are few (a search's facets and the number of values chosen in each); the bound only
# keeps a crawler trying every combination from growing a worker's memory.
MAX_SHAPES = 1000

_compiled = {}


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
