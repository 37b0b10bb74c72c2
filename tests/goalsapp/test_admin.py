"""The Django admin: every registered model lists, searches, filters and opens; SSNs stay
write-only and masked; signed sheets, their goals and the legal record cannot be changed."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from goalsapp.models import (
    Competency,
    Employee,
    Goal,
    GoalSet,
    GoalSetItem,
    GoalSheet,
    GoalTemplate,
    JobTitle,
    ReviewPeriod,
    SheetState,
)
from reviews import services
from reviews.archive.exports import ExportFilters, export_job_create
from reviews.archive.models import ExportJob, SheetArchive
from reviews.archive.services import archive_get_or_create
from reviews.models import GoalAnswer, ReviewEvent, Signature, SmartCheck
from reviews.notifications.models import (
    DigestDelivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from reviews.notifications.reminders import reminders_sweep
from tests.admin_helpers import employee_post
from tests.factories import GoalFactory, GoalSheetFactory, ReviewPeriodFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
SSN = "512-34-7788"
SSN_FORMS = (SSN, "512347788")  # neither spelling of the plaintext may reach a page
MASKED = "***-**-7788"
CLARIFY = "Which accounts count towards the target?"

EXPECTED_MODELS = {
    Employee, ReviewPeriod, Competency, GoalSheet, Goal,
    GoalAnswer, SmartCheck, Signature, ReviewEvent,
    SheetArchive, ExportJob,
    User, Group,
    GoalTemplate, JobTitle, GoalSet,
    NotificationSettings, NotificationPreference, Notification, DigestDelivery,
}
# A search term that finds at least one row of each model in the `data` fixture.
SEARCH_TERMS = {
    Employee: "Emma",
    ReviewPeriod: "2027",
    Competency: "Customer",
    GoalSheet: "Oliver",
    Goal: "DSO",
    GoalAnswer: "Oliver",
    SmartCheck: "DSO",
    Signature: "Sam",
    ReviewEvent: "Emma",
    SheetArchive: "Emma",
    ExportJob: "2027",
    User: "ada",
    Group: "HR",
    GoalTemplate: "outstanding",
    JobTitle: "Collection",
    GoalSet: "Quarter",
    NotificationSettings: "anything",  # one row, no search box
    NotificationPreference: "otto",
    Notification: "Oliver",
    DigestDelivery: "otto",
}


def url(model, view, *args, query=""):
    opts = model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    return f"{path}?{query}" if query else path


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def data(sheet, advance, period, other_employee, other_supervisor, admin):
    """Emma's sheet signed through the real services (answers, SMART checks, signatures and
    events, an archive record and an export job), and Oliver's sheet back in drafting after a
    clarification round."""
    advance(sheet, SheetState.SIGNED)
    signed = GoalSheet.objects.get(pk=sheet.pk)
    archive_get_or_create(signed.pk)  # pending: nothing commits here, so nothing renders
    export_job_create(actor=admin, filters=ExportFilters(period_id=period.pk))

    draft = GoalSheetFactory(employee=other_employee, period=period)
    GoalFactory(sheet=draft, position=1, text="Call 40 customers a week about balances "
                "over 60 days past due through December 2027.", target=Decimal("40"))
    GoalFactory(sheet=draft, position=2)
    services.sheet_send_to_employee(sheet_id=draft.pk, actor=other_supervisor.user,
                                    version=draft.version)
    first, second = draft.goals.order_by("position")
    services.goal_answer(goal_id=first.pk, actor=other_employee.user,
                         answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, comment=CLARIFY)
    services.goal_answer(goal_id=second.pk, actor=other_employee.user,
                         answer=GoalAnswer.Answer.OKAY, comment="")
    services.sheet_submit_answers(sheet_id=draft.pk, actor=other_employee.user,
                                  version=GoalSheet.objects.get(pk=draft.pk).version)
    draft = GoalSheet.objects.get(pk=draft.pk)
    assert draft.state == SheetState.DRAFTING and not draft.is_signed
    # Oliver's draft a day overdue: Otto, who chose the daily digest, is reminded.
    NotificationPreference.objects.create(user=other_supervisor.user, daily_digest=True)
    reminders_sweep(today=period.goals_due + datetime.timedelta(days=1))

    other_employee.set_ssn(SSN)
    other_employee.save()
    JobTitle.objects.create(name="AR Lead")  # a title the Employee form may offer
    kpi = GoalTemplate.objects.get(text="Average days outstanding for overdue accounts")
    goal_set = GoalSet.objects.create(name="Quarterly basics", owner=other_supervisor.user)
    GoalSetItem.objects.create(goal_set=goal_set, template=kpi, competency=kpi.competency,
                               text=kpi.text, target=Decimal(40), unit="days")
    return SimpleNamespace(signed=signed, draft=draft, with_ssn=other_employee)


@pytest.fixture
def staff_client(client, admin):
    client.force_login(admin)
    return client


def an_object_of(model, data):
    """An existing row to open: the signed sheet's where the model hangs off a sheet."""
    signed_goal = data.signed.goals.order_by("position").first()
    return {
        Employee: data.with_ssn,
        ReviewPeriod: data.signed.period,
        Competency: Competency.objects.first(),
        GoalSheet: data.signed,
        Goal: signed_goal,
        GoalAnswer: GoalAnswer.objects.filter(goal=signed_goal).first(),
        SmartCheck: SmartCheck.objects.get(goal=signed_goal),
        Signature: data.signed.signatures.first(),
        ReviewEvent: data.signed.events.first(),
        SheetArchive: SheetArchive.objects.get(sheet=data.signed),
        ExportJob: ExportJob.objects.first(),
        User: User.objects.get(username="ada"),
        Group: Group.objects.get(name="HR"),
        GoalTemplate: GoalTemplate.objects.get(source_ref="KRA 1, KPI 3"),
        JobTitle: JobTitle.objects.get(name="Collection Manager"),
        GoalSet: GoalSet.objects.get(name="Quarterly basics"),
        NotificationSettings: NotificationSettings.load(),
        NotificationPreference: NotificationPreference.objects.first(),
        Notification: Notification.objects.first(),
        DigestDelivery: DigestDelivery.objects.first(),
    }[model]


# Every registered model --------------------------------------------------------------------------


def test_the_registry_holds_exactly_the_models_under_test():
    assert set(django_admin.site._registry) == EXPECTED_MODELS


@pytest.mark.parametrize("model", sorted(EXPECTED_MODELS, key=lambda m: m._meta.label),
                         ids=lambda m: m._meta.label)
def test_changelist_renders_with_search_and_every_filter(model, data, staff_client):
    response = staff_client.get(url(model, "changelist"))
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count >= 1

    searched = staff_client.get(url(model, "changelist", query=f"q={SEARCH_TERMS[model]}"))
    assert searched.status_code == 200
    assert searched.context["cl"].result_count >= 1, f"nothing found for {SEARCH_TERMS[model]}"

    applied = 0
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            filtered = staff_client.get(url(model, "changelist") + choice["query_string"])
            assert filtered.status_code == 200, (spec.title, choice["display"])
            applied += 1
    model_admin = django_admin.site._registry[model]
    assert bool(applied) == bool(model_admin.list_filter)

    if model_admin.date_hierarchy:
        year = staff_client.get(url(model, "changelist",
                                    query=f"{model_admin.date_hierarchy}__year=2027"))
        assert year.status_code == 200


@pytest.mark.parametrize("model", sorted(EXPECTED_MODELS, key=lambda m: m._meta.label),
                         ids=lambda m: m._meta.label)
def test_change_page_and_history_render(model, data, staff_client):
    obj = an_object_of(model, data)
    assert obj is not None

    assert staff_client.get(url(model, "change", obj.pk)).status_code == 200
    assert staff_client.get(url(model, "history", obj.pk)).status_code == 200

    if isinstance(django_admin.site._registry[model], SimpleHistoryAdmin):
        record = obj.history.earliest("history_date")
        assert staff_client.get(url(model, "simple_history", obj.pk,
                                    record.history_id)).status_code == 200


def test_the_drafting_sheet_and_its_goals_open_for_editing(data, staff_client):
    page = html(staff_client.get(url(GoalSheet, "change", data.draft.pk)))
    assert 'name="_save"' in page
    assert 'name="goals-0-text"' in page

    goal = data.draft.goals.first()
    assert 'name="_save"' in html(staff_client.get(url(Goal, "change", goal.pk)))


@pytest.mark.parametrize("field", ["supervisor", "user"])
def test_the_employee_autocompletes_answer(data, staff_client, field):
    response = staff_client.get(reverse("admin:autocomplete"), {
        "app_label": "goalsapp", "model_name": "employee", "field_name": field, "term": "o"})
    assert response.status_code == 200
    assert response.json()["results"]


def test_a_non_staff_user_is_sent_to_the_admin_login(client, data, employee):
    client.force_login(employee.user)
    for path in (reverse("admin:index"), url(GoalSheet, "changelist"),
                 url(GoalSheet, "change", data.signed.pk), url(Employee, "changelist")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# Employees and SSNs ------------------------------------------------------------------------------


def assert_no_plaintext(page: str, employee: Employee) -> None:
    for spelling in SSN_FORMS:
        assert spelling not in page
    if employee.ssn_encrypted:
        assert employee.ssn_encrypted not in page


def test_an_ssn_entered_in_the_admin_is_stored_encrypted_and_shown_masked(employee,
                                                                          staff_client):
    response = staff_client.post(url(Employee, "change", employee.pk),
                                 employee_post(employee, ssn=SSN))
    assert response.status_code == 302

    employee.refresh_from_db()
    assert employee.ssn_encrypted and all(s not in employee.ssn_encrypted for s in SSN_FORMS)
    assert employee.ssn == SSN

    change_page = html(staff_client.get(url(Employee, "change", employee.pk)))
    assert MASKED in change_page
    assert_no_plaintext(change_page, employee)

    changelist = html(staff_client.get(url(Employee, "changelist")))
    assert MASKED in changelist
    assert_no_plaintext(changelist, employee)

    # The admin's own log says a field changed, never what it holds.
    for entry in LogEntry.objects.all():
        assert all(s not in entry.change_message for s in SSN_FORMS)


def test_an_ssn_is_not_echoed_back_when_another_field_is_wrong(employee, staff_client):
    response = staff_client.post(url(Employee, "change", employee.pk),
                                 employee_post(employee, ssn=SSN, full_name=""))

    assert response.status_code == 200
    assert "full_name" in response.context["adminform"].form.errors
    assert_no_plaintext(html(response), employee)
    employee.refresh_from_db()
    assert employee.ssn_encrypted == ""


def test_an_invalid_ssn_shows_a_message_next_to_the_field(employee, staff_client):
    response = staff_client.post(url(Employee, "change", employee.pk),
                                 employee_post(employee, ssn="12-3456"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["ssn"] == ["Enter the SSN as 123-45-6789."]
    page = html(response)
    ssn_row = page[page.index("field-ssn"):page.index('id="id_ssn"')]
    assert "errorlist" in ssn_row and "Enter the SSN as 123-45-6789." in ssn_row
    assert "12-3456" not in page
    employee.refresh_from_db()
    assert employee.ssn_encrypted == ""


def test_an_empty_ssn_keeps_the_stored_one_and_clear_removes_it(data, staff_client):
    person = data.with_ssn
    assert staff_client.post(url(Employee, "change", person.pk),
                             employee_post(person, title="AR Lead")).status_code == 302
    person.refresh_from_db()
    assert person.ssn == SSN and person.title == "AR Lead"

    assert staff_client.post(url(Employee, "change", person.pk),
                             employee_post(person, ssn="clear")).status_code == 302
    person.refresh_from_db()
    assert person.ssn_encrypted == "" and person.ssn == ""
    assert MASKED not in html(staff_client.get(url(Employee, "change", person.pk)))


def test_the_history_of_an_employee_never_shows_the_ssn(data, staff_client):
    person = data.with_ssn
    staff_client.post(url(Employee, "change", person.pk),
                      employee_post(person, ssn="987-65-4321", title="AR Lead"))
    person.refresh_from_db()
    assert person.ssn == "987-65-4321"
    assert "ssn_encrypted" not in {f.name for f in Employee.history.model._meta.fields}

    history = html(staff_client.get(url(Employee, "history", person.pk)))
    assert "AR Lead" in history  # the page does list the changes
    for record in person.history.all():
        page = html(staff_client.get(url(Employee, "simple_history", person.pk,
                                         record.history_id)))
        assert_no_plaintext(page, person)
        assert "987-65-4321" not in page and "987654321" not in page
    assert_no_plaintext(history, person)
    assert "987-65-4321" not in history and "987654321" not in history


# Signed sheets and their goals -------------------------------------------------------------------


def sheet_post(sheet: GoalSheet, **changes) -> dict:
    values = {
        "employee": sheet.employee_id,
        "period": sheet.period_id,
        "employee_name": sheet.employee_name,
        "employee_number": sheet.employee_number,
        "title": sheet.title,
        "work_location": sheet.work_location,
        "supervisor_name": sheet.supervisor_name,
        "goals_completed_since_last": sheet.goals_completed_since_last,
        "estimated_total_time": sheet.estimated_total_time,
        "action_plans": sheet.action_plans,
        "milestones": sheet.milestones,
        "additional_comments": sheet.additional_comments,
        "goals-TOTAL_FORMS": "0",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "seen_version": sheet.version,
        "_save": "Save",
    }
    values.update(changes)
    return values


def goal_post(goal: Goal, **changes) -> dict:
    values = {
        "sheet": goal.sheet_id,
        "competency": goal.competency_id,
        "text": goal.text,
        "measure_kind": goal.measure_kind,
        "target": str(goal.target),
        "unit": goal.unit,
        "direction": goal.direction,
        "baseline": "" if goal.baseline is None else str(goal.baseline),
        "due_on": goal.due_on.isoformat(),
        "weight": goal.weight or "",
        "position": goal.position,
        "_save": "Save",
    }
    values.update(changes)
    return values


def snapshot(sheet: GoalSheet) -> tuple:
    fresh = GoalSheet.objects.get(pk=sheet.pk)
    goals = tuple(Goal.objects.filter(sheet=fresh).values_list("pk", "text", "target"))
    return fresh.version, fresh.action_plans, fresh.employee_name, fresh.locked_at, goals


def refused(response) -> bool:
    """Forbidden, or sent back with an error message: never a 500, never a success."""
    if response.status_code == 403:
        return True
    return response.status_code in (200, 302) and any(
        "signed" in m.lower() or "locked" in m.lower() for m in messages_of(response))


def test_a_signed_sheet_opens_read_only(data, staff_client):
    response = staff_client.get(url(GoalSheet, "change", data.signed.pk))

    assert response.status_code == 200
    page = html(response)
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    assert 'name="action_plans"' not in page
    assert 'name="goals-0-text"' not in page and 'name="goals-0-DELETE"' not in page
    assert data.signed.goals.first().text in page  # the goals are shown, read-only
    assert "Seen version" not in page
    assert url(GoalSheet, "delete", data.signed.pk) not in page


def test_a_forged_post_does_not_change_a_signed_sheet(data, staff_client):
    before = snapshot(data.signed)
    response = staff_client.post(url(GoalSheet, "change", data.signed.pk),
                                 sheet_post(data.signed, action_plans="Rewritten by admin."))
    assert refused(response)
    assert snapshot(data.signed) == before


def test_a_forged_history_revert_does_not_change_a_signed_sheet(data, staff_client):
    before = snapshot(data.signed)
    first = data.signed.history.earliest("history_date")  # from before it was signed
    assert first.locked_at is None
    revert = url(GoalSheet, "simple_history", data.signed.pk, first.history_id)

    page = html(staff_client.get(revert))
    assert 'name="_save"' not in page

    response = staff_client.post(revert, sheet_post(data.signed, action_plans="Reverted."))
    assert refused(response)
    assert snapshot(data.signed) == before


def test_a_signed_sheet_cannot_be_deleted(data, staff_client):
    delete = url(GoalSheet, "delete", data.signed.pk)
    assert staff_client.get(delete).status_code == 403
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert GoalSheet.objects.filter(pk=data.signed.pk).exists()


@pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
def test_bulk_delete_including_a_signed_sheet_is_refused(data, staff_client, confirmed):
    fresh = GoalSheetFactory(period=data.signed.period)  # deletable on its own
    post = {"action": "delete_selected", "index": "0",
            "_selected_action": [data.signed.pk, data.draft.pk, fresh.pk]}
    if confirmed:
        post["post"] = "yes"

    response = staff_client.post(url(GoalSheet, "changelist"), post, follow=True)

    assert response.status_code == 200
    assert any("signed" in m for m in messages_of(response))
    assert GoalSheet.objects.filter(pk__in=[data.signed.pk, data.draft.pk, fresh.pk]).count() == 3


def test_bulk_delete_of_unsigned_sheets_still_works(data, staff_client):
    fresh = GoalSheetFactory(period=data.signed.period)
    response = staff_client.post(url(GoalSheet, "changelist"), {
        "action": "delete_selected", "index": "0", "_selected_action": [fresh.pk], "post": "yes",
    }, follow=True)
    assert response.status_code == 200
    assert not GoalSheet.objects.filter(pk=fresh.pk).exists()


def test_an_admin_edit_of_a_drafting_sheet_bumps_its_version(data, staff_client):
    version = data.draft.version
    response = staff_client.post(url(GoalSheet, "change", data.draft.pk),
                                 sheet_post(data.draft, action_plans="Admin fixed a typo."))
    assert response.status_code == 302
    fresh = GoalSheet.objects.get(pk=data.draft.pk)
    assert fresh.action_plans == "Admin fixed a typo."
    assert fresh.version == version + 1


def test_an_admin_edit_on_top_of_a_newer_version_is_refused(data, staff_client):
    stale = data.draft.version
    GoalSheet.objects.filter(pk=data.draft.pk).update(version=stale + 1)  # someone saved

    response = staff_client.post(url(GoalSheet, "change", data.draft.pk),
                                 sheet_post(data.draft, action_plans="Overwrites theirs."))

    assert response.status_code == 200
    assert "changed meanwhile" in html(response)
    assert GoalSheet.objects.get(pk=data.draft.pk).action_plans != "Overwrites theirs."


def test_a_drafting_sheet_can_be_reverted_from_its_history(data, staff_client):
    first = data.draft.history.earliest("history_date")
    revert = url(GoalSheet, "simple_history", data.draft.pk, first.history_id)
    page = staff_client.get(revert)
    assert 'name="_save"' in html(page)
    seen = page.context["adminform"].form["seen_version"].value()
    assert seen == GoalSheet.objects.get(pk=data.draft.pk).version  # not the old copy's

    response = staff_client.post(revert, sheet_post(data.draft, action_plans="Reverted."))
    assert response.status_code == 302
    assert GoalSheet.objects.get(pk=data.draft.pk).action_plans == "Reverted."


def test_an_admin_edit_of_a_goal_bumps_its_sheets_version(data, staff_client):
    goal = data.draft.goals.order_by("position").first()
    version = data.draft.version

    response = staff_client.post(url(Goal, "change", goal.pk),
                                 goal_post(goal, target="45", text=goal.text + " (revised)"))

    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).target == Decimal("45")
    assert GoalSheet.objects.get(pk=data.draft.pk).version == version + 1


def test_the_model_has_the_last_word_and_the_admin_reports_it(data, staff_client, monkeypatch):
    """A sheet signed after the admin's own checks ran: the model raises SheetLocked, and the
    admin answers with a sentence, not a 500."""
    from goalsapp import admin as goals_admin

    monkeypatch.setattr(goals_admin, "sheet_is_locked", lambda sheet_id: False)
    monkeypatch.setattr(goals_admin.SheetLockAdmin, "is_locked", lambda self, obj: False)
    monkeypatch.setattr(goals_admin.SheetLockAdmin, "locked_rows",
                        lambda self, queryset: queryset.none())
    # Nor do protected signatures or read-only answers stand in the way of a delete.
    monkeypatch.setattr(goals_admin.SheetLockAdmin, "get_deleted_objects",
                        lambda self, objs, request: ([str(o) for o in objs], {}, set(), []))
    before = snapshot(data.signed)
    goal = data.signed.goals.first()
    entries = LogEntry.objects.count()

    attempts = [
        (url(GoalSheet, "change", data.signed.pk),
         sheet_post(data.signed, action_plans="Rewritten.")),
        (url(GoalSheet, "delete", data.signed.pk), {"post": "yes"}),
        (url(Goal, "change", goal.pk), goal_post(goal, text="Rewritten.")),
        (url(Goal, "delete", goal.pk), {"post": "yes"}),
        (url(Goal, "simple_history", goal.pk, goal.history.earliest("history_date").history_id),
         goal_post(goal, text="Reverted.")),
    ]
    for model, obj in ((GoalSheet, data.signed), (Goal, goal)):
        attempts.append((url(model, "changelist"), {
            "action": "delete_selected", "index": "0", "_selected_action": [obj.pk],
            "post": "yes"}))
    for path, post in attempts:
        response = staff_client.post(path, post, follow=True)
        assert response.status_code == 200, path
        assert any("signed and locked" in m for m in messages_of(response)) or (
            "signed and locked" in html(response)), path  # a message, or the form's error

    assert snapshot(data.signed) == before
    assert LogEntry.objects.count() == entries  # nothing logged as done that was not done


def test_a_period_rename_that_races_a_signature_is_reported(data, staff_client, monkeypatch):
    monkeypatch.setattr(ReviewPeriod, "clean", lambda self: None)  # the check passed, then...
    period = data.signed.period

    response = staff_client.post(url(ReviewPeriod, "change", period.pk),
                                 period_post(period, name="Renamed"), follow=True)

    assert response.status_code == 200
    assert any("can no longer change" in m for m in messages_of(response))
    assert ReviewPeriod.objects.get(pk=period.pk).name == period.name


def test_a_goal_of_a_signed_sheet_opens_read_only(data, staff_client):
    goal = data.signed.goals.first()
    response = staff_client.get(url(Goal, "change", goal.pk))
    assert response.status_code == 200
    page = html(response)
    assert 'name="_save"' not in page and 'name="text"' not in page


def test_a_forged_post_does_not_change_a_goal_of_a_signed_sheet(data, staff_client):
    goal = data.signed.goals.first()
    before = snapshot(data.signed)

    response = staff_client.post(url(Goal, "change", goal.pk), goal_post(goal, text="Rewritten."))
    assert refused(response)
    # Nor moved onto the drafting sheet, where it would look editable.
    response = staff_client.post(url(Goal, "change", goal.pk),
                                 goal_post(goal, sheet=data.draft.pk))
    assert refused(response)

    first = goal.history.earliest("history_date")
    response = staff_client.post(url(Goal, "simple_history", goal.pk, first.history_id),
                                 goal_post(goal, text="Reverted."))
    assert refused(response)
    assert snapshot(data.signed) == before


def test_a_goal_cannot_be_moved_or_added_onto_a_signed_sheet(data, staff_client):
    goal = data.draft.goals.order_by("position").last()
    before = snapshot(data.signed)

    moved = staff_client.post(url(Goal, "change", goal.pk), goal_post(goal, sheet=data.signed.pk))
    assert moved.status_code == 200
    assert "sheet" in moved.context["adminform"].form.errors
    assert Goal.objects.get(pk=goal.pk).sheet_id == data.draft.pk

    added = staff_client.post(url(Goal, "add"), goal_post(goal, sheet=data.signed.pk,
                                                          text="A goal slipped in."))
    assert added.status_code == 200
    assert "sheet" in added.context["adminform"].form.errors
    assert snapshot(data.signed) == before

    # The sheet field offers only sheets that can still change.
    choices = added.context["adminform"].form.fields["sheet"].queryset
    assert data.draft in choices and data.signed not in choices


def test_a_goal_of_a_signed_sheet_cannot_be_deleted(data, staff_client):
    goal = data.signed.goals.first()
    delete = url(Goal, "delete", goal.pk)
    assert staff_client.get(delete).status_code == 403
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
def test_bulk_delete_including_a_goal_of_a_signed_sheet_is_refused(data, staff_client,
                                                                   confirmed):
    ids = [data.signed.goals.first().pk, data.draft.goals.first().pk]
    post = {"action": "delete_selected", "index": "0", "_selected_action": ids}
    if confirmed:
        post["post"] = "yes"

    response = staff_client.post(url(Goal, "changelist"), post, follow=True)

    assert response.status_code == 200
    assert any("signed" in m for m in messages_of(response))
    assert Goal.objects.filter(pk__in=ids).count() == 2


# Review periods ----------------------------------------------------------------------------------


def period_post(period: ReviewPeriod, **changes) -> dict:
    values = {
        name: getattr(period, name).isoformat()
        for name in ("starts_on", "ends_on", "goals_due", "answers_due", "signatures_due",
                     "hr_review_due")
    }
    values.update(name=period.name, currency=period.currency,
                  is_open="on" if period.is_open else "", _save="Save")
    values.update(changes)
    return values


@pytest.mark.parametrize("change", [
    {"name": "2027 (renamed)"},
    {"ends_on": "2027-11-30"},
    {"starts_on": "2026-12-01"},
], ids=["name", "end", "start"])
def test_a_period_with_a_signed_sheet_keeps_its_name_and_dates(data, staff_client, change):
    period = data.signed.period
    response = staff_client.post(url(ReviewPeriod, "change", period.pk),
                                 period_post(period, **change))

    assert response.status_code == 200
    assert "can no longer change" in html(response)
    fresh = ReviewPeriod.objects.get(pk=period.pk)
    assert (fresh.name, fresh.starts_on, fresh.ends_on) == (
        period.name, period.starts_on, period.ends_on)


def test_a_period_with_a_signed_sheet_may_change_its_due_dates(data, staff_client):
    period = data.signed.period
    response = staff_client.post(url(ReviewPeriod, "change", period.pk),
                                 period_post(period, hr_review_due="2027-03-31", is_open=""))
    assert response.status_code == 302
    fresh = ReviewPeriod.objects.get(pk=period.pk)
    assert fresh.hr_review_due == datetime.date(2027, 3, 31) and not fresh.is_open


def test_a_period_without_signed_sheets_can_be_renamed(data, staff_client):
    period = ReviewPeriodFactory(name="2028")
    response = staff_client.post(url(ReviewPeriod, "change", period.pk),
                                 period_post(period, name="2028 (H1)"))
    assert response.status_code == 302
    assert ReviewPeriod.objects.get(pk=period.pk).name == "2028 (H1)"


def test_a_period_with_a_signed_sheet_cannot_be_deleted(data, staff_client):
    period = data.signed.period
    response = staff_client.post(url(ReviewPeriod, "delete", period.pk), {"post": "yes"})
    assert response.status_code in (200, 403)  # protected by its sheets
    assert ReviewPeriod.objects.filter(pk=period.pk).exists()


# The legal record --------------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "which"), [
    (GoalAnswer, "signed"), (GoalAnswer, "draft"), (SmartCheck, "signed"),
    (Signature, "signed"), (ReviewEvent, "signed"), (ReviewEvent, "draft"),
], ids=lambda v: v if isinstance(v, str) else v._meta.label)
def test_the_legal_record_is_read_only(model, which, data, staff_client):
    sheet = getattr(data, which)
    obj = {
        GoalAnswer: GoalAnswer.objects.filter(goal__sheet=sheet).first(),
        SmartCheck: SmartCheck.objects.filter(goal__sheet=sheet).first(),
        Signature: Signature.objects.filter(sheet=sheet).first(),
        ReviewEvent: ReviewEvent.objects.filter(sheet=sheet).first(),
    }[model]
    count = model.objects.count()
    before = model.objects.filter(pk=obj.pk).values().get()

    changelist = staff_client.get(url(model, "changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in html(changelist)
    assert url(model, "add") not in html(changelist)

    assert staff_client.get(url(model, "add")).status_code == 403
    assert staff_client.post(url(model, "add"), {"note": "x"}).status_code == 403

    page = staff_client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in html(page)
    assert staff_client.post(url(model, "change", obj.pk), {"note": "x", "comment": "x",
                                                            "typed_name": "x"}).status_code == 403

    assert staff_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert staff_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403

    bulk = staff_client.post(url(model, "changelist"), {
        "action": "delete_selected", "index": "0", "_selected_action": [obj.pk], "post": "yes"})
    assert bulk.status_code in (200, 302, 403)

    if isinstance(django_admin.site._registry[model], SimpleHistoryAdmin):
        record = obj.history.earliest("history_date")
        revert = url(model, "simple_history", obj.pk, record.history_id)
        assert 'name="_save"' not in html(staff_client.get(revert))
        assert staff_client.post(revert, {"comment": "x", "note": "x"}).status_code == 403

    assert model.objects.count() == count
    assert model.objects.filter(pk=obj.pk).values().get() == before

