"""Encryption of SSNs at rest with keys of their own (settings.SSN_ENCRYPTION_KEYS)."""

import base64
import hashlib
import warnings
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.SSN_ENCRYPTION_KEYS)
    if not keys:
        if not settings.DEBUG:
            raise ImproperlyConfigured("SSN_ENCRYPTION_KEYS must be set to store SSNs.")
        # A development-only key, derived but distinct from SECRET_KEY.
        digest = hashlib.sha256(b"goalpost-ssn-dev:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
        warnings.warn("SSN_ENCRYPTION_KEYS is not set; using a development key.", stacklevel=2)
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
