"""Goal sets and bulk assignment: applying a set to 60 employees in one action, the skip list,
all-or-nothing per employee, who may apply to whom, and bad input on the goal set forms."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError
from django.urls import reverse

from goalsapp import services as goal_services
from goalsapp.models import Goal, GoalSet, GoalSetItem, GoalSheet, GoalTemplate, SheetState
from reviews import bulk_assign
from reviews.models import ReviewEvent
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory
from tests.page_helpers import alerts, by_testid, field_error, login, texts

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
# The workflow's own sentence (workflow.state_refusal) for a sheet no longer in drafting.
PAST_DRAFTING = "This sheet is in Employee review; “Edit goals” is not possible now."


def make_set(owner_user, name="Q1 collector basics") -> GoalSet:
    goal_set = GoalSet.objects.create(name=name, owner=owner_user)
    kpis = GoalTemplate.objects.filter(source="004").order_by("id")[:3]
    for position, (entry, target, rule, days) in enumerate(zip(
            kpis, (Decimal(95), Decimal("4.5"), Decimal(30)),
            ("period_end", "after_start", "after_start"), (None, 90, 400), strict=True), 1):
        GoalSetItem.objects.create(
            goal_set=goal_set, position=position, template=entry, competency=entry.competency,
            text=entry.text, measure_kind=entry.measure_kind or "count", target=target,
            unit=entry.unit or "accounts", direction=entry.direction or "higher",
            due_rule=rule, due_days=days)
    return goal_set


@pytest.fixture(autouse=True)
def _teams(employee, other_employee):
    """Sam supervises Emma and Otto supervises Oliver: both count as supervisors."""


@pytest.fixture
def goal_set(supervisor):
    return make_set(supervisor.user)


@pytest.fixture
def team(supervisor, employee, period, advance):
    """Sam's 60 direct reports: Emma (her 2027 sheet sent to her, so past drafting), two more
    past drafting, five with a draft of one goal, and 52 without a sheet."""
    reports = [employee, *EmployeeFactory.create_batch(59, supervisor=supervisor)]
    for report in reports[:3]:
        sheet = GoalSheetFactory(employee=report, period=period)
        GoalFactory(sheet=sheet)
        advance(sheet, SheetState.EMPLOYEE_REVIEW)
    for report in reports[3:8]:
        GoalFactory(sheet=GoalSheetFactory(employee=report, period=period), position=1)
    return reports


def sheet_of(employee, period):
    return GoalSheet.objects.filter(employee=employee, period=period).first()


# The service ------------------------------------------------------------------------------------

def test_it_applies_a_set_to_60_employees_in_one_action(supervisor, goal_set, team, period):
    actor = supervisor.user
    events_before = ReviewEvent.objects.count()

    result = bulk_assign.goal_set_apply(actor=actor, goal_set=goal_set, period=period,
                                        employees=team)

    assert len(result.outcomes) == 60
    assert (len(result.new), len(result.extended), len(result.skipped), len(result.failed)) == \
        (52, 5, 3, 0)
    assert {o.employee for o in result.skipped} == set(team[:3])
    assert all(o.reason == PAST_DRAFTING for o in
               result.skipped)
    new_sheet = sheet_of(team[10], period)
    assert new_sheet.state == SheetState.DRAFTING
    goals = list(new_sheet.goals.order_by("position"))
    assert [g.text for g in goals] == list(goal_set.items.values_list("text", flat=True))
    assert [g.due_on for g in goals] == [datetime.date(2027, 12, 31),
                                         datetime.date(2027, 4, 1),  # Jan 1 + 90 days
                                         datetime.date(2027, 12, 31)]  # 400 days: the period end
    assert all(g.template_id for g in goals)
    assert list(new_sheet.events.values_list("action", flat=True)) == ["start", "apply_goal_set"]
    assert Goal.history.filter(sheet_id=new_sheet.pk, history_user=actor).count() == 3
    assert ReviewEvent.objects.count() == events_before + 52 * 2 + 5


def test_it_extends_a_draft_after_the_goals_already_on_it(supervisor, goal_set, team, period):
    draft = sheet_of(team[3], period)
    version = draft.version
    bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                               employees=team[3:4])
    draft.refresh_from_db()
    assert draft.goals.count() == 4
    assert list(draft.goals.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert draft.version == version + 1  # an editor open on it hears "changed meanwhile"


def test_skipped_sheets_are_left_as_they_were(supervisor, goal_set, team, period):
    emma_sheet = sheet_of(team[0], period)
    before = (emma_sheet.version, emma_sheet.goals.count(), emma_sheet.events.count())
    bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                               employees=team)
    emma_sheet.refresh_from_db()
    assert (emma_sheet.version, emma_sheet.goals.count(), emma_sheet.events.count()) == before


def test_one_employees_failure_undoes_only_that_employee(supervisor, goal_set, team, period,
                                                         monkeypatch):
    new_victim, draft_victim = team[20], team[4]
    draft = sheet_of(draft_victim, period)
    draft_before = (draft.version, draft.goals.count())
    real_append = goal_services.goals_append

    def failing_append(additions, actor):
        if any(sheet.employee_id in (new_victim.pk, draft_victim.pk) for sheet, _ in additions):
            raise DatabaseError("disk full")
        return real_append(additions, actor)

    monkeypatch.setattr(goal_services, "goals_append", failing_append)
    result = bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                                        employees=team)

    assert {o.employee for o in result.failed} == {new_victim, draft_victim}
    assert all("Nothing was changed for this employee" in o.reason for o in result.failed)
    assert sheet_of(new_victim, period) is None  # the sheet it started was rolled back too
    draft.refresh_from_db()
    assert (draft.version, draft.goals.count()) == draft_before
    assert len(result.new) == 51 and len(result.extended) == 4
    assert GoalSheet.objects.filter(period=period, employee__in=team).count() == 59


def test_the_preview_changes_nothing(supervisor, goal_set, team, period):
    plan = bulk_assign.goal_set_preview(actor=supervisor.user, goal_set=goal_set, period=period,
                                        employees=team)
    assert (len(plan.new), len(plan.extended), len(plan.skipped)) == (52, 5, 3)
    assert GoalSheet.objects.filter(period=period).count() == 8


def test_an_outsider_cannot_start_someone_elses_sheet(other_supervisor, employee, period):
    goal_set = make_set(other_supervisor.user)
    result = bulk_assign.goal_set_apply(actor=other_supervisor.user, goal_set=goal_set,
                                        period=period, employees=[employee])
    assert [o.kind for o in result.outcomes] == ["skip"]
    assert result.skipped[0].reason == "Only the employee's supervisor may start their goal sheet."
    assert sheet_of(employee, period) is None


def test_a_closed_period_or_an_empty_set_is_refused(supervisor, employee, period):
    from reviews.workflow import WorkflowError

    empty = GoalSet.objects.create(name="Empty", owner=supervisor.user)
    with pytest.raises(WorkflowError, match="has no goals"):
        bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=empty, period=period,
                                   employees=[employee])
    period.is_open = False
    period.save()
    with pytest.raises(WorkflowError, match="is closed"):
        bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=make_set(supervisor.user),
                                   period=period, employees=[employee])


# The pages --------------------------------------------------------------------------------------

def apply_url(goal_set):
    return reverse("goal_set_apply", args=[goal_set.pk])


def test_preview_then_apply_through_the_page(client, supervisor, goal_set, team, period):
    login(client, supervisor)
    data = {"period": period.pk, "audience": "direct"}
    preview = client.post(apply_url(goal_set), {**data, "preview": ""})
    assert by_testid(preview, "apply-summary") == \
        "52 new sheets · 5 drafts extended · 3 skipped"
    assert PAST_DRAFTING in preview.content.decode()
    assert GoalSheet.objects.filter(period=period).count() == 8

    applied = client.post(apply_url(goal_set), {**data, "apply": ""})
    assert "52 new sheets, 5 drafts extended, 3 skipped, 0 failed" in alerts(applied)
    assert GoalSheet.objects.filter(period=period).count() == 60


def test_a_title_audience_reaches_only_the_users_own_line(client, other_supervisor, employee,
                                                          other_employee, period):
    goal_set = make_set(other_supervisor.user, "Otto's set")
    login(client, other_supervisor)
    response = client.post(apply_url(goal_set), {
        "period": period.pk, "audience": "title", "title": "Collections Specialist",
        "apply": ""})
    # Emma (a Collections Specialist in Sam's team) is not Otto's to see: no such choice.
    assert "Choose a title from the list." in field_error(response, "id_title")
    assert sheet_of(employee, period) is None


def test_someone_elses_goal_set_answers_404(client, other_supervisor, goal_set, period):
    login(client, other_supervisor)
    for url in (apply_url(goal_set), reverse("goal_set_edit", args=[goal_set.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"period": period.pk, "audience": "direct",
                                 "apply": ""}).status_code == 404


def test_employees_without_reports_may_not_keep_goal_sets(client, employee):
    login(client, employee)
    for name in ("goal_set_list", "goal_set_new", "goal_set_item_row", "goal_set_library"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "kept by supervisors and Human Resources" in by_testid(response,
                                                                      "forbidden-reason")


def test_anonymous_visitors_are_sent_to_log_in(client, goal_set):
    for url in (reverse("goal_set_list"), reverse("goal_set_new"), apply_url(goal_set),
                reverse("goal_set_item_row"), reverse("goal_set_library")):
        assert client.get(url).url.startswith(LOGIN)


def test_hr_sees_every_set_but_starts_no_one_elses_sheet(client, hr, goal_set, employee, period):
    login(client, hr)
    assert "Q1 collector basics" in client.get(reverse("goal_set_list")).content.decode()
    response = client.post(apply_url(goal_set), {
        "period": period.pk, "audience": "title", "title": "Collections Specialist",
        "preview": ""})
    assert by_testid(response, "apply-summary") == "0 new sheets · 0 drafts extended · 1 skipped"
    assert "Only the employee's supervisor may start" in by_testid(response, "outcome")


@pytest.mark.parametrize("data, field, message", [
    ({"audience": "direct"}, "id_period", "Choose a review period."),
    ({"period": "999999", "audience": "direct"}, "id_period", "Choose an open period."),
    ({"audience": "everyone"}, "id_audience", "Select a valid choice."),
    ({"audience": "territory"}, "id_territory", "Choose the territory."),
    ({"audience": "tier", "tier": "legend"}, "id_tier", "Choose a tier from the list."),
])
def test_bad_input_on_the_apply_form(client, supervisor, goal_set, period, data, field,
                                     message):
    login(client, supervisor)
    data = {"period": period.pk, **data} if "period" not in data and field != "id_period" \
        else data
    response = client.post(apply_url(goal_set), {**data, "apply": ""})
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not GoalSheet.objects.filter(period=period).exists()


# The goal set form ------------------------------------------------------------------------------

def item(index, **values):
    base = {"competency": "", "text": "", "measure_kind": "count", "target": "", "unit": "",
            "direction": "higher", "baseline": "", "weight": "", "due_rule": "period_end",
            "due_days": ""}
    return {f"items-{index}-{name}": value for name, value in {**base, **values}.items()}


def set_post(name, *items):
    data = {"name": name, "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": "0"}
    for index, values in enumerate(items):
        data.update(item(index, **values))
    return data


GOOD = {"text": "Resolve 20 disputed invoices over 60 days.", "target": "20",
        "unit": "invoices"}


def test_a_supervisor_creates_a_goal_set(client, supervisor):
    from goalsapp.models import Competency

    competency = Competency.objects.first()
    login(client, supervisor)
    response = client.post(reverse("goal_set_new"), set_post(
        "Dispute clean-up", {**GOOD, "competency": competency.pk},
        {**GOOD, "competency": competency.pk, "text": "Call 40 customers a day.",
         "due_rule": "after_start", "due_days": "45"}))
    goal_set = GoalSet.objects.get(name="Dispute clean-up")
    assert response.url == apply_url(goal_set)
    assert goal_set.owner == supervisor.user
    assert list(goal_set.items.values_list("position", "due_days")) == [(1, None), (2, 45)]


@pytest.mark.parametrize("values, field, message", [
    ({**GOOD, "target": ""}, "target", "Enter a numeric target."),
    ({**GOOD, "target": "lots"}, "target", "Enter a number, such as 12 or 1500.50."),
    ({**GOOD, "text": ""}, "text", "Write the goal."),
    ({**GOOD, "due_rule": "after_start"}, "due_days",
     "Say how many days after the period starts it is due."),
    ({**GOOD, "weight": "150"}, "weight", "Ensure this value is less than or equal to 100."),
    ({**GOOD, "weight": "60"}, "weight", "Goal weights must total 100; they total 60."),
])
def test_bad_input_on_the_goal_set_form(client, supervisor, values, field, message):
    from goalsapp.models import Competency

    login(client, supervisor)
    values = {"competency": Competency.objects.first().pk, **values}
    response = client.post(reverse("goal_set_new"), set_post("My set", values))
    assert response.status_code == 200
    assert message in field_error(response, f"id_items-0-{field}")
    assert "Nothing was saved" in alerts(response)
    assert not GoalSet.objects.exists()
    assert 'value="My set"' in response.content.decode()  # the typing is kept


def test_a_set_needs_a_name_and_a_goal(client, supervisor):
    login(client, supervisor)
    response = client.post(reverse("goal_set_new"), set_post("", item_values := {}))
    assert "Name the goal set." in field_error(response, "id_name")
    assert "Add at least one goal to the set." in by_testid(response, "set-errors")
    assert item_values == {}
    assert not GoalSet.objects.exists()


def test_the_list_shows_the_users_own_sets(client, supervisor, other_supervisor, goal_set):
    make_set(other_supervisor.user, "Otto's set")
    login(client, supervisor)
    assert texts(client.get(reverse("goal_set_list")), data_testid="goal-set")[0].startswith(
        "Q1 collector basics")
    assert "Otto's set" not in client.get(reverse("goal_set_list")).content.decode()


def test_the_demo_brings_two_goal_sets_and_job_titles_once(settings):
    from io import StringIO

    from django.core.management import call_command

    from goalsapp.models import JobTitle

    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    assert sorted(GoalSet.objects.values_list("name", flat=True)) == [
        "Collector essentials", "Quality and compliance"]
    assert GoalSet.objects.get(name="Collector essentials").items.count() == 4
    assert JobTitle.objects.filter(name="AR Analyst").exists()


def test_applying_twice_adds_nothing_twice(client, supervisor, goal_set, team, period):
    bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                               employees=team)
    goals_before = Goal.objects.filter(sheet__period=period).count()
    again = bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                                       employees=team)
    assert Goal.objects.filter(sheet__period=period).count() == goals_before
    assert (len(again.new), len(again.extended), len(again.skipped)) == (0, 0, 60)
    assert {o.reason for o in again.skipped} == {
        bulk_assign.ALREADY_APPLIED, PAST_DRAFTING}
    note = sheet_of(team[10], period).events.get(action="apply_goal_set").note
    assert note == "Goal set “Q1 collector basics”: 3 goals added."


def test_a_negative_target_is_refused_on_the_goal_set_form(client, supervisor):
    from goalsapp.models import Competency
    from goalsapp.rules import negative_value_error

    login(client, supervisor)
    values = {**GOOD, "competency": Competency.objects.first().pk, "target": "-5",
              "baseline": "-2"}
    response = client.post(reverse("goal_set_new"), set_post("My set", values))
    assert negative_value_error("count", Decimal("-5")) in field_error(response,
                                                                       "id_items-0-target")
    assert negative_value_error("count", Decimal("-2")) in field_error(response,
                                                                       "id_items-0-baseline")
    assert 'value="-5"' in response.content.decode()  # the typing is kept
    assert not GoalSet.objects.exists()


# Building a set in place: "Add a goal" and the library (issue 13, item 11) --------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_new_set_starts_with_one_row_and_add_a_goal_appends_the_next(client, supervisor):
    login(client, supervisor)
    page = client.get(reverse("goal_set_new"))
    assert len(texts(page, data_testid="set-item")) == 1
    row = client.get(reverse("goal_set_item_row"), {"items-TOTAL_FORMS": "3"}, **HTMX)
    html = row.content.decode()
    assert 'name="items-3-text"' in html
    assert 'id="id_items-TOTAL_FORMS" value="4" hx-swap-oob="true"' in html


def test_a_library_goal_added_to_a_set_keeps_its_link(client, supervisor):
    entry = GoalTemplate.objects.filter(source="004").first()
    login(client, supervisor)
    row = client.get(reverse("goal_set_item_row"),
                     {"items-TOTAL_FORMS": "1", "template": entry.pk}, **HTMX)
    html = row.content.decode()
    assert f'name="items-1-template" value="{entry.pk}"' in html
    assert "From the goal library" in html
    response = client.post(reverse("goal_set_new"), set_post(
        "From the library", {"template": entry.pk, "competency": entry.competency_id,
                             "text": entry.text, "target": "90", "unit": "%",
                             "measure_kind": "percent"}))
    goal_set = GoalSet.objects.get(name="From the library")
    assert response.url == apply_url(goal_set)
    assert goal_set.items.get().template == entry


def test_a_forged_or_guidance_library_link_is_refused(client, supervisor):
    guidance = GoalTemplate.objects.filter(is_guidance=True).first()
    login(client, supervisor)
    assert client.get(reverse("goal_set_item_row"), {"template": guidance.pk},
                      **HTMX).status_code == 404
    response = client.post(reverse("goal_set_new"), set_post(
        "Forged", {**GOOD, "competency": guidance.competency_id, "template": guidance.pk}))
    assert "no longer in the library" in response.content.decode()
    assert not GoalSet.objects.exists()


def test_guidance_in_the_set_editor_gives_an_empty_row_with_its_advice(client, supervisor):
    guidance = GoalTemplate.objects.filter(is_guidance=True).first()
    login(client, supervisor)
    row = client.get(reverse("goal_set_item_row"),
                     {"items-TOTAL_FORMS": "1", "guidance": guidance.pk}, **HTMX)
    assert "needs a number and a deadline" in by_testid(row, "guidance-hint")
    assert guidance.text not in row.content.decode().split("guidance-hint")[0]


def test_the_set_editor_searches_the_library(client, supervisor):
    login(client, supervisor)
    response = client.get(reverse("goal_set_library"),
                          {"library-q": "days outstanding", "library-title": ""}, **HTMX)
    assert "Average days outstanding for overdue accounts" in by_testid(response,
                                                                        "library-results")
    assert "Add to set" in response.content.decode()


def test_a_preview_with_nothing_to_apply_offers_no_apply_button(client, supervisor, goal_set,
                                                                team, period):
    bulk_assign.goal_set_apply(actor=supervisor.user, goal_set=goal_set, period=period,
                               employees=team)
    login(client, supervisor)
    preview = client.post(apply_url(goal_set), {"period": period.pk, "audience": "direct",
                                                "preview": ""})
    assert "Everyone eligible in this audience already has this set" in by_testid(
        preview, "nothing-to-apply")
    assert "Apply to 0" not in preview.content.decode()
    assert 'data-testid="apply"' not in preview.content.decode()
