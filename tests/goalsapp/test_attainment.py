"""The attainment and status rules, table by table, and the SQL copy the dashboards use."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from goalsapp import attainment as rules
from goalsapp import services
from goalsapp.attainment import Status
from goalsapp.dashboards import graded_goals
from goalsapp.models import Goal, GoalSheet, ProgressEntry, SheetState
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory

D = Decimal

# (actual, target, baseline, higher_is_better, expected attainment)
ATTAINMENT_CASES = [
    pytest.param(D(50), D(100), None, True, D("0.5"), id="higher-no-baseline-half"),
    pytest.param(D(130), D(100), None, True, D("1.3"), id="higher-over-100"),
    pytest.param(D(0), D(100), None, True, D(0), id="higher-nothing-yet"),
    pytest.param(D(16), D(20), D(12), True, D("0.5"), id="higher-baseline-halfway"),
    pytest.param(D(10), D(20), D(12), True, D("-0.25"), id="higher-baseline-went-backwards"),
    pytest.param(D(45), D(45), D(52), False, D(1), id="lower-baseline-reached"),
    pytest.param(D("48.5"), D(45), D(52), False, D("0.5"), id="lower-baseline-halfway"),
    pytest.param(D(38), D(45), D(52), False, D(2), id="lower-baseline-beaten"),
    pytest.param(D(55), D(45), D(52), False, D(-3) / D(7), id="lower-baseline-worse"),
    pytest.param(D(40), D(50), None, False, D("1.2"), id="lower-no-baseline-beaten"),
    pytest.param(D(60), D(50), None, False, D("0.8"), id="lower-no-baseline-missed"),
    pytest.param(D(0), D(50), None, False, D(2), id="lower-no-baseline-zero-actual"),
    pytest.param(D(0), D(0), None, False, D(1), id="zero-target-lower-met"),
    pytest.param(D(3), D(0), None, False, D(0), id="zero-target-lower-missed"),
    pytest.param(D(5), D(0), None, True, D(1), id="zero-target-higher-met"),
    pytest.param(D(20), D(20), D(20), True, D(1), id="target-equals-baseline-met"),
    pytest.param(D(19), D(20), D(20), True, D(0), id="target-equals-baseline-missed"),
    pytest.param(None, D(20), D(10), True, None, id="no-actual"),
]


@pytest.mark.parametrize(("actual", "target", "baseline", "higher", "expected"),
                         ATTAINMENT_CASES)
def test_attainment(actual, target, baseline, higher, expected):
    assert rules.attainment(actual=actual, target=target, baseline=baseline,
                            higher_is_better=higher) == expected


START, DUE = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)
MIDYEAR = datetime.date(2027, 7, 2)  # 182 of 364 days: half the time elapsed

# (attained, today, status): expected progress at MIDYEAR is 0.5
STATUS_CASES = [
    pytest.param(None, MIDYEAR, Status.NO_DATA, id="no-data"),
    pytest.param(D(1), MIDYEAR, Status.ACHIEVED, id="achieved"),
    pytest.param(D("1.4"), MIDYEAR, Status.ACHIEVED, id="achieved-over-100"),
    pytest.param(D("0.5"), MIDYEAR, Status.ON_TRACK, id="on-pace"),
    pytest.param(D("0.40"), MIDYEAR, Status.ON_TRACK, id="10-points-behind-still-on-track"),
    pytest.param(D("0.39"), MIDYEAR, Status.AT_RISK, id="11-points-behind-at-risk"),
    pytest.param(D("0.25"), MIDYEAR, Status.AT_RISK, id="25-points-behind-at-risk"),
    pytest.param(D("0.24"), MIDYEAR, Status.OFF_TRACK, id="26-points-behind-off-track"),
    pytest.param(D(0), START, Status.ON_TRACK, id="first-day-nothing-expected"),
    pytest.param(D("0.95"), DUE, Status.ON_TRACK, id="due-today-within-10-points"),
    pytest.param(D("0.99"), DUE + datetime.timedelta(days=1), Status.OFF_TRACK,
                 id="past-due-not-achieved"),
]


@pytest.mark.parametrize(("attained", "today", "expected"), STATUS_CASES)
def test_status(attained, today, expected):
    assert rules.status(attained=attained, starts_on=START, due_on=DUE, today=today) == expected


@pytest.mark.parametrize(("amount", "shown"), [
    (D("1234.5"), "1,234.50 USD"),
    (D("0.005"), "0.01 USD"),  # half-up to the cent, not banker's rounding
    (D("0.004"), "0.00 USD"),
    (D("250000"), "250,000.00 USD"),
    (D("-12.345"), "-12.35 USD"),
])
def test_money_is_shown_with_two_decimals_and_the_currency(amount, shown):
    assert rules.money(amount, "USD") == shown


@pytest.mark.parametrize(("share", "shown"), [
    (D("0.8666"), "87 %"), (D("1.304"), "130 %"), (D(0), "0 %"), (D("0.005"), "1 %"),
    (None, "—"),
])
def test_percent_for_people(share, shown):
    assert rules.percent(share) == shown


def test_counts_and_percentages_keep_their_unit():
    assert rules.measure_value(D("45.00"), measure_kind="count", unit="days",
                               currency="USD") == "45 days"
    assert rules.measure_value(D("95.50"), measure_kind="percent", unit="",
                               currency="USD") == "95.5 %"
    assert rules.measure_value(D("1234.5"), measure_kind="money", unit="USD",
                               currency="EUR") == "1,234.50 EUR"


def _signed_goal(period, **values) -> Goal:
    sheet = GoalSheetFactory(employee=EmployeeFactory(), period=period)
    goal = GoalFactory(sheet=sheet, due_on=DUE, **values)
    GoalSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED, locked_at=timezone.now())
    return goal


@pytest.mark.django_db
@pytest.mark.parametrize(("actual", "target", "baseline", "higher", "expected"),
                         [case for case in ATTAINMENT_CASES if case.values[0] is not None])
def test_a_recorded_actual_stores_its_attainment_by_these_rules(actual, target, baseline,
                                                                higher, expected, period):
    goal = _signed_goal(period, target=target, baseline=baseline,
                        direction="higher" if higher else "lower", measure_kind="percent")
    services.progress_entry_add(goal_id=goal.pk, actor=goal.sheet.employee.user,
                                as_of=datetime.date(2027, 3, 1), actual=actual, today=MIDYEAR)
    entry = ProgressEntry.objects.get(goal=goal)
    assert entry.attained == expected.quantize(D("1e-8"))
    assert entry.is_latest


@pytest.mark.django_db
@pytest.mark.parametrize(("attained", "today", "expected"), STATUS_CASES)
def test_the_dashboards_sql_grades_goals_like_the_rules(attained, today, expected, period):
    goal = _signed_goal(period, target=D(100), baseline=None, direction="higher")
    if attained is not None:
        ProgressEntry.objects.create(goal=goal, as_of=START, actual=attained * 100,
                                     attained=attained, entered_by=goal.sheet.employee.user,
                                     is_latest=True)
    [row] = graded_goals(Goal.objects.filter(pk=goal.pk), period, today)
    assert row["standing"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("day", range(0, 366, 14))
@pytest.mark.parametrize("attained", [D("0.05"), D("0.3"), D("0.45"), D("0.62"), D("0.9")])
def test_python_and_sql_agree_every_fortnight_of_the_year(attained, day, period):
    today = START + datetime.timedelta(days=day)
    goal = _signed_goal(period, target=D(100), baseline=None, direction="higher")
    ProgressEntry.objects.create(goal=goal, as_of=START, actual=attained * 100,
                                 attained=attained, entered_by=goal.sheet.employee.user,
                                 is_latest=True)
    [row] = graded_goals(Goal.objects.filter(pk=goal.pk), period, today)
    assert row["standing"] == rules.status(attained=attained, starts_on=period.starts_on,
                                           due_on=DUE, today=today)


def test_status_labels_are_written_for_people():
    assert [s.label for s in Status] == ["Achieved", "On track", "At risk", "Off track",
                                         "No data yet"]
