"""Single sign-on in a real browser through a real OpenID Connect provider on loopback: the
provider's login page, its consent, the code exchanged and the ID token's signature checked by
mozilla-django-oidc, the person mapped to their employee; sign-out ends the provider's session
too."""

import pytest
from playwright.sync_api import expect

from goalsapp.sso.models import SsoIdentity
from tests.factories import EmployeeFactory
from tests.sso_helpers import point_at, running_provider

from .conftest import DESKTOP, TIMEOUT_MS

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def provider(live_server, settings):
    accounts = {"idp-7f3a": {"email": "Emma.Ellis@Example.com"},
                "idp-stranger": {"email": "nobody@example.com"}}
    with running_provider(live_server.url, accounts) as issuer:
        point_at(settings, issuer)
        yield issuer


def _sign_in_at_provider(page, subject):
    page.get_by_role("link", name="Sign in with").click()
    page.locator("input[name=login]").fill(subject)
    page.locator("input[name=password]").fill("any")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_an_employee_signs_in_through_the_provider_and_out_of_both(browser, live_server,
                                                                   provider):
    emma = EmployeeFactory(user__username="emma", user__email="emma.ellis@example.com",
                           full_name="Emma Ellis")
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    _sign_in_at_provider(page, "idp-7f3a")
    expect(page.get_by_role("heading", name="Waiting on me")).to_be_visible()
    expect(page.get_by_text("Emma Ellis").first).to_be_visible()
    identity = SsoIdentity.objects.get(user=emma.user)
    assert identity.subject == "idp-7f3a"  # mapped by e-mail once, by subject from now on

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page
    expect(page.get_by_role("heading", name="Sign in to Goalpost")).to_be_visible()
    # The provider's session ended too: signing in again asks for the login anew.
    page.get_by_role("link", name="Sign in with").click()
    expect(page.locator("input[name=login]")).to_be_visible()
    context.close()


def test_someone_the_provider_knows_but_goalpost_does_not_is_refused(browser, live_server,
                                                                     provider):
    EmployeeFactory(user__username="emma", user__email="emma.ellis@example.com")
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    _sign_in_at_provider(page, "idp-stranger")
    expect(page.get_by_test_id("sso-failed")).to_be_visible()
    assert not SsoIdentity.objects.exists()
    context.close()
