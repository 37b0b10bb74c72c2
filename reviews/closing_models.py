"""The closing review of a period's sheet (docs/closing.md): each goal's final result and grade,
the employee's self-assessment, the supervisor's assessment and proposed rating on HR's scale,
and its own three signatures. It is a document of its own beside the signed goals, which stay
exactly as signed; once HR signs it, it is locked like them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from goalsapp.attainment import GRADE_LABELS, Grade
from goalsapp.models import LONG_TEXT_MAX, Goal, GoalSheet

from .closing_states import ClosingState
from .signature_record import SignatureRecord

GRADE_CHOICES = [(grade.value, GRADE_LABELS[grade]) for grade in Grade]


class ClosingLocked(Exception):
    """Raised when anything tries to change a closing review HR has signed."""

    def __init__(self, review_id=None):
        super().__init__(f"Closing review {review_id} is signed and locked; it cannot be changed.")


def refuse_if_review_closed(review_id) -> None:
    """Asks the database, never an instance: a copy loaded before HR signed must not win."""
    if review_id is not None and ClosingReview.objects.filter(
            pk=review_id, state=ClosingState.CLOSED).exists():
        raise ClosingLocked(review_id)


class ClosedReviewQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse rows of a closed review, as the goals' do once signed."""

    review_path = ""

    def _refuse_closed(self):
        if self.filter(**{f"{self.review_path}state": ClosingState.CLOSED}).exists():
            raise ClosingLocked()

    def update(self, **kwargs):
        self._refuse_closed()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self.filter(pk__in=[obj.pk for obj in objs])._refuse_closed()
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        self._refuse_closed()
        return super().delete()


class ReviewPartQuerySet(ClosedReviewQuerySet):
    review_path = "review__"


class RatingScale(models.Model):
    """The scale supervisors propose ratings on; HR keeps one active at a time."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True),
                                    name="one_active_rating_scale"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def active(cls):
        return cls.objects.filter(is_active=True).first()


class RatingLevel(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale", "position", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="one_level_per_value"),
        ]

    def __str__(self):
        return f"{self.value} — {self.label}"


class ClosingReview(models.Model):
    sheet = models.OneToOneField(GoalSheet, on_delete=models.PROTECT, related_name="closing")
    state = models.CharField(max_length=30, choices=ClosingState.choices,
                             default=ClosingState.SELF_ASSESSMENT)
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(default=timezone.now)
    # Empty when the nightly task opened it at the period's end.
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    state_changed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    self_assessment = models.TextField("Overall self-assessment", blank=True,
                                       max_length=LONG_TEXT_MAX)
    supervisor_assessment = models.TextField("Overall assessment", blank=True,
                                             max_length=LONG_TEXT_MAX)
    proposed_rating = models.ForeignKey(RatingLevel, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="+")
    # The rating that stands: the proposed one until calibration adjusts it.
    rating = models.ForeignKey(RatingLevel, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    # Σ weight × attainment / 100 (goalsapp.attainment.weighted_score), kept as a share; empty
    # when the goals carry no weights. It informs the rating, never decides it.
    weighted_score = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ClosedReviewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(state=ClosingState.CLOSED, closed_at__isnull=False)
                           | (~Q(state=ClosingState.CLOSED) & Q(closed_at__isnull=True))),
                name="closed_exactly_when_hr_signed"),
        ]
        indexes = [models.Index(fields=["state"], name="closing_by_state")]

    def __str__(self):
        return f"Closing review — {self.sheet}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            refuse_if_review_closed(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_review_closed(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.state == ClosingState.CLOSED


class PartOfClosingReview(models.Model):
    """A row that becomes part of the closing record: frozen once HR signs the review."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        refuse_if_review_closed(self.review_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_review_closed(self.review_id)
        return super().delete(*args, **kwargs)


class GoalResult(PartOfClosingReview):
    """One goal's final result: the final actual from tracking, the grade the attainment rule
    gives, the supervisor's override (with its reason), and both parties' words on it."""

    review = models.ForeignKey(ClosingReview, on_delete=models.CASCADE, related_name="results")
    goal = models.OneToOneField(Goal, on_delete=models.PROTECT, related_name="closing_result")
    final_actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    attained = models.DecimalField(max_digits=24, decimal_places=8, null=True, blank=True)
    computed_grade = models.CharField(max_length=20, choices=GRADE_CHOICES)
    override_grade = models.CharField(max_length=20, choices=GRADE_CHOICES, blank=True)
    override_reason = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    overridden_at = models.DateTimeField(null=True, blank=True)
    self_assessment = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    supervisor_assessment = models.TextField(blank=True, max_length=LONG_TEXT_MAX)

    objects = ReviewPartQuerySet.as_manager()

    class Meta:
        ordering = ["goal__position", "goal_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(override_grade="") | ~Q(override_reason=""),
                name="override_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.get_grade_display()}"

    @property
    def grade(self) -> str:
        """The grade that stands: the supervisor's override, else the computed one."""
        return self.override_grade or self.computed_grade

    def get_grade_display(self) -> str:
        return GRADE_LABELS[Grade(self.grade)]

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_grade)


class ClosingSignature(SignatureRecord, PartOfClosingReview):
    """A signature on the closing review, bound to the SHA-256 of its canonical content
    (reviews/canonical.closing_canonical); the same e-signature practice as on the goals."""

    review = models.ForeignKey(ClosingReview, on_delete=models.PROTECT, related_name="signatures")
    consent = models.ForeignKey("reviews.ESignatureConsent", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="closing_signatures")

    objects = ReviewPartQuerySet.as_manager()

    class Meta(SignatureRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["review", "role"], condition=Q(voided_at__isnull=True),
                name="one_live_closing_signature_per_role",
            )
        ]

    def __str__(self):
        return f"Closing, {self.get_role_display()}: {self.typed_name}"
