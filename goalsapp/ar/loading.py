"""Loading rows into the ledger: every row checked (cells in Python, references and duplicate
ids in SQL), then — in ONE transaction — copied into a temporary staging table (PostgreSQL's
COPY) and upserted with `INSERT … ON CONFLICT (number) DO UPDATE … WHERE changed`, so a re-load
of the same rows writes nothing and counts them unchanged. A preview runs the same steps and
rolls back. CSV files and API batches both come here (`ledger_preview`, `ledger_apply`)."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .columns import (
    COLUMNS,
    MODELS,
    CellProblem,
    Column,
    cross_field_problem,
    empty_value,
    fast_pattern,
)
from .models import LedgerLoad
from .signals import ledger_loaded

MAX_ERRORS_KEPT = 1000  # messages kept for the preview and the API; all are counted
STAGE = "ar_stage"
INSERT_BATCH = 2000
COPY_BATCH = 5000
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
CARDINALITY_VIOLATION = "21000"  # ON CONFLICT DO UPDATE met the same id twice


@dataclass(frozen=True)
class RowError:
    line: int      # the CSV file's line, or the API batch's row index
    field: str     # our field name; "" for the whole row
    message: str


@dataclass
class LoadResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_with_errors: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_problem: str = ""  # the file could not be read to its end
    row_word: str = "line"  # what `RowError.line` counts: a file's lines, a batch's rows

    @property
    def ok(self) -> bool:
        return not self.rows_with_errors and not self.file_problem

    def keep(self, error: RowError) -> None:
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)


class LoadRefused(Exception):
    """Apply refused: some rows are wrong (or the load was applied already); nothing written."""

    def __init__(self, result: LoadResult, message: str = ""):
        super().__init__(message or f"{result.rows_with_errors} rows have errors.")
        self.result = result


def ledger_preview(load: LedgerLoad, records: Iterable[tuple[int, list[str]]]) -> LoadResult:
    """What applying `records` (line, cells in COLUMNS order) would do; nothing is kept."""
    return _run(load, records, apply=False)


def ledger_apply(load: LedgerLoad, records: Iterable[tuple[int, list[str]]], *,
                 row_word: str = "line") -> LoadResult:
    """Writes `records` into the ledger in one transaction, or nothing (LoadRefused) if any
    row is wrong. Records the counts on `load` and sends `ledger_loaded` after commit."""
    result = _run(load, records, apply=True, row_word=row_word)
    if not result.ok:
        raise LoadRefused(result, result.file_problem)
    return result


def _run(load, records, *, apply: bool, row_word: str = "line") -> LoadResult:
    kind = load.kind
    result = LoadResult(row_word=row_word)
    with transaction.atomic():
        if apply:
            locked = LedgerLoad.objects.select_for_update().get(pk=load.pk)
            if locked.applied_at is not None:
                raise LoadRefused(result, "This load was applied already.")
            if connection.vendor == "postgresql":
                # Loads one after another: each one's counts are true of the ledger it met.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('goalpost_ar_load'))")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # For this transaction only: the joins of a million-row load hash in memory
                # rather than in batches on disk, and are not worth compiling (JIT).
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
            _create_stage(cursor, kind)
            _stage(cursor, kind, _checked(kind, records, result,
                                          as_text=connection.vendor == "postgresql"))
            # Applying on PostgreSQL, the upsert itself refuses an id twice (a row cannot be
            # changed twice in one statement): the duplicate check runs only then, to say
            # which lines, instead of costing every load a pass over the stage.
            fast = apply and connection.vendor == "postgresql"
            _check_in_sql(cursor, kind, result, duplicates=not fast)
            if not result.file_problem:
                if fast and result.ok:
                    try:
                        with transaction.atomic():
                            _upsert_counting(cursor, kind, load.pk, result)
                    except DatabaseError as error:
                        if getattr(error.__cause__, "sqlstate", "") != CARDINALITY_VIOLATION:
                            raise
                        _check_duplicates(cursor, kind, result)
                else:
                    _count(cursor, kind, result)
                    if apply and result.ok:
                        _upsert(cursor, kind, load.pk)
            result.errors.sort(key=lambda error: error.line)
            cursor.execute(f"DROP TABLE {STAGE}")
        if apply and result.ok:
            load.applied_at = timezone.now()
            load.rows_total, load.rows_created = result.total, result.created
            load.rows_updated, load.rows_unchanged = result.updated, result.unchanged
            load.save(update_fields=["applied_at", "rows_total", "rows_created",
                                     "rows_updated", "rows_unchanged"])
            transaction.on_commit(lambda: ledger_loaded.send(sender=LedgerLoad, load=load))
        else:
            transaction.set_rollback(True)
    return result


# Checking cells ---------------------------------------------------------------------------------

def _checked(kind: str, records, result: LoadResult, *, as_text: bool) -> Iterator:
    """The valid rows, as staging tuples (line, values…) or, `as_text`, as lines of COPY's
    text format; every wrong cell becomes a RowError.

    A row is first tried whole against the kind's fast pattern (one regular expression over
    its cells joined by tabs, in C): most rows of an export pass it and their cells are their
    values. Any other row is read cell by cell, which says what is wrong. This halves the
    Python time of a million-row load."""
    columns = COLUMNS[kind]
    names = [column.name for column in columns]
    readers = [(column, column.read, column.required, empty_value(kind, column))
               for column in columns]
    cross = kind in ("invoices", "disputes")
    fast = re.compile("\t".join(fast_pattern(kind, column) for column in columns))
    passes = [(at, column.read.passes) for at, column in enumerate(columns)
              if hasattr(column.read, "passes")]
    # Thousands commas leave amounts before the pattern (the cell-by-cell reading drops
    # them the same way), so an export that writes 1,234.50 stays on the fast path.
    amounts = [at for at, column in enumerate(columns) if hasattr(column.read, "money")]
    for line, cells in records:
        result.total += 1
        plain = cells  # the cells as the fast path reads them; messages quote the originals
        for at in amounts:
            if "," in cells[at]:
                plain = plain if plain is not cells else list(cells)
                plain[at] = cells[at].replace(",", "")
        joined = "\t".join(plain)
        if fast.fullmatch(joined) and all(check(plain[at]) for at, check in passes) and not (
                cross and cross_field_problem(kind, dict(zip(names, plain, strict=True)))):
            yield f"{line}\t{joined}" if as_text else (line, *plain)
            continue
        values, wrong = [], False
        for (column, read, required, empty), cell in zip(readers, cells, strict=True):
            if not cell:
                if required:
                    result.keep(RowError(line, column.name, f"The {_lower(column)} is empty."))
                    wrong = True
                values.append(empty)
                continue
            try:
                values.append(read(cell))
            except CellProblem as problem:
                result.keep(RowError(line, column.name, f"The {_lower(column)} {problem}."))
                wrong = True
                values.append(None)
        if not wrong and cross:
            found = cross_field_problem(kind, dict(zip(names, values, strict=True)))
            if found:
                result.keep(RowError(line, *found))
                wrong = True
        if wrong:
            result.rows_with_errors += 1
        elif as_text:
            yield "\t".join([str(line), *map(_copy_text, values)])
        else:
            yield (line, *values)


def _lower(column: Column) -> str:
    label = column.label.split(" (")[0]
    return label[0].lower() + label[1:] if not label.startswith("Collector") else label.lower()


# Staging ---------------------------------------------------------------------------------------

def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _target_field(kind: str, column: Column):
    return MODELS[kind]._meta.get_field(column.name)


def _create_stage(cursor, kind: str) -> None:
    parts = ["line integer NOT NULL"]
    for column in COLUMNS[kind]:
        if column.refers_to:
            db_type = "varchar(60)"  # the number it names; resolved to an id by the upsert
        else:
            db_type = _target_field(kind, column).db_type(connection)
        parts.append(f"{_q(column.name)} {db_type}")
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(parts)})")


def _stage(cursor, kind: str, rows: Iterator) -> None:
    names = ", ".join(["line", *(_q(column.name) for column in COLUMNS[kind])])
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
            lines = []
            for line in rows:
                lines.append(line)
                if len(lines) == COPY_BATCH:
                    copy.write("\n".join(lines) + "\n")
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
        cursor.execute(f"ANALYZE {STAGE}")  # a temporary table has no statistics of its own
        return
    marks = ", ".join(["%s"] * (len(COLUMNS[kind]) + 1))
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            cursor.executemany(f"INSERT INTO {STAGE} ({names}) VALUES ({marks})", batch)
            batch = []
    if batch:
        cursor.executemany(f"INSERT INTO {STAGE} ({names}) VALUES ({marks})", batch)


def _copy_text(value: str | None) -> str:
    """A value in COPY's text format: NULL as \\N, backslash and line breaks escaped.
    Every value is text by now (checked dates and amounts are kept as text)."""
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(COPY_ESCAPES)
    return value


# Checks across rows and tables -------------------------------------------------------------------

def _check_in_sql(cursor, kind: str, result: LoadResult, *, duplicates: bool) -> None:
    """Duplicate ids within the file and references to rows the ledger (or the people) do not
    hold. Each wrong row is reported and dropped from the stage; all are counted."""
    if duplicates:
        _check_duplicates(cursor, kind, result)
    _check_references(cursor, kind, result)


def _check_duplicates(cursor, kind: str, result: LoadResult) -> None:
    cursor.execute(
        f"SELECT s.line, s.number, d.first FROM {STAGE} s JOIN "
        f"(SELECT number, min(line) AS first FROM {STAGE} GROUP BY number "
        f"HAVING count(*) > 1) d ON d.number = s.number AND s.line <> d.first "
        f"ORDER BY s.line LIMIT {MAX_ERRORS_KEPT}")
    label = COLUMNS[kind][0].label.lower()
    twins = cursor.fetchall()
    for line, number, first in twins:
        result.keep(RowError(line, "number", f"{result.row_word.capitalize()} {first} has the "
                                             f"same {label} “{number}”: each id once."))
    if twins:  # a clean file (the usual case) skips the second pass
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {STAGE} e WHERE "
            f"e.number = {STAGE}.number AND e.line < {STAGE}.line)")
        result.rows_with_errors += max(cursor.rowcount, 0)


def _check_references(cursor, kind: str, result: LoadResult) -> None:
    for column in COLUMNS[kind]:
        if not column.refers_to:
            continue
        model, key = column.refers_to
        missing = (f"{STAGE}.{_q(column.name)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                   f"{_q(model._meta.db_table)} t WHERE t.{_q(key)} = {STAGE}.{_q(column.name)})")
        cursor.execute(f"SELECT line, {_q(column.name)} FROM {STAGE} WHERE {missing} "
                       f"ORDER BY line LIMIT {MAX_ERRORS_KEPT}")
        unknown = cursor.fetchall()
        for line, number in unknown:
            result.keep(RowError(line, column.name, _unknown(kind, column, number)))
        if unknown:
            cursor.execute(f"DELETE FROM {STAGE} WHERE {missing}")
            result.rows_with_errors += max(cursor.rowcount, 0)


def _unknown(kind: str, column: Column, number: str) -> str:
    model = column.refers_to[0]
    if column.name == "collector":
        return f"Unknown collector: no employee has the number “{number}”."
    thing = model._meta.verbose_name
    return (f"Unknown {column.label.lower()} “{number}”: no {thing} with this number in the "
            f"ledger (load the {model._meta.verbose_name_plural} first).")


# Counting and writing --------------------------------------------------------------------------

def _resolved(kind: str) -> tuple[str, list[str]]:
    """SELECT of the stage with references turned into ids, and the ledger columns it gives."""
    selects, joins, targets = [f"{STAGE}.number"], [], ["number"]
    for index, column in enumerate(COLUMNS[kind][1:]):
        target = _target_field(kind, column).column
        targets.append(target)
        if column.refers_to:
            model, key = column.refers_to
            alias = f"r{index}"
            joins.append(f"LEFT JOIN {_q(model._meta.db_table)} {alias} "
                         f"ON {alias}.{_q(key)} = {STAGE}.{_q(column.name)}")
            selects.append(f"{alias}.id AS {_q(target)}")
        else:
            selects.append(f"{STAGE}.{_q(column.name)} AS {_q(target)}")
    return f"SELECT {', '.join(selects)} FROM {STAGE} {' '.join(joins)}", targets


def _same(left: str, right: str) -> str:
    operator = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    return f"{left} {operator} {right}"


def _unchanged(kind: str, table: str, other: str, targets: list[str]) -> str:
    return " AND ".join(_same(f"{table}.{_q(name)}", f"{other}.{_q(name)}")
                        for name in targets[1:])


def _count(cursor, kind: str, result: LoadResult) -> None:
    select, targets = _resolved(kind)
    table = _q(MODELS[kind]._meta.db_table)
    cursor.execute(
        f"SELECT count(*), coalesce(sum(CASE WHEN t.id IS NULL THEN 1 ELSE 0 END), 0), "
        f"coalesce(sum(CASE WHEN t.id IS NOT NULL AND NOT ({_unchanged(kind, 't', 'r', targets)})"
        f" THEN 1 ELSE 0 END), 0) FROM ({select}) r LEFT JOIN {table} t ON t.number = r.number")
    staged, result.created, result.updated = cursor.fetchone()
    result.unchanged = staged - result.created - result.updated


def _upsert_sql(kind: str) -> str:
    select, targets = _resolved(kind)
    table = _q(MODELS[kind]._meta.db_table)
    names = ", ".join(_q(name) for name in [*targets, "load_id"])
    updates = ", ".join(f"{_q(name)} = excluded.{_q(name)}" for name in [*targets[1:], "load_id"])
    # Rows the ledger holds as they are never reach the INSERT: ON CONFLICT DO UPDATE locks
    # (and so writes) every row it meets, even one its WHERE then leaves alone, which made a
    # re-load of a million unchanged rows write a million row locks. (The WHERE also lets
    # SQLite read ON CONFLICT as the upsert's, not the join's.)
    return (f"INSERT INTO {table} ({names}) SELECT r.*, %s FROM ({select}) r "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.number = r.number "
            f"AND {_unchanged(kind, 't', 'r', targets)}) "
            f"ON CONFLICT (number) DO UPDATE SET {updates} "
            f"WHERE NOT ({_unchanged(kind, table, 'excluded', targets)})")


def _upsert(cursor, kind: str, load_id: int) -> None:
    cursor.execute(_upsert_sql(kind), [load_id])


def _upsert_counting(cursor, kind: str, load_id: int, result: LoadResult) -> None:
    """The upsert counting what it wrote, in one pass (PostgreSQL): a row inserted has no
    xmax yet, a row updated has; a row left alone is not returned."""
    cursor.execute(f"WITH written AS ({_upsert_sql(kind)} RETURNING (xmax = 0) AS inserted) "
                   "SELECT coalesce(sum(CASE WHEN inserted THEN 1 ELSE 0 END), 0), count(*) "
                   "FROM written", [load_id])
    result.created, written = cursor.fetchone()
    result.updated = written - result.created
    result.unchanged = result.total - written
