"""The agreement over a goal sheet: per-goal answers and clarification replies, HR's SMART
checks, signatures bound to a content hash, and the event log that is the legal record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from goalsapp.models import (
    LONG_TEXT_MAX,
    Goal,
    GoalSheet,
    LockedSheetQuerySet,
    refuse_if_sheet_locked,
)

from .signature_record import SignatureRecord
from .workflow import EVENT_WORDS, state_label


class RecordAltered(Exception):
    """Raised when code tries to rewrite or remove the legal record (review events)."""


class GoalPartQuerySet(LockedSheetQuerySet):
    """Answers and SMART checks: bulk writes refuse rows of a signed sheet, as goals do."""

    sheet_path = "goal__sheet__"

    def _sheet_ids_of(self, objs) -> set:
        return set(Goal.objects.filter(pk__in={obj.goal_id for obj in objs})
                   .values_list("sheet_id", flat=True))


class SignatureQuerySet(LockedSheetQuerySet):
    sheet_path = "sheet__"


class ReviewEventQuerySet(models.QuerySet):
    """The event log is append-only: rows are added, never changed or removed."""

    def update(self, **kwargs):
        raise RecordAltered("Review events are the legal record: they are never changed.")

    def delete(self):
        raise RecordAltered("Review events are the legal record: they are never removed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise RecordAltered("Review events are the legal record: they are never changed.")


class PartOfSignedGoal(models.Model):
    """A row about one goal that becomes part of the signed record: frozen once it is locked."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        refuse_if_sheet_locked(self._sheet_id())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_sheet_locked(self._sheet_id())
        return super().delete(*args, **kwargs)

    def _sheet_id(self):
        return Goal.objects.filter(pk=self.goal_id).values("sheet_id")[:1]


class GoalAnswer(PartOfSignedGoal):
    """The employee's answer to one goal in one round, and the supervisor's reply to it."""

    class Answer(models.TextChoices):
        OKAY = "okay", "Okay"
        NEEDS_CLARIFICATION = "needs_clarification", "Needs Clarification"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField()
    answer = models.CharField(max_length=30, choices=Answer.choices)
    comment = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)

    objects = GoalPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "round"], name="one_answer_per_goal_round")
        ]

    def __str__(self):
        return f"Round {self.round}: {self.get_answer_display()}"

    @property
    def needs_clarification(self) -> bool:
        return self.answer == self.Answer.NEEDS_CLARIFICATION


class SmartCheck(PartOfSignedGoal):
    """HR's verdict on one goal against the five SMART criteria."""

    CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="smart_check")
    specific = models.BooleanField(default=False)
    measurable = models.BooleanField(default=False)
    achievable = models.BooleanField(default=False)
    relevant = models.BooleanField(default=False)
    time_bound = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    objects = GoalPartQuerySet.as_manager()
    history = HistoricalRecords()

    def __str__(self):
        return "Passes SMART" if self.passes else f"Fails: {', '.join(self.failed_criteria)}"

    @property
    def passes(self) -> bool:
        return all(getattr(self, name) for name in self.CRITERIA)

    @property
    def failed_criteria(self) -> list[str]:
        return [name for name in self.CRITERIA if not getattr(self, name)]


class ESignatureConsent(models.Model):
    """A person's consent to sign electronically: the exact text they agreed to, when, and from
    where. A signature points at the consent it was given under (reviews/esign.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="esignature_consents")
    given_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = "e-signature consent"

    def __str__(self):
        return f"{self.user} consented {self.given_at:%Y-%m-%d %H:%M}"


class Signature(SignatureRecord):
    """A signature on the goals (the agreement)."""

    sheet = models.ForeignKey(GoalSheet, on_delete=models.PROTECT, related_name="signatures")
    consent = models.ForeignKey(ESignatureConsent, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="signatures")

    objects = SignatureQuerySet.as_manager()

    class Meta(SignatureRecord.Meta):
        constraints = [
            # At most one live signature per role: a second concurrent signer fails here.
            models.UniqueConstraint(
                fields=["sheet", "role"], condition=Q(voided_at__isnull=True),
                name="one_live_signature_per_role",
            )
        ]

    def save(self, *args, **kwargs):
        refuse_if_sheet_locked(self.sheet_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_sheet_locked(self.sheet_id)
        return super().delete(*args, **kwargs)


class ReviewEvent(models.Model):
    """One transition or workflow action on a sheet: who, what, from, to, when, and why."""

    sheet = models.ForeignKey(GoalSheet, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["sheet", "at"])]

    def __str__(self):
        return f"{self.action} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RecordAltered("Review events are the legal record: they are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordAltered("Review events are the legal record: they are never removed.")

    @property
    def from_label(self) -> str:
        return state_label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return state_label(self.to_state)

    @property
    def description(self) -> str:
        return EVENT_WORDS.get(self.action, self.action.replace("_", " "))




class RecordCorrection(models.Model):
    """A row of the signed record changed by a PostgreSQL superuser for a legal correction,
    written by the database's own trigger (reviews/migrations/0005), never by the app."""

    at = models.DateTimeField()
    db_user = models.CharField(max_length=150)
    reason = models.TextField()
    table_name = models.CharField(max_length=100)
    operation = models.CharField(max_length=10)
    row_before = models.JSONField()
    row_after = models.JSONField(null=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return (f"{self.operation} on {self.table_name} by {self.db_user} "
                f"at {self.at:%Y-%m-%d %H:%M}")


# The closing review (a separate document on the same sheet) lives in its own module.
# HR's target distribution of ratings, for calibration.
from .calibration_models import RatingTarget  # noqa: E402
from .closing_models import (  # noqa: E402
    ClosingReview,
    ClosingSignature,
    GoalResult,
    RatingLevel,
    RatingScale,
)

__all__ = ["ClosingReview", "ClosingSignature", "GoalResult", "RatingLevel", "RatingScale",
           "SignatureRecord", "ESignatureConsent", "GoalAnswer", "PartOfSignedGoal",
           "RecordAltered",
           "RatingTarget", "RecordCorrection", "ReviewEvent", "Signature", "SmartCheck"]
