"""The Django admin: every registered model lists, searches, filters and opens; SSNs stay
write-only and masked; sheets, goals, answers and SMART checks change only where the workflow
allows the same step, through its services, and say why not everywhere else; signed sheets and
the legal record cannot be changed."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
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
from goalsapp.sso.models import SsoIdentity
from reviews import services
from reviews.admin_sheets import SHEETS_STAY
from reviews.admin_workflow import LOCKED
from reviews.api.models import ApiToken
from reviews.api.tokens import token_create
from reviews.archive.exports import ExportFilters, export_job_create
from reviews.archive.models import ExportJob, SheetArchive
from reviews.archive.services import archive_get_or_create
from reviews.models import (
    ESignatureConsent,
    GoalAnswer,
    RecordCorrection,
    ReviewEvent,
    Signature,
    SmartCheck,
)
from reviews.notifications.models import (
    DigestDelivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from reviews.notifications.reminders import reminders_sweep
from reviews.workflow import TABLE, actions_for
from tests.admin_helpers import employee_post
from tests.factories import GoalFactory, GoalSheetFactory, ReviewPeriodFactory
from tests.workflow_helpers import STATE_ORDER

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
    ApiToken, SsoIdentity,
    ESignatureConsent, RecordCorrection,
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
    ApiToken: "anything",  # a handful of rows, no search box
    SsoIdentity: "emma",
    ESignatureConsent: "emma",
    RecordCorrection: "court",
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
    token_create(name="HRIS nightly", acts_as=admin, scopes=["read", "write_people"])
    SsoIdentity.objects.create(user=signed.employee.user, subject="idp-emma")
    # As the database's trigger writes one during a legal correction (reviews/migrations/0007).
    RecordCorrection.objects.create(
        at=timezone.now(), db_user="postgres", reason="Court order 2027-0113",
        table_name="reviews_signature", operation="UPDATE",
        row_before={"sheet_id": signed.pk, "typed_name": "Emma Elis"},
        row_after={"sheet_id": signed.pk, "typed_name": "Emma Ellis"})
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
        ApiToken: ApiToken.objects.get(name="HRIS nightly"),
        SsoIdentity: SsoIdentity.objects.first(),
        ESignatureConsent: ESignatureConsent.objects.filter(user__username="emma").first(),
        RecordCorrection: RecordCorrection.objects.first(),
    }[model]


# Every registered model --------------------------------------------------------------------------


def test_the_registry_holds_exactly_the_models_under_test():
    # django-axes registers its own (admins unlock a paused sign-in there); its tests are its own,
    # and tests/security/test_browser_defences.py unlocks through that page.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    axes_models = {AccessAttempt, AccessFailureLog, AccessLog}
    assert set(django_admin.site._registry) - axes_models == EXPECTED_MODELS
    assert axes_models <= set(django_admin.site._registry)


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

def sheet_post(sheet: GoalSheet, goals=(), **changes) -> dict:
    """The sheet's change page as posted; `goals` are the inline rows (see goal_rows)."""
    values = {
        "goals_completed_since_last": sheet.goals_completed_since_last,
        "estimated_total_time": sheet.estimated_total_time,
        "action_plans": sheet.action_plans,
        "milestones": sheet.milestones,
        "additional_comments": sheet.additional_comments,
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": str(len(goals)),
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "seen_version": sheet.version,
        "_save": "Save",
    }
    for index, row in enumerate(goals):
        values.update({f"goals-{index}-{name}": value for name, value in row.items()})
    values.update(changes)
    return values


def goal_fields(goal: Goal, **changes) -> dict:
    values = {
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
    }
    values.update(changes)
    return values


def goal_rows(sheet: GoalSheet, changes: dict[int, dict] | None = None) -> list[dict]:
    """Every goal of the sheet as an inline row; `changes` maps a row's index to new values."""
    changes = changes or {}
    return [{"id": goal.pk, "sheet": sheet.pk, **goal_fields(goal, **changes.get(index, {}))}
            for index, goal in enumerate(sheet.goals.order_by("position", "pk"))]


def goal_post(goal: Goal, **changes) -> dict:
    version = GoalSheet.objects.values_list("version", flat=True).get(pk=goal.sheet_id)
    return {**goal_fields(goal), "seen_version": version, "_save": "Save", **changes}


def snapshot(sheet: GoalSheet) -> tuple:
    """What a refused request must leave as it was: the sheet, its goals, answers, checks."""
    fresh = GoalSheet.objects.get(pk=sheet.pk)
    goals = tuple(Goal.objects.filter(sheet=fresh).order_by("pk").values_list(
        "pk", "text", "target", "position"))
    answers = tuple(GoalAnswer.objects.filter(goal__sheet=fresh).order_by("pk").values_list(
        "pk", "answer", "comment", "reply"))
    checks = tuple(SmartCheck.objects.filter(goal__sheet=fresh).order_by("pk").values_list(
        "pk", "specific", "note"))
    return (fresh.version, fresh.state, fresh.action_plans, fresh.employee_name, fresh.locked_at,
            goals, answers, checks)


def refused(response, reason: str = "") -> bool:
    """Forbidden, or sent back with the reason: never a 500, never a success. Pass follow=True."""
    if response.status_code == 403:
        return True
    said = messages_of(response)
    return response.status_code == 200 and any(
        m.startswith(("Nothing was changed", "Nothing was deleted")) and reason in m
        for m in said)


@pytest.fixture
def otto_client(data, other_supervisor):
    """Otto, Oliver's supervisor, with the admin's keys: he may do in the admin what he may do
    on the site, and no more."""
    return client_for(other_supervisor.user)


def client_for(user):
    user.is_staff = user.is_superuser = True
    user.save()
    browser = Client()
    browser.force_login(user)
    return browser


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
    assert LOCKED in page  # and the page says why


def test_a_forged_post_does_not_change_a_signed_sheet(data, staff_client):
    before = snapshot(data.signed)
    response = staff_client.post(url(GoalSheet, "change", data.signed.pk),
                                 sheet_post(data.signed, action_plans="Rewritten by admin."),
                                 follow=True)
    assert refused(response, LOCKED)
    assert snapshot(data.signed) == before


def test_a_forged_history_revert_does_not_change_a_signed_sheet(data, staff_client):
    before = snapshot(data.signed)
    first = data.signed.history.earliest("history_date")  # from before it was signed
    assert first.locked_at is None
    revert = url(GoalSheet, "simple_history", data.signed.pk, first.history_id)

    page = html(staff_client.get(revert))
    assert 'name="_save"' not in page and LOCKED in page

    response = staff_client.post(revert, sheet_post(data.signed, action_plans="Reverted."),
                                 follow=True)
    assert refused(response, LOCKED)
    assert snapshot(data.signed) == before


@pytest.mark.parametrize("which", ["signed", "draft"])
def test_no_sheet_is_deleted_in_the_admin(data, otto_client, which):
    """The workflow has no step that deletes a sheet, so the admin offers none, not even to
    the drafting sheet's own supervisor, and says so."""
    sheet = getattr(data, which)
    before = snapshot(sheet)
    assert url(GoalSheet, "delete", sheet.pk) not in html(
        otto_client.get(url(GoalSheet, "change", sheet.pk)))

    for response in (otto_client.get(url(GoalSheet, "delete", sheet.pk), follow=True),
                     otto_client.post(url(GoalSheet, "delete", sheet.pk), {"post": "yes"},
                                      follow=True)):
        assert refused(response, SHEETS_STAY)
    assert snapshot(sheet) == before


@pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
def test_bulk_delete_of_sheets_is_refused_with_the_reason(data, staff_client, confirmed):
    fresh = GoalSheetFactory(period=data.signed.period)
    changelist = staff_client.get(url(GoalSheet, "changelist"))
    assert "delete_selected" not in html(changelist)  # not offered
    post = {"action": "delete_selected", "index": "0",
            "_selected_action": [data.signed.pk, data.draft.pk, fresh.pk]}
    if confirmed:
        post["post"] = "yes"

    response = staff_client.post(url(GoalSheet, "changelist"), post, follow=True)

    assert refused(response, SHEETS_STAY)
    assert GoalSheet.objects.filter(pk__in=[data.signed.pk, data.draft.pk, fresh.pk]).count() == 3


# Drafting: only the employee's supervisor, through the editor's service ------------------------


NOT_A_PARTY = "Only the employee's supervisor may “edit goals” on this sheet."


def test_a_superuser_who_is_not_a_party_cannot_change_a_drafting_sheet(data, staff_client):
    draft, goal = data.draft, data.draft.goals.order_by("position").first()
    before = snapshot(draft)

    for page in (staff_client.get(url(GoalSheet, "change", draft.pk)),
                 staff_client.get(url(Goal, "change", goal.pk))):
        assert page.status_code == 200
        assert 'name="_save"' not in html(page) and 'name="goals-0-text"' not in html(page)
        assert escape(NOT_A_PARTY) in html(page)  # one sentence at the top says why
    assert url(Goal, "delete", goal.pk) not in html(staff_client.get(url(Goal, "change", goal.pk)))

    attempts = [
        (url(GoalSheet, "change", draft.pk),
         sheet_post(draft, goal_rows(draft, {0: {"text": "Rewritten by ada."}}),
                    action_plans="Rewritten by ada.")),
        (url(Goal, "change", goal.pk), goal_post(goal, text="Rewritten by ada.")),
        (url(Goal, "delete", goal.pk), {"post": "yes"}),
        (url(Goal, "changelist"), {"action": "delete_selected", "index": "0",
                                   "_selected_action": [goal.pk], "post": "yes"}),
        (url(GoalSheet, "simple_history", draft.pk,
             draft.history.earliest("history_date").history_id),
         sheet_post(draft, action_plans="Reverted by ada.")),
    ]
    for path, post in attempts:
        response = staff_client.post(path, post, follow=True)
        assert refused(response, NOT_A_PARTY), path
    assert snapshot(draft) == before
    assert not LogEntry.objects.exists()  # nothing logged as done


def test_the_sheets_supervisor_opens_the_draft_and_its_goals_for_editing(data, otto_client):
    page = html(otto_client.get(url(GoalSheet, "change", data.draft.pk)))
    assert 'name="_save"' in page
    assert 'name="goals-0-text"' in page and 'name="goals-0-reply"' in page
    assert 'name="employee_name"' not in page  # the header is the workflow's snapshot
    assert CLARIFY in page  # the employee's question beside the goal it is about
    assert escape(NOT_A_PARTY) not in page

    goal = data.draft.goals.first()
    assert 'name="_save"' in html(otto_client.get(url(Goal, "change", goal.pk)))


def test_the_employees_own_section_is_read_only_in_the_admin(data, otto_client):
    GoalSheet.objects.filter(pk=data.draft.pk).update(
        goals_completed_since_last="Cleared the 2026 backlog.")
    page = html(otto_client.get(url(GoalSheet, "change", data.draft.pk)))
    assert 'name="action_plans"' in page  # the supervisor's summary is editable
    assert 'name="goals_completed_since_last"' not in page  # the employee's to write
    assert 'name="employee_comments"' not in page
    assert "Cleared the 2026 backlog." in page  # shown, not editable


def history_counts(sheet: GoalSheet) -> tuple[int, int]:
    return (GoalSheet.history.filter(id=sheet.pk).count(),
            Goal.history.filter(sheet_id=sheet.pk).count())


def test_the_supervisor_edits_goals_in_the_admin_as_in_the_editor(data, otto_client):
    """Version +1 once, history rows named after him, the reply stored, no event: exactly what
    the same change through the goal editor writes."""
    draft, otto = data.draft, data.draft.employee.supervisor.user
    first = draft.goals.order_by("position").first()
    events, (sheet_rows, goal_rows_before) = draft.events.count(), history_counts(draft)

    response = otto_client.post(url(GoalSheet, "change", draft.pk), sheet_post(
        draft, goal_rows(draft, {0: {"target": "45", "reply": "Every account over 60 days.",
                                     "text": first.text + " (revised)"}}),
        action_plans="Weekly call blocks."))

    assert response.status_code == 302
    fresh = GoalSheet.objects.get(pk=draft.pk)
    assert fresh.version == draft.version + 1
    assert fresh.action_plans == "Weekly call blocks."
    goal = Goal.objects.get(pk=first.pk)
    assert (goal.target, goal.text) == (Decimal("45"), first.text + " (revised)")
    answer = GoalAnswer.objects.get(goal=goal, round=fresh.clarification_round)
    assert (answer.reply, answer.replied_by) == ("Every account over 60 days.", otto)
    admin_writes = (fresh.events.count() - events, history_counts(fresh)[0] - sheet_rows,
                    history_counts(fresh)[1] - goal_rows_before)
    assert goal.history.latest("history_date").history_user == otto
    assert fresh.history.latest("history_date").history_user == otto

    # The same kind of change through the goal editor writes the same rows.
    events, (sheet_rows, goal_rows_before) = fresh.events.count(), history_counts(fresh)
    editor = otto_client.post(reverse("sheet_edit", args=[fresh.pk]), editor_post(
        fresh, {0: {"target": "44", "text": first.text + " (again)"}}, action_plans="Daily."))
    assert editor.status_code == 302
    again = GoalSheet.objects.get(pk=draft.pk)
    assert again.version == fresh.version + 1
    assert admin_writes == (again.events.count() - events,
                            history_counts(again)[0] - sheet_rows,
                            history_counts(again)[1] - goal_rows_before) == (0, 1, 1)


def editor_post(sheet: GoalSheet, changes: dict[int, dict], **sheet_changes) -> dict:
    """The goal editor's form as posted, with the flagged goal's stored reply."""
    values = {"version": sheet.version, "goals-TOTAL_FORMS": sheet.goals.count(),
              "goals-INITIAL_FORMS": sheet.goals.count(), "goals-MIN_NUM_FORMS": 0,
              "goals-MAX_NUM_FORMS": 100,
              **{name: getattr(sheet, name) for name in (
                  "goals_completed_since_last", "estimated_total_time", "action_plans",
                  "milestones", "additional_comments")}, **sheet_changes}
    for index, row in enumerate(goal_rows(sheet, changes)):
        goal_id = row.pop("id")
        row.pop("sheet")
        row["ORDER"] = row.pop("position")
        reply = GoalAnswer.objects.filter(goal_id=goal_id, round=sheet.clarification_round)
        values.update({f"goals-{index}-{name}": value for name, value in {
            **row, "goal_id": goal_id, "reply": reply.values_list("reply", flat=True).first()
            or ""}.items()})
    return values


def test_a_flagged_goal_needs_a_reply_in_the_admin_as_in_the_editor(data, otto_client):
    draft = data.draft
    flagged = draft.goals.order_by("position").first()
    before = snapshot(draft)

    on_sheet = otto_client.post(url(GoalSheet, "change", draft.pk), sheet_post(
        draft, goal_rows(draft, {0: {"target": "45"}})))
    on_goal = otto_client.post(url(Goal, "change", flagged.pk), goal_post(flagged, target="45"))

    for response in (on_sheet, on_goal):
        assert response.status_code == 200
        assert "Reply to the employee&#x27;s request for clarification." in html(response)
    assert snapshot(draft) == before

    replied = otto_client.post(url(Goal, "change", flagged.pk), goal_post(
        flagged, target="45", reply="Accounts, not invoices."))
    assert replied.status_code == 302
    assert GoalSheet.objects.get(pk=draft.pk).version == draft.version + 1
    assert GoalAnswer.objects.get(goal=flagged, round=draft.clarification_round).reply == (
        "Accounts, not invoices.")


def test_the_supervisor_adds_and_removes_goals_on_the_sheet_page_in_one_save(data, otto_client):
    draft = data.draft
    flagged, kept = draft.goals.order_by("position")
    rows = goal_rows(draft)
    rows[0].update(DELETE="on")  # a flagged goal may go without a reply, as in the editor
    rows.append({**goal_fields(kept, text="Resolve 30 disputed invoices a month by June 2027.",
                               position=1), "id": "", "sheet": draft.pk})
    post = sheet_post(draft, rows)
    post["goals-INITIAL_FORMS"] = "2"

    response = otto_client.post(url(GoalSheet, "change", draft.pk), post)

    assert response.status_code == 302
    fresh = GoalSheet.objects.get(pk=draft.pk)
    assert fresh.version == draft.version + 1  # one save, however many goals moved
    assert list(fresh.goals.order_by("position").values_list("text", flat=True)) == [
        "Resolve 30 disputed invoices a month by June 2027.", kept.text]
    assert not Goal.objects.filter(pk=flagged.pk).exists()
    assert LogEntry.objects.get().get_change_message().startswith("Added goal")


def test_the_editors_rules_hold_on_a_goal_page(data, otto_client):
    """The editor's messages, next to their fields: a due date outside the period, weights
    that do not total 100."""
    goal = data.draft.goals.order_by("position").last()
    before = snapshot(data.draft)

    late = otto_client.post(url(Goal, "change", goal.pk), goal_post(goal, due_on="2031-01-01"))
    weighted = otto_client.post(url(Goal, "change", goal.pk), goal_post(goal, weight="60"))

    assert late.context["adminform"].form.errors.keys() == {"due_on"}
    assert weighted.context["adminform"].form.errors["weight"] == [
        "Give every goal a weight, or none of them."]
    assert snapshot(data.draft) == before


def test_an_admin_edit_on_top_of_a_newer_version_is_refused(data, otto_client):
    stale = data.draft.version
    GoalSheet.objects.filter(pk=data.draft.pk).update(version=stale + 1)  # someone saved

    response = otto_client.post(url(GoalSheet, "change", data.draft.pk),
                                sheet_post(data.draft, action_plans="Overwrites theirs."),
                                follow=True)

    assert refused(response, "changed meanwhile")
    assert GoalSheet.objects.get(pk=data.draft.pk).action_plans != "Overwrites theirs."


def test_a_drafting_sheet_can_be_reverted_from_its_history_by_its_supervisor(data, otto_client):
    first = data.draft.history.earliest("history_date")
    revert = url(GoalSheet, "simple_history", data.draft.pk, first.history_id)
    page = otto_client.get(revert)
    assert 'name="_save"' in html(page)
    seen = page.context["adminform"].form["seen_version"].value()
    assert seen == GoalSheet.objects.get(pk=data.draft.pk).version  # not the old copy's

    response = otto_client.post(revert, sheet_post(data.draft, action_plans="Reverted."))
    assert response.status_code == 302
    fresh = GoalSheet.objects.get(pk=data.draft.pk)
    assert (fresh.action_plans, fresh.version) == ("Reverted.", data.draft.version + 1)


def test_the_supervisor_removes_a_goal_through_the_editors_service(data, otto_client):
    draft = data.draft
    first, second = draft.goals.order_by("position")

    response = otto_client.post(url(Goal, "delete", first.pk), {"post": "yes"}, follow=True)

    assert response.status_code == 200
    assert list(draft.goals.values_list("pk", "position")) == [(second.pk, 1)]  # renumbered
    assert GoalSheet.objects.get(pk=draft.pk).version == draft.version + 1
    assert not GoalAnswer.objects.filter(goal_id=first.pk).exists()  # went with its goal
    removal = Goal.history.filter(id=first.pk).latest("history_date")
    assert (removal.history_type, removal.history_user) == ("-", draft.employee.supervisor.user)


@pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
def test_bulk_delete_including_a_goal_of_a_signed_sheet_is_refused(data, otto_client,
                                                                   confirmed):
    ids = [data.signed.goals.first().pk, data.draft.goals.first().pk]
    post = {"action": "delete_selected", "index": "0", "_selected_action": ids}
    if confirmed:
        post["post"] = "yes"

    response = otto_client.post(url(Goal, "changelist"), post, follow=True)

    assert response.status_code == 200
    assert any(m == f"Nothing was deleted: {LOCKED}" for m in messages_of(response))
    assert Goal.objects.filter(pk__in=ids).count() == 2


def test_bulk_delete_of_the_supervisors_own_draft_goals_works(data, otto_client):
    draft = data.draft
    goal = draft.goals.order_by("position").last()
    response = otto_client.post(url(Goal, "changelist"), {
        "action": "delete_selected", "index": "0", "_selected_action": [goal.pk], "post": "yes",
    }, follow=True)
    assert response.status_code == 200
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert GoalSheet.objects.get(pk=draft.pk).version == draft.version + 1


def test_the_model_has_the_last_word_and_the_admin_reports_it(data, staff_client, monkeypatch):
    """A sheet signed after the admin's and the service's checks ran: the model raises
    SheetLocked, and the admin answers with a sentence, not a 500."""
    from reviews import admin_workflow
    from reviews import services as review_services

    monkeypatch.setattr(admin_workflow, "workflow_refusal", lambda user, sheet, action: None)
    monkeypatch.setattr(review_services, "require", lambda user, sheet, action: None)
    before = snapshot(data.signed)
    goal = data.signed.goals.first()
    entries = LogEntry.objects.count()

    attempts = [
        (url(GoalSheet, "change", data.signed.pk),
         sheet_post(data.signed, action_plans="Rewritten.")),
        (url(Goal, "change", goal.pk), goal_post(goal, text="Rewritten.")),
        (url(Goal, "delete", goal.pk), {"post": "yes"}),
        (url(Goal, "simple_history", goal.pk, goal.history.earliest("history_date").history_id),
         goal_post(goal, text="Reverted.")),
        (url(Goal, "changelist"), {"action": "delete_selected", "index": "0",
                                   "_selected_action": [goal.pk], "post": "yes"}),
    ]
    for path, post in attempts:
        response = staff_client.post(path, post, follow=True)
        assert refused(response, LOCKED), path

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
    assert LOCKED in page


def test_a_forged_post_does_not_change_a_goal_of_a_signed_sheet(data, staff_client):
    goal = data.signed.goals.first()
    before = snapshot(data.signed)

    response = staff_client.post(url(Goal, "change", goal.pk), goal_post(goal, text="Rewritten."),
                                 follow=True)
    assert refused(response, LOCKED)

    first = goal.history.earliest("history_date")
    response = staff_client.post(url(Goal, "simple_history", goal.pk, first.history_id),
                                 goal_post(goal, text="Reverted."), follow=True)
    assert refused(response, LOCKED)
    assert snapshot(data.signed) == before


def test_a_goal_is_neither_moved_nor_added_in_the_admin(data, otto_client):
    """No step of the workflow moves a goal to another sheet; new goals are added on their
    sheet's page, where the editor's rules apply."""
    goal = data.draft.goals.order_by("position").last()
    before = snapshot(data.signed)

    moved = otto_client.post(url(Goal, "change", goal.pk),
                             goal_post(goal, sheet=data.signed.pk, reply="x"))
    assert moved.status_code == 302
    assert Goal.objects.get(pk=goal.pk).sheet_id == data.draft.pk  # the sheet is read-only

    assert otto_client.get(url(Goal, "add")).status_code == 403
    assert otto_client.post(url(Goal, "add"), goal_post(goal, sheet=data.signed.pk,
                                                        text="A goal slipped in.")
                            ).status_code == 403
    assert snapshot(data.signed) == before


def test_a_goal_of_a_signed_sheet_cannot_be_deleted(data, staff_client):
    goal = data.signed.goals.first()
    delete = url(Goal, "delete", goal.pk)
    assert refused(staff_client.get(delete, follow=True), LOCKED)
    assert refused(staff_client.post(delete, {"post": "yes"}, follow=True), LOCKED)
    assert Goal.objects.filter(pk=goal.pk).exists()


# The summary, answers and SMART checks -----------------------------------------------------------


@pytest.fixture
def returned_then_summarising(sheet, advance, hr):
    """Emma's sheet signed by Sam and Emma, returned by HR (both signatures voided), and back
    in supervisor_signature after a second round."""
    advance(sheet, SheetState.HR_REVIEW)
    services.sheet_return_to_supervisor(sheet_id=sheet.pk, actor=hr.user,
                                        version=GoalSheet.objects.get(pk=sheet.pk).version,
                                        note="Make the DSO goal quarterly.")
    return advance(sheet, SheetState.SUPERVISOR_SIGNATURE)


def signatures_of(sheet):
    return list(Signature.objects.filter(sheet=sheet).order_by("pk").values_list(
        "pk", "voided_at", "void_reason"))


def test_the_summary_in_the_admin_is_the_summary_page(returned_then_summarising, supervisor):
    sheet = returned_then_summarising
    sam = client_for(supervisor.user)
    page = html(sam.get(url(GoalSheet, "change", sheet.pk)))
    assert 'name="action_plans"' in page
    assert 'name="goals_completed_since_last"' not in page  # part of the draft, not now
    assert 'name="goals-0-text"' not in page  # goals change while drafting only
    signatures, events = signatures_of(sheet), sheet.events.count()
    sheet_rows = GoalSheet.history.filter(id=sheet.pk).count()

    missing = sam.post(url(GoalSheet, "change", sheet.pk), sheet_post(sheet, milestones=""))
    assert missing.context["adminform"].form.errors.keys() == {"milestones"}  # as on the page

    response = sam.post(url(GoalSheet, "change", sheet.pk),
                        sheet_post(sheet, action_plans="Quarterly call blocks."))
    assert response.status_code == 302
    fresh = GoalSheet.objects.get(pk=sheet.pk)
    assert (fresh.action_plans, fresh.version) == ("Quarterly call blocks.", sheet.version + 1)
    assert fresh.state == SheetState.SUPERVISOR_SIGNATURE
    assert signatures_of(fresh) == signatures  # the voided ones keep their reason and time
    admin_writes = (fresh.events.count() - events,
                    GoalSheet.history.filter(id=sheet.pk).count() - sheet_rows)

    events, sheet_rows = fresh.events.count(), GoalSheet.history.filter(id=sheet.pk).count()
    on_page = sam.post(reverse("sheet_summary", args=[sheet.pk]), {
        "version": fresh.version, "estimated_total_time": fresh.estimated_total_time,
        "action_plans": "Monthly call blocks.", "milestones": fresh.milestones,
        "additional_comments": fresh.additional_comments})
    assert on_page.status_code == 302
    again = GoalSheet.objects.get(pk=sheet.pk)
    assert again.version == fresh.version + 1 and signatures_of(again) == signatures
    assert admin_writes == (again.events.count() - events,
                            GoalSheet.history.filter(id=sheet.pk).count() - sheet_rows) == (0, 1)


def test_the_employee_answers_in_the_admin_through_the_answer_service(sheet, advance, employee,
                                                                      supervisor):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    goal = sheet.goals.order_by("position").first()
    answer = services.goal_answer(goal_id=goal.pk, actor=employee.user,
                                  answer=GoalAnswer.Answer.OKAY, comment="")
    emma, sam = client_for(employee.user), client_for(supervisor.user)
    post = {"answer": GoalAnswer.Answer.NEEDS_CLARIFICATION, "comment": "", "_save": "Save"}

    refused_for_sam = sam.post(url(GoalAnswer, "change", answer.pk), post, follow=True)
    assert refused(refused_for_sam, "Only the employee may “answer goals” on this sheet.")

    missing = emma.post(url(GoalAnswer, "change", answer.pk), post)
    assert missing.context["adminform"].form.errors["comment"] == [
        "Say what needs clarification."]  # the answers page's words
    version = GoalSheet.objects.get(pk=sheet.pk).version
    saved = emma.post(url(GoalAnswer, "change", answer.pk), {**post, "comment": "Which DSO?"})
    assert saved.status_code == 302
    answer.refresh_from_db()
    assert (answer.answer, answer.comment) == (GoalAnswer.Answer.NEEDS_CLARIFICATION,
                                               "Which DSO?")
    assert GoalSheet.objects.get(pk=sheet.pk).version == version + 1  # as goal_answer moves it


def test_hr_checks_a_goal_in_the_admin_through_the_smart_service(sheet, advance, hr, admin):
    advance(sheet, SheetState.HR_REVIEW)
    goal = sheet.goals.order_by("position").first()
    check = services.goal_smart_check(goal_id=goal.pk, actor=hr.user,
                                      verdicts=dict.fromkeys(SmartCheck.CRITERIA, True), note="")
    hana = client_for(hr.user)
    failing = {"specific": "on", "measurable": "on", "achievable": "on", "relevant": "on",
               "note": "", "_save": "Save"}

    missing = hana.post(url(SmartCheck, "change", check.pk), failing)
    assert missing.context["adminform"].form.errors["note"] == [
        "Say why the goal is not Time-bound."]
    saved = hana.post(url(SmartCheck, "change", check.pk), {**failing, "note": "No date."})
    assert saved.status_code == 302
    check.refresh_from_db()
    assert (check.time_bound, check.note, check.checked_by) == (False, "No date.", hr.user)

    ada = client_for(admin)
    page = html(ada.get(url(SmartCheck, "change", check.pk)))
    assert 'name="_save"' not in page
    assert "Only Human Resources may “smart review” on this sheet." in page


# No 500, in any state, for anyone -----------------------------------------------------------------


PERSONAS = ("admin", "supervisor", "employee", "hr")
ADMIN_STEP_ACTOR = {SheetState.DRAFTING: "supervisor", SheetState.EMPLOYEE_REVIEW: "employee",
                    SheetState.SUPERVISOR_SIGNATURE: "supervisor", SheetState.HR_REVIEW: "hr"}
STEP_OF = {GoalSheet: None, Goal: "edit_goals", GoalAnswer: "answer_goal",
           SmartCheck: "smart_check"}


@pytest.mark.parametrize("state", STATE_ORDER, ids=str)
def test_no_post_to_these_pages_answers_500_in_any_state(state, sheet, advance, admin,
                                                         supervisor, employee, hr):
    """Every persona (all with the admin's keys) posts to every page of a sheet in each state:
    refused ones change nothing, and nobody ever sees a server error."""
    if state == SheetState.DRAFTING:  # after a clarification round: answers to post to
        advance(sheet, SheetState.EMPLOYEE_REVIEW)
        flagged, okay = sheet.goals.order_by("position")
        services.goal_answer(goal_id=flagged.pk, actor=employee.user,
                             answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, comment=CLARIFY)
        services.goal_answer(goal_id=okay.pk, actor=employee.user,
                             answer=GoalAnswer.Answer.OKAY, comment="")
        services.sheet_submit_answers(sheet_id=sheet.pk, actor=employee.user,
                                      version=GoalSheet.objects.get(pk=sheet.pk).version)
    advance(sheet, state)
    if state == SheetState.EMPLOYEE_REVIEW:
        services.goal_answer(goal_id=sheet.goals.order_by("position").first().pk,
                             actor=employee.user, answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
                             comment=CLARIFY)
    if state == SheetState.HR_REVIEW:
        services.goal_smart_check(goal_id=sheet.goals.order_by("position").first().pk,
                                  actor=hr.user, note="No date.",
                                  verdicts={**dict.fromkeys(SmartCheck.CRITERIA, True),
                                            "time_bound": False})
    users = {"admin": admin, "supervisor": supervisor.user, "employee": employee.user,
             "hr": hr.user}
    changed_by = set()
    for persona in PERSONAS:
        user = users[persona]
        browser = client_for(user)
        for path, post, model in posts_for(GoalSheet.objects.get(pk=sheet.pk)):
            fresh = GoalSheet.objects.get(pk=sheet.pk)
            step = STEP_OF[model] or next(
                (a.name for a in TABLE if a.name in ("edit_goals", "edit_summary")
                 and a.source == fresh.state), "edit_goals")
            may = not fresh.is_signed and step in {a.name for a in actions_for(user, fresh)}
            before = snapshot(fresh)
            response = browser.post(path, post, follow=True)
            assert response.status_code in (200, 403), (state, persona, path)
            if not may:
                assert snapshot(fresh) == before, (state, persona, path)
            elif snapshot(fresh) != before:
                changed_by.add(persona)
    # Whoever the workflow lets work on the sheet in this state did so through the admin.
    assert changed_by == {ADMIN_STEP_ACTOR.get(state)} - {None}


def posts_for(sheet: GoalSheet):
    goal = sheet.goals.order_by("position").first()
    answer = GoalAnswer.objects.filter(goal__sheet=sheet).order_by("-round").first()
    check = SmartCheck.objects.filter(goal__sheet=sheet).first()
    first = sheet.history.earliest("history_date").history_id
    yield (url(GoalSheet, "change", sheet.pk),
           sheet_post(sheet, goal_rows(sheet, {0: {"reply": "Accounts."}}),
                      action_plans="Changed.", estimated_total_time="Six months.",
                      milestones="Q2."), GoalSheet)
    yield url(GoalSheet, "simple_history", sheet.pk, first), sheet_post(sheet), GoalSheet
    yield url(GoalSheet, "delete", sheet.pk), {"post": "yes"}, GoalSheet
    yield (url(GoalSheet, "changelist"), {"action": "delete_selected", "index": "0",
                                          "_selected_action": [sheet.pk], "post": "yes"},
           GoalSheet)
    yield url(Goal, "change", goal.pk), goal_post(goal, target="41", reply="Accounts."), Goal
    yield (url(Goal, "simple_history", goal.pk, goal.history.earliest("history_date").history_id),
           goal_post(goal, reply="Accounts."), Goal)
    yield url(Goal, "add"), goal_post(goal, sheet=sheet.pk), Goal
    if answer is not None:
        yield (url(GoalAnswer, "change", answer.pk),
               {"answer": GoalAnswer.Answer.OKAY, "comment": "", "_save": "Save"}, GoalAnswer)
    if check is not None:
        yield (url(SmartCheck, "change", check.pk),
               {**dict.fromkeys(SmartCheck.CRITERIA, "on"), "note": "", "_save": "Save"},
               SmartCheck)
    # Deleting last: a goal removed by whoever may is gone for the other personas.
    yield (url(Goal, "changelist"), {"action": "delete_selected", "index": "0",
                                     "_selected_action": [goal.pk], "post": "yes"}, Goal)
    yield url(Goal, "delete", goal.pk), {"post": "yes"}, Goal


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
    # Answers and SMART checks say why (ada holds no role on the sheet); the rest answer 403.
    assert refused(staff_client.post(url(model, "change", obj.pk), {
        "note": "x", "comment": "x", "typed_name": "x"}, follow=True))

    assert staff_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert staff_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403

    bulk = staff_client.post(url(model, "changelist"), {
        "action": "delete_selected", "index": "0", "_selected_action": [obj.pk], "post": "yes"})
    assert bulk.status_code in (200, 302, 403)

    if isinstance(django_admin.site._registry[model], SimpleHistoryAdmin):
        record = obj.history.earliest("history_date")
        revert = url(model, "simple_history", obj.pk, record.history_id)
        assert 'name="_save"' not in html(staff_client.get(revert))
        assert refused(staff_client.post(revert, {"comment": "x", "note": "x"}, follow=True))

    assert model.objects.count() == count
    assert model.objects.filter(pk=obj.pk).values().get() == before

