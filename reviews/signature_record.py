"""What every signature holds, whichever document it signs (the goals, or the closing review)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignatureRecord(models.Model):
    """What any signature holds, on the goals or on the closing review: the signer in a role,
    the typed name, the SHA-256 of the content signed, and the evidence of e-signature practice
    (reviews/esign.py), empty on goal signatures made before it was kept."""

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", "Supervisor"
        EMPLOYEE = "employee", "Employee"
        HR = "hr", "Human Resources"

    role = models.CharField(max_length=20, choices=Role.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    typed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)
    authenticated_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["signed_at"]

    def __str__(self):
        return f"{self.get_role_display()}: {self.typed_name}"

    @property
    def has_evidence(self) -> bool:
        """Signatures made before e-signature practice was kept have none."""
        return bool(self.consent_id or self.authenticated_at or self.ip_address
                    or self.user_agent)
