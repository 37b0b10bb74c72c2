"""Recording actuals on signed goals: who may, what is refused, and what never changes."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goalsapp import services
from goalsapp.models import GoalSheet, ProgressEntry
from reviews.canonical import content_hash
from reviews.selectors import sheet_view
from tests.progress_helpers import record, signed_sheet

pytestmark = pytest.mark.django_db
MIDYEAR = datetime.datetime(2027, 7, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def at_midyear(time_machine):
    time_machine.move_to(MIDYEAR, tick=False)


@pytest.fixture
def emma_signed(employee, period):
    return signed_sheet(employee, period)


def _post(client, user, sheet, **values):
    client.force_login(user)
    data = {"goal": sheet.goals.order_by("position").first().pk, "as_of": "2027-06-30",
            "actual": "42", "note": ""} | values
    return client.post(reverse("sheet_progress", args=[sheet.pk]), data)


def test_the_signed_sheet_links_to_its_progress_page(client, employee, emma_signed):
    client.force_login(employee.user)
    page = client.get(reverse("sheet_detail", args=[emma_signed.pk])).content.decode()
    assert reverse("sheet_progress", args=[emma_signed.pk]) in page


def test_the_employee_records_an_actual_and_sees_it(client, employee, emma_signed, at_midyear):
    response = _post(client, employee.user, emma_signed, actual="1,234.5", note="AR export")
    assert response.status_code == 302
    entry = ProgressEntry.objects.get()
    assert (entry.actual, entry.as_of, entry.note, entry.entered_by) == (
        Decimal("1234.50"), datetime.date(2027, 6, 30), "AR export", employee.user)
    page = client.get(reverse("sheet_progress", args=[emma_signed.pk])).content.decode()
    assert "1,234.5 accounts" in page and "Actual recorded." in page


@pytest.mark.parametrize("who", ["supervisor", "manager"])
def test_anyone_up_the_line_records_actuals(client, who, request, emma_signed, at_midyear):
    person = request.getfixturevalue(who)
    assert _post(client, person.user, emma_signed).status_code == 302
    assert ProgressEntry.objects.get().entered_by == person.user


def test_hr_reads_progress_but_does_not_record_it(client, hr, emma_signed, at_midyear):
    client.force_login(hr.user)
    page = client.get(reverse("sheet_progress", args=[emma_signed.pk]))
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    response = _post(client, hr.user, emma_signed)
    assert response.status_code == 403
    assert "HR" in response.content.decode() or "supervisors" in response.content.decode()
    assert not ProgressEntry.objects.exists()


def test_someone_outside_the_line_gets_404(client, other_employee, other_supervisor,
                                           emma_signed, at_midyear):
    for person in (other_employee, other_supervisor):
        client.force_login(person.user)
        assert client.get(reverse("sheet_progress", args=[emma_signed.pk])).status_code == 404
        assert _post(client, person.user, emma_signed).status_code == 404
    assert not ProgressEntry.objects.exists()


def test_an_unsigned_sheet_takes_no_progress(client, employee, sheet, at_midyear):
    client.force_login(employee.user)
    response = client.get(reverse("sheet_progress", args=[sheet.pk]), follow=True)
    assert "once the sheet is signed" in response.content.decode()
    with pytest.raises(services.ProgressRefused):
        record(sheet.goals.first(), 5)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"actual": "abc"}, "actual", "Enter a number"),
    ({"actual": "-5"}, "actual", "cannot be negative"),
    ({"actual": "1.234"}, "actual", "at most 2 decimals"),
    ({"actual": ""}, "actual", "Enter the actual value"),
    ({"as_of": "2026-12-31"}, "as_of", "outside the period"),
    ({"as_of": "2027-07-03"}, "as_of", "in the future"),
    ({"as_of": "30/06/2027"}, "as_of", "YYYY-MM-DD"),
    ({"goal": "999999"}, "goal", "valid choice"),
])
def test_bad_input_is_explained_next_to_its_field_and_the_typing_kept(
        client, employee, emma_signed, at_midyear, values, field, message):
    response = _post(client, employee.user, emma_signed, note="kept note", **values)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    page = response.content.decode()
    assert 'value="kept note"' in page
    if field == "actual" and values["actual"]:
        assert f'value="{values["actual"]}"' in page
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(("kind", "allowed"), [("count", False), ("money", False),
                                               ("percent", True)])
def test_only_a_percentage_may_be_negative(employee, period, at_midyear, kind, allowed):
    goal = signed_sheet(employee, period, goals=1, measure_kind=kind).goals.get()
    if allowed:  # a percentage change can be a decline
        assert record(goal, -3) == "new"
    else:
        with pytest.raises(services.ProgressRefused, match="cannot be negative"):
            record(goal, -1)


def test_a_second_actual_for_the_same_date_replaces_the_first(employee, emma_signed):
    goal = emma_signed.goals.first()
    assert record(goal, 10) == "new"
    assert record(goal, 10) == "already recorded"
    assert record(goal, 12) == "update"
    assert record(goal, 20, as_of=datetime.date(2027, 5, 31)) == "new"
    assert list(ProgressEntry.objects.filter(goal=goal).order_by("as_of").values_list(
        "actual", "is_latest")) == [(Decimal(20), False), (Decimal(12), True)]


def test_recording_progress_changes_nothing_that_was_signed(employee, supervisor, advance,
                                                            sheet, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 5, tzinfo=datetime.UTC), tick=False)
    advance(sheet, "signed")
    sheet = GoalSheet.objects.get(pk=sheet.pk)
    before = content_hash(sheet)
    goals_before = list(sheet.goals.values())
    time_machine.move_to(MIDYEAR, tick=False)
    for goal in sheet.goals.all():
        record(goal, 48, actor=employee.user)
        record(goal, 47, as_of=datetime.date(2027, 7, 1), actor=supervisor.user)
    sheet = GoalSheet.objects.get(pk=sheet.pk)
    view = sheet_view(sheet)
    assert view.signatures and len(view.signatures) == 3
    assert view.signatures_match
    assert content_hash(sheet) == before
    assert list(sheet.goals.values()) == goals_before
    assert ProgressEntry.objects.count() == 4
