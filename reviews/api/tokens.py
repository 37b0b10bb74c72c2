"""Creating, finding and revoking API tokens: the secret is shown once and stored as SHA-256."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import ApiToken

PREFIX = "gp_"
LAST_USED_EVERY = 60  # seconds: recording every request would write a row per call


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, name: str, acts_as, scopes: list[str], created_by=None) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown:
        raise ValueError(f"Unknown scope {', '.join(sorted(unknown))}.")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, acts_as=acts_as, scopes=sorted(set(scopes)),
                                    prefix=raw[:12], key_hash=digest(raw), created_by=created_by)
    return token, raw


def token_revoke(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())


def token_find(raw: str) -> ApiToken | None:
    """The live token with this secret, its last use recorded (at most once a minute)."""
    token = (ApiToken.objects.select_related("acts_as")
             .filter(key_hash=digest(raw), revoked_at=None).first())
    if token is None or not token.acts_as.is_active:
        return None
    now = timezone.now()
    stale = now - timedelta(seconds=LAST_USED_EVERY)
    ApiToken.objects.filter(Q(last_used_at=None) | Q(last_used_at__lt=stale),
                            pk=token.pk).update(last_used_at=now)
    return token
