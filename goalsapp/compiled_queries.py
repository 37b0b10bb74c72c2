"""ORM queries compiled to SQL once per process, then run again with new values.

Building a query's SQL (Django's compiler) costs more than PostgreSQL takes to run the small
queries every page asks first, such as which roles the signed-in person holds: about 0.9 ms of
1.6 (bench/profile_page.py). A CompiledQuery keeps the queryset as the one definition of the
query: it builds it once with stand-in values, keeps the SQL and where each value goes, and runs
that SQL with the real values.

    ROLES = CompiledQuery(lambda user_id: Employee.objects.filter(user_id=user_id)...)
    rows = ROLES(user_id=12)   # model instances, annotations as attributes

A builder depends on its arguments only (no dates, settings or request state), each argument is
an integer that reaches the SQL unchanged as a parameter (a filter value, not a slice), and the
queryset reads one model (no select_related: a raw query builds no related objects).
"""

from collections.abc import Callable
from inspect import signature
from typing import NamedTuple

from django.db import connections
from django.db.models import Model, QuerySet

# Stand-ins for the arguments while compiling: within any integer key's range, far above any
# id this application hands out, and distinct from each other.
_STAND_IN = 2_147_480_000


class _Compiled(NamedTuple):
    vendor: str
    model: type[Model]
    sql: str
    params: list
    slots: dict[int, str]  # parameter index → the argument that goes there


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.names = list(signature(build).parameters)
        self._compiled: dict[str, _Compiled] = {}  # by database alias

    def _compile(self, alias: str) -> _Compiled:
        stand_ins = {name: _STAND_IN + i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins).using(alias)
        if queryset.query.select_related:
            raise ValueError("A compiled query reads one model: drop select_related.")
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        slots = {i: name for i, param in enumerate(params)
                 for name, value in stand_ins.items() if param == value}
        missing = set(self.names) - set(slots.values())
        if missing or any(str(value) in sql for value in stand_ins.values()):
            raise ValueError(f"Arguments {sorted(missing) or self.names} do not reach the SQL as "
                             "parameters.")
        return _Compiled(connections[alias].vendor, queryset.model, sql, list(params), slots)

    def __call__(self, *, using: str = "default", **values) -> list[Model]:
        # Per alias and vendor: each database may speak another SQL dialect (SQLite, PostgreSQL).
        compiled = self._compiled.get(using)
        if compiled is None or compiled.vendor != connections[using].vendor:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled.params)
        for index, name in compiled.slots.items():
            params[index] = values[name]
        return list(compiled.model.objects.db_manager(using).raw(compiled.sql, params))
