"""The calibration page, adjusting a rating from it (with and without htmx), HR's target
distribution form, and the closing dashboards with their CSV export: what each person sees and
the numbers, checked against figures worked out by hand."""

import csv
import io

import pytest
from django.urls import reverse

from reviews import calibration
from reviews.calibration_models import RatingTarget
from reviews.closing_models import RatingScale
from reviews.closing_states import ClosingState
from reviews.models import ReviewEvent
from tests.calibration_helpers import level, review_in_calibration
from tests.factories import EmployeeFactory
from tests.page_helpers import HTMX, alerts, by_testid, field_error, login, page, text_of, texts
from tests.page_helpers import elements as find

pytestmark = pytest.mark.django_db
C = ClosingState


@pytest.fixture
def three(employee, other_employee, supervisor, period, hr):
    """Emma (Sam's team, Northeast) proposed 3 and 100 % then 0 % of her goals; Eve (Sam's team,
    Northeast) proposed 4; Oliver (Otto's team, Midwest) proposed 3, weights 40/60."""
    eve = EmployeeFactory(user__username="eve", full_name="Eve Evans", supervisor=supervisor,
                          title="Collections Specialist", territory="Northeast")
    return {
        "emma": review_in_calibration(employee, period, proposed=3, hr_user=hr.user),
        "eve": review_in_calibration(eve, period, proposed=4, actuals=("52", "5"),
                                     hr_user=hr.user),
        "oliver": review_in_calibration(other_employee, period, proposed=3,
                                        actuals=("45", "10"), weights=(40, 60),
                                        hr_user=hr.user),
    }


def _targets(hr, *shares):
    levels = RatingScale.active().levels.order_by("value")
    calibration.calibration_targets_save(
        actor=hr.user, shares={lvl.pk: s for lvl, s in zip(levels, shares, strict=True)})


def _rows(response, testid):
    return [[text_of(cell) for cell in row.children if getattr(cell, "name", None) in ("th", "td")]
            for row in find(page(response), data_testid=testid)]


def test_hr_sees_the_distribution_per_team_against_the_target(client, hr, three):
    _targets(hr, 0, 10, 60, 30, 0)
    calibration.closing_adjust_rating(review_id=three["eve"].pk, actor=hr.user,
                                      level_id=level(2).pk, reason="Missed both goals.",
                                      version=three["eve"].version)
    login(client, hr)

    response = client.get(reverse("closing_calibration"), {"group": "team"})

    assert response.status_code == 200
    rows = _rows(response, "distribution-row")
    # Everyone: 3 reviews; standing 2 at level 3 (66.7 %), 1 at level 2 (33.3 %); proposed 2 at
    # level 3 and 1 at 4. Level 2 stands at 33.3 % against a target of 10: off by more than 10.
    everyone = rows[0]
    assert everyone[:2] == ["Everyone", "3"]
    assert everyone[3] == "1 (33.3 %) proposed 0 (0.0 %) · target 10 % · off"
    assert everyone[4] == "2 (66.7 %) proposed 2 (66.7 %) · target 60 %"
    assert everyone[5] == "0 (0.0 %) proposed 1 (33.3 %) · target 30 % · off"
    assert everyone[-1] == "Off target"
    # Teams by their supervisor's name: Otto's (Oliver at 3), Sam's (Emma at 3, Eve at 2).
    assert [row[0] for row in rows[1:]] == ["Otto Olsen", "Sam Sutton"]
    assert rows[1][1] == "1" and rows[1][4].startswith("1 (100.0 %)")
    assert rows[2][1] == "2" and rows[2][3].startswith("1 (50.0 %)")
    # Each review: weighted score and final attainment. Emma: goal 1 met, goal 2 nothing → the
    # average of the goals with actuals, 100 %; Eve: DSO unchanged (0 %) and 5 of 10 calls
    # (50 %) → 25 %; Oliver: weights 40/60, both met → 100 % weighted.
    reviews = {row[0]: row for row in _rows(response, "review-row")}
    assert reviews["Emma Ellis"][3:7] == ["—", "100 %", "3 — Meets expectations",
                                         "3 — Meets expectations"]
    assert reviews["Eve Evans"][4] == "25 %"
    assert reviews["Eve Evans"][6] == "2 — Needs improvement adjusted"
    assert reviews["Oliver Owens"][3:5] == ["100 %", "100 %"]


def test_grouped_by_territory_title_and_tier(client, hr, three):
    login(client, hr)
    labels = {group: [row[0] for row in _rows(client.get(reverse("closing_calibration"),
                                                          {"group": group}),
                                               "distribution-row")]
              for group in ("territory", "title", "tier")}
    assert labels["territory"] == ["Everyone", "Midwest", "Northeast"]
    assert labels["title"] == ["Everyone", "AR Analyst", "Collections Specialist"]
    assert labels["tier"][0] == "Everyone" and len(labels["tier"]) == 2  # all in one tier


def test_a_manager_sees_and_adjusts_their_line_only(client, manager, three):
    login(client, manager)

    response = client.get(reverse("closing_calibration"))

    names = [row[0] for row in _rows(response, "review-row")]
    assert names == ["Emma Ellis", "Eve Evans"]  # not Oliver, outside Maria's line
    assert b"Oliver" not in response.content and b"Otto" not in response.content
    assert len(find(page(response), data_testid="adjust-form")) == 2


def test_reviews_past_calibration_are_read_only(client, hr, three):
    from tests.closing_helpers import advance_closing
    advance_closing(three["oliver"], C.SUPERVISOR_SIGNATURE, hr_user=hr.user)
    login(client, hr)

    response = client.get(reverse("closing_calibration"))

    rows = {row[0]: row for row in _rows(response, "review-row")}
    assert rows["Oliver Owens"][2] == "Closing: supervisor signature (read-only)"
    assert rows["Emma Ellis"][2] == "Calibration"
    assert len(find(page(response), data_testid="adjust-form")) == 2


def _adjust_data(review, value, reason, back=None):
    prefix = f"review-{review.pk}"
    return {f"{prefix}-version": review.version, f"{prefix}-level": level(value).pk,
            f"{prefix}-reason": reason, "next": back or reverse("closing_calibration")}


def test_adjusting_without_script_returns_to_the_calibration_page(client, hr, three):
    emma = three["emma"]
    login(client, hr)
    back = reverse("closing_calibration") + "?group=territory"

    response = client.post(reverse("closing_adjust_rating", args=[emma.sheet_id]),
                           _adjust_data(emma, 4, "Best DSO in the region.", back), follow=True)

    assert response.redirect_chain[-1][0] == back
    assert "now stands at 4 — Exceeds expectations" in alerts(response)
    emma.refresh_from_db()
    assert emma.rating == level(4)
    timeline = by_testid(client.get(reverse("sheet_detail", args=[emma.sheet_id])), "timeline")
    assert "adjusted the rating in calibration" in timeline
    assert "3 — Meets expectations → 4 — Exceeds expectations: Best DSO in the region." in timeline


def test_a_foreign_next_is_ignored(client, hr, three):
    emma = three["emma"]
    login(client, hr)
    response = client.post(reverse("closing_adjust_rating", args=[emma.sheet_id]),
                           _adjust_data(emma, 4, "Fine.", "https://evil.example/closing/"))
    assert response.url == reverse("sheet_detail", args=[emma.sheet_id])


def test_with_htmx_a_refusal_answers_with_the_form_and_its_errors(client, hr, three):
    emma = three["emma"]
    login(client, hr)

    refused = client.post(reverse("closing_adjust_rating", args=[emma.sheet_id]),
                          _adjust_data(emma, 3, "  "), **HTMX)

    assert refused.status_code == 200
    assert b"<html" not in refused.content  # the form only, swapped in place
    prefix = f"id_review-{emma.pk}"
    assert field_error(refused, f"{prefix}-reason") == "Say why you adjust the rating."
    assert field_error(refused, f"{prefix}-level").startswith("The rating is already 3")
    done = client.post(reverse("closing_adjust_rating", args=[emma.sheet_id]),
                       _adjust_data(emma, 2, "Two missed promises."), **HTMX)
    assert done.headers["HX-Redirect"] == reverse("closing_calibration")
    assert ReviewEvent.objects.filter(action="adjust_rating").count() == 1


def test_the_adjust_page_keeps_what_was_typed(client, manager, three):
    emma = three["emma"]
    login(client, manager)
    data = _adjust_data(emma, 4, "x" * 20_000)

    response = client.post(reverse("closing_adjust_rating", args=[emma.sheet_id]), data)

    assert response.status_code == 200
    assert field_error(response, f"id_review-{emma.pk}-reason").startswith("Keep the reason")
    assert texts(response, id=f"id_review-{emma.pk}-reason") == ["x" * 20_000]


def test_a_stale_adjustment_says_so_and_changes_nothing(client, hr, manager, three):
    emma = three["emma"]
    calibration.closing_adjust_rating(review_id=emma.pk, actor=manager.user,
                                      level_id=level(2).pk, reason="Missed.",
                                      version=emma.version)
    login(client, hr)
    response = client.post(reverse("closing_adjust_rating", args=[emma.sheet_id]),
                           _adjust_data(emma, 4, "Exceeded."), follow=True)
    assert "changed meanwhile" in alerts(response)
    emma.refresh_from_db()
    assert emma.rating == level(2)


# The target distribution ------------------------------------------------------------------------

def test_target_form_errors_sit_next_to_their_fields_and_keep_the_typing(client, hr, db):
    levels = list(RatingScale.active().levels.order_by("value"))
    login(client, hr)
    data = {f"level-{lvl.pk}": v for lvl, v in zip(levels, ["5", "abc", "150", "", "10"],
                                                     strict=True)}

    response = client.post(reverse("calibration_targets"), data)

    assert response.status_code == 200
    assert field_error(response, f"id_level-{levels[1].pk}") == (
        "Enter a whole number of percent, such as 20.")
    assert field_error(response, f"id_level-{levels[2].pk}") == "A share is between 0 and 100 %."
    assert 'value="abc"' in response.content.decode()
    total = {f"level-{lvl.pk}": v for lvl, v in zip(levels, ["5", "15", "50", "20", "20"],
                                                    strict=True)}
    response = client.post(reverse("calibration_targets"), total)
    assert "The shares total 110 %; they must total 100 %." in alerts(response)
    missing = {**total, f"level-{levels[4].pk}": ""}
    response = client.post(reverse("calibration_targets"), missing)
    assert field_error(response, f"id_level-{levels[4].pk}").startswith("Give a share for every")
    assert not RatingTarget.objects.exists()
    saved = client.post(reverse("calibration_targets"), {**total, f"level-{levels[4].pk}": "10"})
    assert saved.url == reverse("closing_calibration")
    assert RatingTarget.objects.count() == 5


# The closing dashboards -------------------------------------------------------------------------

def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_closing_dashboard_by_team_with_its_csv(client, hr, three):
    login(client, hr)

    shown = client.get(reverse("closing_dashboard"), {"group_by": "team"})
    exported = client.get(reverse("closing_dashboard"), {"group_by": "team", "export": "csv"})

    rows = _csv(exported)
    assert rows[0] == ["team", "reviews", "with final attainment", "average final attainment",
                       "goals achieved", "goals partly achieved", "goals not achieved",
                       "rated 1 — Unsatisfactory", "rated 2 — Needs improvement",
                       "rated 3 — Meets expectations", "rated 4 — Exceeds expectations",
                       "rated 5 — Outstanding", "not yet rated"]
    # Otto's team: Oliver, 100 %, both goals achieved, rated 3. Sam's: Emma 100 % and Eve 25 %
    # → 62.5 % (rounds to 63 %); goals: Emma achieved + not achieved, Eve not + partly.
    assert rows[1] == ["Otto Olsen", "1", "1", "100 %", "2", "0", "0", "0", "0", "1", "0", "0",
                       "0"]
    assert rows[2] == ["Sam Sutton", "2", "2", "63 %", "1", "1", "2", "0", "0", "1", "1", "0",
                       "0"]
    assert [row[0] for row in _rows(shown, "closing-row")] == ["Otto Olsen", "Sam Sutton"]
    assert texts(shown, data_testid="final-attainment") == ["100 %", "63 %"]


@pytest.mark.parametrize("group_by, labels", [
    ("collector", ["Emma Ellis", "Eve Evans", "Oliver Owens"]),
    ("territory", ["Midwest", "Northeast"]),
    ("title", ["AR Analyst", "Collections Specialist"]),
])
def test_the_closing_dashboard_groups(client, hr, three, group_by, labels):
    login(client, hr)
    rows = _csv(client.get(reverse("closing_dashboard"), {"group_by": group_by,
                                                          "export": "csv"}))
    assert [row[0] for row in rows[1:]] == labels


def test_a_supervisor_sees_their_team_only(client, supervisor, three):
    login(client, supervisor)
    rows = _csv(client.get(reverse("closing_dashboard"), {"group_by": "collector",
                                                          "export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["Emma Ellis", "Eve Evans"]


def test_the_csv_is_safe_in_a_spreadsheet(client, hr, three, supervisor):
    supervisor.full_name = "=HYPERLINK(\"https://evil.example\",\"Sam\")"
    supervisor.save()
    three["emma"].sheet.employee.territory = "+cmd|' /C calc'!A0"
    three["emma"].sheet.employee.save()
    login(client, hr)

    by_team = _csv(client.get(reverse("closing_dashboard"), {"group_by": "team",
                                                             "export": "csv"}))
    by_territory = _csv(client.get(reverse("closing_dashboard"), {"group_by": "territory",
                                                                  "export": "csv"}))

    assert "'=HYPERLINK(\"https://evil.example\",\"Sam\")" in [row[0] for row in by_team]
    assert "'+cmd|' /C calc'!A0" in [row[0] for row in by_territory]
