"""Computing from the ledger: each open period's KPI snapshot (the dashboard reads it) and the
actuals of the goals bound to a KPI, written as progress entries that name the load."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from goalsapp.kpis import SCOPE_COLLECTOR, SCOPE_TEAM, SCOPE_TERRITORY
from goalsapp.models import Goal, ReviewPeriod
from goalsapp.services import progress_ledger_record

from .kpis import FORMULAS, Aggregates, ScopeKey, as_of_for, ledger_aggregates, window_days
from .models import KpiFigure, KpiSnapshot, LedgerLoad

log = logging.getLogger(__name__)


def load_label(load: LedgerLoad | None) -> str:
    """Where a computed number came from, in words the progress page shows."""
    if load is None:
        return "AR ledger, computed by hand (manage.py compute_kpis)"
    where = load.file_name or load.batch_id or "unnamed"
    channel = "file" if load.channel == LedgerLoad.Channel.FILE else "API batch"
    when = timezone.localtime(load.applied_at or load.created_at)
    return f"{load.get_kind_display()} {channel} “{where}”, load {load.pk} of {when:%Y-%m-%d %H:%M}"


def snapshot_save(period: ReviewPeriod, as_of: date, aggregates: dict[ScopeKey, Aggregates],
                  load: LedgerLoad | None) -> KpiSnapshot:
    """Replaces the period's figures as of that day with these (one snapshot per day)."""
    with transaction.atomic():
        snapshot, _ = KpiSnapshot.objects.update_or_create(
            period=period, as_of=as_of, defaults={"computed_at": timezone.now(), "load": load})
        snapshot.figures.all().delete()
        KpiFigure.objects.bulk_create([
            KpiFigure(snapshot=snapshot, scope=scope,
                      employee_id=key if scope != SCOPE_TERRITORY else None,
                      territory=key if scope == SCOPE_TERRITORY else "",
                      **{name: getattr(a, name) for name in Aggregates.ADDITIVE})
            for (scope, key), a in aggregates.items()], batch_size=2000)
    return snapshot


def scope_key(scope: str, employee_id: int, supervisor_id: int | None, territory: str,
              teams) -> ScopeKey | None:
    """Whose ledger a bound goal reads: its sheet's employee as collector; the team — the one
    the employee leads if their reports collect (`teams`: the team keys the ledger has), else
    the collectors reporting to the employee's supervisor; or the employee's territory (as the
    employee stands now)."""
    if scope == SCOPE_TEAM:
        if (SCOPE_TEAM, employee_id) in teams:
            return (SCOPE_TEAM, employee_id)
        return (SCOPE_TEAM, supervisor_id) if supervisor_id else None
    if scope == SCOPE_TERRITORY:
        return (SCOPE_TERRITORY, territory) if territory else None
    return (SCOPE_COLLECTOR, employee_id)


GOAL_FIELDS = ("pk", "kpi", "kpi_scope", "measure_kind", "target", "baseline", "direction")


def bound_goal_values(period: ReviewPeriod, as_of: date,
                      aggregates: dict[ScopeKey, Aggregates]):
    """(goal, as_of, value) of every bound goal of the period's signed sheets, of the version
    in force (only they take actuals: not a version an amendment replaced); a scope with no
    ledger rows reads as zeros. Read as values, the goals built with
    only what attainment needs: 5,000 goals with their sheets and employees as full model
    instances took two seconds (bench/ar_kpis.py)."""
    empty = Aggregates(days=window_days(period.starts_on, as_of))
    rows = (Goal.objects.filter(sheet__period=period).in_force().exclude(kpi="")
            .values_list(*GOAL_FIELDS, "sheet__employee_id", "sheet__employee__supervisor_id",
                         "sheet__employee__territory"))
    for *values, employee_id, supervisor_id, territory in rows:
        goal = Goal(**dict(zip(GOAL_FIELDS, values, strict=True)))
        key = scope_key(goal.kpi_scope, employee_id, supervisor_id, territory, aggregates)
        if key is not None:
            yield goal, as_of, FORMULAS[goal.kpi](aggregates.get(key, empty))


def period_recompute(period: ReviewPeriod, *, today: date, load: LedgerLoad | None = None,
                     actor=None) -> dict[str, int] | None:
    """The period's snapshot as of today (its last day once ended) and its bound goals'
    actuals; None for a period not started yet."""
    as_of = as_of_for(period.starts_on, period.ends_on, today)
    if as_of is None:
        return None
    aggregates = ledger_aggregates(period.starts_on, as_of)
    snapshot_save(period, as_of, aggregates, load)
    actor = actor or (load.loaded_by if load else None)
    values = list(bound_goal_values(period, as_of, aggregates))
    if not values or actor is None:
        return {"new": 0}
    return progress_ledger_record(values, actor=actor, ledger_ref=load_label(load))


def kpis_recompute(*, load_id: int | None = None, today: date | None = None,
                   actor=None) -> dict[int, dict[str, int]]:
    """After a load: every open period that has started, recomputed."""
    today = today or timezone.localdate()
    load = LedgerLoad.objects.select_related("loaded_by").get(pk=load_id) if load_id else None
    results = {}
    for period in ReviewPeriod.objects.filter(is_open=True, starts_on__lte=today):
        outcome = period_recompute(period, today=today, load=load, actor=actor)
        if outcome is not None:
            results[period.pk] = outcome
    return results


def on_ledger_loaded(sender, load: LedgerLoad, **kwargs) -> None:
    """The loader's signal: the recomputation is queued once the load has committed. Never
    raises, so the load itself stands even if the broker refuses the task."""
    from .tasks import recompute_kpis

    def queue():
        try:
            recompute_kpis.delay(load.pk)
        except Exception:
            log.exception("Could not queue the KPI recomputation after load %s", load.pk)

    transaction.on_commit(queue)
