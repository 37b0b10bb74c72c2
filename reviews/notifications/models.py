"""Notification rows (the inbox, the e-mail outbox and the claim of each reminder in one), the
daily digest claims, each person's delivery preference and the site-wide reminder settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from goalsapp.models import GoalSheet


class NotificationSettings(models.Model):
    """One row (pk 1), made with its defaults by migration 0002: when reminders and escalations
    go out. HR edits it on the Reminder settings page (or in the Django admin)."""

    SINGLETON_PK = 1

    lead_days = models.PositiveSmallIntegerField(
        "Remind this many days before the due date", default=3,
        validators=[MaxValueValidator(60)],
        help_text="0 reminds on the due date itself. At most 60.")
    overdue_cadence_days = models.PositiveSmallIntegerField(
        "While overdue, remind every … days", default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="The first overdue reminder goes out the day after the due date. 1 to 60.")
    escalation_after_days = models.PositiveSmallIntegerField(
        "Escalate after this many overdue days", default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="The supervisor's own supervisor and HR are told once. 1 to 365.")

    class Meta:
        db_table = "reviews_notificationsettings"  # made before notifications were an app
        verbose_name = verbose_name_plural = "reminder settings"

    def __str__(self):
        return "Reminder settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK  # there is only ever one row
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "NotificationSettings":
        """The numbers in force. The row exists from the migration on; a database flushed since
        (tests) gets it back with the defaults here, the one place it is ever created."""
        return cls.objects.get_or_create(pk=cls.SINGLETON_PK)[0]


class NotificationPreference(models.Model):
    """How a person wants their reminders: one e-mail each, or one digest a day."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    daily_digest = models.BooleanField(
        default=False, help_text="Collect reminders into one e-mail a day.")

    class Meta:
        db_table = "reviews_notificationpreference"

    def __str__(self):
        return f"{self.user}: {'daily digest' if self.daily_digest else 'single e-mails'}"


class Notification(models.Model):
    """One thing one person is told about one sheet. The row is the in-app notification, the
    e-mail's place in the outbox and, for reminders, the claim: its unique key (sheet, stage,
    recipient, kind, day) means a reminder slot can be taken once, however many sweeps run."""

    class Kind(models.TextChoices):
        WAITING = "waiting", "Now waits on you"
        BEFORE_DUE = "before_due", "Due soon"
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Escalation"

    class Email(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DIGEST = "digest", "Waiting for the daily digest"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        NO_ADDRESS = "no_address", "Not sent: no e-mail address"

    # Fewer indexes make the sweep's bulk insert cheaper: the recipient is the first column of
    # notification_unread, the event the first of a partial unique constraint below, and the
    # sheet the first of the other (sheets are hardly ever deleted, being PROTECTed by events).
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", db_index=False)
    sheet = models.ForeignKey(GoalSheet, on_delete=models.CASCADE, related_name="notifications",
                              db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    stage = models.CharField(max_length=30, help_text="The sheet's state it is about.")
    day = models.DateField(help_text="The reminder's day slot; the transition's day.")
    event = models.ForeignKey("reviews.ReviewEvent", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+", db_index=False)
    message = models.CharField(max_length=400)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    via_digest = models.BooleanField(default=False)
    email_status = models.CharField(max_length=20, choices=Email.choices,
                                    default=Email.PENDING)
    batch = models.UUIDField(null=True, blank=True, editable=False,
                             help_text="The sweep that created it.")
    claim = models.UUIDField(null=True, blank=True, editable=False,
                             help_text="The delivery that took it from the outbox.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)

    class Meta:
        db_table = "reviews_notification"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "stage", "recipient", "kind", "day"],
                condition=~Q(kind="waiting"), name="one_reminder_per_slot"),
            models.UniqueConstraint(
                fields=["event", "recipient"], condition=Q(event__isnull=False),
                name="one_notice_per_event_and_recipient"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_status"], name="notification_outbox",
                         condition=Q(email_status__in=["pending", "digest", "sending"])),
            models.Index(fields=["claim"], name="notification_claim",
                         condition=Q(claim__isnull=False)),
        ]

    def __str__(self):
        return self.message

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DigestDelivery(models.Model):
    """The claim on one person's digest for one day: it is sent once, whoever sends it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()
    batch = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "reviews_digestdelivery"
        verbose_name_plural = "digest deliveries"
        constraints = [models.UniqueConstraint(fields=["recipient", "day"],
                                               name="one_digest_per_day")]

    def __str__(self):
        return f"Digest for {self.recipient} on {self.day}"
