"""`field__in_line=subquery`: the field's value is one of the subquery's rows, as `__in`, written
for PostgreSQL's planner.

The access policy narrows every list to a supervisor's line, a recursive subquery
(`access._self_and_line`). PostgreSQL cannot estimate a recursive query's rows: for a supervisor
of 100 people at 10,000 employees it guessed half a million, scanned and sorted every sheet, and
the sheet list took 25 ms instead of 3 (bench/pages.py). Written `= ANY(ARRAY(subquery))`, the
line is computed once, as a value, and the index on the column is used. Other databases get
`IN (subquery)`.
"""

from django.db import models
from django.db.models import Lookup


class InLine(Lookup):
    lookup_name = "in_line"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # "(subquery)"
        operator = "= ANY(ARRAY{})" if connection.vendor == "postgresql" else "IN {}"
        return f"{lhs} {operator.format(rhs)}", [*lhs_params, *rhs_params]


models.ForeignKey.register_lookup(InLine)
models.BigAutoField.register_lookup(InLine)
