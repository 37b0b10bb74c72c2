"""The rough edges of issue 13, each as the user meets it: a negative count refused at its field,
answers that are never lost, HR ticking SMART boxes themselves, the return note in sight."""

import html

import pytest
from django.urls import reverse

from goalsapp.models import SheetState as S
from goalsapp.rules import negative_value_error
from reviews import services
from reviews.models import GoalAnswer, SmartCheck
from tests.page_helpers import (
    alerts,
    by_testid,
    editor,
    elements,
    field_error,
    form_values,
    fresh,
    login,
    page,
    texts,
)

pytestmark = pytest.mark.django_db


def test_a_negative_count_target_is_refused_at_the_field_and_kept(client, sheet, supervisor):
    login(client, supervisor)
    before = list(sheet.goals.values_list("target", flat=True))

    response = client.post(reverse("sheet_edit", args=[sheet.pk]), {
        **editor(client, sheet), "goals-0-measure_kind": "count", "goals-0-target": "-5",
        "goals-0-baseline": "-1", "save": ""})

    assert response.status_code == 200
    assert field_error(response, "id_goals-0-target") == "A count cannot be negative."
    assert field_error(response, "id_goals-0-baseline") == "A count cannot be negative."
    assert form_values(response, form_id="goal-editor")["goals-0-target"] == "-5"
    assert list(sheet.goals.values_list("target", flat=True)) == before


@pytest.mark.parametrize(("kind", "refused"), [("count", True), ("money", True),
                                               ("percent", False)])
def test_the_rule_knows_which_measures_may_be_negative(kind, refused):
    assert bool(negative_value_error(kind, -1)) is refused
    assert negative_value_error(kind, 0) is None


# 2. Answers ticked on the page are never thrown away --------------------------------------------

def test_submit_answers_carries_every_choice_on_the_page(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)
    goals = list(sheet.goals.order_by("position"))
    ticks = {f"goal-{goal.pk}-answer": "okay" for goal in goals}

    response = client.post(reverse("sheet_answers", args=[sheet.pk]),
                           {**ticks, "submit_answers": ""})

    assert response.status_code == 302
    assert response["Location"] == reverse("sheet_transition",
                                           args=[sheet.pk, "submit_answers"])
    assert GoalAnswer.objects.filter(goal__sheet=sheet, answer="okay").count() == len(goals)


def test_a_row_with_a_mistake_keeps_every_choice_and_says_why(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)
    first, second = sheet.goals.order_by("position")[:2]

    response = client.post(reverse("sheet_answers", args=[sheet.pk]), {
        f"goal-{first.pk}-answer": "okay",
        f"goal-{second.pk}-answer": "needs_clarification", "submit_answers": ""})

    assert response.status_code == 200
    assert field_error(response, f"id_goal-{second.pk}-comment") == "Say what needs clarification."
    values = form_values(response, form_id="answers-form")
    assert values[f"goal-{first.pk}-answer"] == "okay"
    assert values[f"goal-{second.pk}-answer"] == "needs_clarification"
    assert not GoalAnswer.objects.exists()


# 3. HR ticks the SMART boxes; one action records the page ---------------------------------------

def test_one_save_records_every_goal_hr_reviewed(client, sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)
    goals = list(sheet.goals.order_by("position"))
    ticks = {f"goal-{goal.pk}-{name}": "on" for goal in goals for name in SmartCheck.CRITERIA}

    response = client.post(reverse("sheet_smart", args=[sheet.pk]), {**ticks, "save": ""},
                           follow=True)

    assert "SMART review saved." in alerts(response)
    assert SmartCheck.objects.filter(goal__sheet=sheet).count() == len(goals)
    assert all(check.passes for check in SmartCheck.objects.all())


def test_an_untouched_goal_is_not_recorded_by_the_page_save(client, sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)
    first = sheet.goals.order_by("position").first()
    ticks = {f"goal-{first.pk}-{name}": "on" for name in SmartCheck.CRITERIA}

    client.post(reverse("sheet_smart", args=[sheet.pk]), {**ticks, "save": ""})

    assert list(SmartCheck.objects.values_list("goal_id", flat=True)) == [first.pk]


# 4. HR's return note where the supervisor fixes the goals ---------------------------------------

RETURN_NOTE = "Goal 2 has no baseline: add last year's figure."


def test_hrs_return_note_tops_the_editor_until_the_sheet_is_sent_again(
        client, sheet, supervisor, hr, advance, django_capture_on_commit_callbacks, mailoutbox):
    sheet = advance(sheet, S.HR_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_return_to_supervisor(sheet_id=sheet.pk, actor=hr.user,
                                            version=sheet.version, note=RETURN_NOTE)
    login(client, supervisor)

    response = client.get(reverse("sheet_edit", args=[sheet.pk]))

    assert RETURN_NOTE in by_testid(response, "return-note")
    email = next(m for m in mailoutbox if m.to == ["sam@example.com"])
    assert RETURN_NOTE in email.body and RETURN_NOTE in html.unescape(email.alternatives[0][0])

    advance(sheet, S.EMPLOYEE_REVIEW)
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    services.sheet_reopen(sheet_id=sheet.pk, actor=supervisor.user,
                          version=fresh(sheet).version)
    assert by_testid(client.get(reverse("sheet_edit", args=[sheet.pk])), "return-note") == ""


# 5. A direct report without a sheet is waiting on the supervisor --------------------------------

def test_the_inbox_lists_a_report_without_a_sheet_and_starts_one(client, supervisor, employee,
                                                                period):
    login(client, supervisor)

    response = client.get(reverse("inbox"))

    assert "Emma Ellis has no goal sheet for 2027 yet." in by_testid(response, "to-start")
    started = client.post(reverse("sheet_start"), {"employee": employee.pk, "period": period.pk})
    assert started.status_code == 302
    assert by_testid(client.get(reverse("inbox")), "to-start") == ""


def test_a_report_with_a_sheet_is_not_offered_a_new_one(client, supervisor, sheet):
    login(client, supervisor)
    assert by_testid(client.get(reverse("inbox")), "to-start") == ""


# Accessibility in the markup: each error is tied to its field ----------------------------------

def test_an_error_is_tied_to_its_field_for_screen_readers(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)
    goal = sheet.goals.order_by("position").first()

    response = client.post(reverse("sheet_answers", args=[sheet.pk]),
                           {f"goal-{goal.pk}-answer": "needs_clarification"})

    field = elements(page(response), id=f"id_goal-{goal.pk}-comment")[0]
    described_by = dict(field.attributes)["aria-describedby"]
    assert dict(field.attributes)["aria-invalid"] == "true"
    assert texts(response, id=described_by) == ["Say what needs clarification."]
