"""The workflow pages through Django's test client: every role's pages render and do their job.
Responses are read the way a person (or a browser) would, with tests/page_helpers.py."""

import datetime

import pytest
from django.urls import reverse

from goalsapp.models import Competency, Goal, GoalSheet, SheetState
from reviews import services
from reviews.models import GoalAnswer, ReviewEvent, SmartCheck
from tests.factories import (
    DEMO_PASSWORD,
    EmployeeFactory,
    GoalFactory,
    GoalSheetFactory,
    ReviewPeriodFactory,
)
from tests.page_helpers import (
    ACKNOWLEDGEMENT,
    CHANGED_MEANWHILE,
    HTMX,
    S,
    alerts,
    by_testid,
    complete_summary,
    confirm,
    editor,
    elements,
    field_error,
    form_values,
    fresh,
    goal_texts,
    live_signatures,
    login,
    page,
    sheet_links,
    state_badge,
    text_of,
    texts,
    without_csrf,
)
from tests.workflow_helpers import SUMMARY

pytestmark = pytest.mark.django_db


# Signing in -------------------------------------------------------------------------------------


def test_login_page_signs_a_person_in_and_lands_on_their_inbox(client, employee):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Sign in to Goalpost" in text_of(page(response))

    response = client.post(
        reverse("login"), {"username": "emma", "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("inbox")
    assert by_testid(response, "signed-in-as") == "Emma Ellis"
    assert "Waiting on me" in text_of(page(response))


def test_login_with_a_wrong_password_says_so(client, employee):
    response = client.post(reverse("login"), {"username": "emma", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in text_of(page(response))
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_login_and_back_afterwards(client, sheet):
    detail = reverse("sheet_detail", args=[sheet.pk])
    response = client.get(detail)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={detail}"

    response = client.post(
        response.url, {"username": "emma", "password": DEMO_PASSWORD, "next": detail}
    )
    assert response.status_code == 302
    assert response.url == detail


# Lists: the inbox, the sheet list, the team page ------------------------------------------------


@pytest.fixture
def sheet_in(period, advance):
    """A new sheet with one valid goal for `employee`, moved on to `state` through the services."""

    def make(employee, state=S.DRAFTING, *, in_period=None):
        new_sheet = GoalSheetFactory(employee=employee, period=in_period or period)
        GoalFactory(sheet=new_sheet)
        return advance(new_sheet, state)

    return make


@pytest.fixture
def office(sheet, supervisor, manager, other_employee, hr, sheet_in):
    """Sam's team with a sheet in every state that waits on someone, plus Otto's Oliver."""
    return {
        "emma_drafting": sheet,
        "eve_employee_review": sheet_in(
            EmployeeFactory(full_name="Eve Evans", supervisor=supervisor), S.EMPLOYEE_REVIEW
        ),
        "sid_supervisor_signature": sheet_in(
            EmployeeFactory(full_name="Sid Simms", supervisor=supervisor), S.SUPERVISOR_SIGNATURE
        ),
        "ivy_employee_signature": sheet_in(
            EmployeeFactory(full_name="Ivy Irwin", supervisor=supervisor), S.EMPLOYEE_SIGNATURE
        ),
        "hal_hr_review": sheet_in(
            EmployeeFactory(full_name="Hal Hayes", supervisor=supervisor), S.HR_REVIEW
        ),
        "oliver_drafting": sheet_in(other_employee, S.DRAFTING),
    }


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("supervisor", {"emma_drafting", "sid_supervisor_signature"}),
        ("hr", {"hal_hr_review"}),
        ("other_supervisor", {"oliver_drafting"}),
        ("employee", set()),
        ("manager", set()),
        ("other_employee", set()),
    ],
)
def test_inbox_lists_exactly_the_sheets_waiting_on_that_person(
    client, request, office, persona, expected
):
    login(client, request.getfixturevalue(persona))

    response = client.get(reverse("inbox"))

    assert response.status_code == 200
    assert sheet_links(response) == {office[name].pk for name in expected}
    if persona == "manager":  # Maria's report Sam has no sheet yet: starting one waits on her
        assert "Sam Sutton has no goal sheet" in by_testid(response, "to-start")
    elif not expected:
        assert "Nothing is waiting on you" in text_of(page(response))


@pytest.mark.parametrize("name", ["eve_employee_review", "ivy_employee_signature"])
def test_inbox_shows_an_employee_the_sheet_they_must_answer_or_sign(client, office, name):
    login(client, office[name].employee)

    response = client.get(reverse("inbox"))

    assert sheet_links(response) == {office[name].pk}
    assert office[name].employee_name in text_of(page(response))


def test_inbox_follows_the_sheet_from_supervisor_to_employee(
    client, sheet, supervisor, employee, advance
):
    login(client, employee)
    assert sheet_links(client.get(reverse("inbox"))) == set()

    advance(sheet, S.EMPLOYEE_REVIEW)

    assert sheet_links(client.get(reverse("inbox"))) == {sheet.pk}
    login(client, supervisor)
    assert sheet_links(client.get(reverse("inbox"))) == set()


def test_sheet_list_filters_by_period_and_state(client, office, supervisor, employee, sheet_in):
    last_year = ReviewPeriodFactory(
        name="2026", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    emma_2026 = sheet_in(employee, S.SIGNED, in_period=last_year)
    team_2027 = {office[name].pk for name in office if name != "oliver_drafting"}
    login(client, supervisor)

    everything = client.get(reverse("sheet_list"))
    by_period = client.get(reverse("sheet_list"), {"period": last_year.pk})
    by_state = client.get(reverse("sheet_list"), {"state": S.DRAFTING})
    both = client.get(
        reverse("sheet_list"),
        {"period": office["eve_employee_review"].period_id, "state": S.EMPLOYEE_REVIEW},
    )
    nothing = client.get(reverse("sheet_list"), {"period": last_year.pk, "state": S.DRAFTING})

    assert sheet_links(everything) == team_2027 | {emma_2026.pk}  # never Otto's Oliver
    assert sheet_links(by_period) == {emma_2026.pk}
    assert sheet_links(by_state) == {office["emma_drafting"].pk}
    assert sheet_links(both) == {office["eve_employee_review"].pk}
    assert sheet_links(nothing) == set()
    assert "No sheet matches." in text_of(page(nothing))
    # The filter form remembers what was chosen.
    assert form_values(both, having="state") == {
        "period": str(office["eve_employee_review"].period_id),
        "state": S.EMPLOYEE_REVIEW,
    }


def test_team_page_lists_the_direct_reports_and_their_sheets(client, sheet, supervisor):
    EmployeeFactory(full_name="Nora Newman", supervisor=supervisor)
    login(client, supervisor)

    response = client.get(reverse("team"))

    assert response.status_code == 200
    table = " ".join(texts(response, **{"class": "align-middle table"}))
    assert "Emma Ellis Collections Specialist Northeast Drafting" in table
    assert "Nora Newman" in table and "No sheet yet" in table
    assert sheet_links(response) == {sheet.pk}


def test_starting_a_sheet_from_the_team_page_opens_its_editor(client, supervisor, period):
    nora = EmployeeFactory(full_name="Nora Newman", supervisor=supervisor)
    login(client, supervisor)
    start = form_values(client.get(reverse("team")), having="employee")

    response = client.post(
        reverse("sheet_start"), {**start, "employee": nora.pk, "period": period.pk}, follow=True
    )

    new_sheet = GoalSheet.objects.get(employee=nora, period=period)
    assert response.redirect_chain == [(reverse("sheet_edit", args=[new_sheet.pk]), 302)]
    assert "Started a goal sheet for Nora Newman." in alerts(response)
    assert new_sheet.state == S.DRAFTING
    event = ReviewEvent.objects.get(sheet=new_sheet)
    assert (event.action, event.actor) == ("start", supervisor.user)


def test_starting_a_second_sheet_for_the_same_period_shows_the_error_by_the_employee_field(
    client, sheet, supervisor, employee, period
):
    login(client, supervisor)

    response = client.post(reverse("sheet_start"), {"employee": employee.pk, "period": period.pk})

    assert response.status_code == 200
    assert field_error(response, "id_employee") == "Emma Ellis already has a sheet for 2027."
    assert GoalSheet.objects.filter(employee=employee, period=period).count() == 1


def test_hr_queue_lists_sheets_waiting_for_hr_review(client, office, hr):
    login(client, hr)

    response = client.get(reverse("hr_queue"))

    assert response.status_code == 200
    assert sheet_links(response) == {office["hal_hr_review"].pk}


# The goal editor --------------------------------------------------------------------------------


def test_goal_editor_shows_a_row_per_goal_in_order(client, sheet, supervisor):
    login(client, supervisor)

    response = client.get(reverse("sheet_edit", args=[sheet.pk]))

    assert response.status_code == 200
    assert len(elements(page(response), data_testid="goal-row")) == 2
    values = form_values(response, form_id="goal-editor")
    assert values["goals-TOTAL_FORMS"] == "2"
    assert [values["goals-0-text"], values["goals-1-text"]] == goal_texts(sheet)
    assert values["goals-0-target"] == "45" and values["goals-0-due_on"] == "2027-06-30"
    assert values["version"] == str(sheet.version)


def test_the_editor_offers_the_competencies_as_they_are_now(client, sheet, supervisor):
    # The rows share one list of competencies; it must be read per request, not kept from the
    # first request the process served, or HR's new competency never appears and a re-created
    # one leaves every row with nothing selected.
    login(client, supervisor)
    client.get(reverse("sheet_edit", args=[sheet.pk]))
    retired = Competency.objects.filter(is_active=True).exclude(
        pk__in=sheet.goals.values("competency")).first()
    retired.is_active = False
    retired.save()
    added = Competency.objects.create(name="Skip Tracing", position=99)

    response = client.get(reverse("sheet_edit", args=[sheet.pk]))

    select = elements(page(response), name="goals-0-competency")[0]
    offered = [text_of(option) for option in select.children if not isinstance(option, str)]
    assert added.name in offered
    assert retired.name not in offered
    values = form_values(response, form_id="goal-editor")
    assert values["goals-0-competency"] == str(sheet.goals.order_by("position")[0].competency_id)


def test_a_goal_whose_competency_was_retired_keeps_its_relevance_hint(client, sheet, supervisor):
    first = sheet.goals.order_by("position")[0]
    Competency.objects.filter(pk=first.competency_id).update(is_active=False)
    login(client, supervisor)

    response = client.get(reverse("sheet_edit", args=[sheet.pk]))

    [relevant] = elements(elements(page(response), data_testid="goal-row")[0],
                          data_criterion="relevant")
    assert f"“{first.competency.name}”" in text_of(relevant)
    assert "No competency is set" not in text_of(relevant)


def test_new_row_endpoint_returns_the_next_row_and_an_out_of_band_total(client, sheet, supervisor):
    login(client, supervisor)

    response = client.get(reverse("goal_row", args=[sheet.pk]), {"goals-TOTAL_FORMS": "2"}, **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content  # a fragment for htmx to append, not a page
    assert len(elements(page(response), data_testid="goal-row")) == 1
    row = form_values(response)
    assert "goals-2-text" in row and "goals-2-DELETE" not in row  # unticked
    assert "goals-1-text" not in row
    [total] = elements(page(response), name="goals-TOTAL_FORMS")
    assert dict(total.attributes)["hx-swap-oob"] == "true"
    assert row["goals-TOTAL_FORMS"] == "3"


def test_saving_the_editor_creates_updates_deletes_and_reorders_goals(client, sheet, supervisor):
    first, second = Goal.objects.filter(sheet=sheet).order_by("position")
    login(client, supervisor)
    values = editor(client, sheet)
    new_row = form_values(
        client.get(
            reverse("goal_row", args=[sheet.pk]),
            {"goals-TOTAL_FORMS": values["goals-TOTAL_FORMS"]},
            **HTMX,
        )
    )
    competency = Competency.objects.get(name="Quality Assurance")
    values |= new_row | {
        "goals-0-text": "Reduce DSO on the assigned portfolio to 44 days by June 30, 2027.",
        "goals-0-target": "44",
        "goals-0-ORDER": "2",
        "goals-1-DELETE": "on",
        "goals-2-competency": str(competency.pk),
        "goals-2-text": "Resolve 95% of billing disputes within 10 business days.",
        "goals-2-measure_kind": "percent",
        "goals-2-target": "95",
        "goals-2-due_on": "2027-09-30",
        "goals-2-ORDER": "1",
        "save": "",
    }

    response = client.post(reverse("sheet_edit", args=[sheet.pk]), values, follow=True)

    assert response.redirect_chain == [(reverse("sheet_edit", args=[sheet.pk]), 302)]
    assert "Goals saved." in alerts(response)
    assert goal_texts(sheet) == [
        "Resolve 95% of billing disputes within 10 business days.",
        "Reduce DSO on the assigned portfolio to 44 days by June 30, 2027.",
    ]
    assert not Goal.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    assert (first.pk, str(first.target), first.position) == (first.pk, "44.00", 2)
    assert fresh(sheet).version == sheet.version + 1
    # The editor shows the new order.
    shown = form_values(response, form_id="goal-editor")
    assert shown["goals-0-text"].startswith("Resolve 95%")
    assert shown["goals-1-goal_id"] == str(first.pk)


def test_save_and_send_goes_through_the_confirmation_page(client, sheet, supervisor, employee):
    login(client, supervisor)

    response = client.post(
        reverse("sheet_edit", args=[sheet.pk]), {**editor(client, sheet), "send": ""}
    )

    confirmation = reverse("sheet_transition", args=[sheet.pk, "send_to_employee"])
    assert response.status_code == 302 and response.url == confirmation
    assert fresh(sheet).state == S.DRAFTING  # nothing is sent before the user confirms
    page_text = text_of(page(client.get(confirmation)))
    assert "Emma Ellis will be asked to answer each of the 2 goals" in page_text

    response = confirm(client, sheet, "send_to_employee", note="Let's talk on Monday.")

    assert response.status_code == 302 and response.url == reverse("sheet_detail", args=[sheet.pk])
    assert fresh(sheet).state == S.EMPLOYEE_REVIEW
    event = ReviewEvent.objects.get(sheet=sheet, action="send_to_employee")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        supervisor.user,
        S.DRAFTING,
        S.EMPLOYEE_REVIEW,
        "Let's talk on Monday.",
    )
    detail = client.get(response.url)
    assert "Sent to the employee for their answers." in alerts(detail)
    assert state_badge(detail) == "Employee review"
    assert "Sam Sutton sent the goals to the employee" in by_testid(detail, "timeline")


# The employee's answers -------------------------------------------------------------------------


def test_answers_page_has_a_row_per_goal(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)

    response = client.get(reverse("sheet_answers", args=[sheet.pk]))

    assert response.status_code == 200
    assert len(elements(page(response), data_testid="answer-row")) == 2


def test_an_answer_posted_with_htmx_returns_its_row(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    goal = sheet.goals.order_by("position").first()
    login(client, employee)

    response = client.post(
        reverse("goal_answer", args=[sheet.pk, goal.pk]),
        {f"goal-{goal.pk}-answer": "okay", f"goal-{goal.pk}-comment": ""},
        **HTMX,
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    [row] = elements(page(response), data_testid="answer-row")
    assert dict(row.attributes)["id"] == f"answer-{goal.pk}"
    assert "Saved." in text_of(row)
    ticked = form_values(response, having=f"goal-{goal.pk}-comment")
    assert ticked[f"goal-{goal.pk}-answer"] == "okay"  # the radio stays ticked
    answer = GoalAnswer.objects.get(goal=goal)
    assert (answer.answer, answer.answered_by) == ("okay", employee.user)


def test_an_answer_posted_without_htmx_redirects_back_with_a_message(
    client, sheet, employee, advance
):
    advance(sheet, S.EMPLOYEE_REVIEW)
    goal = sheet.goals.order_by("position").first()
    login(client, employee)

    response = client.post(
        reverse("goal_answer", args=[sheet.pk, goal.pk]),
        {f"goal-{goal.pk}-answer": "okay"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("sheet_answers", args=[sheet.pk]), 302)]
    assert "Answer saved." in alerts(response)
    assert GoalAnswer.objects.filter(goal=goal, answer="okay").exists()


def test_a_flagged_goal_sends_the_sheet_back_and_the_editor_requires_a_reply(
    client, sheet, supervisor, employee, advance
):
    advance(sheet, S.EMPLOYEE_REVIEW)
    flagged, fine = sheet.goals.order_by("position")
    login(client, employee)
    client.post(
        reverse("goal_answer", args=[sheet.pk, flagged.pk]),
        {
            f"goal-{flagged.pk}-answer": "needs_clarification",
            f"goal-{flagged.pk}-comment": "Does a partial payment count?",
        },
        **HTMX,
    )
    client.post(
        reverse("goal_answer", args=[sheet.pk, fine.pk]), {f"goal-{fine.pk}-answer": "okay"}, **HTMX
    )

    response = confirm(client, sheet, "submit_answers")

    assert response.status_code == 302
    assert fresh(sheet).state == S.DRAFTING
    event = ReviewEvent.objects.get(sheet=sheet, action="submit_answers")
    assert (event.actor, event.to_state, event.note) == (
        employee.user,
        S.DRAFTING,
        "1 goal needs clarification.",
    )

    login(client, supervisor)
    editor_page = client.get(reverse("sheet_edit", args=[sheet.pk]))
    clarification = by_testid(editor_page, "clarification")
    assert "Emma Ellis asked for clarification" in clarification
    assert "Does a partial payment count?" in clarification

    values = editor(client, sheet)
    refused = client.post(reverse("sheet_edit", args=[sheet.pk]), {**values, "send": ""})

    assert refused.status_code == 200
    assert field_error(refused, "id_goals-0-reply") == (
        "Reply to the employee's request for clarification."
    )
    assert "Nothing was saved" in alerts(refused)
    assert fresh(sheet).state == S.DRAFTING

    reply = "Yes: any payment that brings the account current counts."
    response = client.post(
        reverse("sheet_edit", args=[sheet.pk]), {**values, "goals-0-reply": reply, "send": ""}
    )
    assert response.status_code == 302
    assert confirm(client, sheet, "send_to_employee").status_code == 302
    assert fresh(sheet).state == S.EMPLOYEE_REVIEW
    assert GoalAnswer.objects.get(goal=flagged, round=1).reply == reply

    # The employee sees the reply beside their question in the next round.
    login(client, employee)
    answers = text_of(page(client.get(reverse("sheet_answers", args=[sheet.pk]))))
    assert f"Supervisor's reply: “{reply}”" in answers


# Summary and signatures -------------------------------------------------------------------------


def test_summary_then_sign_moves_the_sheet_to_the_employee(client, sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    login(client, supervisor)
    summary_url = reverse("sheet_summary", args=[sheet.pk])
    values = without_csrf(form_values(client.get(summary_url), having="version"))

    response = client.post(summary_url, {**values, **SUMMARY, "sign": ""})

    sign_url = reverse("sheet_transition", args=[sheet.pk, "sign_supervisor"])
    assert response.status_code == 302 and response.url == sign_url
    assert fresh(sheet).action_plans == SUMMARY["action_plans"]

    response = confirm(client, sheet, "sign_supervisor", typed_name="Sam Sutton")

    assert response.status_code == 302
    assert fresh(sheet).state == S.EMPLOYEE_SIGNATURE
    [signature] = live_signatures(sheet)
    assert (signature.role, signature.signer, signature.typed_name) == (
        "supervisor",
        supervisor.user,
        "Sam Sutton",
    )
    detail = client.get(response.url)
    assert "Signed. The sheet now waits on the employee." in alerts(detail)
    assert "Supervisor: Sam Sutton" in by_testid(detail, "signatures")
    assert SUMMARY["milestones"] in text_of(page(detail))


def test_employee_sign_page_shows_the_acknowledgement_from_the_paper_form(
    client, sheet, employee, advance
):
    advance(sheet, S.EMPLOYEE_SIGNATURE)
    login(client, employee)

    response = client.get(reverse("sheet_transition", args=[sheet.pk, "sign_employee"]))

    assert response.status_code == 200
    assert by_testid(response, "acknowledgement") == ACKNOWLEDGEMENT

    response = confirm(client, sheet, "sign_employee", typed_name="Emma Ellis", acknowledged="on")

    assert response.status_code == 302
    assert fresh(sheet).state == S.HR_REVIEW
    assert live_signatures(sheet).filter(role="employee", signer=employee.user).exists()


# HR's review ------------------------------------------------------------------------------------


def test_hr_saves_a_smart_check_per_goal_with_htmx(client, sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    passing, failing = sheet.goals.order_by("position")
    login(client, hr)
    assert (
        len(
            elements(
                page(client.get(reverse("sheet_smart", args=[sheet.pk]))), data_testid="smart-row"
            )
        )
        == 2
    )
    all_five = {f"goal-{passing.pk}-{name}": "on" for name in SmartCheck.CRITERIA}

    response = client.post(reverse("goal_smart", args=[sheet.pk, passing.pk]), all_five, **HTMX)

    assert response.status_code == 200 and b"<html" not in response.content
    [row] = elements(page(response), data_testid="smart-row")
    assert "Passes SMART · saved" in text_of(row)
    assert SmartCheck.objects.get(goal=passing).passes

    response = client.post(
        reverse("goal_smart", args=[sheet.pk, failing.pk]),
        {
            f"goal-{failing.pk}-specific": "on",
            f"goal-{failing.pk}-note": "What counts as collected?",
        },
        **HTMX,
    )

    assert "Fails: measurable, achievable, relevant, time_bound" in text_of(page(response))
    check = SmartCheck.objects.get(goal=failing)
    assert (check.passes, check.note, check.checked_by) == (
        False,
        "What counts as collected?",
        hr.user,
    )


def test_hr_return_with_a_note_voids_the_signatures(client, sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)

    response = confirm(client, sheet, "return_to_supervisor", note="Goal 2 needs a baseline.")

    assert response.status_code == 302
    assert fresh(sheet).state == S.DRAFTING
    assert not live_signatures(sheet).exists()
    detail = client.get(response.url)
    assert "Returned to the supervisor; all signatures were voided." in alerts(detail)
    signatures = by_testid(detail, "signatures")
    assert "Not signed yet." in signatures
    voided = text_of(page(detail))
    assert "2 voided signatures" in voided
    assert "Supervisor: Sam Sutton" in voided and "Employee: Emma Ellis" in voided
    assert "Returned to the supervisor by HR." in voided
    assert "Hana Hughes returned the sheet to the supervisor" in by_testid(detail, "timeline")
    assert "Goal 2 needs a baseline." in by_testid(detail, "timeline")


def test_hr_sign_locks_the_sheet(client, sheet, supervisor, hr, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, hr)
    for goal in sheet.goals.all():
        client.post(
            reverse("goal_smart", args=[sheet.pk, goal.pk]),
            {f"goal-{goal.pk}-{name}": "on" for name in SmartCheck.CRITERIA},
            **HTMX,
        )

    response = confirm(client, sheet, "sign_hr", typed_name="Hana Hughes")

    assert response.status_code == 302
    detail = client.get(response.url)
    assert "Signed for HR. The sheet is final and locked." in alerts(detail)
    assert state_badge(detail) == "Signed"
    [signatures] = elements(page(detail), data_testid="signatures")
    assert [text_of(li).split(":")[0] for li in elements(signatures) if li.name == "li"] == [
        "Supervisor",
        "Employee",
        "Human Resources",
    ]
    assert "Signed and locked on" in text_of(page(detail))
    assert fresh(sheet).is_signed
    # Nothing left to do but, should the goals change, start an amendment (a new version).
    [actions] = elements(page(detail), data_testid="actions")
    assert text_of(actions) == "Start an amendment"

    # The editor is gone for good: the supervisor is sent back to the sheet with the reason.
    before = goal_texts(sheet)
    login(client, supervisor)
    response = client.get(reverse("sheet_edit", args=[sheet.pk]), follow=True)
    assert response.redirect_chain == [(reverse("sheet_detail", args=[sheet.pk]), 302)]
    assert "“Edit goals” is not possible now" in alerts(response)
    response = client.post(
        reverse("sheet_edit", args=[sheet.pk]),
        {"version": fresh(sheet).version, "goals-TOTAL_FORMS": "0", "goals-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    assert goal_texts(sheet) == before


def test_timeline_shows_each_event_with_the_actors_name(client, sheet, manager, advance):
    advance(sheet, S.HR_REVIEW)
    login(client, manager)

    timeline = client.get(reverse("sheet_detail", args=[sheet.pk]))

    [ol] = elements(page(timeline), data_testid="timeline")
    entries = [text_of(li) for li in elements(ol) if li.name == "li"]
    expected = [
        "Sam Sutton sent the goals to the employee",
        "Emma Ellis submitted answers",
        "Sam Sutton signed as supervisor",
        "Emma Ellis signed as employee",
    ]
    assert [any(words in entry for entry in entries) for words in expected] == [True] * 4
    positions = [next(i for i, entry in enumerate(entries) if words in entry) for words in expected]
    assert positions == sorted(positions)  # oldest first


# Concurrency: stale versions and double clicks --------------------------------------------------


def test_a_save_from_a_stale_editor_is_refused_and_loses_nothing(client, sheet, supervisor):
    login(client, supervisor)
    loaded = editor(client, sheet)  # version N
    first_save = "Reduce DSO on the assigned portfolio to 44 days by June 30, 2027."
    client.post(
        reverse("sheet_edit", args=[sheet.pk]), {**loaded, "goals-0-text": first_save, "save": ""}
    )
    assert fresh(sheet).version == int(loaded["version"]) + 1

    response = client.post(
        reverse("sheet_edit", args=[sheet.pk]),
        {**loaded, "goals-0-text": "An edit from the stale tab.", "save": ""},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("sheet_edit", args=[sheet.pk]), 302)]
    assert CHANGED_MEANWHILE in alerts(response)
    assert goal_texts(sheet)[0] == first_save
    assert fresh(sheet).version == int(loaded["version"]) + 1
    assert form_values(response, form_id="goal-editor")["goals-0-text"] == first_save


def test_signing_from_a_page_opened_before_the_summary_changed_is_refused(
    client, sheet, supervisor, advance
):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    complete_summary(sheet)
    login(client, supervisor)
    url = reverse("sheet_transition", args=[sheet.pk, "sign_supervisor"])
    values = {
        **without_csrf(form_values(client.get(url), having="version")),
        "typed_name": "Sam Sutton",
    }
    summary_url = reverse("sheet_summary", args=[sheet.pk])
    client.post(
        summary_url,
        {
            **without_csrf(form_values(client.get(summary_url), having="version")),
            "milestones": "Monthly check-ins.",
        },
    )

    response = client.post(url, values, follow=True)

    assert CHANGED_MEANWHILE in alerts(response)
    assert not live_signatures(sheet).exists()
    assert fresh(sheet).state == S.SUPERVISOR_SIGNATURE


def _pass_every_goal(sheet, hr):
    for goal in sheet.goals.all():
        services.goal_smart_check(
            goal_id=goal.pk,
            actor=hr.user,
            verdicts=dict.fromkeys(SmartCheck.CRITERIA, True),
            note="",
        )


@pytest.mark.parametrize(
    "action, state, persona, signed",
    [
        ("sign_supervisor", S.SUPERVISOR_SIGNATURE, "supervisor", {"typed_name": "Sam Sutton"}),
        (
            "sign_employee",
            S.EMPLOYEE_SIGNATURE,
            "employee",
            {"typed_name": "Emma Ellis", "acknowledged": "on"},
        ),
        ("sign_hr", S.HR_REVIEW, "hr", {"typed_name": "Hana Hughes"}),
    ],
    ids=["supervisor", "employee", "hr"],
)
def test_a_double_click_on_sign_signs_once(
    client, request, sheet, hr, advance, action, state, persona, signed
):
    advance(sheet, state)
    if state == S.SUPERVISOR_SIGNATURE:
        complete_summary(sheet)
    if state == S.HR_REVIEW:
        _pass_every_goal(sheet, hr)
    signer = request.getfixturevalue(persona)
    login(client, signer)
    url = reverse("sheet_transition", args=[sheet.pk, action])
    values = {**without_csrf(form_values(client.get(url), having="version")), **signed}

    first = client.post(url, values)
    second = client.post(url, values, follow=True)

    assert first.status_code == 302
    assert live_signatures(sheet).filter(signer=signer.user).count() == 1
    # The second click carried an old version: it is told so, not that the action is impossible.
    assert CHANGED_MEANWHILE in alerts(second)


# Query counts do not grow with the data ---------------------------------------------------------
# One bound per page, the same whatever the number of sheets or goals: session, user, the
# employee with their roles (HR, supervisor) in one query, the unread-notification badge in the
# navigation, then a fixed number of queries for the page itself (the visibility policy's line
# below a supervisor is a subquery of the page's own).
INBOX_QUERIES = 7  # 2 of them for the direct reports who have no sheet yet
SHEET_LIST_QUERIES = 6  # the page's rows carry the paginator's count (goalsapp/pagination.py)
# 8: the sheet (its amendment and closing review joined to it), its goals, answers, signatures
# and events (the goals and answers hashed as read, not read again), three for the change
# history
SHEET_PAGE_QUERIES = 12
# 8: the sheet, its goals, answers, signatures and events, read once for the header and every
# goal's row (a goal's sheet is not read again per row), three for the change history; the
# SMART page reads the competencies suiting the sheet's title for its hints too
ANSWER_PAGE_QUERIES = 12
SMART_PAGE_QUERIES = 13
# 9: the sheet; its goals and their answers (once for the header and the rows); signatures;
# events (HR's return note among them); the competencies for every row and the library panel;
# the competencies suiting the sheet's title; the library's titles; the previous period's
# closing review (goals to carry forward).
GOAL_EDITOR_QUERIES = 13


@pytest.mark.parametrize("sheet_count", [2, 10])
def test_inbox_and_sheet_list_queries_do_not_grow_with_the_sheets(
    client, supervisor, period, sheet_count, django_assert_max_num_queries
):
    for _ in range(sheet_count):
        GoalFactory(
            sheet=GoalSheetFactory(employee=EmployeeFactory(supervisor=supervisor), period=period)
        )
    login(client, supervisor)

    with django_assert_max_num_queries(INBOX_QUERIES):
        inbox = client.get(reverse("inbox"))
    with django_assert_max_num_queries(SHEET_LIST_QUERIES):
        listed = client.get(reverse("sheet_list"))

    assert len(sheet_links(inbox)) == len(sheet_links(listed)) == sheet_count


def test_an_employee_inbox_asks_nothing_about_reports_they_do_not_have(
    client, employee, sheet, advance, django_assert_max_num_queries
):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    login(client, employee)

    with django_assert_max_num_queries(INBOX_QUERIES - 2):
        inbox = client.get(reverse("inbox"))

    assert len(sheet_links(inbox)) == 1


@pytest.mark.parametrize("goal_count", [2, 20])
def test_goal_editor_queries_do_not_grow_with_the_goals(
    client, employee, period, supervisor, goal_count, django_assert_max_num_queries
):
    sheet = GoalSheetFactory(employee=employee, period=period)
    GoalFactory.create_batch(goal_count, sheet=sheet)
    login(client, supervisor)

    with django_assert_max_num_queries(GOAL_EDITOR_QUERIES):
        response = client.get(reverse("sheet_edit", args=[sheet.pk]))

    assert len(elements(page(response), data_testid="goal-row")) == goal_count


@pytest.mark.parametrize("goal_count", [2, 20])
def test_sheet_page_queries_do_not_grow_with_the_goals(
    client, employee, period, hr, advance, goal_count, django_assert_max_num_queries
):
    sheet = GoalSheetFactory(employee=employee, period=period)
    GoalFactory.create_batch(goal_count, sheet=sheet)
    advance(sheet, S.HR_REVIEW)
    _pass_every_goal(sheet, hr)
    login(client, hr)

    with django_assert_max_num_queries(SHEET_PAGE_QUERIES):
        response = client.get(reverse("sheet_detail", args=[sheet.pk]))

    cards = [
        e
        for e in elements(page(response))
        if e.name == "li" and (dict(e.attributes).get("id") or "").startswith("goal-")
    ]
    assert len(cards) == goal_count


@pytest.mark.parametrize("goal_count", [2, 20])
def test_answer_and_smart_pages_queries_do_not_grow_with_the_goals(
    client, employee, period, hr, advance, goal_count, django_assert_max_num_queries
):
    sheet = GoalSheetFactory(employee=employee, period=period)
    GoalFactory.create_batch(goal_count, sheet=sheet)
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)
    with django_assert_max_num_queries(ANSWER_PAGE_QUERIES):
        answers = client.get(reverse("sheet_answers", args=[sheet.pk]))
    assert len(elements(page(answers), data_testid="answer-row")) == goal_count

    advance(sheet, S.HR_REVIEW)
    login(client, hr)
    with django_assert_max_num_queries(SMART_PAGE_QUERIES):
        smart = client.get(reverse("sheet_smart", args=[sheet.pk]))
    assert len(elements(page(smart), data_testid="smart-row")) == goal_count
