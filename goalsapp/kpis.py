"""The collector KPI library: which accounts-receivable figures a goal may be bound to, with the
measure each one implies. The formulas live with the ledger (goalsapp/ar/kpis.py) and are written
out in docs/kpis.md; this module only names them, so the goal editor, the library and goal sets
(which know nothing of the ledger) can offer them.
"""

from dataclasses import dataclass

from .measures import COUNT, HIGHER, LOWER, MONEY, PERCENT


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    kind: str  # Goal.MeasureKind
    unit: str
    direction: str  # Goal.Direction
    # Amounts and counts are year-to-date totals over the period; rates and days are the
    # level as of the day (docs/tracking.md), which is how their progress entries read.
    cumulative: bool


KPIS: tuple[Kpi, ...] = (
    Kpi("cash_collected", "Cash collected", MONEY, "", HIGHER, True),
    Kpi("cei", "Collection effectiveness index (CEI)", PERCENT, "%", HIGHER, False),
    Kpi("dso", "Days sales outstanding (DSO)", COUNT, "days", LOWER, False),
    Kpi("best_possible_dso", "Best possible DSO", COUNT, "days", LOWER, False),
    Kpi("add", "Average days delinquent (ADD)", COUNT, "days", LOWER, False),
    Kpi("percent_current", "Percentage of receivables current", PERCENT, "%", HIGHER, False),
    Kpi("promise_kept_rate", "Promise-to-pay kept rate", PERCENT, "%", HIGHER, False),
    Kpi("broken_promise_rate", "Broken-promise rate", PERCENT, "%", LOWER, False),
    Kpi("dispute_resolution_days", "Average dispute resolution days", COUNT, "days", LOWER,
        False),
    Kpi("accounts_contacted", "Accounts contacted", COUNT, "accounts", HIGHER, True),
)
BY_CODE = {kpi.code: kpi for kpi in KPIS}
KPI_CHOICES = [(kpi.code, kpi.name) for kpi in KPIS]

# Whose ledger a bound goal is measured on: the sheet's employee as collector, the collectors
# who report to the same supervisor, or every account in the employee's territory.
SCOPE_COLLECTOR, SCOPE_TEAM, SCOPE_TERRITORY = "collector", "team", "territory"
SCOPE_CHOICES = [(SCOPE_COLLECTOR, "This collector"), (SCOPE_TEAM, "The team"),
                 (SCOPE_TERRITORY, "The territory")]

assert {k.kind for k in KPIS} <= {COUNT, MONEY, PERCENT} and \
    {k.direction for k in KPIS} <= {HIGHER, LOWER}
