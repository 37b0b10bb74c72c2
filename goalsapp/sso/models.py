"""Which provider subject is which login: bound at the first SSO sign-in."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SsoIdentity(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="sso_identity")
    subject = models.CharField(max_length=255, unique=True,
                               help_text="The provider's `sub` claim: stable, never reused.")
    bound_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SSO identity"
        verbose_name_plural = "SSO identities"

    def __str__(self):
        return f"{self.user} ↔ {self.subject}"
