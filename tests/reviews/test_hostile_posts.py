"""Forged posts found by the hostile-input run of issue 12: each is answered with a clear
message, bounded in size, and changes nothing; none is a 500."""

import pytest
from django.urls import reverse

from goalsapp.models import Competency, Goal, GoalSet
from tests.page_helpers import alerts, by_testid, editor, fresh, login

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_a_deleted_row_with_a_bad_measure_or_direction_is_simply_deleted(client, sheet,
                                                                         supervisor):
    login(client, supervisor)
    values = editor(client, sheet)
    values.update({"goals-1-DELETE": "on", "goals-1-measure_kind": "nonsense"})
    values.pop("goals-1-direction")

    response = client.post(reverse("sheet_edit", args=[sheet.pk]), {**values, "save": ""})

    assert response.status_code == 302, alerts(response)
    assert Goal.objects.filter(sheet=sheet).count() == 1


def test_a_forged_goal_count_is_capped_and_explained(client, sheet, supervisor):
    login(client, supervisor)
    before = fresh(sheet).version, list(Goal.objects.filter(sheet=sheet).values())
    values = {**editor(client, sheet), "goals-TOTAL_FORMS": HUGE, "save": ""}

    response = client.post(reverse("sheet_edit", args=[sheet.pk]), values)

    assert response.status_code == 200
    assert "A sheet holds at most 100 goals" in response.content.decode()
    assert len(response.context["formset"].forms) <= 100
    assert len(response.content) < 2_000_000
    assert (fresh(sheet).version, list(Goal.objects.filter(sheet=sheet).values())) == before


def _item(index, **values):
    base = {"competency": Competency.objects.first().pk,
            "text": "Resolve 20 disputed invoices over 60 days.", "measure_kind": "count",
            "target": "20", "unit": "invoices", "direction": "higher", "baseline": "",
            "weight": "", "due_rule": "period_end", "due_days": ""}
    return {f"items-{index}-{name}": value for name, value in {**base, **values}.items()}


@pytest.fixture
def saved_set(client, supervisor, employee):
    login(client, supervisor)
    client.post(reverse("goal_set_new"), {"name": "Basics", "items-TOTAL_FORMS": "1",
                                          "items-INITIAL_FORMS": "0", **_item(0)})
    return GoalSet.objects.get(name="Basics")


def test_a_goal_set_row_sent_without_its_id_is_refused_not_duplicated(client, saved_set):
    url = reverse("goal_set_edit", args=[saved_set.pk])

    response = client.post(url, {"name": "Basics", "items-TOTAL_FORMS": "1",
                                 "items-INITIAL_FORMS": "1", **_item(0, text="Changed.")})

    assert response.status_code == 200
    assert "lost its link to the saved set" in response.content.decode()
    assert list(saved_set.items.values_list("text", flat=True)) == [
        "Resolve 20 disputed invoices over 60 days."]


def test_a_forged_goal_set_count_is_capped_and_explained(client, saved_set):
    url = reverse("goal_set_edit", args=[saved_set.pk])
    item_id = saved_set.items.get().pk

    response = client.post(url, {"name": "Basics", "items-TOTAL_FORMS": HUGE,
                                 "items-INITIAL_FORMS": "1", "items-0-id": item_id,
                                 **_item(0)})

    assert response.status_code == 200
    assert "A goal set holds at most 50 goals" in by_testid(response, "set-errors")
    assert len(response.context["formset"].forms) <= 50
    assert saved_set.items.count() == 1
