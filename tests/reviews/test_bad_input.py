"""Bad input on the workflow pages: every mistake is answered with a message next to the field
it concerns, what the user typed stays on the page, nothing is saved, and nothing is a 500.

Django's test client re-raises an exception from a view, so a 500 would fail the test with its
traceback; the status assertions below say the same thing for the reader.
"""

import pytest
from django.urls import reverse

from goalsapp.models import Goal, GoalSheet, SheetState
from reviews.models import GoalAnswer, Signature, SmartCheck
from tests.factories import GoalFactory, GoalSheetFactory
from tests.page_helpers import (
    HTMX,
    alerts,
    complete_summary,
    confirm,
    editor,
    field_error,
    form_values,
    fresh,
    login,
    page,
    sheet_links,
    text_of,
)

pytestmark = pytest.mark.django_db

S = SheetState
NOTHING_SAVED = "Nothing was saved: correct the fields marked below."


def snapshot(sheet) -> tuple:
    """The sheet's version and every goal as stored: unchanged means nothing was saved."""
    return fresh(sheet).version, list(Goal.objects.filter(sheet=sheet).order_by("pk").values())


def save_editor(client, sheet, changes: dict):
    """Opens the goal editor, changes some fields as a user would, and presses "Save goals"."""
    return client.post(
        reverse("sheet_edit", args=[sheet.pk]), {**editor(client, sheet), **changes, "save": ""}
    )


@pytest.fixture
def drafting(client, sheet, supervisor):
    """Sam at the goal editor of Emma's draft; yields the sheet and what was stored before."""
    login(client, supervisor)
    return sheet, snapshot(sheet)


# The goal editor --------------------------------------------------------------------------------


def test_a_target_that_is_not_a_number_keeps_what_was_typed(client, drafting):
    sheet, before = drafting
    typed = "Reduce DSO on the assigned portfolio to 44 days by June 30, 2027."

    response = save_editor(client, sheet, {"goals-0-target": "abc", "goals-0-text": typed})

    assert response.status_code == 200
    assert field_error(response, "id_goals-0-target") == "Enter a number, such as 12 or 1500.50."
    shown = form_values(response, form_id="goal-editor")
    assert (shown["goals-0-text"], shown["goals-0-target"]) == (typed, "abc")
    assert NOTHING_SAVED in alerts(response)
    assert snapshot(sheet) == before


@pytest.mark.parametrize("due_on", ["2028-01-15", "2026-12-31"])
def test_a_due_date_outside_the_period_names_the_period(client, drafting, due_on):
    sheet, before = drafting

    response = save_editor(client, sheet, {"goals-1-due_on": due_on})

    assert response.status_code == 200
    message = field_error(response, "id_goals-1-due_on")
    assert message.startswith("The due date must fall inside the review period")
    assert "Jan 01, 2027" in message and "Dec 31, 2027" in message
    assert form_values(response, form_id="goal-editor")["goals-1-due_on"] == due_on
    assert snapshot(sheet) == before


def test_weights_that_do_not_total_100_are_marked_on_the_weight_fields(client, drafting):
    sheet, before = drafting

    response = save_editor(client, sheet, {"goals-0-weight": "50", "goals-1-weight": "40"})

    assert response.status_code == 200
    message = "Goal weights must total 100; they total 90."
    assert field_error(response, "id_goals-0-weight") == message
    assert field_error(response, "id_goals-1-weight") == message
    assert snapshot(sheet) == before


def test_a_weight_on_only_some_goals_is_marked(client, drafting):
    sheet, before = drafting

    response = save_editor(client, sheet, {"goals-0-weight": "100"})

    assert response.status_code == 200
    assert "Give every goal a weight, or none of them." in field_error(
        response, "id_goals-0-weight"
    )
    assert "Give every goal a weight, or none of them." in field_error(
        response, "id_goals-1-weight"
    )
    assert snapshot(sheet) == before


def test_weights_that_total_100_are_saved(client, drafting):
    sheet, _ = drafting

    response = save_editor(client, sheet, {"goals-0-weight": "60", "goals-1-weight": "40"})

    assert response.status_code == 302
    assert list(sheet.goals.order_by("position").values_list("weight", flat=True)) == [60, 40]


@pytest.mark.parametrize("text", ["", "   \n  "], ids=["empty", "blank"])
def test_an_empty_goal_asks_for_the_goal(client, drafting, text):
    sheet, before = drafting

    response = save_editor(client, sheet, {"goals-1-text": text})

    assert response.status_code == 200
    assert field_error(response, "id_goals-1-text") == "Write the goal."
    assert snapshot(sheet) == before


def test_a_10000_character_goal_is_refused_with_the_limit(client, drafting):
    sheet, before = drafting

    response = save_editor(client, sheet, {"goals-0-text": "Collect overdue balances. " * 385})

    assert response.status_code == 200
    assert "1,000 characters" in field_error(response, "id_goals-0-text")
    assert snapshot(sheet) == before


def test_a_new_row_left_incomplete_is_marked_and_not_saved(client, drafting):
    sheet, before = drafting
    new_row = form_values(
        client.get(reverse("goal_row", args=[sheet.pk]), {"goals-TOTAL_FORMS": "2"}, **HTMX)
    )

    response = save_editor(client, sheet, {**new_row, "goals-2-text": "Be better at calls."})

    assert response.status_code == 200
    assert field_error(response, "id_goals-2-competency") == (
        "Choose the competency this goal belongs to."
    )
    assert field_error(response, "id_goals-2-target") == "Enter a numeric target."
    assert field_error(response, "id_goals-2-due_on") == "Enter a due date."
    assert form_values(response, form_id="goal-editor")["goals-2-text"] == "Be better at calls."
    assert snapshot(sheet) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("goals-0-target", "NaN"),
        ("goals-0-target", "Infinity"),
        ("goals-0-target", "1e400"),
        ("goals-0-target", "99999999999999999999"),
        ("goals-0-baseline", "--5"),
        ("goals-0-due_on", "2027-02-30"),
        ("goals-0-due_on", "next week"),
        ("goals-0-weight", "abc"),
        ("goals-0-weight", "0"),
        ("goals-0-weight", "101"),
        ("goals-0-competency", "abc"),
        ("goals-0-competency", "99999999999999999999"),
        ("goals-0-measure_kind", "bogus"),
        ("goals-0-direction", "sideways"),
        ("goals-0-goal_id", "abc"),
        ("goals-0-ORDER", "abc"),
        ("goals-0-unit", "u" * 500),
        ("action_plans", "x" * 5000),
    ],
)
def test_garbage_in_a_goal_field_is_refused_without_a_500(client, drafting, field, value):
    sheet, before = drafting

    response = save_editor(client, sheet, {field: value})

    assert response.status_code == 200
    assert NOTHING_SAVED in alerts(response)
    assert snapshot(sheet) == before


@pytest.mark.parametrize(
    "management",
    [
        {"goals-TOTAL_FORMS": "xyz"},
        {"goals-TOTAL_FORMS": "-1"},
        {"goals-INITIAL_FORMS": "abc"},
        {"goals-TOTAL_FORMS": "5000"},
    ],
    ids=["total-xyz", "total-negative", "initial-abc", "total-5000"],
)
def test_a_tampered_management_form_saves_nothing_and_never_500s(client, drafting, management):
    sheet, before = drafting

    response = save_editor(client, sheet, management)

    # A negative total reads as "no rows": the save goes through and leaves every goal as it was.
    assert response.status_code in (200, 302)
    assert snapshot(sheet) == before


def test_an_editor_post_without_any_form_fields_never_500s(client, drafting):
    sheet, before = drafting

    response = client.post(reverse("sheet_edit", args=[sheet.pk]), {})

    assert response.status_code == 200
    assert snapshot(sheet) == before


@pytest.mark.parametrize(
    "version, status",
    [
        ("abc", 200),
        ("", 200),
        ("1.5", 200),
        ("-1", 302),
        ("99999999999999999999", 302),
    ],
)
def test_a_version_that_is_not_the_current_number_saves_nothing(client, drafting, version, status):
    sheet, before = drafting

    response = save_editor(client, sheet, {"version": version, "goals-0-text": "Changed."})

    assert response.status_code == status
    if status == 302:
        assert "changed meanwhile" in alerts(client.get(response.url))
    assert snapshot(sheet) == before


def test_a_goal_id_from_another_sheet_never_touches_that_goal(client, drafting, other_employee):
    sheet, _ = drafting
    olivers = GoalFactory(sheet=GoalSheetFactory(employee=other_employee))
    stored = Goal.objects.filter(pk=olivers.pk).values().get()

    response = save_editor(
        client, sheet, {"goals-0-goal_id": str(olivers.pk), "goals-0-text": "Hijacked."}
    )

    assert response.status_code in (200, 302)
    assert Goal.objects.filter(pk=olivers.pk).values().get() == stored
    assert not Goal.objects.filter(sheet=olivers.sheet, text="Hijacked.").exists()


def test_sending_a_sheet_without_goals_says_why_on_the_confirmation_page(client, drafting):
    sheet, _ = drafting
    values = editor(client, sheet)
    client.post(
        reverse("sheet_edit", args=[sheet.pk]),
        {**values, "goals-0-DELETE": "on", "goals-1-DELETE": "on", "save": ""},
    )
    assert not sheet.goals.exists()

    response = confirm(client, sheet, "send_to_employee")

    assert response.status_code == 200
    assert "Add at least one goal before sending the sheet." in text_of(page(response))
    assert fresh(sheet).state == S.DRAFTING


# Signatures and HR's return ---------------------------------------------------------------------


def test_signing_before_the_summary_is_written_says_why(client, sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    login(client, supervisor)

    response = confirm(client, sheet, "sign_supervisor", typed_name="Sam Sutton")

    assert response.status_code == 200
    assert "Complete the summary" in text_of(page(response))
    assert fresh(sheet).state == S.SUPERVISOR_SIGNATURE


def test_hr_cannot_sign_while_a_goal_fails_smart(client, sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)
    goal = sheet.goals.order_by("position").first()
    client.post(
        reverse("goal_smart", args=[sheet.pk, goal.pk]),
        {f"goal-{goal.pk}-specific": "on", f"goal-{goal.pk}-note": "Not measurable."},
        **HTMX,
    )

    response = confirm(client, sheet, "sign_hr", typed_name="Hana Hughes")

    assert response.status_code == 200
    assert (
        "Every goal must pass all five SMART criteria before HR signs: 1 not yet checked, "
        "1 failing."
    ) in text_of(page(response))
    assert fresh(sheet).state == S.HR_REVIEW


def test_a_signature_name_that_does_not_match_is_marked(client, sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    complete_summary(sheet)
    login(client, supervisor)

    response = confirm(client, sheet, "sign_supervisor", typed_name="Samuel Sutton")

    assert response.status_code == 200
    assert field_error(response, "id_typed_name") == (
        "The name does not match the signer's full name on record."
    )
    assert form_values(response, having="typed_name")["typed_name"] == "Samuel Sutton"
    assert fresh(sheet).state == S.SUPERVISOR_SIGNATURE
    assert not Signature.objects.filter(sheet=sheet).exists()


def test_an_employee_signature_without_the_acknowledgement_is_refused(
    client, sheet, employee, advance
):
    advance(sheet, S.EMPLOYEE_SIGNATURE)
    login(client, employee)

    response = confirm(client, sheet, "sign_employee", typed_name="Emma Ellis")

    assert response.status_code == 200
    assert "Tick the acknowledgement to sign." in text_of(page(response))
    assert fresh(sheet).state == S.EMPLOYEE_SIGNATURE
    assert not Signature.objects.filter(sheet=sheet, role="employee").exists()


@pytest.mark.parametrize("note", ["", "   "], ids=["empty", "blank"])
def test_hr_return_without_a_note_asks_for_one(client, sheet, hr, advance, note):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)

    response = confirm(client, sheet, "return_to_supervisor", note=note)

    assert response.status_code == 200
    assert field_error(response, "id_note") == (
        "Write a note telling the supervisor what to change."
    )
    assert fresh(sheet).state == S.HR_REVIEW
    assert Signature.objects.filter(sheet=sheet, voided_at__isnull=True).count() == 2


def test_a_summary_left_empty_is_marked_before_signing(client, sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    login(client, supervisor)
    url = reverse("sheet_summary", args=[sheet.pk])
    values = form_values(client.get(url), having="version")

    response = client.post(
        url,
        {
            **values,
            "estimated_total_time": "Twelve months",
            "action_plans": "",
            "milestones": "",
            "sign": "",
        },
    )

    assert response.status_code == 200
    assert field_error(response, "id_action_plans") == "This field is required."
    assert form_values(response, having="version")["estimated_total_time"] == "Twelve months"
    assert fresh(sheet).estimated_total_time == ""


# HR's SMART review and the employee's answers ---------------------------------------------------


@pytest.fixture
def in_hr_review(client, sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)
    return sheet, sheet.goals.order_by("position").first()


def test_a_smart_fail_without_a_note_is_marked_htmx(client, in_hr_review):
    sheet, goal = in_hr_review
    four = {
        f"goal-{goal.pk}-{name}": "on"
        for name in ("specific", "measurable", "achievable", "relevant")
    }

    response = client.post(reverse("goal_smart", args=[sheet.pk, goal.pk]), four, **HTMX)

    assert response.status_code == 200
    assert field_error(response, f"id_goal-{goal.pk}-note") == (
        "Say why the goal is not Time-bound."
    )
    assert (
        form_values(response, having=f"goal-{goal.pk}-note")[f"goal-{goal.pk}-specific"] == "on"
    )  # the ticks stay
    assert not SmartCheck.objects.filter(goal=goal).exists()


def test_a_smart_fail_without_a_note_is_shown_after_a_plain_post(client, in_hr_review):
    sheet, goal = in_hr_review

    response = client.post(reverse("goal_smart", args=[sheet.pk, goal.pk]), {}, follow=True)

    assert response.redirect_chain == [(reverse("sheet_smart", args=[sheet.pk]), 302)]
    assert (
        "Say why the goal is not Specific, Measurable, Achievable, Relevant, Time-bound."
        in alerts(response)
    )
    assert not SmartCheck.objects.filter(goal=goal).exists()


def test_a_smart_note_over_the_limit_is_marked(client, in_hr_review):
    sheet, goal = in_hr_review

    all_five = {f"goal-{goal.pk}-{name}": "on" for name in SmartCheck.CRITERIA}
    response = client.post(
        reverse("goal_smart", args=[sheet.pk, goal.pk]),
        {**all_five, f"goal-{goal.pk}-note": "n" * 5000},
        **HTMX,
    )

    assert response.status_code == 200
    assert field_error(response, f"id_goal-{goal.pk}-note") == "Keep this under 4,000 characters."
    assert not SmartCheck.objects.filter(goal=goal).exists()


@pytest.fixture
def in_employee_review(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)
    return sheet, sheet.goals.order_by("position").first()


def test_needs_clarification_without_a_comment_is_marked_htmx(client, in_employee_review):
    sheet, goal = in_employee_review

    response = client.post(
        reverse("goal_answer", args=[sheet.pk, goal.pk]),
        {f"goal-{goal.pk}-answer": "needs_clarification", f"goal-{goal.pk}-comment": "  "},
        **HTMX,
    )

    assert response.status_code == 200
    assert field_error(response, f"id_goal-{goal.pk}-comment") == "Say what needs clarification."
    assert not GoalAnswer.objects.filter(goal=goal).exists()


def test_needs_clarification_without_a_comment_is_shown_after_a_plain_post(
    client, in_employee_review
):
    sheet, goal = in_employee_review

    response = client.post(
        reverse("goal_answer", args=[sheet.pk, goal.pk]),
        {f"goal-{goal.pk}-answer": "needs_clarification"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("sheet_answers", args=[sheet.pk]), 302)]
    assert "Say what needs clarification." in alerts(response)
    assert not GoalAnswer.objects.filter(goal=goal).exists()


@pytest.mark.parametrize(
    "values, message",
    [
        ({}, "Choose “Okay” or “Needs Clarification”."),
        ({"answer": "maybe"}, "Select a valid choice."),
        ({"answer": "okay", "comment": "c" * 5000}, "Keep this under 4,000 characters."),
    ],
    ids=["no-answer", "unknown-answer", "long-comment"],
)
def test_a_bad_answer_is_marked_htmx(client, in_employee_review, values, message):
    sheet, goal = in_employee_review

    response = client.post(
        reverse("goal_answer", args=[sheet.pk, goal.pk]),
        {f"goal-{goal.pk}-{k}": v for k, v in values.items()},
        **HTMX,
    )

    assert response.status_code == 200
    assert message in text_of(page(response))
    assert not GoalAnswer.objects.filter(goal=goal).exists()


def test_submitting_with_an_unanswered_goal_shows_the_error_on_the_confirmation_page(
    client, in_employee_review
):
    sheet, goal = in_employee_review
    client.post(
        reverse("goal_answer", args=[sheet.pk, goal.pk]), {f"goal-{goal.pk}-answer": "okay"}, **HTMX
    )

    response = confirm(client, sheet, "submit_answers")

    assert response.status_code == 200
    assert "Answer every goal first: 1 still without an answer." in text_of(page(response))
    assert fresh(sheet).state == S.EMPLOYEE_REVIEW


# Garbage in URLs and query strings --------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"period": "abc"},
        {"state": "bogus"},
        {"period": "-1"},
        {"period": "0"},
        {"period": "99999999999999999999"},
        {"period": "٣"},
        {"period": "1", "state": "'; --"},
    ],
    ids=str,
)
def test_the_sheet_list_shrugs_off_garbage_filters(client, sheet, supervisor, params):
    login(client, supervisor)

    response = client.get(reverse("sheet_list"), params)

    assert response.status_code == 200


def test_the_sheet_list_shrugs_off_a_superscript_digit_period(client, sheet, supervisor):
    login(client, supervisor)

    # str.isdigit() is True for "²", which int() refuses.
    response = client.get(reverse("sheet_list"), {"period": "²"})

    assert response.status_code == 200


def test_an_unknown_filter_lists_everything_rather_than_nothing(client, sheet, supervisor):
    login(client, supervisor)

    response = client.get(reverse("sheet_list"), {"period": "abc", "state": "bogus"})

    assert sheet_links(response) == {sheet.pk}


@pytest.mark.parametrize("period_id", ["abc", "-1", "99999999999999999999", "", "²"])
def test_the_team_page_shrugs_off_a_garbage_period(client, sheet, supervisor, period_id):
    login(client, supervisor)

    response = client.get(reverse("team"), {"period": period_id})

    assert response.status_code == 200
    assert "Emma Ellis" in text_of(page(response))


@pytest.mark.parametrize(
    "total, index",
    [
        ("xyz", 0),
        ("", 0),
        ("-5", 0),
        ("1e3", 0),
        ("²", 0),
        ("2.5", 0),
        ("99999999999999999999", 99),
    ],
)
def test_the_new_row_endpoint_shrugs_off_a_garbage_total(client, sheet, supervisor, total, index):
    login(client, supervisor)

    response = client.get(
        reverse("goal_row", args=[sheet.pk]), {"goals-TOTAL_FORMS": total}, **HTMX
    )

    assert response.status_code == 200
    row = form_values(response)
    assert f"goals-{index}-text" in row
    assert row["goals-TOTAL_FORMS"] == str(index + 1)


@pytest.mark.parametrize(
    "field, value",
    [
        ("employee", "abc"),
        ("period", "abc"),
        ("employee", ""),
        ("period", "99999999999999999999"),
        ("employee", "99999999999999999999"),
    ],
)
def test_starting_a_sheet_with_garbage_marks_the_field(
    client, supervisor, employee, period, field, value
):
    login(client, supervisor)
    values = {"employee": employee.pk, "period": period.pk, field: value}

    response = client.post(reverse("sheet_start"), values)

    assert response.status_code == 200
    assert field_error(response, f"id_{field}")
    assert not GoalSheet.objects.filter(employee=employee).exists()


@pytest.mark.parametrize("version", ["abc", "", "1.5", "-1", "99999999999999999999"])
def test_a_transition_with_a_garbage_version_changes_nothing(client, sheet, supervisor, version):
    login(client, supervisor)

    response = client.post(
        reverse("sheet_transition", args=[sheet.pk, "send_to_employee"]), {"version": version}
    )

    assert response.status_code in (200, 302)
    assert fresh(sheet).state == S.DRAFTING


@pytest.mark.parametrize("version", ["abc", "", "-1"])
def test_a_summary_with_a_garbage_version_changes_nothing(
    client, sheet, supervisor, advance, version
):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    login(client, supervisor)

    response = client.post(
        reverse("sheet_summary", args=[sheet.pk]),
        {
            "version": version,
            "estimated_total_time": "A year",
            "action_plans": "Calls.",
            "milestones": "Quarterly.",
        },
    )

    assert response.status_code in (200, 302)
    assert fresh(sheet).estimated_total_time == ""


@pytest.mark.parametrize(
    "path",
    [
        "/sheets/99999999999999999999/",
        "/sheets/0/",
        "/sheets/{pk}/do/bogus/",
        "/sheets/{pk}/do/" + "x" * 300 + "/",
        "/sheets/99999999999999999999/edit/",
        "/sheets/{pk}/smart/",
    ],
)
def test_garbage_sheet_urls_answer_404_or_a_page_never_500(client, sheet, supervisor, path):
    login(client, supervisor)

    response = client.get(path.format(pk=sheet.pk))

    assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize("goal_id", ["99999999999999999999", "0"])
def test_a_garbage_goal_id_answers_404(client, in_employee_review, goal_id):
    sheet, _ = in_employee_review

    response = client.post(
        f"/sheets/{sheet.pk}/answers/{goal_id}/", {f"goal-{goal_id}-answer": "okay"}, **HTMX
    )

    assert response.status_code == 404
