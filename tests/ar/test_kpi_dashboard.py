"""The collector KPI dashboard: who may open it (every persona), whose collectors each one
sees (no leak), the groupings and the CSV, and the KPI figure beside a bound goal on the
person dashboards."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from goalsapp.ar import urls as ar_urls
from goalsapp.ar.computing import kpis_recompute
from tests.ar_kpi_helpers import (
    AS_OF,
    account,
    bound_signed_sheet,
    invoice,
    ledger_load,
    worked_example,
)
from tests.factories import ReviewPeriodFactory
from tests.permission_helpers import LOGIN, PERSONAS, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("collector_kpis")
SEES = {"supervisor", "manager", "other_supervisor", "hr", "admin"}
# What each persona's table lists (collector grouping): their line's collectors, or everyone.
ROWS = {"supervisor": {"Emma Ellis"}, "manager": {"Emma Ellis"},
        "other_supervisor": {"Oliver Owens"},
        "hr": {"Emma Ellis", "Oliver Owens", "Casey Collector", "Dana Collector"},
        "admin": {"Emma Ellis", "Oliver Owens", "Casey Collector", "Dana Collector"}}


@pytest.fixture
def ledger(employee, other_employee):
    """Emma and Oliver each collect one account; Casey and Dana the worked example's."""
    period = ReviewPeriodFactory(starts_on=datetime.date(2027, 1, 1),
                                 ends_on=datetime.date(2027, 12, 31))
    example = worked_example()
    load = ledger_load(file_name="emma-oliver.csv")
    for person, amount in ((employee, "700"), (other_employee, "900")):
        invoice(load, account(load, person, person.territory), datetime.date(2027, 2, 1),
                datetime.date(2027, 3, 3), amount, [(datetime.date(2027, 2, 20), "100")])
    kpis_recompute(load_id=load.pk, today=AS_OF)
    return period, example


def table(response) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return rows


def test_the_matrix_covers_the_dashboards_url():
    assert "collector_kpis" in {p.name for p in ar_urls.urlpatterns}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_opens_the_dashboard_and_whose_collectors_they_see(client, request, persona, ledger):
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    sign_in(client, getattr(person, "user", person))
    response = client.get(URL)
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        return
    if persona not in SEES:
        assert response.status_code == 403
        assert response.context["reason"].startswith("The collector KPI dashboard is for")
        return
    assert response.status_code == 200
    exported = table(client.get(URL, {"export": "csv"}))
    assert exported[0][:3] == ["collector", "collectors", "Cash collected"]
    assert {row[0] for row in exported[1:-1]} == ROWS[persona]
    # The total row sums only what the persona sees.
    assert exported[-1][0] == "All shown" and int(exported[-1][1]) == len(ROWS[persona])
    page = response.content.decode()
    for hidden in {"Emma Ellis", "Oliver Owens", "Casey Collector"} - ROWS[persona]:
        assert hidden not in page


def test_groups_sum_their_collectors_before_computing(client, hr, ledger):
    period, example = ledger
    client.force_login(hr.user)
    rows = table(client.get(URL, {"group_by": "team", "export": "csv",
                                  "period": period.pk}))
    team = next(row for row in rows if row[0] == "Sam Supervisor’s team")
    header = rows[0]
    # docs/kpis.md: the team's CEI is 86.36, not the average of 82.35 and 100.
    assert team[1] == "2" and team[header.index("Collection effectiveness index (CEI)")] == \
        "86.36"


def test_unknown_choices_fall_back_rather_than_fail(client, hr, ledger):
    client.force_login(hr.user)
    response = client.get(URL, {"group_by": "salary", "as_of": "yesterday", "period": "x"})
    assert response.status_code == 200
    assert response.context["group_by"] == "collector"
    assert response.context["snapshot"].as_of == AS_OF


def test_a_period_without_figures_says_so(client, hr):
    ReviewPeriodFactory()
    client.force_login(hr.user)
    response = client.get(URL)
    assert b"No KPI figures for this period yet" in response.content


def test_the_person_dashboard_shows_the_kpi_figure_beside_a_bound_goal(client, ledger):
    period, example = ledger
    sheet = bound_signed_sheet(example.casey, period, [("cei", "team")])
    kpis_recompute(load_id=example.load.pk, today=AS_OF)
    client.force_login(example.sam.user)
    page = client.get(reverse("person_dashboard", args=[example.casey.pk]),
                      {"period": period.pk}).content.decode()
    assert sheet.goals.get().kpi == "cei"
    assert "KPI: Collection effectiveness index (CEI), the team · ledger 86.36 % as of " \
           "2027-03-31" in page


def test_hr_can_have_any_day_computed_and_choose_it(client, hr, ledger):
    from io import StringIO

    from django.core.management import call_command

    period, example = ledger
    out = StringIO()
    call_command("compute_kpis", period=period.pk, as_of=datetime.date(2027, 1, 31), stdout=out)
    assert "as of 2027-01-31" in out.getvalue()
    client.force_login(hr.user)
    rows = table(client.get(URL, {"as_of": "2027-01-31", "export": "csv"}))
    casey = next(row for row in rows if row[0] == "Casey Collector")
    assert casey[rows[0].index("Cash collected")] == "0.00"  # nothing paid in January
    page = client.get(URL).content.decode()
    assert 'value="2027-01-31"' in page and 'value="2027-03-31" selected' in page
