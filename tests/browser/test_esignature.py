"""Sam's first electronic signature in Chromium, under the enforced Content-Security-Policy: the
page shows the consent to sign electronically and, his sign-in being old, asks for his
password; a wrong one is explained at the field and his typed name stays; then he signs, and
the sheet page and his consent page show the evidence."""

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from goalsapp.models import SheetState
from reviews.esign import AUTHENTICATED_AT
from reviews.models import ESignatureConsent, Signature
from tests.browser.helpers import CONSENT_LABEL, assert_accessible, state_badge
from tests.factories import DEMO_PASSWORD
from tests.page_helpers import complete_summary
from tests.workflow_helpers import advance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def age_sign_in(context, minutes: int) -> None:
    """Moves the browser session's last sign-in `minutes` back, as time passing would."""
    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[AUTHENTICATED_AT] = int(
        (timezone.now() - datetime.timedelta(minutes=minutes)).timestamp())
    session.save()


def test_first_signature_with_consent_and_a_password_asked_again(login, sheet, hr, supervisor):
    advance(sheet, SheetState.SUPERVISOR_SIGNATURE)
    complete_summary(sheet)
    ESignatureConsent.objects.filter(user=supervisor.user).delete()

    context, sam = login("sam")
    age_sign_in(context, 30)
    sam.goto(f"/sheets/{sheet.pk}/do/sign_supervisor/")
    expect(sam.get_by_test_id("esign-consent")).to_contain_text(
        "binds me just as my handwritten signature")
    expect(sam.get_by_test_id("reauth-note")).to_contain_text("confirm it is you")
    assert_accessible(sam, "the signing page with consent and password")

    sam.get_by_label("Type your full name to sign").fill("Sam Sutton")
    sam.get_by_label("Your password (to confirm it is you)").fill("not my password")
    sam.get_by_role("button", name="Sign as supervisor").click()

    expect(sam.locator("#id_password_error")).to_contain_text("That password is not right")
    expect(sam.locator("#id_consent_error")).to_contain_text("agree to sign electronically")
    expect(sam.get_by_label("Type your full name to sign")).to_have_value("Sam Sutton")
    assert not Signature.objects.filter(sheet=sheet).exists()
    assert_accessible(sam, "the signing page with errors")

    sam.get_by_label(CONSENT_LABEL).check()
    sam.get_by_label("Your password (to confirm it is you)").fill(DEMO_PASSWORD)
    sam.get_by_role("button", name="Sign as supervisor").click()

    expect(sam.get_by_role("alert")).to_contain_text("Signed.")
    expect(state_badge(sam)).to_have_text("Employee signature")
    evidence = sam.get_by_test_id("signature-evidence")
    expect(evidence).to_contain_text("Consent to sign electronically given")
    expect(evidence).to_contain_text("from 127.0.0.1 · Mozilla/5.0")

    sam.get_by_role("link", name="E-signature consent").click()
    expect(sam.get_by_role("heading", name="Your e-signature consent")).to_be_visible()
    expect(sam.get_by_test_id("consent-status")).to_contain_text(
        "You agreed to sign electronically")
    assert_accessible(sam, "the consent page")
    signature = Signature.objects.get(sheet=sheet)
    assert signature.consent.user == supervisor.user
    assert "Chrome" in signature.user_agent


@pytest.fixture
def provider(live_server, settings):
    from tests.sso_helpers import point_at, running_provider

    with running_provider(live_server.url, {"idp-7f3a": {"email": "emma@example.com"}}) as issuer:
        point_at(settings, issuer)
        settings.SSO_ONLY = True  # no password to type again: only the provider can vouch
        yield issuer


def _at_provider(page, subject: str) -> None:
    page.locator("input[name=login]").fill(subject)
    page.locator("input[name=password]").fill("any")
    page.get_by_role("button", name="Sign-in").click()
    continue_button = page.get_by_role("button", name="Continue")
    if continue_button.count():  # the provider asks for consent only on a first grant
        continue_button.click()


def test_a_single_sign_on_user_signs_in_again_at_the_provider_then_signs(
        browser, live_server, provider, sheet, hr, employee):
    from .conftest import DESKTOP, TIMEOUT_MS

    employee.user.email = "emma@example.com"
    employee.user.save()
    advance(sheet, SheetState.EMPLOYEE_SIGNATURE)
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    emma = context.new_page()
    emma.goto("/accounts/login/")
    emma.get_by_role("link", name="Sign in with").click()
    _at_provider(emma, "idp-7f3a")
    expect(emma.get_by_role("heading", name="Waiting on me")).to_be_visible()

    age_sign_in(context, 30)
    emma.goto(f"/sheets/{sheet.pk}/do/sign_employee/")
    expect(emma.get_by_label("Your password (to confirm it is you)")).to_have_count(0)
    emma.get_by_test_id("sso-reauth").click()
    # prompt=login: the provider asks again although its own session is still open.
    _at_provider(emma, "idp-7f3a")

    expect(emma.get_by_role("heading", name="Sign as employee")).to_be_visible()
    expect(emma.get_by_test_id("reauth-note")).to_have_count(0)
    emma.get_by_label("I have read the acknowledgement above.").check()
    emma.get_by_label("Type your full name to sign").fill("Emma Ellis")
    emma.get_by_role("button", name="Sign as employee").click()
    expect(emma.get_by_role("alert")).to_contain_text("Signed.")
    signature = Signature.objects.get(sheet=sheet, role="employee")
    assert timezone.now() - signature.authenticated_at < datetime.timedelta(minutes=5)
    context.close()
