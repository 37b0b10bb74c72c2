"""Browser-side defences: a Content-Security-Policy with nothing inline, no-store on signed-in
pages, login throttling with a clear message and an admin unlock, password reset by e-mail, and
idle sessions that end."""

import datetime
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import DEMO_PASSWORD
from tests.page_helpers import by_testid, login

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What a policy without 'unsafe-inline' blocks: a script element without src (JSON data blocks
# are not run), a style element or attribute, an on… handler, and htmx's hx-on (it evals).
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style\b|\sstyle=|"
                    r"\son[a-z]+=|\bhx-on")


def test_no_page_template_holds_an_inline_script_or_style():
    offenders = [f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
                 for path in TEMPLATES.rglob("*.html")
                 if "emails" not in path.parts  # read in mail clients, never under the policy
                 for match in INLINE.finditer(path.read_text())]
    assert offenders == []


def test_every_page_carries_a_policy_without_inline_code(client, employee):
    login(client, employee)
    policy = client.get(reverse("inbox"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_violation_report_is_accepted_and_logged(client, caplog):
    response = client.post(reverse("csp_report"), data=b'{"csp-report": {}}',
                           content_type="application/csp-report")
    assert response.status_code == 204
    assert "Content-Security-Policy violation" in caplog.text


def test_signed_in_pages_are_never_stored(client, employee):
    login(client, employee)
    cache_control = client.get(reverse("inbox"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(client, employee,
                                                                            admin):
    username = employee.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, username, "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()

    locked = _sign_in(client, username, "wrong")
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert "15 minutes" in by_testid(locked, "locked-out")
    # Even the right password is refused while the lock lasts.
    assert _sign_in(client, username, DEMO_PASSWORD).status_code == 429

    admin_client = client_class_of(client)
    login(admin_client, admin)
    attempt = AccessAttempt.objects.get(username=username)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(changelist).status_code == 200
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [attempt.pk],
                                   "post": "yes"})
    assert not AccessAttempt.objects.filter(username=username).exists()

    assert _sign_in(client, username, DEMO_PASSWORD).status_code == 302


def client_class_of(client):
    return type(client)()


def test_a_password_is_reset_by_an_emailed_link(client, employee):
    user = employee.user
    user.email = "emma@example.com"
    user.save()

    response = client.post(reverse("password_reset"), {"email": "emma@example.com"}, follow=True)
    assert "a link to choose a new password is on its way" in by_testid(response, "reset-sent")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    new_password = "Correct-Horse-Battery-47"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password,
                                                     "new_password2": new_password}, follow=True)
    assert "Your password is changed" in done.content.decode()
    assert _sign_in(client, user.username, new_password).status_code == 302
    client.logout()
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_is_told_the_same_and_nothing_is_sent(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"},
                           follow=True)
    assert "a link to choose a new password is on its way" in by_testid(response, "reset-sent")
    assert mail.outbox == []


def test_an_idle_session_ends_and_an_active_one_does_not(client, employee, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    assert _sign_in(client, employee.user.username, DEMO_PASSWORD).status_code == 302
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    for _ in range(3):  # active: each request renews the session
        time_machine.shift(idle - datetime.timedelta(minutes=1))
        assert client.get(reverse("inbox")).status_code == 200

    time_machine.shift(idle + datetime.timedelta(minutes=1))
    response = client.get(reverse("inbox"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
