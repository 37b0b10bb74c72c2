"""Binding a goal to a KPI in the goal editor, the library and goal sets: the binding is carried
from a library entry, saved, and refused with a message next to the field when the goal is not
measured the way its KPI is."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goalsapp.goal_set_forms import GoalSetItemForm
from goalsapp.models import Goal, GoalTemplate
from tests.page_helpers import HTMX, editor, field_error, form_values, login

pytestmark = pytest.mark.django_db

DSO_KPI = "Average days outstanding for overdue accounts"


def test_seed_kpis_the_ledger_measures_are_bound_in_the_library():
    bound = dict(GoalTemplate.objects.exclude(kpi="").values_list("text", "kpi"))
    assert bound == {DSO_KPI: "add", "Percentage of accounts with timely payments":
                     "percent_current"}


def test_a_bound_library_entry_gives_a_bound_goal(client, sheet, supervisor):
    entry = GoalTemplate.objects.get(text=DSO_KPI)
    login(client, supervisor)
    values = editor(client, sheet)
    row = form_values(client.get(reverse("goal_row", args=[sheet.pk]),
                                 {"goals-TOTAL_FORMS": "2", "template": entry.pk}, **HTMX))
    assert (row["goals-2-kpi"], row["goals-2-kpi_scope"]) == ("add", "collector")
    values |= row | {"goals-2-target": "12", "goals-2-due_on": "2027-09-30",
                     "goals-2-kpi_scope": "team", "save": ""}
    assert client.post(reverse("sheet_edit", args=[sheet.pk]), values).status_code == 302
    goal = Goal.objects.get(sheet=sheet, text=DSO_KPI)
    assert (goal.kpi, goal.kpi_scope) == ("add", "team")


def test_a_goal_not_measured_as_its_kpi_is_refused_next_to_the_field(client, sheet, supervisor):
    login(client, supervisor)
    values = editor(client, sheet) | {"goals-0-kpi": "cash_collected", "save": ""}
    response = client.post(reverse("sheet_edit", args=[sheet.pk]), values)
    assert response.status_code == 200
    assert "Cash collected is measured as money" in field_error(response, "id_goals-0-measure_kind")
    assert "For Cash collected, higher is better." in field_error(response,
                                                                    "id_goals-0-direction")
    assert form_values(response, form_id="goal-editor")["goals-0-kpi"] == "cash_collected"
    assert not Goal.objects.filter(sheet=sheet).exclude(kpi="").exists()


def test_an_unknown_kpi_or_scope_is_refused(client, sheet, supervisor):
    login(client, supervisor)
    values = editor(client, sheet) | {"goals-0-kpi": "salary", "goals-0-kpi_scope": "planet",
                                      "save": ""}
    response = client.post(reverse("sheet_edit", args=[sheet.pk]), values)
    assert "Choose a KPI from the list." in field_error(response, "id_goals-0-kpi")
    assert "Choose whose accounts." in field_error(response, "id_goals-0-kpi_scope")


def test_a_goal_set_item_and_a_library_entry_follow_the_same_rule():
    entry = GoalTemplate.objects.get(text=DSO_KPI)
    form = GoalSetItemForm(data={
        "competency": entry.competency_id, "text": DSO_KPI, "measure_kind": "percent",
        "target": "10", "direction": "lower", "due_rule": "period_end", "kpi": "add",
        "kpi_scope": "collector"})
    assert not form.is_valid()
    assert form.errors["measure_kind"] == [
        "Average days delinquent (ADD) is measured as count: choose that measure, or another KPI."]
    entry.measure_kind = "money"
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "measure_kind" in refused.value.message_dict


def test_applying_a_set_carries_its_items_binding(supervisor, employee, period):
    from goalsapp.models import Competency, GoalSet, GoalSetItem
    from reviews.bulk_assign import goal_set_apply

    goal_set = GoalSet.objects.create(name="KPIs", owner=supervisor.user)
    GoalSetItem.objects.create(goal_set=goal_set, competency=Competency.objects.first(),
                               text="Keep receivables current", measure_kind="percent",
                               target=80, unit="%", direction="higher", kpi="percent_current",
                               kpi_scope="territory")
    goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                   employees=[employee])
    goal = Goal.objects.get(sheet__employee=employee, text="Keep receivables current")
    assert (goal.kpi, goal.kpi_scope, goal.due_on) == ("percent_current", "territory",
                                                        datetime.date(2027, 12, 31))
