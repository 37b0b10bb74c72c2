"""Who may open what: a matrix over every URL of reviews/urls.py and every persona.

A sheet you may not see answers 404, the very page a sheet that does not exist gets, so nothing
leaks; an action your role may not take answers 403 with a sentence saying why; anonymous
visitors are sent to log in. Each sheet URL is tried with the sheet in the state where its action
is allowed, so a 403 is about the role, never the state.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from goalsapp import urls as goalsapp_urls
from goalsapp.access import HR_GROUP
from goalsapp.models import GoalSheet, SheetState
from reviews import services
from reviews import urls as review_urls
from reviews.models import GoalAnswer, ReviewEvent, SmartCheck
from reviews.notifications import urls as notification_urls
from reviews.workflow import TABLE
from tests.amendment_helpers import AMENDMENT_URLS
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory, ReviewPeriodFactory
from tests.page_helpers import (
    HTMX,
    alerts,
    by_testid,
    complete_summary,
    field_error,
    fresh,
    live_signatures,
    login,
    sheet_links,
)
from tests.permission_helpers import (
    CALIBRATION_URL_NAMES,
    CLOSING_URL_NAMES,
    HR_NOTIFICATION_URLS,
    LOGIN,
    NOTIFICATION_URLS,
    PERSONAS,
    page_without_csrf,
    sign_in,
)
from tests.workflow_helpers import ALL_PASS, SUMMARY, typed_name_of

pytestmark = pytest.mark.django_db

S = SheetState
REASON = {  # the start of the 403 sentence, by the persona whose role may act
    "supervisor": "Only the employee's supervisor may",
    "employee": "Only the employee may",
    "hr": "Only Human Resources may",
}
@dataclass(frozen=True)
class SheetUrl:
    """A URL about Emma's sheet, the state in which its action is allowed, and who may take it
    (`actor` None: a page everyone who may see the sheet may read)."""

    name: str
    method: str
    state: SheetState
    actor: str | None
    action: str | None = None  # the transition, for sheet_transition
    per_goal: bool = False

    def __str__(self):
        return f"{self.method.upper()} {self.action or self.name} in {self.state}"

    def path(self, sheet_pk, goal_pk) -> str:
        args = [sheet_pk, self.action] if self.action else [sheet_pk]
        return reverse(self.name, args=[*args, goal_pk] if self.per_goal else args)


TRANSITIONS = (  # action, the state it starts from, who takes it
    ("send_to_employee", S.DRAFTING, "supervisor"),
    ("submit_answers", S.EMPLOYEE_REVIEW, "employee"),
    ("sign_supervisor", S.SUPERVISOR_SIGNATURE, "supervisor"),
    ("reopen", S.SUPERVISOR_SIGNATURE, "supervisor"),
    ("sign_employee", S.EMPLOYEE_SIGNATURE, "employee"),
    ("return_to_supervisor", S.HR_REVIEW, "hr"),
    ("sign_hr", S.HR_REVIEW, "hr"),
)

SHEET_URLS = (
    SheetUrl("sheet_detail", "get", S.DRAFTING, None),
    SheetUrl("sheet_detail", "get", S.SIGNED, None),
    *(
        SheetUrl("sheet_transition", method, state, actor, action)
        for action, state, actor in TRANSITIONS
        for method in ("get", "post")
    ),
    SheetUrl("sheet_edit", "get", S.DRAFTING, "supervisor"),
    SheetUrl("sheet_edit", "post", S.DRAFTING, "supervisor"),
    SheetUrl("goal_row", "get", S.DRAFTING, "supervisor"),
    SheetUrl("goal_library", "get", S.DRAFTING, "supervisor"),
    SheetUrl("goal_hints", "get", S.DRAFTING, "supervisor"),
    SheetUrl("sheet_summary", "get", S.SUPERVISOR_SIGNATURE, "supervisor"),
    SheetUrl("sheet_summary", "post", S.SUPERVISOR_SIGNATURE, "supervisor"),
    SheetUrl("sheet_answers", "get", S.EMPLOYEE_REVIEW, "employee"),
    SheetUrl("goal_answer", "post", S.EMPLOYEE_REVIEW, "employee", per_goal=True),
    SheetUrl("sheet_smart", "get", S.HR_REVIEW, "hr"),
    SheetUrl("goal_smart", "post", S.HR_REVIEW, "hr", per_goal=True),
)

# workflow_overview is a dashboard: its persona matrix is in tests/goalsapp/test_dashboards.py.
LIST_URLS = ("inbox", "sheet_list", "team", "sheet_start", "hr_queue", "workflow_overview",
             "esign_consent")
# Goal sets belong to no sheet: their matrix is in tests/reviews/test_goal_sets.py.
GOAL_SET_URLS = ("goal_set_list", "goal_set_new", "goal_set_edit", "goal_set_apply",
                 "goal_set_item_row", "goal_set_library")


@pytest.fixture
def people(employee, supervisor, manager, other_supervisor, other_employee, hr, admin):
    return {
        "anonymous": None,
        "employee": employee,
        "supervisor": supervisor,
        "manager": manager,
        "other_supervisor": other_supervisor,
        "other_employee": other_employee,
        "hr": hr,
        "admin": admin,
    }


def user_of(person):
    return getattr(person, "user", person)


def sheet_ready_for(sheet, state, advance, hr) -> GoalSheet:
    """Emma's sheet in `state`, with everything its action needs besides the role: every goal
    answered before she submits, the summary written before the supervisor signs, every goal
    passing SMART before HR signs."""
    advance(sheet, state)
    if state == S.EMPLOYEE_REVIEW:
        for goal in sheet.goals.all():
            services.goal_answer(
                goal_id=goal.pk,
                actor=sheet.employee.user,
                answer=GoalAnswer.Answer.OKAY,
                comment="",
            )
    if state == S.SUPERVISOR_SIGNATURE:
        complete_summary(sheet)
    if state == S.HR_REVIEW:
        for goal in sheet.goals.all():
            services.goal_smart_check(goal_id=goal.pk, actor=hr.user, verdicts=ALL_PASS, note="")
    return fresh(sheet)


def form_data(url: SheetUrl, sheet, goal, person) -> dict:
    """What the page's form would post if the actor filled it in properly."""
    if url.name == "sheet_transition":
        return {
            "version": sheet.version,
            "note": "Please look at goal 2 again.",
            "typed_name": typed_name_of(user_of(person)) if person else "",
            "acknowledged": "on",
        }
    if url.name == "sheet_edit":
        return {
            "version": sheet.version,
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
            "save": "",
            "action_plans": "Weekly call blocks for the 90+ day bucket.",
        }
    if url.name == "sheet_summary":
        return {"version": sheet.version, **SUMMARY, "additional_comments": "Agreed by phone."}
    if url.name == "goal_answer":
        return {f"goal-{goal.pk}-answer": "okay"}
    if url.name == "goal_smart":
        return {f"goal-{goal.pk}-{name}": "on" for name in SmartCheck.CRITERIA}
    return {}


def footprint(sheet) -> tuple:
    """Everything a request could have changed about a sheet."""
    current = fresh(sheet)
    return (
        current.state,
        current.version,
        ReviewEvent.objects.filter(sheet=sheet).count(),
        sorted(GoalAnswer.objects.filter(goal__sheet=sheet).values_list("answered_at", flat=True)),
        sorted(SmartCheck.objects.filter(goal__sheet=sheet).values_list("checked_at", flat=True)),
        live_signatures(sheet).count(),
    )


def request_url(client, url: SheetUrl, sheet_pk, goal_pk, data):
    path = url.path(sheet_pk, goal_pk)
    return client.post(path, data) if url.method == "post" else client.get(path)


# The matrix over Emma's sheet -------------------------------------------------------------------


@pytest.mark.parametrize("url", SHEET_URLS, ids=str)
@pytest.mark.parametrize("persona", PERSONAS)
def test_sheet_url_permissions(client, people, sheet, advance, hr, url, persona):
    sheet = sheet_ready_for(sheet, url.state, advance, hr)
    goal = sheet.goals.order_by("position").first()
    person = people[persona]
    sign_in(client, person)
    data = form_data(url, sheet, goal, person)
    before = footprint(sheet)

    response = request_url(client, url, sheet.pk, goal.pk, data)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(f"{LOGIN}?next=")
        assert footprint(sheet) == before
    elif persona in ("other_employee", "other_supervisor"):
        # Not in their line: the same answer as for a sheet that does not exist.
        missing = request_url(client, url, sheet.pk + 10_000, goal.pk + 10_000, data)
        assert response.status_code == missing.status_code == 404
        assert page_without_csrf(response.content) == page_without_csrf(missing.content)
        assert b"Emma" not in response.content and b"Ellis" not in response.content
        assert footprint(sheet) == before
    elif url.actor is None:
        assert response.status_code == 200
        assert by_testid(response, "employee-name") == "Emma Ellis"
    elif persona == url.actor:
        assert response.status_code == (302 if url.method == "post" else 200), alerts(response)
        if url.method == "post":
            assert not response.url.startswith(LOGIN)
            assert footprint(sheet) != before
    else:
        assert response.status_code == 403
        reason = by_testid(response, "forbidden-reason")
        assert reason.startswith(REASON[url.actor]), reason
        assert reason.endswith("on this sheet.")
        assert footprint(sheet) == before


def test_the_matrix_covers_every_url_and_every_transition():
    covered = (
        {url.name for url in SHEET_URLS}
        | set(LIST_URLS) | set(GOAL_SET_URLS) | set(NOTIFICATION_URLS)
        | set(HR_NOTIFICATION_URLS) | set(AMENDMENT_URLS) | set(CLOSING_URL_NAMES)
        | set(CALIBRATION_URL_NAMES)
    )
    # Every workflow page, every notifications page, and keeping goal sets (in goalsapp).
    assert covered == (
        {pattern.name for pattern in review_urls.urlpatterns}
        | {pattern.name for pattern in notification_urls.urlpatterns}
        | {p.name for p in goalsapp_urls.urlpatterns if p.name.startswith("goal_set")})
    # The goals' transitions here; the closing review's in test_closing_permissions.py.
    goals_transitions = [a for a in TABLE if a.is_transition and a.source in S.values]
    assert {action for action, _, _ in TRANSITIONS} == {a.name for a in goals_transitions}
    # The one action that is no transition of its sheet has its own matrix.
    assert {a.name for a in TABLE if a.new_version_in} == {"amend"}
    assert {(a, s, actor) for a, s, actor in TRANSITIONS} == {
        (a.name, a.source, str(a.actor)) for a in goals_transitions
    }


# Goals of another sheet -------------------------------------------------------------------------


@pytest.fixture
def foreign_goals(employee, other_employee):
    """A goal on Oliver's sheet (Emma cannot see it) and one on Emma's own 2026 sheet."""
    last_year = ReviewPeriodFactory(name="2026")
    return {
        "oliver": GoalFactory(sheet=GoalSheetFactory(employee=other_employee)),
        "emma_2026": GoalFactory(sheet=GoalSheetFactory(employee=employee, period=last_year)),
    }


@pytest.mark.parametrize("whose", ["oliver", "emma_2026"])
@pytest.mark.parametrize(
    "url_name, state, persona",
    [
        ("goal_answer", S.EMPLOYEE_REVIEW, "employee"),
        ("goal_smart", S.HR_REVIEW, "hr"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_goal_from_another_sheet_answers_404(
    client, people, sheet, advance, hr, foreign_goals, whose, url_name, state, persona, htmx
):
    advance(sheet, state)
    foreign = foreign_goals[whose]
    login(client, people[persona])
    data = {
        f"goal-{foreign.pk}-answer": "okay",
        **{f"goal-{foreign.pk}-{name}": "on" for name in SmartCheck.CRITERIA},
    }

    response = client.post(
        reverse(url_name, args=[sheet.pk, foreign.pk]), data, **(HTMX if htmx else {})
    )

    assert response.status_code == 404
    assert not GoalAnswer.objects.filter(goal=foreign).exists()
    assert not SmartCheck.objects.filter(goal=foreign).exists()


# HR and their own sheet -------------------------------------------------------------------------


@pytest.fixture
def hana_sheet(hr, manager, period, advance):
    """Hana (HR) reports to Maria; her own sheet waits for HR review by another HR member."""
    hr.supervisor = manager
    hr.save(update_fields=["supervisor"])
    own = GoalSheetFactory(employee=hr, period=period)
    GoalFactory(sheet=own)
    harriet = EmployeeFactory(full_name="Harriet Hart", user__username="harriet")
    harriet.user.groups.add(Group.objects.get(name=HR_GROUP))
    advance(own, S.HR_REVIEW, hr_user=harriet.user)
    return own, harriet


@pytest.mark.parametrize(
    "name, action",
    [
        ("sheet_smart", None),
        ("goal_smart", None),
        ("sheet_transition", "sign_hr"),
        ("sheet_transition", "return_to_supervisor"),
    ],
)
def test_hr_can_never_review_their_own_sheet(client, hr, hana_sheet, name, action):
    own, harriet = hana_sheet
    goal = own.goals.get()
    args = {
        "sheet_smart": [own.pk],
        "goal_smart": [own.pk, goal.pk],
        "sheet_transition": [own.pk, action],
    }[name]
    data = {
        **{f"goal-{goal.pk}-{c}": "on" for c in SmartCheck.CRITERIA},
        "version": fresh(own).version,
        "typed_name": "Hana Hughes",
        "note": "Looks fine to me.",
    }
    login(client, hr)
    before = footprint(own)

    seen = client.get(reverse(name, args=args)) if name != "goal_smart" else None
    posted = client.post(reverse(name, args=args), data)

    for response in filter(None, (seen, posted)):
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason").startswith("Only Human Resources may")
    assert footprint(own) == before
    # Another HR member may review it.
    login(client, harriet)
    assert client.get(reverse(name, args=args)).status_code == (
        405 if name == "goal_smart" else 200
    )


def test_hr_reads_their_own_sheet_but_it_is_not_in_their_inbox(client, hr, hana_sheet):
    own, harriet = hana_sheet
    login(client, hr)

    assert client.get(reverse("sheet_detail", args=[own.pk])).status_code == 200
    assert own.pk not in sheet_links(client.get(reverse("inbox")))
    login(client, harriet)
    assert own.pk in sheet_links(client.get(reverse("inbox")))


# The list pages ---------------------------------------------------------------------------------

SUPERVISORS = ("supervisor", "manager", "other_supervisor")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ["inbox", "sheet_list", "esign_consent"])
def test_everyone_signed_in_has_an_inbox_and_a_sheet_list(client, people, url_name, persona):
    sign_in(client, people[persona])

    response = client.get(reverse(url_name))

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_team_page_is_for_supervisors(client, people, persona):
    sign_in(client, people[persona])

    response = client.get(reverse("team"))

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona in SUPERVISORS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "This page is for supervisors: you have no direct reports."
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_hr_queue_is_for_hr(client, people, persona):
    sign_in(client, people[persona])

    response = client.get(reverse("hr_queue"))

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona == "hr":
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "The HR review queue is for members of Human Resources."
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_starting_emmas_sheet_is_for_her_supervisor_only(client, people, employee, persona):
    next_year = ReviewPeriodFactory(name="2028")
    sign_in(client, people[persona])

    response = client.post(
        reverse("sheet_start"), {"employee": employee.pk, "period": next_year.pk}
    )

    started = GoalSheet.objects.filter(employee=employee, period=next_year)
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona == "supervisor":
        assert response.status_code == 302
        assert response.url == reverse("sheet_edit", args=[started.get().pk])
    elif persona in SUPERVISORS:
        # Emma is not their direct report: offered no such choice, whether they can see her
        # (Maria) or not (Otto); the error is the same as for an id that does not exist.
        assert response.status_code == 200
        assert field_error(response, "id_employee").startswith("Select a valid choice.")
        assert b"Emma Ellis" not in response.content
    else:
        # The POST answers like GET /team/ does: 403 for someone with no direct reports.
        assert response.status_code == 403
        assert "supervisor" in by_testid(response, "forbidden-reason")
    if persona != "supervisor":
        assert not started.exists()


def test_starting_a_sheet_needs_a_post(client, supervisor):
    login(client, supervisor)

    assert client.get(reverse("sheet_start")).status_code == 405
