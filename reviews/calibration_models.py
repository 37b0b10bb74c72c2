"""HR's target distribution of ratings: the share of reviews each level of a scale is expected
to hold. It only informs calibration (groups off target are pointed out); nothing enforces it."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from .closing_models import RatingLevel


class RatingTarget(models.Model):
    """One level's target share in whole percent; a scale's targets count only when every level
    has one and they total 100 (reviews/calibration_selectors.targets_of)."""

    level = models.OneToOneField(RatingLevel, on_delete=models.CASCADE, primary_key=True,
                                 related_name="target")
    share = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(share__lte=100),
                                   name="target_share_at_most_100"),
        ]

    def __str__(self):
        return f"{self.level}: {self.share} %"
