"""E-signature practice: the consent to sign electronically, how recent the signer's sign-in
must be, and the evidence each signature keeps of where it came from."""

import datetime
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from config.security import client_ip

from .models import ESignatureConsent
from .workflow import WorkflowError

CONSENT_TEXT = (
    "I agree to sign my goal sheets in Goalpost electronically. Typing my full name and "
    "pressing the sign button is my signature: it binds me just as my handwritten signature "
    "on the paper form would. With each signature Goalpost records the time, a fingerprint of "
    "the sheet's content, when I last proved who I am, my network address and my browser. "
    "I can withdraw this consent at any time on the “Your e-signature consent” page, or ask "
    "Human Resources to sign on paper instead; withdrawing does not undo signatures already "
    "made."
)
CONSENT_SHA256 = hashlib.sha256(CONSENT_TEXT.encode()).hexdigest()
# The session key holding when this session last proved who the user is (seconds since the
# epoch): set at every sign-in and at every re-authentication before a signature.
AUTHENTICATED_AT = "goalpost_authenticated_at"
USER_AGENT_MAX = 300  # the column; real browsers send under 250 characters


class ConsentRequired(WorkflowError):
    """The signer has no consent to sign electronically on file for the current text."""

    def __init__(self):
        super().__init__("Give your consent to sign electronically (the box below) to sign.")


class ReauthenticationRequired(WorkflowError):
    """The signer's last sign-in is older than SIGNING_REAUTH_MINUTES."""

    def __init__(self):
        super().__init__("Confirm it is you (enter your password again) to sign: your last "
                         f"sign-in was more than {reauth_minutes()} minutes ago.")


@dataclass(frozen=True)
class SigningEvidence:
    """Where a signature comes from: when the signer last proved who they are, from which
    address and browser, and whether they consent to sign electronically with this signature."""

    authenticated_at: datetime.datetime | None
    ip_address: str | None = None
    user_agent: str = ""
    gives_consent: bool = False


def reauth_minutes() -> int:
    return int(getattr(settings, "SIGNING_REAUTH_MINUTES", 5))


def consent_on_file(user) -> ESignatureConsent | None:
    """The user's consent to the current text, unless withdrawn since."""
    return (ESignatureConsent.objects.filter(user=user, text_sha256=CONSENT_SHA256,
                                             withdrawn_at__isnull=True)
            .order_by("-given_at", "-id").first())


def consent_give(user, *, ip_address: str | None = None, user_agent: str = ""
                 ) -> ESignatureConsent:
    """Records the user's consent to the current text (or returns the one already on file)."""
    with transaction.atomic():
        consent = consent_on_file(user)
        if consent is None:
            consent = ESignatureConsent.objects.create(
                user=user, text=CONSENT_TEXT, text_sha256=CONSENT_SHA256,
                ip_address=valid_ip(ip_address), user_agent=(user_agent or "")[:USER_AGENT_MAX])
    return consent


def consent_withdraw(user) -> int:
    """Withdraws the user's consent: their next signature asks for it again. Signatures
    already made keep the consent they were given under."""
    return ESignatureConsent.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now())


def authentication_is_fresh(authenticated_at: datetime.datetime | None) -> bool:
    if authenticated_at is None:
        return False
    return timezone.now() - authenticated_at <= datetime.timedelta(minutes=reauth_minutes())


def require_may_sign(actor, evidence: SigningEvidence) -> ESignatureConsent:
    """The consent a signature is given under, recorded now if the signer consents with it;
    ConsentRequired or ReauthenticationRequired otherwise. Called by the signing service."""
    consent = consent_on_file(actor)
    if consent is None and not evidence.gives_consent:
        raise ConsentRequired()
    if not authentication_is_fresh(evidence.authenticated_at):
        raise ReauthenticationRequired()
    return consent or consent_give(actor, ip_address=evidence.ip_address,
                                   user_agent=evidence.user_agent)


# The session's side ------------------------------------------------------------------------------

def stamp_authentication(sender, request, user, **kwargs):
    """A user_logged_in receiver: every sign-in (password or single sign-on) proves who the
    user is now."""
    if request is not None and hasattr(request, "session"):
        request.session[AUTHENTICATED_AT] = int(timezone.now().timestamp())


def authenticated_at(request) -> datetime.datetime | None:
    stamp = request.session.get(AUTHENTICATED_AT)
    if not isinstance(stamp, int):
        return None
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def needs_reauthentication(request) -> bool:
    return not authentication_is_fresh(authenticated_at(request))


def reauthenticate(request, password: str) -> bool:
    """Checks the signed-in user's password again, through the authentication backends, so a
    wrong one counts towards django-axes' lockout like any failed sign-in; a right one
    refreshes the session's authentication time."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is None or user.pk != request.user.pk:
        return False
    request.session[AUTHENTICATED_AT] = int(timezone.now().timestamp())
    return True


def valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def evidence_from(request, *, gives_consent: bool = False) -> SigningEvidence:
    """The evidence a signature made in this request keeps. The address is the one the TLS
    proxy vouches for (config.security.client_ip), never a header the client wrote."""
    return SigningEvidence(
        authenticated_at=authenticated_at(request),
        ip_address=valid_ip(client_ip(request)),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
        gives_consent=gives_consent)
