"""SSO without a browser: how claims map to employees, "SSO only" with its break-glass admin,
and sign-out's way to the provider. The whole flow through a real provider is
tests/browser/test_sso.py."""

import pytest
from django.urls import reverse

from goalsapp.sso.backends import EmployeeOIDCBackend
from goalsapp.sso.models import SsoIdentity
from goalsapp.sso.services import identity_bind, users_for_claims
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso(settings):
    settings.OIDC_RP_CLIENT_ID = "goalpost"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_END_SESSION_ENDPOINT = "https://idp.example.com/logout"
    for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        setattr(settings, f"OIDC_OP_{name}_ENDPOINT", f"https://idp.example.com/{name.lower()}")
    settings.AUTHENTICATION_BACKENDS = ["goalsapp.sso.backends.LocalPasswordBackend",
                                        "goalsapp.sso.backends.EmployeeOIDCBackend"]
    return settings


def test_a_subject_is_mapped_by_verified_email_once_then_by_subject(employee):
    employee.user.email = "Emma@Example.com"
    employee.user.save()
    claims = {"sub": "s-1", "email": "emma@example.com", "email_verified": True}
    assert list(users_for_claims(claims)) == [employee.user]
    identity_bind(employee.user, claims)
    assert list(users_for_claims({"sub": "s-1", "email": "changed@example.com"})) \
        == [employee.user]
    # Another subject presenting the same e-mail cannot take the bound login over.
    assert not users_for_claims({"sub": "s-2", "email": "emma@example.com"}).exists()


def test_unverified_unknown_or_departed_people_are_nobody(employee):
    employee.user.email = "emma@example.com"
    employee.user.save()
    assert not users_for_claims({"sub": "s", "email": "emma@example.com",
                                 "email_verified": False}).exists()
    assert not users_for_claims({"sub": "s", "email": "x@example.com"}).exists()
    assert not users_for_claims({"email": "emma@example.com"}).exists()
    employee.is_active = False
    employee.save()
    assert not users_for_claims({"sub": "s", "email": "emma@example.com"}).exists()


def test_the_backend_never_creates_a_login(sso):
    backend = EmployeeOIDCBackend()
    assert backend.create_user({"sub": "s", "email": "new@example.com"}) is None


def test_sso_only_refuses_passwords_but_the_break_glass_admins(client, sso, employee, admin):
    sso.SSO_ONLY = True
    sso.SSO_BREAK_GLASS_USERNAME = "ada"
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    page = client.get(reverse("login"))
    assert b"Passwords are turned off" in page.content and b"Sign in with" in page.content
    refused = client.post(reverse("login"), {"username": "emma", "password": DEMO_PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    taken = client.post(reverse("login"), {"username": "ada", "password": DEMO_PASSWORD})
    assert taken.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)


def test_passwords_work_as_before_without_sso(client, employee):
    page = client.get(reverse("login"))
    assert b"Sign in with" not in page.content
    assert client.get("/oidc/authenticate/").status_code == 404
    response = client.post(reverse("login"), {"username": "emma", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_sign_out_of_an_sso_session_goes_to_the_providers_end_session(client, sso, employee):
    client.force_login(employee.user, backend="goalsapp.sso.backends.EmployeeOIDCBackend")
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.example.com/logout?id_token_hint="
                                           "the.id.token&post_logout_redirect_uri=")
    assert "_auth_user_id" not in client.session


def test_sign_out_of_a_password_session_stays_here(client, sso, employee):
    client.force_login(employee.user)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert SsoIdentity.objects.count() == 0
