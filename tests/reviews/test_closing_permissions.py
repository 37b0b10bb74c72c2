"""Who may open what among the closing review's URLs, persona by persona and state by state, in
the style of test_permissions.py: a sheet you may not see answers 404 exactly like one that does
not exist; an action your role may not take answers 403 with a sentence saying why; nothing
changes unless the request was allowed."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from goalsapp.models import SheetState
from reviews import closing, services
from reviews.closing_models import ClosingReview, RatingScale
from reviews.closing_states import ClosingState
from reviews.models import ReviewEvent
from reviews.workflow import TABLE
from tests.closing_helpers import advance_closing, middle_level, open_closing
from tests.factories import ReviewPeriodFactory
from tests.page_helpers import alerts, by_testid
from tests.permission_helpers import (
    CLOSING_URL_NAMES,
    LOGIN,
    PERSONAS,
    page_without_csrf,
    sign_in,
)
from tests.workflow_helpers import typed_name_of

pytestmark = pytest.mark.django_db

C = ClosingState
REASON = {"supervisor": "Only the employee's supervisor may", "employee": "Only the employee may",
          "hr": "Only Human Resources may"}
OUTSIDERS = ("other_employee", "other_supervisor")


@dataclass(frozen=True)
class ClosingUrl:
    name: str
    method: str
    state: str  # a ClosingState, or SheetState.SIGNED for a review not opened yet
    actor: str | None
    action: str | None = None

    def __str__(self):
        return f"{self.method.upper()} {self.action or self.name} in {self.state}"

    def path(self, sheet_pk) -> str:
        return reverse(self.name, args=[sheet_pk, self.action] if self.action else [sheet_pk])


CLOSING_TRANSITIONS = (
    ("submit_self_assessment", C.SELF_ASSESSMENT, "employee"),
    ("submit_assessment", C.SUPERVISOR_ASSESSMENT, "supervisor"),
    ("release_for_signatures", C.CALIBRATION, "hr"),
    ("sign_closing_supervisor", C.SUPERVISOR_SIGNATURE, "supervisor"),
    ("sign_closing_employee", C.EMPLOYEE_SIGNATURE, "employee"),
    ("return_closing", C.HR_REVIEW, "hr"),
    ("sign_closing_hr", C.HR_REVIEW, "hr"),
)
SHEET_URLS = (
    *(ClosingUrl("sheet_detail", "get", state, None) for state in C),
    ClosingUrl("closing_open", "post", SheetState.SIGNED, "hr"),
    ClosingUrl("closing_self_assessment", "get", C.SELF_ASSESSMENT, "employee"),
    ClosingUrl("closing_self_assessment", "post", C.SELF_ASSESSMENT, "employee"),
    ClosingUrl("closing_assessment", "get", C.SUPERVISOR_ASSESSMENT, "supervisor"),
    ClosingUrl("closing_assessment", "post", C.SUPERVISOR_ASSESSMENT, "supervisor"),
    *(ClosingUrl("closing_transition", method, state, actor, action)
      for action, state, actor in CLOSING_TRANSITIONS for method in ("get", "post")),
)
HR_PAGES = (("closing_hr", "get"), ("closing_hr", "post"), ("rating_scale", "get"),
            ("rating_scale", "post"))
# The editor's carry-forward belongs to the next period's draft (continuity).
CONTINUITY_URLS = ("sheet_carry_forward",)


@pytest.fixture
def people(employee, supervisor, manager, other_supervisor, other_employee, hr, admin):
    return {"anonymous": None, "employee": employee, "supervisor": supervisor,
            "manager": manager, "other_supervisor": other_supervisor,
            "other_employee": other_employee, "hr": hr, "admin": admin}


def ready(sheet, state, advance, hr):
    if state == SheetState.SIGNED:
        advance(sheet, SheetState.SIGNED, hr_user=hr.user)
        return None
    review = advance_closing(open_closing(sheet, hr_user=hr.user), state, hr_user=hr.user)
    if state == C.SUPERVISOR_ASSESSMENT:  # everything but the submission, for its transition
        ids = list(review.results.values_list("goal_id", flat=True))
        closing.closing_save_assessment(
            review_id=review.pk, actor=sheet.employee.supervisor.user, version=review.version,
            overall="Solid.", per_goal=dict.fromkeys(ids, "Fine."),
            proposed_rating_id=middle_level().pk, overrides={})
    if state == C.SELF_ASSESSMENT:
        ids = list(review.results.values_list("goal_id", flat=True))
        closing.closing_save_self_assessment(review_id=review.pk, actor=sheet.employee.user,
                                             overall="Good.", per_goal=dict.fromkeys(ids, "Ok."))
    return ClosingReview.objects.get(pk=review.pk)


def form_data(url: ClosingUrl, sheet, review, person) -> dict:
    user = getattr(person, "user", person)
    if url.name == "closing_transition":
        return {"version": review.version, "note": "Goal 2 needs a word.",
                "typed_name": typed_name_of(user) if person else "", "acknowledged": "on"}
    goal_ids = list(review.results.values_list("goal_id", flat=True)) if review else []
    if url.name == "closing_self_assessment":
        return {"overall": "A year of steady work.", "save": "",
                **{f"text-{pk}": "Done as agreed." for pk in goal_ids}}
    if url.name == "closing_assessment":
        return {"version": review.version, "overall": "Agreed.", "rating": middle_level().pk,
                "save": "", **{f"text-{pk}": "Well done." for pk in goal_ids}}
    return {}


def footprint(sheet) -> tuple:
    review = ClosingReview.objects.filter(sheet=sheet).first()
    return ((review.state, review.version, review.signatures.count()) if review else None,
            ReviewEvent.objects.filter(sheet=sheet).count())


@pytest.mark.parametrize("url", SHEET_URLS, ids=str)
@pytest.mark.parametrize("persona", PERSONAS)
def test_closing_url_permissions(client, people, sheet, advance, hr, url, persona):
    review = ready(sheet, url.state, advance, hr)
    person = people[persona]
    sign_in(client, person)
    data = form_data(url, sheet, review, person)
    before = footprint(sheet)

    def fetch(pk):
        return client.post(url.path(pk), data) if url.method == "post" else client.get(
            url.path(pk))

    response = fetch(sheet.pk)

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")
    elif persona in OUTSIDERS:
        missing = fetch(sheet.pk + 10_000)
        assert response.status_code == missing.status_code == 404
        assert page_without_csrf(response.content) == page_without_csrf(missing.content)
        assert b"Ellis" not in response.content
    elif url.actor is None:
        assert response.status_code == 200
        assert by_testid(response, "closing-state") == ClosingState(url.state).label
    elif persona == url.actor:
        assert response.status_code == (302 if url.method == "post" else 200), alerts(response)
        if url.method == "post":
            assert footprint(sheet) != before
        return
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason").startswith(REASON[url.actor])
    assert footprint(sheet) == before


def _rating_post() -> dict:
    levels = list(RatingScale.active().levels.order_by("position"))
    data = {"levels-TOTAL_FORMS": len(levels), "levels-INITIAL_FORMS": len(levels)}
    for i, level in enumerate(levels):
        data.update({f"levels-{i}-id": level.pk, f"levels-{i}-value": level.value,
                     f"levels-{i}-label": level.label + " (HR)",
                     f"levels-{i}-description": level.description,
                     f"levels-{i}-position": level.position})
    return data


@pytest.mark.parametrize("name, method", HR_PAGES, ids=lambda v: str(v))
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_closing_page_and_rating_scale_are_hr_s(client, people, sheet, advance, hr, period,
                                                    name, method, persona):
    advance(sheet, SheetState.SIGNED, hr_user=hr.user)
    sign_in(client, people[persona])
    data = {"period": period.pk} if name == "closing_hr" else _rating_post()
    response = client.post(reverse(name), data) if method == "post" else client.get(
        reverse(name))
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona == "hr":
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403
        assert "Human Resources" in by_testid(response, "forbidden-reason")
        assert not ClosingReview.objects.exists()
        assert not RatingScale.active().levels.filter(label__endswith="(HR)").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_carrying_forward_is_the_drafting_supervisor_s(client, people, sheet, advance, hr,
                                                       employee, supervisor, persona):
    advance_closing(open_closing(sheet, hr_user=hr.user), C.SELF_ASSESSMENT)
    later = ReviewPeriodFactory(name="2028", starts_on=datetime.date(2028, 1, 1),
                                ends_on=datetime.date(2028, 12, 31))
    draft = services.sheet_start(actor=supervisor.user, employee=employee, period=later)
    goal_id = sheet.goals.order_by("position").first().pk
    sign_in(client, people[persona])
    url = reverse("sheet_carry_forward", args=[draft.pk])
    response = client.post(url, {"goals": [goal_id], "version": draft.version})
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona in OUTSIDERS:
        assert response.status_code == 404
    elif persona == "supervisor":
        assert response.status_code == 302 and draft.goals.count() == 1
        return
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason").startswith(REASON["supervisor"])
    assert draft.goals.count() == 0


def test_the_closing_matrix_covers_every_closing_url_and_transition():
    tried = ({url.name for url in SHEET_URLS} - {"sheet_detail"}
             | {name for name, _ in HR_PAGES} | set(CONTINUITY_URLS))
    assert tried == set(CLOSING_URL_NAMES)
    assert {(a, str(s), actor) for a, s, actor in CLOSING_TRANSITIONS} == {
        (a.name, str(a.source), str(a.actor)) for a in TABLE
        if a.is_transition and a.source in ClosingState.values}
