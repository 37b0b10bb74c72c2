"""People kept in sync from the HRIS export: the preview names what changes and what is wrong,
applying saves it in one go through the API's own service, leavers are deactivated (never
deleted) and their open sheets listed, and the same file applied again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goalsapp.models import Employee
from goalsapp.people_sync import sync
from tests.factories import GoalSheetFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(sync.COLUMNS)


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def _plan(*lines: str) -> sync.Plan:
    return sync.plan(sync.read(_csv(*lines)))


def test_the_preview_sorts_people_into_new_changed_lines_and_leavers(supervisor, employee,
                                                                     other_supervisor):
    plan = _plan(
        "E-5001,Nia Novak,nia@example.com,Collections Specialist,West,Denver,new,E-1002,yes",
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",high,E-2001,yes",
        "E-2001,Otto Olsen,,Collections Supervisor,,,core,,no",
        "E-1002,Sam Sutton,,Collections Supervisor,Northeast,\"Boston, MA\",core,E-1001,yes")
    assert [row.number for row in plan.new] == ["E-5001"]
    assert [row.number for row in plan.leavers] == ["E-2001"]
    assert [row.number for row in plan.unchanged] == ["E-1002"]
    # Emma moves to Otto, who leaves in the same file: refused, named.
    assert [(row.number, row.errors) for row in plan.errors] == [
        ("E-1003", ["The supervisor E-2001 has left."])]


def test_rows_with_errors_are_named(supervisor, employee):
    plan = _plan("E-6001,A,,T,,,core,E-404,yes",
                 "E-6002,B,,T,,,core,E-6003,yes",
                 "E-6003,C,,T,,,core,E-6002,yes",
                 "E-6004,D,not-an-email,T,,,boss,,maybe",
                 "E-6001,A again,,T,,,core,,yes",
                 "E-1002,Sam Sutton,,Collections Supervisor,,,core,E-1003,yes")
    errors = {row.line: " ".join(row.errors) for row in plan.errors}
    assert errors == {
        2: "Unknown supervisor number “E-404”.",
        3: "Reporting to E-6003 would make a loop.",
        4: "Reporting to E-6002 would make a loop.",
        5: "“not-an-email” is not an e-mail address. Unknown tier “boss”: use new, core, high. "
           "“maybe” is not yes or no.",
        6: "Line 2 already gives E-6001.",
        7: "Reporting to E-1003 would make a loop.",  # Emma reports to Sam already
    }


def test_applying_saves_everything_once_and_again_changes_nothing(hr, supervisor, employee):
    rows = sync.read(_csv(
        "E-5001,Nia Novak,nia@example.com,Collections Specialist,West,Denver,new,E-5002,yes",
        "E-5002,Noor Nasser,noor@example.com,Collections Supervisor,West,Denver,core,,yes",
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",core,E-1002,no"))
    result = sync.apply(rows, actor=hr.user)
    assert len(result.new) == 2 and len(result.leavers) == 1
    nia = Employee.objects.get(employee_number="E-5001")
    assert nia.supervisor.employee_number == "E-5002" and nia.user.email == "nia@example.com"
    employee.refresh_from_db()
    assert employee.is_active is False and employee.user.is_active is False
    assert employee.history.first().history_user == hr.user
    histories = Employee.history.count()
    again = sync.apply(sync.read(_csv(
        "E-5001,Nia Novak,nia@example.com,Collections Specialist,West,Denver,new,E-5002,yes",
        "E-5002,Noor Nasser,noor@example.com,Collections Supervisor,West,Denver,core,,yes",
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",core,E-1002,no")),
        actor=hr.user)
    assert len(again.unchanged) == 3 and not again.new and not again.changed
    assert Employee.history.count() == histories


def test_the_pages_preview_apply_and_list_leavers_open_sheets(client, hr, employee, period):
    GoalSheetFactory(employee=employee, period=period)
    client.force_login(hr.user)
    upload = SimpleUploadedFile("people.csv", _csv(
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",core,E-1002,no",
        "E-7001,Zed,,T,,,core,E-404,yes"))
    response = client.post(reverse("people_sync"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert b"Unknown supervisor number" in preview.content
    assert Employee.objects.get(employee_number="E-1003").is_active  # nothing saved yet
    applied = client.post(response["Location"])
    assert b"1 deactivated" in applied.content and b"1 left out" in applied.content
    assert b"Emma Ellis (E-1003)" in applied.content  # her open sheet, for HR to decide
    assert not Employee.objects.filter(employee_number="E-7001").exists()


def test_only_hr_and_admins_sync(client, supervisor):
    client.force_login(supervisor.user)
    assert client.get(reverse("people_sync")).status_code == 403


def test_a_file_that_cannot_be_read_is_refused_on_the_field(client, hr):
    client.force_login(hr.user)
    response = client.post(reverse("people_sync"),
                           {"file": SimpleUploadedFile("x.csv", b"name,title\nA,B")})
    assert b"Missing columns: employee_number, full_name" in response.content


def test_two_people_who_exchange_places_in_one_file_are_applied(hr, manager, supervisor,
                                                                employee):
    # Emma reports to Sam, Sam to Maria (E-1001). The file swaps Emma and Sam: the lines are
    # judged as they will be, so neither row is a loop.
    rows = sync.read(_csv(
        "E-1003,Emma Ellis,,Collections Supervisor,,,core,E-1001,yes",
        "E-1002,Sam Sutton,,Collections Specialist,,,core,E-1003,yes"))
    assert not sync.plan(rows).errors
    result = sync.apply(sync.read(_csv(
        "E-1003,Emma Ellis,,Collections Supervisor,,,core,E-1001,yes",
        "E-1002,Sam Sutton,,Collections Specialist,,,core,E-1003,yes")), actor=hr.user)
    assert len(result.changed) == 2 and not result.errors
    employee.refresh_from_db()
    supervisor.refresh_from_db()
    assert employee.supervisor == manager and supervisor.supervisor == employee
    assert supervisor.history.first().supervisor_id == employee.pk


def test_a_row_refused_takes_its_line_out_and_the_rows_relying_on_it_are_judged_again(
        supervisor, employee):
    # Sam reports to Emma only if Emma's own row (to an unknown number) stood; it does not,
    # and Emma still reports to Sam: Sam's row would make a loop once applied.
    plan = _plan("E-1003,Emma Ellis,,T,,,core,E-404,yes",
                 "E-1002,Sam Sutton,,T,,,core,E-1003,yes")
    assert {row.number: row.errors for row in plan.errors} == {
        "E-1003": ["Unknown supervisor number “E-404”."],
        "E-1002": ["Reporting to E-1003 would make a loop."]}


def test_new_people_get_one_history_row_each_showing_their_line_and_no_usable_password(hr):
    rows = sync.read(_csv(*[f"N-{n},Person {n},,T,,,core,{f'N-{n // 2}' if n else ''},yes"
                            for n in range(12)]))
    sync.apply(rows, actor=hr.user)
    people = {person.employee_number: person for person in
              Employee.objects.filter(employee_number__startswith="N-").select_related(
                  "supervisor", "user")}
    assert len(people) == 12
    assert people["N-11"].supervisor.employee_number == "N-5"
    assert people["N-5"].supervisor.employee_number == "N-2"
    assert not any(person.user.has_usable_password() for person in people.values())
    history = Employee.history.filter(employee_number__startswith="N-")
    assert history.count() == 12 and {row.history_type for row in history} == {"+"}
    assert history.get(employee_number="N-11").supervisor_id == people["N-5"].pk
    assert {row.history_user for row in history} == {hr.user}


def test_the_number_of_queries_does_not_grow_with_the_people(hr, django_assert_max_num_queries):
    def lines(prefix: str, count: int) -> list[str]:
        return [f"{prefix}-{n},Person {n},p{n}@example.com,T,,,core,{prefix}-0,yes" if n else
                f"{prefix}-0,Boss,,T,,,core,,yes" for n in range(count)]

    with django_assert_max_num_queries(30) as few:
        sync.apply(sync.read(_csv(*lines("A", 5))), actor=hr.user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        sync.apply(sync.read(_csv(*lines("B", 60))), actor=hr.user)
    assert Employee.objects.filter(supervisor__employee_number="B-0").count() == 59


def test_a_number_already_taken_by_a_login_is_named_not_a_server_error(hr, admin):
    plan = _plan(f"{admin.username},Ada Admin,,T,,,core,,yes")
    assert [row.errors for row in plan.errors] == [[f"A login named {admin.username} exists."]]


def test_people_missing_from_a_full_export_leave_only_when_hr_says_so(hr, manager, supervisor,
                                                                     employee, other_supervisor):
    lines = ("E-1001,Maria Moreno,,Collection Manager,,,core,,yes",
             "E-1002,Sam Sutton,,Collections Supervisor,,,core,E-1001,yes",
             "E-3001,Hana Hughes,,HR Officer,,,core,,yes")
    partial = _plan(*lines)
    assert not partial.leavers  # a partial file deactivates nobody
    full = sync.plan(sync.read(_csv(*lines)), missing_have_left=True)
    missing = {row.number for row in full.leavers}
    assert {"E-1003", "E-2001"} <= missing and not missing & {"E-1001", "E-1002", "E-3001"}
    assert all(row.missing for row in full.leavers)
    sync.apply(sync.read(_csv(*lines)), actor=hr.user, missing_have_left=True)
    employee.refresh_from_db()
    other_supervisor.refresh_from_db()
    assert not employee.is_active and not other_supervisor.is_active
    assert Employee.objects.filter(employee_number="E-1003").exists()  # never deleted


def test_a_row_reporting_to_someone_missing_from_a_full_export_is_refused(hr, supervisor,
                                                                         employee):
    plan = sync.plan(sync.read(_csv("E-1003,Emma Ellis,,T,,,core,E-1002,yes")),
                     missing_have_left=True)
    assert [row.errors for row in plan.errors] == [["The supervisor E-1002 has left."]]


def test_the_preview_names_who_a_full_export_would_deactivate_and_the_box_is_off_by_default(
        client, hr, supervisor, employee):
    client.force_login(hr.user)
    upload = SimpleUploadedFile("people.csv", _csv(
        "E-1002,Sam Sutton,,Collections Supervisor,,,core,E-1001,yes",
        "E-3001,Hana Hughes,,HR Officer,,,core,,yes"))
    preview_url = client.post(reverse("people_sync"), {"file": upload})["Location"]
    preview = client.get(preview_url).content.decode()
    assert "People missing from this file have left" in preview
    assert 'name="missing_have_left" id="missing-have-left"' in preview  # unticked
    assert "Emma Ellis (E-1003)" in preview and "Maria Moreno (E-1001)" in preview
    client.post(preview_url)  # applied without the box: nobody left out is touched
    employee.refresh_from_db()
    assert employee.is_active
    upload.seek(0)
    preview_url = client.post(reverse("people_sync"), {"file": upload})["Location"]
    applied = client.post(preview_url, {"missing_have_left": "on"})
    employee.refresh_from_db()
    assert not employee.is_active and b"2 deactivated" in applied.content  # Emma and Maria
