"""Goals bound to a KPI take their actuals from the ledger after each load: as progress entries
that name the load, only on signed sheets, never over a value someone typed, and without
touching what was signed."""

import datetime
from decimal import Decimal

import pytest

from goalsapp.ar.computing import kpis_recompute
from goalsapp.ar.models import KpiSnapshot
from goalsapp.ar.signals import ledger_loaded
from goalsapp.models import ProgressEntry
from reviews.canonical import content_hash
from tests.ar_kpi_helpers import AS_OF, bound_signed_sheet, worked_example
from tests.factories import GoalFactory, GoalSheetFactory, ReviewPeriodFactory
from tests.progress_helpers import record

pytestmark = pytest.mark.django_db

BINDINGS = [("cash_collected", "collector"), ("cei", "team"), ("accounts_contacted", "territory"),
            ("add", "collector")]


@pytest.fixture
def example():
    return worked_example()


@pytest.fixture
def period():
    return ReviewPeriodFactory(starts_on=datetime.date(2027, 1, 1),
                               ends_on=datetime.date(2027, 12, 31))


def entries_of(sheet):
    return {entry.goal.position: entry for entry in
            ProgressEntry.objects.filter(goal__sheet=sheet).select_related("goal")}


def test_a_load_writes_each_bound_goals_figure_naming_the_load(
        example, period, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(datetime.datetime(2027, 3, 31, 12, tzinfo=datetime.UTC), tick=False)
    sheet = bound_signed_sheet(example.casey, period, BINDINGS)
    with django_capture_on_commit_callbacks(execute=True):
        ledger_loaded.send(sender=None, load=example.load)
    entries = entries_of(sheet)
    # docs/kpis.md's worked example: Casey's cash, the team's CEI, North's accounts contacted.
    assert {n: e.actual for n, e in entries.items()} == {
        1: Decimal("2800.00"), 2: Decimal("86.36"), 3: Decimal("2"), 4: Decimal("13.50")}
    for entry in entries.values():
        assert entry.as_of == AS_OF and entry.source == ProgressEntry.Source.LEDGER
        assert "march-payments.csv" in entry.ledger_ref and f"load {example.load.pk}" in \
            entry.ledger_ref
        assert entry.is_latest and entry.attained is not None
    assert entries[1].attained == Decimal(28)  # 2,800 of a target of 100
    assert KpiSnapshot.objects.get(period=period).as_of == AS_OF


def test_a_typed_value_is_kept_and_the_ledgers_figure_shown_beside_it(example, period, client):
    sheet = bound_signed_sheet(example.casey, period, BINDINGS)
    goal = sheet.goals.get(position=1)
    record(goal, "2500", as_of=AS_OF, today=AS_OF)
    counts = kpis_recompute(load_id=example.load.pk, today=AS_OF)[period.pk]
    assert counts["kept typed"] == 1 and counts["new"] == 3
    typed = ProgressEntry.objects.get(goal=goal, as_of=AS_OF)
    assert (typed.actual, typed.source) == (Decimal("2500.00"), ProgressEntry.Source.FORM)
    assert typed.ledger_actual == Decimal("2800.00")
    client.force_login(example.casey.user)
    page = client.get(f"/sheets/{sheet.pk}/progress/").content.decode()
    assert "Entered on the progress page by Casey Collector" in page
    assert "The AR ledger gives 2,800.00 USD for this day" in page
    assert "the value typed stands" in page
    assert "Computed from the AR ledger after Payments file “march-payments.csv”" in page
    assert "KPI: Cash collected, this collector" in page


def test_a_later_load_updates_the_ledgers_own_entry_and_says_which_load(example, period):
    sheet = bound_signed_sheet(example.casey, period, [("cash_collected", "collector")])
    kpis_recompute(load_id=example.load.pk, today=AS_OF)
    from tests.ar_kpi_helpers import invoice, ledger_load

    later = ledger_load(file_name="april.csv")
    acct = example.casey.ar_accounts.first()
    invoice(later, acct, datetime.date(2027, 3, 2), datetime.date(2027, 4, 1), "50",
            [(datetime.date(2027, 3, 30), "50")])
    counts = kpis_recompute(load_id=later.pk, today=AS_OF)[period.pk]
    assert counts["update"] == 1
    entry = ProgressEntry.objects.get(goal__sheet=sheet)
    assert entry.actual == Decimal("2850.00") and "april.csv" in entry.ledger_ref
    assert kpis_recompute(load_id=later.pk, today=AS_OF)[period.pk]["already recorded"] == 1


def test_only_signed_sheets_take_actuals(example, period):
    draft = GoalSheetFactory(employee=example.dana, period=period)
    GoalFactory(sheet=draft, kpi="cash_collected", measure_kind="money", unit="",
                direction="higher")
    kpis_recompute(load_id=example.load.pk, today=AS_OF)
    assert not ProgressEntry.objects.filter(goal__sheet=draft).exists()


def test_a_period_not_started_is_left_alone_and_an_ended_one_is_read_at_its_last_day(example):
    ended = ReviewPeriodFactory(starts_on=datetime.date(2027, 1, 1),
                                ends_on=datetime.date(2027, 3, 31))
    future = ReviewPeriodFactory(starts_on=datetime.date(2027, 6, 1),
                                 ends_on=datetime.date(2028, 5, 31))
    bound_signed_sheet(example.casey, ended, [("cash_collected", "collector")])
    bound_signed_sheet(example.dana, future, [("cash_collected", "collector")])
    results = kpis_recompute(load_id=example.load.pk, today=datetime.date(2027, 5, 1))
    assert set(results) == {ended.pk}
    entry = ProgressEntry.objects.get(goal__sheet__period=ended)
    assert entry.as_of == datetime.date(2027, 3, 31) and entry.actual == Decimal("2800.00")


def test_recording_ledger_actuals_leaves_the_signed_hash_as_it_was(example, period):
    sheet = bound_signed_sheet(example.casey, period, BINDINGS)
    before = content_hash(sheet)
    kpis_recompute(load_id=example.load.pk, today=AS_OF)
    assert content_hash(sheet) == before


def test_goals_without_a_kpi_keep_the_canonical_form_they_had(example, period):
    """Every sheet signed before goals could name a KPI hashes as it did: the binding enters
    the canonical content only when set."""
    from reviews.canonical import sheet_canonical

    sheet = GoalSheetFactory(employee=example.dana, period=period)
    GoalFactory(sheet=sheet)
    goal = sheet_canonical(sheet)["goals"][0]
    assert "kpi" not in goal
    assert set(goal) == {"position", "competency", "text", "measure_kind", "target", "unit",
                         "direction", "baseline", "due_on", "weight", "employee_answer",
                         "employee_comment"}
    bound = bound_signed_sheet(example.casey, period, [("cei", "team")])
    assert sheet_canonical(bound)["goals"][0]["kpi"] == {"code": "cei", "scope": "team"}


def test_a_supervisors_team_goal_reads_the_team_they_lead(example, period):
    """Sam's own goal on "the team" is Casey's and Dana's ledger, not his manager's team."""
    sheet = bound_signed_sheet(example.sam, period, [("cash_collected", "team")])
    kpis_recompute(load_id=example.load.pk, today=AS_OF)
    assert ProgressEntry.objects.get(goal__sheet=sheet).actual == Decimal("3800.00")
