"""E-signature practice: consent to sign electronically before the first signature (and seen
afterwards), a recent sign-in before each signature (password again, or a fresh single
sign-on), and the evidence each signature keeps."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from goalsapp.models import SheetState
from reviews import esign, services
from reviews.esign import AUTHENTICATED_AT, ConsentRequired, ReauthenticationRequired
from reviews.models import ESignatureConsent, Signature
from tests.factories import DEMO_PASSWORD, EmployeeFactory
from tests.page_helpers import (
    alerts,
    by_testid,
    complete_summary,
    field_error,
    form_values,
    fresh,
    login,
    without_csrf,
)
from tests.workflow_helpers import signing_evidence

pytestmark = pytest.mark.django_db
S = SheetState


@pytest.fixture
def to_sign(sheet, advance):
    """Emma's sheet waiting on Sam's signature, summary complete."""
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    return complete_summary(sheet)


@pytest.fixture
def sam_without_consent(supervisor):
    ESignatureConsent.objects.filter(user=supervisor.user).delete()
    return supervisor


def sign_url(sheet, action="sign_supervisor"):
    return reverse("sheet_transition", args=[sheet.pk, action])


def post_sign(client, sheet, action="sign_supervisor", **values):
    url = sign_url(sheet, action)
    page = client.get(url)
    assert page.status_code == 200, alerts(page)
    return client.post(url, {**without_csrf(form_values(page, having="version")), **values})


def age_sign_in(client, minutes: int) -> None:
    session = client.session
    session[AUTHENTICATED_AT] = int((timezone.now()
                                     - datetime.timedelta(minutes=minutes)).timestamp())
    session.save()


# The service's rules -----------------------------------------------------------------------------

def test_the_service_refuses_a_signer_without_consent(to_sign, sam_without_consent):
    with pytest.raises(ConsentRequired, match="consent to sign electronically"):
        services.sheet_sign(sheet_id=to_sign.pk, actor=sam_without_consent.user,
                            version=fresh(to_sign).version, typed_name="Sam Sutton",
                            evidence=signing_evidence(gives_consent=False))
    assert not Signature.objects.filter(sheet=to_sign).exists()
    assert fresh(to_sign).state == S.SUPERVISOR_SIGNATURE


def test_the_service_refuses_a_sign_in_older_than_the_window(to_sign, supervisor, settings):
    settings.SIGNING_REAUTH_MINUTES = 5
    old = timezone.now() - datetime.timedelta(minutes=6)
    with pytest.raises(ReauthenticationRequired, match="more than 5 minutes ago"):
        services.sheet_sign(sheet_id=to_sign.pk, actor=supervisor.user,
                            version=fresh(to_sign).version, typed_name="Sam Sutton",
                            evidence=signing_evidence(authenticated_at=old))
    with pytest.raises(ReauthenticationRequired):
        services.sheet_sign(sheet_id=to_sign.pk, actor=supervisor.user,
                            version=fresh(to_sign).version, typed_name="Sam Sutton",
                            evidence=signing_evidence(authenticated_at=None))
    assert not Signature.objects.filter(sheet=to_sign).exists()


def test_consent_given_with_the_first_signature_is_recorded_and_kept(to_sign,
                                                                       sam_without_consent):
    signature = services.sheet_sign(
        sheet_id=to_sign.pk, actor=sam_without_consent.user, version=fresh(to_sign).version,
        typed_name="Sam Sutton",
        evidence=signing_evidence(ip_address="203.0.113.7", user_agent="Firefox/140"))

    consent = ESignatureConsent.objects.get(user=sam_without_consent.user)
    assert (consent.text, consent.ip_address, consent.user_agent) == (
        esign.CONSENT_TEXT, "203.0.113.7", "Firefox/140")
    assert signature.consent == consent
    assert (signature.ip_address, signature.user_agent) == ("203.0.113.7", "Firefox/140")
    assert signature.authenticated_at is not None


# The signing page: consent -----------------------------------------------------------------------

def test_the_first_signature_shows_the_consent_and_refuses_without_it(client, to_sign,
                                                                      sam_without_consent):
    login(client, sam_without_consent)
    page = client.get(sign_url(to_sign))
    assert "binds me just as my handwritten signature" in by_testid(page, "esign-consent")
    assert "withdraw this consent" in by_testid(page, "esign-consent")

    refused = post_sign(client, to_sign, typed_name="Sam Sutton")

    assert refused.status_code == 200
    assert "agree to sign electronically" in field_error(refused, "id_consent")
    assert form_values(refused, having="typed_name")["typed_name"] == "Sam Sutton"
    assert not Signature.objects.filter(sheet=to_sign).exists()
    assert not ESignatureConsent.objects.filter(user=sam_without_consent.user).exists()


def test_ticking_the_consent_signs_and_records_it(client, to_sign, sam_without_consent):
    login(client, sam_without_consent)
    response = post_sign(client, to_sign, typed_name="Sam Sutton", consent="on")

    assert response.status_code == 302
    signature = Signature.objects.get(sheet=to_sign)
    assert signature.consent.user == sam_without_consent.user
    assert signature.consent.ip_address == "127.0.0.1"
    # The next signature asks no more.
    assert "esign-consent" not in client.get(sign_url(to_sign, "sign_supervisor")).content.decode()


def test_a_person_sees_their_consent_and_can_withdraw_it(client, to_sign, supervisor):
    login(client, supervisor)
    consent = esign.consent_on_file(supervisor.user)
    page = client.get(reverse("esign_consent"))
    assert f"{consent.given_at:%b} {consent.given_at.day}, {consent.given_at:%Y}" in by_testid(
        page, "consent-status")
    assert by_testid(page, "consent-text") == esign.CONSENT_TEXT
    assert 'href="/account/e-signature-consent/"' in client.get(
        sign_url(to_sign)).content.decode()  # linked from the signing page

    withdrawn = client.post(reverse("esign_consent"), follow=True)

    assert "Your consent is withdrawn" in alerts(withdrawn)
    assert "no consent to sign electronically on file" in by_testid(withdrawn, "consent-status")
    assert "withdrawn" in by_testid(withdrawn, "consent-history")
    assert "binds me" in by_testid(client.get(sign_url(to_sign)), "esign-consent")


def test_the_consent_page_shows_only_ones_own(client, supervisor, employee):
    login(client, employee)
    page = client.get(reverse("esign_consent")).content.decode()
    assert page.count("Given ") == 1  # Emma's own, not Sam's


# The signing page: re-authentication -------------------------------------------------------------

def test_signing_in_stamps_the_session(client, employee):
    client.post(reverse("login"), {"username": "emma", "password": DEMO_PASSWORD})
    assert isinstance(client.session[AUTHENTICATED_AT], int)


def test_a_recent_sign_in_asks_for_no_password(client, to_sign, supervisor):
    login(client, supervisor)
    page = client.get(sign_url(to_sign))
    assert "password" not in form_values(page, having="version")
    assert post_sign(client, to_sign, typed_name="Sam Sutton").status_code == 302


def test_an_old_sign_in_asks_for_the_password_and_a_wrong_one_keeps_the_name(
        client, to_sign, supervisor, settings):
    settings.SIGNING_REAUTH_MINUTES = 5
    login(client, supervisor)
    age_sign_in(client, 6)
    page = client.get(sign_url(to_sign))
    assert "more than 5 minutes ago" in by_testid(page, "reauth-note")

    refused = post_sign(client, to_sign, typed_name="Sam Sutton", password="not-it")

    assert refused.status_code == 200
    assert "That password is not right" in field_error(refused, "id_password")
    assert form_values(refused, having="typed_name")["typed_name"] == "Sam Sutton"
    assert "not-it" not in refused.content.decode()  # a password is never echoed
    assert not Signature.objects.filter(sheet=to_sign).exists()
    assert AccessAttempt.objects.get(username="sam").failures_since_start == 1

    signed = post_sign(client, to_sign, typed_name="Sam Sutton", password=DEMO_PASSWORD)

    assert signed.status_code == 302
    signature = Signature.objects.get(sheet=to_sign)
    assert timezone.now() - signature.authenticated_at < datetime.timedelta(minutes=5)
    assert esign.authenticated_at(_request_with(client)) == signature.authenticated_at.replace(
        microsecond=0)


def _request_with(client):
    class Request:
        session = client.session
    return Request()


def test_wrong_passwords_at_signing_lock_the_person_out_like_failed_sign_ins(
        client, to_sign, supervisor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    login(client, supervisor)
    age_sign_in(client, 60)
    for _ in range(2):
        assert post_sign(client, to_sign, typed_name="Sam Sutton",
                         password="wrong").status_code == 200

    locked = post_sign(client, to_sign, typed_name="Sam Sutton", password="wrong")

    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower()
    # Even the right password is refused until an admin unlocks or the pause ends.
    url = sign_url(to_sign)
    again = client.post(url, {"version": fresh(to_sign).version, "typed_name": "Sam Sutton",
                              "password": DEMO_PASSWORD})
    assert again.status_code == 429
    assert not Signature.objects.filter(sheet=to_sign).exists()


@pytest.fixture
def sso(settings):
    settings.OIDC_RP_CLIENT_ID = "goalpost"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        setattr(settings, f"OIDC_OP_{name}_ENDPOINT", f"https://idp.example.com/{name.lower()}")
    settings.SSO_PROVIDER_NAME = "Example ID"
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                                        "goalsapp.sso.backends.LocalPasswordBackend",
                                        "goalsapp.sso.backends.EmployeeOIDCBackend"]
    return settings


def test_sso_only_offers_a_fresh_single_sign_on_that_returns_to_the_signing_page(
        client, to_sign, supervisor, sso):
    sso.SSO_ONLY = True
    client.force_login(supervisor.user, backend="goalsapp.sso.backends.EmployeeOIDCBackend")
    age_sign_in(client, 60)
    page = client.get(sign_url(to_sign))
    assert "password" not in form_values(page, having="version")  # SSO only: no password
    link = [a for a in page.content.decode().split('"') if a.startswith("/oidc/reauth")][0]

    to_provider = client.get(link.replace("&amp;", "&"))

    assert to_provider.status_code == 302
    query = parse_qs(urlsplit(to_provider["Location"]).query)
    assert to_provider["Location"].startswith("https://idp.example.com/authorization")
    assert (query["prompt"], query["max_age"]) == (["login"], ["0"])
    assert client.session["oidc_login_next"] == sign_url(to_sign)
    # Signing without coming back says what to do, next to the form.
    refused = client.post(sign_url(to_sign), {"version": fresh(to_sign).version,
                                              "typed_name": "Sam Sutton"})
    assert "Confirm it is you" in refused.content.decode()
    assert not Signature.objects.filter(sheet=to_sign).exists()


# Evidence -----------------------------------------------------------------------------------------

def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_appended(client, to_sign,
                                                                        supervisor, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    login(client, supervisor)
    page = client.get(sign_url(to_sign))
    client.post(sign_url(to_sign), {**without_csrf(form_values(page, having="version")),
                                    "typed_name": "Sam Sutton"},
                HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4",  # client wrote the first
                HTTP_X_FORWARDED_PROTO="https", HTTP_USER_AGENT="A" * 1000)
    signature = Signature.objects.get(sheet=to_sign)
    assert signature.ip_address == "198.51.100.4"
    assert signature.user_agent == "A" * 300


def test_without_a_proxy_a_forwarded_header_is_ignored(client, to_sign, supervisor):
    login(client, supervisor)
    page = client.get(sign_url(to_sign))
    client.post(sign_url(to_sign), {**without_csrf(form_values(page, having="version")),
                                    "typed_name": "Sam Sutton"},
                HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert Signature.objects.get(sheet=to_sign).ip_address == "127.0.0.1"


def test_the_sheet_page_shows_each_signatures_evidence(client, sheet, advance, employee):
    advance(sheet, S.SIGNED)
    login(client, employee)
    evidence = by_testid(client.get(reverse("sheet_detail", args=[sheet.pk])),
                         "signature-evidence")
    assert evidence.count("Consent to sign electronically given") == 3
    assert evidence.count("from 127.0.0.1 · Goalpost tests") == 3


def test_an_old_signature_without_evidence_shows_none(client, sheet, advance, employee):
    advance(sheet, S.EMPLOYEE_SIGNATURE)
    Signature.objects.filter(sheet=sheet).update(consent=None, authenticated_at=None,
                                                 ip_address=None, user_agent="")
    login(client, employee)
    page = client.get(reverse("sheet_detail", args=[sheet.pk]))
    assert by_testid(page, "signature-evidence") == ""
    assert "Sam Sutton" in by_testid(page, "signatures")


def test_a_new_person_needs_consent_before_their_first_signature(db):
    person = EmployeeFactory(user__esign_consent=False)
    assert esign.consent_on_file(person.user) is None


def test_withdrawing_touches_only_ones_own_consent(client, supervisor, employee):
    login(client, employee)
    client.post(reverse("esign_consent"))
    assert esign.consent_on_file(employee.user) is None
    assert esign.consent_on_file(supervisor.user) is not None


def test_a_hostile_password_is_refused_at_the_field_without_hashing_it(client, to_sign,
                                                                       supervisor):
    login(client, supervisor)
    age_sign_in(client, 60)
    refused = post_sign(client, to_sign, typed_name="Sam Sutton", password="x" * 100_000,
                        consent="\x00")
    assert refused.status_code == 200
    assert "That password is not right" in field_error(refused, "id_password")
    assert form_values(refused, having="typed_name")["typed_name"] == "Sam Sutton"
    assert not Signature.objects.filter(sheet=to_sign).exists()
