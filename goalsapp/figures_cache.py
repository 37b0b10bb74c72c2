"""Figures computed once per process and change of the data, for pages that are read far more
than the data under them is written (the department dashboard grades every signed goal).

A figure is kept under its own key plus the data's version, read from the data itself in one
cheap query: the newest progress entry (id and time), the newest signed sheet's lock and the
newest change of an employee (simple-history). Every way of writing — pages, CSV, the API, the
people sync, the admin — moves one of them without having to remember to. A reader that saw the
old version while a write committed keeps newer figures under the older key, never older figures
under the newer one, so what a page shows is at most one request behind a write. A change that
moves none of them (a row edited in SQL) shows within MAX_AGE_SECONDS.

The cache holds figures, never pages: who may see which of them is decided after it, on every
request (goalsapp.access).
"""

import datetime
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Employee, GoalSheet, ProgressEntry

MAX_AGE_SECONDS = 600
KEPT = 32  # figures per process: everyone's per period and day, and the groupings made of them

_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()
# The version a figure being computed was keyed on: figures it is made of use the same one.
_computing_at: ContextVar[tuple | None] = ContextVar("figures_version", default=None)


def data_version() -> tuple:
    """What changes whenever a figure could: one query of four index lookups."""
    entries = connection.ops.quote_name(ProgressEntry._meta.db_table)
    sheets = connection.ops.quote_name(GoalSheet._meta.db_table)
    people = connection.ops.quote_name(Employee.history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {entries}), "
                       f"(SELECT MAX(updated_at) FROM {entries}), "
                       f"(SELECT MAX(locked_at) FROM {sheets}), "
                       f"(SELECT MAX(history_id) FROM {people})")
        newest_id, newest_change, newest_lock, newest_person = cursor.fetchone()
    if isinstance(newest_change, str):
        # SQLite returns a raw query's times as text; bringing figures forward subtracts from it.
        newest_change = parse_datetime(newest_change)
        if settings.USE_TZ and timezone.is_naive(newest_change):
            newest_change = timezone.make_aware(newest_change, datetime.UTC)
    return newest_id, newest_change, newest_lock, newest_person


def only_progress_moved(old: tuple, new: tuple) -> bool:
    """Whether, between two data versions, progress entries were only added or changed: no
    sheet was signed, nobody changed, no entry's id or time went back (a deletion)."""
    if None in old[:2] or None in new[:2]:
        return False
    return old[2:] == new[2:] and new[0] >= old[0] and new[1] >= old[1]


def cached(key: tuple, compute, update=None):
    """compute()'s result for `key` at the data's current version, computed at most once per
    process while the version stands (two threads may both compute; either result is right).

    With `update`, figures kept for an older version are brought forward rather than computed
    anew when they can be: update(old figures, old version, new version) returns the new
    figures, or None when only compute() can."""
    version = _computing_at.get() or data_version()
    full_key = (connection.alias, connection.settings_dict["NAME"], *key, version)
    now = time.monotonic()
    older = None
    with _lock:
        found = _kept.get(full_key)
        if found is not None and now - found[0] < MAX_AGE_SECONDS:
            _kept.move_to_end(full_key)
            return found[1]
        if update is not None:
            older = next(((k[-1], kept) for k, kept in _kept.items()
                          if k[:-1] == full_key[:-1] and now - kept[0] < MAX_AGE_SECONDS), None)
    token = _computing_at.set(version)
    born = now
    try:
        value = update(older[1][1], older[0], version) if older else None
        if value is None:
            value = compute()
        else:
            # Brought-forward figures age from the last full computation: whatever an update
            # could miss is graded anew within MAX_AGE_SECONDS, as for any unseen change.
            born = older[1][0]
    finally:
        _computing_at.reset(token)
    with _lock:
        # This key's figures of an older version are never asked for again: drop them now,
        # not by age (other keys' are kept until their own turn: they may be brought forward).
        for old_key in [k for k in _kept if k[:-1] == full_key[:-1] and k[-1] != version]:
            del _kept[old_key]
        _kept[full_key] = (born, value)
        _kept.move_to_end(full_key)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget_all() -> None:
    """Drops every kept figure, as a new worker process starts: the next request computes them
    (bench/dashboards.py times that request)."""
    with _lock:
        _kept.clear()
