"""Who may open what among calibration's and the closing dashboards' URLs, persona by persona and
state by state (the style of test_permissions.py): a review you may not see answers 404 exactly
like one that does not exist; adjusting a rating your role may not adjust answers 403 with the
sentence saying why; past calibration the adjustment is refused in words and nothing changes."""

import pytest
from django.urls import reverse

from reviews.calibration_models import RatingTarget
from reviews.closing_models import ClosingReview, RatingScale
from reviews.closing_states import ClosingState
from reviews.models import ReviewEvent
from tests.calibration_helpers import level, review_in_calibration
from tests.closing_helpers import advance_closing
from tests.page_helpers import alerts, by_testid
from tests.permission_helpers import (
    CALIBRATION_URL_NAMES,
    LOGIN,
    PERSONAS,
    page_without_csrf,
    sign_in,
)

pytestmark = pytest.mark.django_db
C = ClosingState
OUTSIDERS = ("other_employee", "other_supervisor")
ADJUSTERS = ("hr", "manager")  # HR, and Maria above Sam, Emma's supervisor
STATES = (C.CALIBRATION, C.SUPERVISOR_SIGNATURE)


@pytest.fixture
def people(employee, supervisor, manager, other_supervisor, other_employee, hr, admin):
    return {"anonymous": None, "employee": employee, "supervisor": supervisor,
            "manager": manager, "other_supervisor": other_supervisor,
            "other_employee": other_employee, "hr": hr, "admin": admin}


@pytest.fixture
def emma_review(employee, period, hr):
    return review_in_calibration(employee, period, proposed=3, hr_user=hr.user)


def footprint(review) -> tuple:
    current = ClosingReview.objects.get(pk=review.pk)
    return (current.state, current.version, current.rating_id,
            ReviewEvent.objects.filter(sheet=current.sheet).count())


def _in(review, state, hr):
    return advance_closing(review, state, hr_user=hr.user) if state != C.CALIBRATION else review


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_adjusting_a_rating(client, people, emma_review, hr, method, state, persona):
    review = _in(emma_review, state, hr)
    sign_in(client, people[persona])
    prefix = f"review-{review.pk}"
    data = {f"{prefix}-version": review.version, f"{prefix}-level": level(4).pk,
            f"{prefix}-reason": "Ahead of target all year."}
    before = footprint(review)

    def fetch(sheet_pk):
        path = reverse("closing_adjust_rating", args=[sheet_pk])
        return client.post(path, data) if method == "post" else client.get(path)

    response = fetch(review.sheet_id)

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")
    elif persona in OUTSIDERS:
        missing = fetch(review.sheet_id + 10_000)
        assert response.status_code == missing.status_code == 404
        assert page_without_csrf(response.content) == page_without_csrf(missing.content)
        assert b"Ellis" not in response.content
    elif persona in ADJUSTERS and state == C.CALIBRATION:
        assert response.status_code == (302 if method == "post" else 200), alerts(response)
        if method == "post":
            assert footprint(review) != before
            assert ClosingReview.objects.get(pk=review.pk).rating == level(4)
            return
        assert by_testid(response, "employee-name") == "Emma Ellis"
    elif persona in ADJUSTERS:
        assert response.status_code == 302
        assert response.url == reverse("sheet_detail", args=[review.sheet_id])
        assert "“Adjust rating” is not possible now" in alerts(client.get(response.url))
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "Only Human Resources or a manager of the supervisor's line may “adjust rating” "
            "on this sheet.")
    assert footprint(review) == before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_calibration_page(client, people, emma_review, hr, state, persona):
    review = _in(emma_review, state, hr)
    sign_in(client, people[persona])

    response = client.get(reverse("closing_calibration"))

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona in ADJUSTERS:
        assert response.status_code == 200
        assert by_testid(response, "review-row").startswith("Emma Ellis")
        adjustable = b'data-testid="adjust-form"' in response.content
        assert adjustable == (state == C.CALIBRATION)
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "Calibration is for Human Resources and managers of a line.")
    assert ClosingReview.objects.get(pk=review.pk).state == state


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_target_distribution_is_hr_s(client, people, db, method, persona):
    levels = RatingScale.active().levels.order_by("value")
    data = {f"level-{lvl.pk}": share for lvl, share in zip(levels, [5, 15, 50, 20, 10],
                                                           strict=True)}
    sign_in(client, people[persona])

    path = reverse("calibration_targets")
    response = client.post(path, data) if method == "post" else client.get(path)

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona == "hr":
        assert response.status_code == (302 if method == "post" else 200)
        assert RatingTarget.objects.exists() == (method == "post")
        return
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "The target distribution is set by Human Resources.")
    assert not RatingTarget.objects.exists()


SEES = {  # persona → whose reviews the closing dashboard shows (per collector)
    "supervisor": ["Emma Ellis"], "manager": ["Emma Ellis"], "other_supervisor": [],
    "hr": ["Emma Ellis"], "admin": ["Emma Ellis"],
}


@pytest.mark.parametrize("export", [False, True], ids=["page", "csv"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_closing_dashboard(client, people, emma_review, hr, export, state, persona):
    _in(emma_review, state, hr)
    sign_in(client, people[persona])
    query = {"group_by": "collector", **({"export": "csv"} if export else {})}

    response = client.get(reverse("closing_dashboard"), query)

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif persona in SEES:
        assert response.status_code == 200
        assert (b"Emma Ellis" in response.content) == bool(SEES[persona])
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "Closing dashboards are for Human Resources and supervisors.")


def test_the_calibration_matrix_covers_every_calibration_url():
    tried = {"closing_adjust_rating", "closing_calibration", "calibration_targets",
             "closing_dashboard"}
    assert tried == set(CALIBRATION_URL_NAMES)
