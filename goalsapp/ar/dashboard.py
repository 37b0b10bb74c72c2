"""The collector KPI dashboard's figures: a period's stored snapshot (goalsapp.ar.computing),
each visible collector's aggregates summed into the chosen groups, the KPIs computed from the
sums. It reads at most one row a collector, so it answers in milliseconds at any ledger size."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from goalsapp.attainment import measure_value
from goalsapp.kpis import KPIS, SCOPE_COLLECTOR
from goalsapp.models import Employee, ReviewPeriod

from .kpis import Aggregates, kpi_values, total, window_days
from .models import KpiFigure, KpiSnapshot

ROWS_PER_PAGE = 50  # the page shows 50 groups at a time; the CSV has them all

# group_by → (what names a collector's group, the column's heading). Teams and territories are
# the collectors' own (their supervisor, their territory), so a group holds only collectors the
# viewer may see: a territory's accounts of other teams never leak into a supervisor's page.
GROUPINGS = {
    "collector": (lambda e: e["full_name"], "Collector"),
    "team": (lambda e: f"{e['supervisor__full_name']}’s team" if e["supervisor__full_name"]
             else "No supervisor", "Team"),
    "territory": (lambda e: e["territory"] or "No territory", "Territory"),
    "title": (lambda e: e["title"] or "No title", "Title"),
    "tier": (lambda e: Employee.Tier(e["performance_tier"]).label, "Performance tier"),
}
PEOPLE_FIELDS = ("full_name", "supervisor__full_name", "territory", "title", "performance_tier")


@dataclass
class KpiRow:
    label: str
    collectors: int
    aggregates: Aggregates
    currency: str

    @cached_property
    def values(self) -> dict[str, Decimal | None]:
        # Computed when shown: the page shows 50 of 500 collectors.
        return kpi_values(self.aggregates)

    @property
    def shown(self) -> list[str]:
        return [measure_value(self.values[kpi.code], measure_kind=kpi.kind, unit=kpi.unit,
                              currency=self.currency) for kpi in KPIS]


def snapshots(period: ReviewPeriod) -> list[KpiSnapshot]:
    return list(KpiSnapshot.objects.filter(period=period).select_related("load")
                .order_by("-as_of"))


def chosen_snapshot(all_snapshots: list[KpiSnapshot], wanted: str | None) -> KpiSnapshot | None:
    """The as-of day asked for, else the newest."""
    return next((s for s in all_snapshots if s.as_of.isoformat() == wanted),
                all_snapshots[0] if all_snapshots else None)


def kpi_rows(snapshot: KpiSnapshot, scope: set[int] | None, *, group_by: str
             ) -> tuple[list[KpiRow], KpiRow | None]:
    """The groups' rows (sorted by label) and the total over every collector shown."""
    label_of = GROUPINGS[group_by][0]
    figures = KpiFigure.objects.filter(snapshot=snapshot, scope=SCOPE_COLLECTOR)
    if scope is not None:
        figures = figures.filter(employee_id__in=scope)
    # Plain values, not model instances: 500 collectors' figures and names in two queries.
    figures = list(figures.values_list("employee_id", *Aggregates.ADDITIVE))
    people = {row["pk"]: row for row in Employee.objects.filter(
        pk__in=[figure[0] for figure in figures]).values("pk", *PEOPLE_FIELDS)}
    days = window_days(snapshot.period.starts_on, snapshot.as_of)
    groups: dict[str, list[Aggregates]] = defaultdict(list)
    for employee_id, *values in figures:
        aggregates = Aggregates(days=days, **dict(zip(Aggregates.ADDITIVE, values, strict=True)))
        groups[label_of(people[employee_id])].append(aggregates)
    currency = snapshot.period.currency
    rows = [KpiRow(label, len(members), total(members, days), currency)
            for label, members in sorted(groups.items())]
    everyone = [a for members in groups.values() for a in members]
    return rows, (KpiRow("All shown", len(everyone), total(everyone, days), currency)
                  if everyone else None)
