"""The closing review's pages as each person uses them: the sheet page's closing section, the
self-assessment and assessment pages (errors next to their fields, typing kept), the
transitions and signatures, HR's closing page and the rating scale."""

from django.urls import reverse

from goalsapp.models import SheetState
from reviews.closing_models import ClosingReview, RatingLevel, RatingScale
from reviews.closing_states import ClosingState
from tests.closing_helpers import advance_closing, middle_level, open_closing
from tests.page_helpers import (
    alerts,
    by_testid,
    field_error,
    form_values,
    login,
    without_csrf,
)

C = ClosingState


def _confirm(client, sheet, action, **values):
    url = reverse("closing_transition", args=[sheet.pk, action])
    response = client.get(url)
    assert response.status_code == 200, alerts(response)
    return client.post(url, {**without_csrf(form_values(response, having="version")), **values})


def test_hr_opens_closing_from_the_sheet_page(client, sheet, advance, hr, supervisor):
    advance(sheet, SheetState.SIGNED)
    login(client, supervisor)
    assert "Open closing review now" not in client.get(
        reverse("sheet_detail", args=[sheet.pk])).content.decode()
    assert client.post(reverse("closing_open", args=[sheet.pk])).status_code == 403
    login(client, hr)
    assert "Open closing review now" in by_testid(
        client.get(reverse("sheet_detail", args=[sheet.pk])), "open-closing")
    response = client.post(reverse("closing_open", args=[sheet.pk]), follow=True)
    assert "Self-assessment" in by_testid(response, "closing-state")
    assert ClosingReview.objects.filter(sheet=sheet).exists()


def test_the_employee_writes_and_submits_the_self_assessment(client, sheet, hr, employee):
    review = open_closing(sheet, hr_user=hr.user)
    login(client, employee)
    url = reverse("closing_self_assessment", args=[sheet.pk])
    values = without_csrf(form_values(client.get(url), having="overall"))
    texts = {name: "Worked the 90+ list every week." for name in values if
             name.startswith("text-")}
    response = client.post(url, {**values, **texts, "overall": "A good year.", "submit": ""})
    assert response.status_code == 302
    response = _confirm(client, sheet, "submit_self_assessment")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == C.SUPERVISOR_ASSESSMENT
    detail = client.get(reverse("sheet_detail", args=[sheet.pk]))
    assert "Worked the 90+ list every week." in by_testid(detail, "closing-results")


def test_submitting_without_every_self_assessment_says_how_many_are_missing(
        client, sheet, hr, employee):
    open_closing(sheet, hr_user=hr.user)
    login(client, employee)
    response = _confirm(client, sheet, "submit_self_assessment")
    assert response.status_code == 200
    assert "2 still without one" in response.content.decode()


def test_an_override_without_a_reason_is_refused_next_to_its_field(client, sheet, hr,
                                                                  supervisor):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_ASSESSMENT)
    goal_id = review.results.first().goal_id
    login(client, supervisor)
    url = reverse("closing_assessment", args=[sheet.pk])
    values = without_csrf(form_values(client.get(url), having="overall"))
    response = client.post(url, {**values, f"grade-{goal_id}": "achieved",
                                 "overall": "Typed and kept.", "save": ""})
    assert response.status_code == 200
    assert "Say why" in field_error(response, f"id_reason-{goal_id}")
    assert "Typed and kept." in response.content.decode()


def test_the_supervisor_proposes_a_rating_and_hr_releases_it(client, sheet, hr, supervisor):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_ASSESSMENT)
    login(client, supervisor)
    url = reverse("closing_assessment", args=[sheet.pk])
    values = without_csrf(form_values(client.get(url), having="overall"))
    texts = {name: "Clear progress." for name in values if name.startswith("text-")}
    level = middle_level()
    response = client.post(url, {**values, **texts, "overall": "Solid.", "rating": level.pk,
                                 "submit": ""})
    assert response.status_code == 302
    assert _confirm(client, sheet, "submit_assessment").status_code == 302
    review.refresh_from_db()
    assert review.state == C.CALIBRATION and review.rating == level

    login(client, hr)
    page = client.get(reverse("closing_hr"))
    assert sheet.employee_name in page.content.decode()
    response = client.post(reverse("closing_hr"), {"reviews": [review.pk]}, follow=True)
    assert "Released 1 review" in alerts(response)
    review.refresh_from_db()
    assert review.state == C.SUPERVISOR_SIGNATURE


def test_three_signatures_from_the_pages_close_the_review(client, sheet, hr, supervisor,
                                                          employee):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_SIGNATURE)
    login(client, supervisor)
    assert _confirm(client, sheet, "sign_closing_supervisor",
                    typed_name="Sam Sutton").status_code == 302
    login(client, employee)
    page = client.get(reverse("closing_transition", args=[sheet.pk, "sign_closing_employee"]))
    assert "not necessarily that I agree" in by_testid(page, "acknowledgement")
    response = _confirm(client, sheet, "sign_closing_employee", typed_name="Emma Ellis")
    assert response.status_code == 200  # the acknowledgement was not ticked
    assert _confirm(client, sheet, "sign_closing_employee", typed_name="Emma Ellis",
                    acknowledged="on").status_code == 302
    login(client, hr)
    response = _confirm(client, sheet, "sign_closing_hr", typed_name="Hana Hughes")
    detail = client.get(response.url)
    assert "final and locked" in alerts(detail)
    assert "Closed, signed and locked" in by_testid(detail, "closing-locked")
    review.refresh_from_db()
    assert review.is_closed


def test_nobody_else_reaches_the_closing_pages(client, sheet, hr, other_supervisor,
                                               employee):
    open_closing(sheet, hr_user=hr.user)
    login(client, other_supervisor)
    assert client.get(reverse("closing_self_assessment", args=[sheet.pk])).status_code == 404
    login(client, hr)
    assert client.get(reverse("closing_self_assessment", args=[sheet.pk])).status_code == 403
    login(client, employee)
    assert client.get(reverse("closing_hr")).status_code == 403
    assert client.get(reverse("rating_scale")).status_code == 403


def test_hr_opens_a_whole_period_from_the_closing_page(client, sheet, advance, hr, period):
    advance(sheet, SheetState.SIGNED)
    login(client, hr)
    response = client.post(reverse("closing_hr"), {"period": period.pk}, follow=True)
    assert "Opened 1 closing review for" in alerts(response)
    response = client.post(reverse("closing_hr"), {"period": "not-a-period"}, follow=True)
    assert "no signed sheets" in alerts(response)


def test_hr_edits_the_rating_scale_and_cannot_remove_a_level_in_use(client, sheet, hr):
    advance_closing(open_closing(sheet, hr_user=hr.user), C.CALIBRATION)
    login(client, hr)
    url = reverse("rating_scale")
    values = without_csrf(form_values(client.get(url), having="levels-TOTAL_FORMS"))
    used = middle_level()
    index = next(name.split("-")[1] for name, value in values.items()
                 if name.endswith("-id") and value == str(used.pk))
    response = client.post(url, {**values, f"levels-{index}-DELETE": "on"})
    assert response.status_code == 200
    assert "cannot" not in alerts(response) and "stays on the scale" in alerts(response)
    label = f"levels-{index}-label"
    response = client.post(url, {**values, label: "Solid"}, follow=True)
    assert "Rating scale saved." in alerts(response)
    assert RatingLevel.objects.get(pk=used.pk).label == "Solid"
    assert RatingScale.objects.filter(is_active=True).count() == 1
