"""Every KPI against docs/kpis.md's worked example (numbers computed by hand there), the
as-of rules, the three scopes, and the SQL against the row-by-row Python definition."""

import datetime
import random
from decimal import Decimal

import pytest

from goalsapp.ar import kpis
from goalsapp.ar.kpis import Aggregates, kpi_values, ledger_aggregates, python_aggregates
from tests.ar_kpi_helpers import (
    AS_OF,
    PERIOD_START,
    account,
    contact,
    dispute,
    invoice,
    ledger_load,
    promise,
    worked_example,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

CASEY = {  # docs/kpis.md, "Casey as of 31 March 2027"
    "cash_collected": Decimal("2800.00"),
    "cei": Decimal("82.35"),
    "dso": Decimal("36.00"),
    "best_possible_dso": Decimal("22.50"),
    "add": Decimal("13.50"),
    "percent_current": Decimal("62.50"),
    "promise_kept_rate": Decimal("66.67"),
    "broken_promise_rate": Decimal("33.33"),
    "dispute_resolution_days": Decimal("25.00"),
    "accounts_contacted": Decimal("3"),
}
TEAM = {"cash_collected": Decimal("3800.00"), "cei": Decimal("86.36"),
        "dso": Decimal("28.80"), "best_possible_dso": Decimal("18.00"), "add": Decimal("10.80"),
        "accounts_contacted": Decimal("3")}


def test_the_formulas_on_the_worked_examples_aggregates():
    casey = Aggregates(days=90, beginning=Decimal(400), credit_sales=Decimal(4000),
                       ending_total=Decimal(1600), ending_current=Decimal(1000),
                       cash_collected=Decimal(2800), promises_kept=2, promises_broken=1,
                       disputes_resolved=2, dispute_days=50, accounts_contacted=3)
    assert kpi_values(casey) == CASEY


def test_figures_with_nothing_to_divide_by_have_no_value_rather_than_zero():
    values = kpi_values(Aggregates(days=30))
    assert values["cash_collected"] == 0 and values["accounts_contacted"] == 0
    for code in ("cei", "dso", "best_possible_dso", "add", "percent_current",
                 "promise_kept_rate", "broken_promise_rate", "dispute_resolution_days"):
        assert values[code] is None, code


def test_the_ledger_gives_the_worked_examples_figures_per_collector_team_and_territory():
    example = worked_example()
    found = ledger_aggregates(PERIOD_START, AS_OF)
    assert kpi_values(found[("collector", example.casey.pk)]) == CASEY
    team = kpi_values(found[("team", example.sam.pk)])
    assert {code: team[code] for code in TEAM} == TEAM
    dana = kpi_values(found[("collector", example.dana.pk)])
    assert dana["cei"] == Decimal("100.00") and dana["dso"] == Decimal("0.00")
    assert dana["accounts_contacted"] == 1
    # Accounts contacted in a territory: the accounts' territory, whoever called.
    assert found[("territory", "North")].accounts_contacted == 2
    assert found[("territory", "South")].accounts_contacted == 1
    # Casey owns all of North; of Casey's three accounts contacted, one is Dana's, in South.
    assert kpi_values(found[("territory", "North")]) == {**CASEY,
                                                        "accounts_contacted": Decimal(2)}


def test_as_of_a_date_reads_only_what_had_happened_by_then():
    example = worked_example()
    in_january = ledger_aggregates(PERIOD_START, datetime.date(2027, 1, 31))
    casey = in_january[("collector", example.casey.pk)]
    # By 31 January: invoice 2 issued (2,000), nothing paid yet in the window; invoice 1 still
    # owes 400 and is past due; invoice 2 is due 14 February, so current.
    assert (casey.days, casey.credit_sales, casey.cash_collected) == (31, 2000, 0)
    assert (casey.ending_total, casey.ending_current) == (2400, 2000)
    assert casey.promises_kept == 1 and casey.disputes_resolved == 1
    assert kpi_values(casey)["cei"] == Decimal("0.00")


def test_sql_and_python_agree_on_a_random_ledger():
    rng = random.Random(17)
    load = ledger_load()
    boss = EmployeeFactory()
    collectors = [EmployeeFactory(supervisor=boss if i % 3 else None) for i in range(5)]
    start = datetime.date(2027, 1, 1)
    accounts = [account(load, rng.choice(collectors + [None]), rng.choice(["N", "S", ""]))
                for _ in range(12)]
    for _ in range(60):
        issued = start + datetime.timedelta(days=rng.randint(-90, 200))
        inv = invoice(load, rng.choice(accounts), issued,
                      issued + datetime.timedelta(days=rng.choice([0, 15, 30, 60])),
                      rng.randint(1, 5000),
                      [(issued + datetime.timedelta(days=rng.randint(0, 120)), rng.randint(1, 900))
                       for _ in range(rng.randint(0, 3))])
        if rng.random() < 0.3:
            opened = issued + datetime.timedelta(days=rng.randint(0, 40))
            dispute(load, inv, opened, rng.choice(
                [None, opened + datetime.timedelta(days=rng.randint(0, 60))]))
    for _ in range(30):
        promise(load, rng.choice(accounts), start + datetime.timedelta(days=rng.randint(-30, 200)),
                rng.choice(["open", "kept", "broken"]))
        contact(load, rng.choice(accounts), rng.choice(collectors),
                start + datetime.timedelta(days=rng.randint(-30, 200)))
    for as_of in (datetime.date(2027, 1, 1), datetime.date(2027, 3, 15),
                  datetime.date(2027, 7, 31)):
        assert ledger_aggregates(start, as_of) == python_aggregates(start, as_of), as_of


def test_the_as_of_day_is_today_while_the_period_runs_and_its_last_day_after():
    start, end = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)
    assert kpis.as_of_for(start, end, datetime.date(2026, 12, 31)) is None
    assert kpis.as_of_for(start, end, datetime.date(2027, 5, 5)) == datetime.date(2027, 5, 5)
    assert kpis.as_of_for(start, end, datetime.date(2028, 2, 1)) == end
