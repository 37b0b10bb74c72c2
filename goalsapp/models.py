"""The goals and the people: employees, review periods, competencies, goal sheets and goals,
and the goal library (job titles, goal templates, goal sets).

This app knows nothing of the workflow; reviews/ owns who may change a sheet and when.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import crypto
from .kpis import KPI_CHOICES, SCOPE_CHOICES, SCOPE_COLLECTOR

GOAL_TEXT_MAX = 1000
LONG_TEXT_MAX = 4000
SSN_RE = re.compile(r"^\d{3}-?\d{2}-?\d{4}$")


class SheetLocked(Exception):
    """Raised when anything tries to change a signed (locked) goal sheet or its goals."""

    def __init__(self, sheet_id=None):
        super().__init__(f"Goal sheet {sheet_id} is signed and locked; it cannot be changed.")


def refuse_if_sheet_locked(sheet_id) -> None:
    """For rows that belong to a sheet's signed content: nothing changes once it is signed.
    Asks the database, never an instance: a copy loaded before signing must not win."""
    if GoalSheet.objects.filter(pk=sheet_id).signed().exists():
        raise SheetLocked(sheet_id)


class Employee(models.Model):
    class Tier(models.TextChoices):
        NEW = "new", "New"
        CORE = "core", "Core"
        HIGH = "high", "High performer"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee"
    )
    employee_number = models.CharField(max_length=20, unique=True)
    full_name = models.CharField(max_length=150)
    title = models.CharField(max_length=100)
    territory = models.CharField(max_length=100, blank=True)
    work_location = models.CharField(max_length=150, blank=True)
    performance_tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.CORE)
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    is_active = models.BooleanField(default=True)
    # Fernet token; never shown, logged or copied to history (see excluded_fields).
    ssn_encrypted = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["ssn_encrypted"])

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.employee_number})"

    def set_ssn(self, ssn: str) -> None:
        ssn = ssn.strip()
        if ssn and not SSN_RE.match(ssn):
            raise ValidationError({"ssn": "Enter the SSN as 123-45-6789."})
        digits = ssn.replace("-", "")
        self.ssn_encrypted = crypto.encrypt(digits) if digits else ""

    @property
    def ssn(self) -> str:
        digits = crypto.decrypt(self.ssn_encrypted) if self.ssn_encrypted else ""
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if digits else ""

    @property
    def masked_ssn(self) -> str:
        ssn = self.ssn
        return f"***-**-{ssn[-4:]}" if ssn else ""


class ReviewPeriod(models.Model):
    name = models.CharField(max_length=100, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    goals_due = models.DateField(help_text="Supervisors send drafted goals by this date.")
    answers_due = models.DateField(help_text="Employees answer every goal by this date.")
    signatures_due = models.DateField(help_text="Supervisor and employee sign by this date.")
    hr_review_due = models.DateField(help_text="HR reviews and signs by this date.")
    # The closing review at the period's end (docs/closing.md); empty: that stage has no due
    # date, so nothing about it is ever overdue.
    self_assessments_due = models.DateField(
        null=True, blank=True, help_text="Employees write their self-assessment by this date.")
    assessments_due = models.DateField(
        null=True, blank=True,
        help_text="Supervisors write their assessment and propose a rating by this date.")
    closing_signatures_due = models.DateField(
        null=True, blank=True,
        help_text="Supervisor and employee sign the closing review by this date.")
    hr_closing_due = models.DateField(
        null=True, blank=True, help_text="HR calibrates and signs the closing review by this date.")
    currency = models.CharField(max_length=3, default="USD")
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk and self.signed_content_changed():
            raise SheetLocked()
        super().save(*args, **kwargs)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The period must end after it starts."})
        if self.pk and self.signed_content_changed():
            raise ValidationError("Sheets in this period have been signed: its name and dates "
                                  "are part of what was signed and can no longer change.")

    def signed_content_changed(self) -> bool:
        """Whether this edit changes the name or dates that signed sheets vouch for."""
        stored = ReviewPeriod.objects.filter(pk=self.pk).values(
            "name", "starts_on", "ends_on").first()
        if stored is None or stored == {"name": self.name, "starts_on": self.starts_on,
                                        "ends_on": self.ends_on}:
            return False
        return self.sheets.signed().exists()

    def contains(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Competency(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    short_description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "competencies"

    def __str__(self):
        return self.name


class SheetState(models.TextChoices):
    """The states a sheet can be in; reviews/workflow.py decides how it moves between them."""

    DRAFTING = "drafting", "Drafting"
    EMPLOYEE_REVIEW = "employee_review", "Employee review"
    SUPERVISOR_SIGNATURE = "supervisor_signature", "Supervisor signature"
    EMPLOYEE_SIGNATURE = "employee_signature", "Employee signature"
    HR_REVIEW = "hr_review", "HR review"
    SIGNED = "signed", "Signed"


def signed_q(path: str = "") -> Q:
    """The one meaning of "signed" as a query: HR has signed, so the sheet's state is SIGNED
    (and, by the database's own check, `locked_at` says when). `path` leads from another model
    to the sheet, as "sheet__" from a goal."""
    return Q(**{f"{path}state": SheetState.SIGNED})


# Versions of a sheet ----------------------------------------------------------------------------
# A signed sheet never changes; an amendment is a new GoalSheet row (its `edition` one more) that
# names the version it amends (`amends`). Each version is amended at most once (a unique column),
# so the versions of an employee's period form one chain. These two conditions are the one place
# that says which version counts; every list, dashboard, export and the API ask them.

def newest_version_q(path: str = "") -> Q:
    """The newest version of each employee's sheet in a period, whatever its state: what sheet
    lists show (one row a person and period; a signed version being amended is reached from the
    amendment's page)."""
    return Q(**{f"{path}amendment__isnull": True})


def in_force_q(path: str = "") -> Q:
    """The signed version in force: signed, and no amendment of it signed yet. Tracking,
    dashboards and exports of actuals count these goals only; while an amendment is under way the
    version it amends stays in force.

    "No signed amendment" is a NOT EXISTS, not a join to the amendment: PostgreSQL estimates an
    anti-join's rows, while the join's negated condition made it expect a twentieth of the
    signed goals and grade the department's 100,000 goals one index lookup at a time."""
    signed_amendment = GoalSheet.objects.filter(amends=OuterRef(f"{path}id"),
                                                state=SheetState.SIGNED)
    return signed_q(path) & ~Q(Exists(signed_amendment))


def joined_one(instance, name: str, read):
    """`instance.<name>`, a reverse one-to-one (None when there is none), without a query when a
    select_related already read it with the instance; otherwise whatever `read()` returns."""
    if getattr(type(instance), name).is_cached(instance):
        return getattr(instance, name, None)  # a missing row raises a subclass of AttributeError
    return read()


class LockedSheetQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse rows that belong to a signed sheet."""

    sheet_path = ""  # from this queryset's model to the sheet

    def signed(self):
        """The rows of signed sheets (for goals: the goals of signed sheets)."""
        return self.filter(signed_q(self.sheet_path))

    def unsigned(self):
        return self.exclude(signed_q(self.sheet_path))

    def newest_versions(self):
        """See newest_version_q."""
        return self.filter(newest_version_q(self.sheet_path))

    def in_force(self):
        """See in_force_q."""
        return self.filter(in_force_q(self.sheet_path))

    def _refuse_locked(self):
        if self.signed().exists():
            raise SheetLocked()

    def update(self, **kwargs):
        self._refuse_locked()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        # Checked before Django's own atomic block, so the refusal leaves the caller's
        # transaction usable.
        objs = list(objs)
        self.filter(pk__in=[obj.pk for obj in objs])._refuse_locked()
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        self._refuse_locked()
        return super().delete()

    def _sheet_ids_of(self, objs) -> set:
        """The sheets that new rows would belong to (overridden where the path is longer); a
        new sheet belongs to no stored sheet."""
        return {obj.sheet_id for obj in objs} if self.sheet_path else set()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        # One query however many sheets: goal sets add goals to hundreds of sheets at once.
        if GoalSheet.objects.filter(pk__in=self._sheet_ids_of(objs)).signed().exists():
            raise SheetLocked()
        return super().bulk_create(objs, *args, **kwargs)


class GoalQuerySet(LockedSheetQuerySet):
    sheet_path = "sheet__"


class GoalSheet(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="sheets")
    period = models.ForeignKey(ReviewPeriod, on_delete=models.PROTECT, related_name="sheets")
    state = models.CharField(
        max_length=30, choices=SheetState.choices, default=SheetState.DRAFTING, db_index=True
    )
    # Header as on the paper form, copied from the employee while drafting so a signed sheet
    # keeps what was agreed even if the employee later changes title or supervisor.
    employee_name = models.CharField(max_length=150)
    employee_number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=100)
    work_location = models.CharField(max_length=150, blank=True)
    supervisor_name = models.CharField(max_length=150, blank=True)

    goals_completed_since_last = models.TextField(
        "Goals completed since last performance feedback", blank=True, max_length=LONG_TEXT_MAX
    )
    # Section 3 of the paper form, written by the employee while answering.
    employee_comments = models.TextField(
        "Employee comments", blank=True, max_length=LONG_TEXT_MAX
    )
    estimated_total_time = models.CharField(
        "Estimated total time to achieve the goals", max_length=200, blank=True
    )
    action_plans = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    milestones = models.TextField(blank=True, max_length=LONG_TEXT_MAX)
    additional_comments = models.TextField(blank=True, max_length=LONG_TEXT_MAX)

    version = models.PositiveIntegerField(default=1)
    clarification_round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)  # when HR signed: see is_signed

    # Amendments (see newest_version_q): shown as "Version N". Not `version`, which is the
    # optimistic-concurrency counter every save compares. Only the new row names the version it
    # amends: the signed one is never written again.
    edition = models.PositiveSmallIntegerField("Version", default=1, editable=False)
    amends = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="amendment", editable=False)
    amendment_reason = models.TextField("Reason for the amendment", blank=True,
                                        max_length=LONG_TEXT_MAX, editable=False)
    amendment_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False)
    amendment_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LockedSheetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__starts_on", "employee_name"]
        constraints = [
            # One first version a person and period; each amendment is a later edition of it.
            models.UniqueConstraint(fields=["employee", "period"], condition=Q(edition=1),
                                    name="one_sheet_per_period"),
            models.UniqueConstraint(fields=["employee", "period", "edition"],
                                    name="one_sheet_per_period_and_version"),
            models.CheckConstraint(
                condition=(Q(edition=1, amends__isnull=True)
                           | Q(edition__gt=1, amends__isnull=False)),
                name="an_amendment_names_what_it_amends"),
            # "Signed" has one meaning (is_signed, signed_q); the time it happened cannot
            # disagree with it, whoever writes the row.
            models.CheckConstraint(
                condition=(Q(state=SheetState.SIGNED, locked_at__isnull=False)
                           | (~Q(state=SheetState.SIGNED) & Q(locked_at__isnull=True))),
                name="locked_exactly_when_signed"),
        ]
        indexes = [
            # The newest signing is part of the dashboards' data version (figures_cache).
            models.Index(fields=["locked_at"], name="sheet_locked_at"),
        ]

    def __str__(self):
        return f"{self.employee_name} — {self.period}"

    def save(self, *args, **kwargs):
        # Ask the database, not this instance: a copy loaded before signing must not win.
        if self.pk is not None:
            refuse_if_sheet_locked(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_sheet_locked(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        """HR has signed: the sheet is the signed record and nothing on it changes (the
        predicate signed_q asks the same of the database)."""
        return self.state == SheetState.SIGNED

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None

    @property
    def effective_on(self):
        """From when this version is tracked: the day HR signed it (an amendment cannot be in
        force before all three have signed it). None until then."""
        return timezone.localdate(self.locked_at) if self.locked_at else None

    @property
    def summary_is_complete(self) -> bool:
        return bool(self.estimated_total_time.strip() and self.action_plans.strip()
                    and self.milestones.strip())

    def copy_header_from_employee(self) -> None:
        employee = self.employee
        self.employee_name = employee.full_name
        self.employee_number = employee.employee_number
        self.title = employee.title
        self.work_location = employee.work_location
        self.supervisor_name = employee.supervisor.full_name if employee.supervisor else ""


class KpiBinding(models.Model):
    """A goal bound to a KPI of the collector library (goalsapp/kpis.py): its actuals are the
    figure computed from the AR ledger for the scope named here (goalsapp/ar). Blank for a goal
    measured by hand. Goals, library entries and goal-set items carry the same binding."""

    kpi = models.CharField("KPI", max_length=40, blank=True, choices=KPI_CHOICES)
    # Meaningful only with a KPI; goalsapp/rules.py asks for it then.
    kpi_scope = models.CharField("KPI measured on", max_length=20, blank=True,
                                 choices=SCOPE_CHOICES, default=SCOPE_COLLECTOR)

    class Meta:
        abstract = True


class Goal(KpiBinding):
    class MeasureKind(models.TextChoices):
        COUNT = "count", "Count"
        MONEY = "money", "Money"
        PERCENT = "percent", "Percent"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    sheet = models.ForeignKey(GoalSheet, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(max_length=GOAL_TEXT_MAX)
    measure_kind = models.CharField(
        max_length=10, choices=MeasureKind.choices, default=MeasureKind.COUNT
    )
    target = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    due_on = models.DateField("Due date")
    weight = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The library entry it was picked from; PROTECT: an entry in use is retired, never deleted.
    template = models.ForeignKey("GoalTemplate", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="goals")
    # In an amendment: the goal of the amended version this one was copied from (its actuals
    # are carried over when the amendment is signed). None for a goal new in this version.
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="carried_to", editable=False)

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "position", "id"]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        # Neither the sheet it moves to nor the one it is stored on may be locked.
        stored_on = GoalSheet.objects.filter(goals__pk=self.pk).signed()
        if self.pk is not None and stored_on.exists():
            raise SheetLocked(self.sheet_id)
        refuse_if_sheet_locked(self.sheet_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_sheet_locked(self.sheet_id)
        return super().delete(*args, **kwargs)

    @property
    def measure_display(self) -> str:
        target = (f"{self.target:,.2f}" if self.measure_kind == self.MeasureKind.MONEY
                  else f"{self.target.normalize():,f}")  # 45, not 45.00; 2.5E+5 → 250,000
        unit = self.unit or {"percent": "%", "money": ""}.get(self.measure_kind, "")
        arrow = "≥" if self.direction == self.Direction.HIGHER else "≤"
        return f"{arrow} {target} {unit}".strip()


# The goal library, job titles and goal sets ------------------------------------------------------

class JobTitle(models.Model):
    """A title an employee can hold (Employee.title holds its name) and the competencies that
    suit it, which the SMART assistant's Relevant check reads."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="job_titles")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GoalTemplate(KpiBinding):
    """One entry of the goal library: a goal or KPI from the seeds, or one an admin added.
    Retired entries are hidden from the library but stay on the sheets that used them."""

    class Source(models.TextChoices):
        FORM_EXAMPLES = "000", "Seed 000 · paper form example goals"
        MANAGER_GOALS = "001", "Seed 001 · Collection Manager goals"
        KRA_KPIS = "004", "Seed 004 · Collection Representative KPIs"
        ADMIN = "admin", "Added by an admin"

    text = models.TextField(max_length=GOAL_TEXT_MAX)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT,
                                   related_name="goal_templates")
    titles = models.ManyToManyField(JobTitle, blank=True, related_name="goal_templates",
                                    help_text="The job titles this goal suits.")
    measure_kind = models.CharField("Suggested measure", max_length=10, blank=True,
                                    choices=Goal.MeasureKind.choices)
    unit = models.CharField("Suggested unit", max_length=40, blank=True)
    direction = models.CharField(max_length=10, blank=True, choices=Goal.Direction.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ADMIN)
    source_ref = models.CharField(
        "Reference", max_length=60, blank=True,
        help_text="Where in the source it comes from, such as “line 12” or “KRA 3, KPI 2”.")
    is_active = models.BooleanField("Active", default=True,
                                    help_text="Untick to retire the entry from the library.")
    # A line of the paper form that advises on goals rather than being one: the picker shows
    # the advice instead of adding it as a goal that only pretends to be measurable.
    is_guidance = models.BooleanField(
        "Guidance, not a goal", default=False,
        help_text="Tick for advice about goals; the library shows it but never adds it as a goal.")
    advice = models.TextField(
        "What a measurable version needs", blank=True,
        help_text="For guidance: what a goal needs to be measurable, with an example.")

    class Meta:
        ordering = ["competency__position", "source", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"],
                                    condition=~models.Q(source_ref=""),
                                    name="one_template_per_seed_reference")
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.is_guidance and not self.advice.strip():
            raise ValidationError({"advice": "Guidance needs its advice: say what a measurable "
                                             "version of it would need."})
        from .rules import kpi_binding_errors  # rules reads these models

        if errors := kpi_binding_errors(kpi=self.kpi, kpi_scope=self.kpi_scope,
                                        measure_kind=self.measure_kind,
                                        direction=self.direction):
            raise ValidationError(errors)


class GoalSet(models.Model):
    """A named set of goals a supervisor or HR applies to many employees at once."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="goal_sets")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class GoalSetItem(KpiBinding):
    """One goal of a set; its due date is relative to the period it is applied in."""

    class DueRule(models.TextChoices):
        AFTER_START = "after_start", "Days after the period starts"
        PERIOD_END = "period_end", "At the period's end"

    goal_set = models.ForeignKey(GoalSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    template = models.ForeignKey(GoalTemplate, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="goal_set_items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=GOAL_TEXT_MAX)
    measure_kind = models.CharField(max_length=10, choices=Goal.MeasureKind.choices,
                                    default=Goal.MeasureKind.COUNT)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=10, choices=Goal.Direction.choices,
                                 default=Goal.Direction.HIGHER)
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)])
    due_rule = models.CharField(max_length=20, choices=DueRule.choices,
                                default=DueRule.PERIOD_END)
    due_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For “days after the period starts”.")

    class Meta:
        ordering = ["goal_set", "position", "id"]

    def __str__(self):
        return self.text[:80]

    def due_in(self, period: ReviewPeriod):
        """The due date in `period`: never after the period's last day."""
        if self.due_rule == self.DueRule.AFTER_START and self.due_days is not None:
            return min(period.starts_on + timedelta(days=self.due_days), period.ends_on)
        return period.ends_on


class ProgressImport(models.Model):
    """An uploaded CSV of actuals, kept server-side between its preview and its import."""

    token = models.UUIDField(unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="progress_imports")
    file_name = models.CharField(max_length=255)
    content = models.TextField()  # the decoded text; re-parsed at import, never trusted as rows
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ProgressEntry(models.Model):
    """An actual value of a signed goal's measure as of a date: year-to-date totals for amounts
    and counts, the current level for rates and days. One reading per goal and date: a later
    entry for the same date replaces the value (see docs/tracking.md).

    Progress lives beside the signed content, never in it: a locked sheet and its goals are
    untouched, so the signatures' hashes still match."""

    class Source(models.TextChoices):
        FORM = "form", "Entered on the progress page"
        CSV = "csv", "Imported from a CSV file"
        API = "api", "Pushed through the API"
        LEDGER = "ar", "Computed from the AR ledger"
        CARRIED = "carried", "Carried over from the earlier version"

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress_entries")
    as_of = models.DateField("As of")
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="progress_entries")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    source_import = models.ForeignKey(ProgressImport, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="entries")
    # What the AR ledger gave for a KPI-bound goal on this date and which load it came from,
    # in words ("Payments: march.csv, load 12"): goalsapp cannot point at the ar app's loads,
    # and the words outlive the load. For an entry computed from the ledger it is its actual;
    # beside a typed value it is the figure the ledger would have written (docs/tracking.md).
    ledger_actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    ledger_ref = models.CharField("Ledger load", max_length=300, blank=True)
    # goalsapp.attainment's share of the target this actual reaches, stored when it is recorded
    # (a signed goal's target and baseline never change) so dashboards sum it, not recompute it.
    attained = models.DecimalField(max_digits=24, decimal_places=8, null=True, editable=False)
    # The newest as_of of its goal; kept by goalsapp.services so dashboards join, not sort.
    is_latest = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "as_of"]
        verbose_name_plural = "progress entries"
        constraints = [
            models.UniqueConstraint(fields=["goal", "as_of"], name="one_progress_entry_per_day"),
        ]
        indexes = [
            # Dashboards join each goal to its latest entry only.
            models.Index(fields=["goal"], condition=models.Q(is_latest=True),
                         name="progress_latest_by_goal"),
            # The newest change is part of the dashboards' data version (figures_cache).
            models.Index(fields=["updated_at"], name="progress_updated_at"),
        ]

    def __str__(self):
        return f"{self.goal_id} @ {self.as_of}: {self.actual}"
