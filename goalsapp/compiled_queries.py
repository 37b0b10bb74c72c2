"""ORM queries compiled to SQL once per process, then run again with new values.

Building a query's SQL (Django's compiler) costs more than PostgreSQL takes to run the small
queries every page asks first, such as which roles the signed-in person holds (about 0.9 ms of
1.6) or the sheet with its people, period, amendment and closing review joined (1.3 ms of
planning ten joins in Python for a 0.3 ms query; bench/profile_page.py). A CompiledQuery keeps
the queryset as the one definition of the query: it builds it once with stand-in values, keeps
the SQL, where each value goes and how the columns become objects (the compiler's own map, so
joined rows and annotations come back exactly as the queryset gives them), and runs that SQL
with the real values. On PostgreSQL the statement is also prepared in the database session
(parsed and planned once per connection, which production keeps between requests): planning the
sheet's ten joins took PostgreSQL longer than running them. Set DATABASE_PREPARED_STATEMENTS=0
behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).

    SHEET = CompiledQuery(lambda pk: GoalSheet.objects.select_related("period").filter(pk=pk))
    rows = SHEET(pk=12)   # model instances, joined objects and annotations in place

A builder depends on its arguments only (no dates, settings or request state), each argument is
an integer that reaches the SQL unchanged as a parameter (a filter value for equality, not a
slice: a value outside any key's range finds no row without asking), and the
queryset gives model instances (no values(), no prefetch_related: those take more than one
statement or another shape of row).
"""

from collections.abc import Callable
from functools import cache
from inspect import signature
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# Stand-ins for the arguments while compiling: within any integer key's range, far above any
# id this application hands out, and distinct from each other.
_STAND_IN = 2_147_480_000
# A value no key can hold (a URL's id may be any length) matches nothing, as the ORM answers it
# (and SQLite would refuse it outright).
_KEY_RANGE = range(-2**63, 2**63)


class _Compiled(NamedTuple):
    vendor: str
    sql: str | None  # None: the queryset matches nothing (Django raised EmptyResultSet)
    params: list
    slots: dict[int, str]  # parameter index → the argument that goes there
    model: type[Model]
    init_list: list[str]  # the model's attributes, in the order of its columns
    columns: slice  # where the model's own columns are in a row
    populators: list  # Django's builders of the joined objects (select_related)
    annotations: dict[str, int]  # annotation → its column
    converters: dict[int, tuple]  # column → the backend's converters (SQLite's dates, …)


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], names: list[str] | None = None):
        """`names`: the arguments, for a builder that takes them as **values (one builder for
        several shapes of a query); otherwise the builder's own parameters."""
        self.build = build
        self.names = list(signature(build).parameters) if names is None else list(names)
        self._compiled: dict[str, _Compiled] = {}  # by database alias

    def _compile(self, alias: str) -> _Compiled:
        stand_ins = {name: _STAND_IN + i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins).using(alias)
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ValueError("A compiled query gives model instances in one statement: "
                             "drop values() and prefetch_related.")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()  # also fills the compiler's column map below
        except EmptyResultSet:  # the queryset matches nothing, whatever the values (none())
            return _Compiled(vendor=connections[alias].vendor, sql=None, params=[], slots={},
                             model=queryset.model, init_list=[], columns=slice(0),
                             populators=[], annotations={}, converters={})
        slots = {i: name for i, param in enumerate(params)
                 for name, value in stand_ins.items() if param == value}
        missing = set(self.names) - set(slots.values())
        if missing or any(str(value) in sql for value in stand_ins.values()):
            raise ValueError(f"Arguments {sorted(missing) or self.names} do not reach the SQL as "
                             "parameters.")
        # What ModelIterable reads off the compiler after running it, read once here.
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            vendor=connections[alias].vendor, sql=sql, params=list(params), slots=slots,
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            columns=slice(start, end),
            populators=get_related_populators(klass_info, select, alias),
            annotations=dict(compiler.annotation_col_map or {}),
            converters=compiler.get_converters([column[0] for column in select]))

    def __call__(self, *, using: str = "default", **values) -> list[Model]:
        # Per alias and vendor: each database may speak another SQL dialect (SQLite, PostgreSQL).
        compiled = self._compiled.get(using)
        if compiled is None or compiled.vendor != connections[using].vendor:
            compiled = self._compiled[using] = self._compile(using)
        if compiled.sql is None or any(value not in _KEY_RANGE for value in values.values()):
            return []
        params = list(compiled.params)
        for index, name in compiled.slots.items():
            params[index] = values[name]
        connection = connections[using]
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        found = []
        for row in rows:
            instance = compiled.model.from_db(using, compiled.init_list, row[compiled.columns])
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, column in compiled.annotations.items():
                setattr(instance, name, row[column])
            found.append(instance)
        return found


def _cursor(connection):
    """Django's cursor (its health check, error wrapping, query logging and execute wrappers),
    on PostgreSQL with psycopg's server-side binding and the statement prepared."""
    wrapper = connection.cursor()
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return wrapper
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return wrapper
    plain = wrapper.cursor
    prepared = _prepared_cursor_class()(plain.connection)
    prepared.logged = connection.queries_logged
    if _time_zone(prepared) != _time_zone(plain):  # Django set this cursor's own time zone
        prepared.close()
        return wrapper
    plain.close()
    if plain.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which would refuse even the statements
        # asked by name. Django's own cursors bind on the client and are never prepared, so
        # with a threshold no statement reaches, only these are.
        plain.connection.prepare_threshold = _NEVER
    wrapper.cursor = prepared
    return wrapper


_NEVER = 2**31


def _time_zone(cursor):
    """The time zone a cursor reads timestamps in (psycopg 3)."""
    from psycopg.postgres import types
    from psycopg.pq import Format

    loader = cursor.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)
    return getattr(loader, "timezone", None)


@cache
def _prepared_cursor_class():
    # Imported here: the PostgreSQL backend needs psycopg, which a SQLite-only setup may lack.
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        logged = False  # whether Django logs its queries (DEBUG, or a test counting them)

        def execute(self, query, params=None, *, prepare=None, binary=None):
            try:
                return super().execute(query, params, prepare=True, binary=binary)
            finally:
                if self.logged and self._query is None:
                    # psycopg keeps no query for a prepared statement it runs by name; Django's
                    # log reads it back (DatabaseOperations.last_executed_query).
                    self._query = self._convert_query(query, params)

    return PreparedCursor


def _converted(row, converters: dict, connection) -> list:
    row = list(row)
    for column, (functions, expression) in converters.items():
        value = row[column]
        for function in functions:
            value = function(value, expression, connection)
        row[column] = value
    return row
