"""Who a provider's claims are: the employee bound to the subject, else the one active employee
whose login has that (verified) e-mail, bound to the subject from then on. Nobody is created:
people come from the HRIS (the API or the admin)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import SsoIdentity


def users_for_claims(claims: dict) -> QuerySet:
    users = get_user_model().objects.filter(is_active=True, employee__is_active=True)
    subject = str(claims.get("sub") or "")
    if not subject:
        return users.none()
    bound = users.filter(sso_identity__subject=subject)
    if bound.exists():
        return bound
    email = str(claims.get("email") or "").strip()
    if not email or claims.get("email_verified") is False:
        return users.none()
    # A login bound to another subject is never taken over through its e-mail address.
    return users.filter(email__iexact=email, sso_identity=None)


def identity_bind(user, claims: dict) -> SsoIdentity:
    """Binds the subject to the login at its first SSO sign-in and records each sign-in."""
    with transaction.atomic():
        identity, _created = SsoIdentity.objects.get_or_create(
            user=user, defaults={"subject": str(claims["sub"])})
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
    return identity
