"""Every change to a closing review, one function per action of the table in workflow.py.

The same practice as reviews/services.py: the review's row is locked, the version the user saw is
compared, `require` checks the table, the guard raises WorkflowError with a sentence the user can
read, an event goes to the sheet's timeline, and the change is announced after the commit
(signals.sheet_transitioned, with the event's to_state saying which document moved).
Opening the review comes before any of its states, so it is not a row of the table: the period's
end opens it (tasks.closing_open_due), or HR does earlier.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from goalsapp import attainment
from goalsapp.models import GoalSheet, ProgressEntry, ReviewPeriod, SheetState

from . import esign, signals
from .canonical import closing_content_hash
from .closing_models import ClosingReview, ClosingSignature, GoalResult, RatingLevel, RatingScale
from .closing_states import ClosingState
from .models import ReviewEvent
from .services import (
    earlier_signatures_match,
    require_signer,
    required_return_note,
    signature_values,
)
from .workflow import (
    ROLE_NAMES,
    SIGNATURE_ROLE,
    ActionForbidden,
    Role,
    StaleVersion,
    WorkflowError,
    closing_amendment_refusal,
    may_open_closing_early,
    require,
    signing_action,
)

CLOSING_ACKNOWLEDGEMENT = (
    "I acknowledge that my supervisor has reviewed my results for this period with me and that I "
    "have read this closing review. My signature means that I have seen it, not necessarily that "
    "I agree with it; my self-assessment above is my own account."
)
C = ClosingState
GRADES = {grade.value for grade in attainment.Grade}


class StaleReview(StaleVersion):
    def __init__(self):
        WorkflowError.__init__(
            self, "This closing review changed meanwhile: someone else saved it after you "
                  "opened it. You are now looking at the current version.")


def lock_review(review_id: int, version: int | None = None) -> ClosingReview:
    """The review, its row locked until the transaction ends; StaleReview if it moved past
    `version`."""
    review = (ClosingReview.objects.select_for_update(of=("self",))
              .select_related("sheet__employee__supervisor", "sheet__period")
              .get(pk=review_id))
    if version is not None and review.version != version:
        raise StaleReview()
    return review


def _touch(review: ClosingReview, update_fields: list[str]) -> None:
    review.version += 1
    review.updated_at = timezone.now()
    review.save(update_fields=[*update_fields, "version", "updated_at"])


def _event(review, actor, action, from_state, note="") -> ReviewEvent:
    return ReviewEvent.objects.create(sheet=review.sheet, actor=actor, action=action,
                                      from_state=from_state, to_state=review.state, note=note)


def _move(review: ClosingReview, actor, action: str, to_state: ClosingState, note: str = "",
          extra_fields: tuple[str, ...] = ()) -> ReviewEvent:
    from_state = review.state
    review.state = to_state
    review.state_changed_at = timezone.now()
    _touch(review, ["state", "state_changed_at", *extra_fields])
    event = _event(review, actor, action, from_state, note)
    sheet = review.sheet
    transaction.on_commit(lambda: signals.sheet_transitioned.send(
        sender=ClosingReview, sheet=sheet, event=event))
    return event


def _void_signatures(review: ClosingReview, reason: str) -> int:
    return review.signatures.filter(voided_at__isnull=True).update(
        voided_at=timezone.now(), void_reason=reason[:200])


# Opening ----------------------------------------------------------------------------------------

def require_may_open(actor, sheet: GoalSheet) -> None:
    """HR opens a closing review early (the period's end opens it anyway); only on a sheet
    whose goals HR has signed."""
    if not may_open_closing_early(actor, sheet):
        raise ActionForbidden(f"Only {ROLE_NAMES[Role.HR]} may open the closing review early.")


def _final_results(sheet: GoalSheet) -> list[tuple]:
    """Each goal with its final actual from tracking (the latest entry) and its attainment."""
    latest = {entry.goal_id: entry for entry in ProgressEntry.objects.filter(
        goal__sheet=sheet, is_latest=True)}
    rows = []
    for goal in sheet.goals.order_by("position", "id"):
        entry = latest.get(goal.pk)
        attained = attainment.attainment(
            actual=entry.actual if entry else None, target=goal.target, baseline=goal.baseline,
            higher_is_better=goal.direction == "higher")
        rows.append((goal, entry, attained))
    return rows


def closing_open(*, sheet_id: int, actor=None) -> ClosingReview:
    """Opens the closing review of a signed sheet: each goal's final actual, attainment and
    computed grade, and the weighted score. `actor` None: the period's end opened it (no event
    then; the review's opened_by stays empty). Idempotent: an open review is returned as is."""
    with transaction.atomic():
        sheet = (GoalSheet.objects.select_for_update(of=("self",))
                 .select_related("employee__supervisor", "period").get(pk=sheet_id))
        if actor is not None:
            require_may_open(actor, sheet)
        existing = ClosingReview.objects.filter(sheet=sheet).first()
        if existing is not None:
            return existing
        if sheet.state != SheetState.SIGNED:
            raise WorkflowError("Only a sheet whose goals HR has signed can be closed; this one "
                                f"is in {sheet.get_state_display()}.")
        refusal = closing_amendment_refusal(sheet)
        if refusal:
            raise WorkflowError(refusal)
        rows = _final_results(sheet)
        score = attainment.weighted_score([(goal.weight, attained) for goal, _, attained in rows])
        try:
            with transaction.atomic():
                review = ClosingReview.objects.create(sheet=sheet, opened_by=actor,
                                                      weighted_score=score)
        except IntegrityError:  # opened meanwhile by the nightly task
            return ClosingReview.objects.get(sheet=sheet)
        GoalResult.objects.bulk_create([
            GoalResult(review=review, goal=goal,
                       final_actual=entry.actual if entry else None,
                       as_of=entry.as_of if entry else None, attained=attained,
                       computed_grade=attainment.grade(attained))
            for goal, entry, attained in rows])
        if actor is not None:
            event = _event(review, actor, "open_closing", SheetState.SIGNED)
            transaction.on_commit(lambda: signals.sheet_transitioned.send(
                sender=ClosingReview, sheet=sheet, event=event))
    return review


def sheets_to_open(period: ReviewPeriod):
    """Signed sheets without a closing review, leaving out any version replaced by or under
    an amendment (workflow.closing_amendment_refusal)."""
    return period.sheets.filter(state=SheetState.SIGNED, closing__isnull=True,
                                amendment__isnull=True)


def closing_open_for_period(*, period: ReviewPeriod, actor=None) -> int:
    """Opens the closing review of every signed sheet of the period that has none yet (HR's
    "Open closing now", or the period's end); returns how many it opened."""
    opened = 0
    for sheet in sheets_to_open(period).select_related("employee"):
        if actor is not None and not may_open_closing_early(actor, sheet):
            continue  # HR never reviews a sheet they are a party to; another HR member does
        closing_open(sheet_id=sheet.pk, actor=actor)
        opened += 1
    return opened


def closing_open_due(today=None) -> int:
    """For the nightly task: opens closing for every signed sheet of every period that has
    ended."""
    today = today or timezone.localdate()
    return sum(closing_open_for_period(period=period)
               for period in ReviewPeriod.objects.filter(ends_on__lt=today))


# Self-assessment --------------------------------------------------------------------------------

def _results_by_goal(review: ClosingReview) -> dict[int, GoalResult]:
    return {result.goal_id: result for result in review.results.all()}


def _save_texts(review: ClosingReview, texts: dict[int, str], field: str) -> bool:
    changed = []
    for goal_id, result in _results_by_goal(review).items():
        if goal_id in texts and getattr(result, field) != (texts[goal_id] or "").strip():
            setattr(result, field, (texts[goal_id] or "").strip())
            changed.append(result)
    if changed:
        GoalResult.objects.bulk_update(changed, [field])
    return bool(changed)


def closing_save_self_assessment(*, review_id: int, actor, overall: str,
                                 per_goal: dict[int, str]) -> ClosingReview:
    """The employee's words on each goal and overall. No version: only the employee writes in
    this state, and each save is their latest word."""
    with transaction.atomic():
        review = lock_review(review_id)
        require(actor, review, "self_assess")
        changed = _save_texts(review, per_goal, "self_assessment")
        fields = []
        if review.self_assessment != (overall or "").strip():
            review.self_assessment = (overall or "").strip()
            fields.append("self_assessment")
        if changed or fields:
            _touch(review, fields)
    return review


def closing_submit_self_assessment(*, review_id: int, actor, version: int,
                                   note: str = "") -> ClosingReview:
    with transaction.atomic():
        review = lock_review(review_id, version)
        require(actor, review, "submit_self_assessment")
        missing = [r for r in review.results.all() if not r.self_assessment.strip()]
        problems = []
        if missing:
            problems.append(f"Write a self-assessment on every goal: {len(missing)} still "
                            "without one.")
        if not review.self_assessment.strip():
            problems.append("Write an overall self-assessment.")
        if problems:
            raise WorkflowError(" ".join(problems))
        _move(review, actor, "submit_self_assessment", C.SUPERVISOR_ASSESSMENT, note)
    return review


# The supervisor's assessment --------------------------------------------------------------------

@dataclass(frozen=True)
class Override:
    """The supervisor's grade for one goal: empty `grade` keeps the computed one."""

    grade: str
    reason: str


def active_levels():
    scale = RatingScale.active()
    return scale.levels.all() if scale else RatingLevel.objects.none()


def _save_overrides(review: ClosingReview, actor, overrides: dict[int, Override]) -> int:
    results = _results_by_goal(review)
    for goal_id, override in overrides.items():
        if goal_id in results and override.grade and override.grade not in GRADES:
            raise WorkflowError("Choose achieved, partly achieved or not achieved.")
        if goal_id in results and override.grade and not override.reason.strip():
            raise WorkflowError(
                f"Say why you change the grade of goal {results[goal_id].goal.position + 1}.")
    changed = 0
    for goal_id, override in overrides.items():
        result = results.get(goal_id)
        if result is None:
            continue
        grade = "" if override.grade == result.computed_grade else override.grade
        reason = override.reason.strip() if grade else ""
        if (result.override_grade, result.override_reason) == (grade, reason):
            continue
        result.override_grade, result.override_reason = grade, reason
        result.overridden_by = actor if grade else None
        result.overridden_at = timezone.now() if grade else None
        result.save(update_fields=["override_grade", "override_reason", "overridden_by",
                                   "overridden_at"])
        label = attainment.GRADE_LABELS[attainment.Grade(result.grade)]
        _event(review, actor, "override_grade", review.state,
               f"Goal {result.goal.position + 1}: {label}"
               + (f" — {reason}" if grade else " (the computed grade again)."))
        changed += 1
    return changed


def closing_save_assessment(*, review_id: int, actor, version: int, overall: str,
                            per_goal: dict[int, str], proposed_rating_id: int | None,
                            overrides: dict[int, Override]) -> ClosingReview:
    """The supervisor's words on each goal and overall, grade overrides (each with its
    reason, kept with who and when), and the proposed rating on the active scale."""
    with transaction.atomic():
        review = lock_review(review_id, version)
        require(actor, review, "assess")
        level = None
        if proposed_rating_id is not None:
            level = active_levels().filter(pk=proposed_rating_id).first()
            if level is None:
                raise WorkflowError("Choose a rating on the current scale.")
        overridden = _save_overrides(review, actor, overrides)
        texts_changed = _save_texts(review, per_goal, "supervisor_assessment")
        fields = []
        if review.supervisor_assessment != (overall or "").strip():
            review.supervisor_assessment = (overall or "").strip()
            fields.append("supervisor_assessment")
        if review.proposed_rating_id != (level.pk if level else None):
            review.proposed_rating = level
            fields.append("proposed_rating")
        if fields or overridden or texts_changed:
            _touch(review, fields)
    return review


def closing_submit_assessment(*, review_id: int, actor, version: int,
                              note: str = "") -> ClosingReview:
    """To calibration, the proposed rating standing as the rating until HR adjusts it."""
    with transaction.atomic():
        review = lock_review(review_id, version)
        require(actor, review, "submit_assessment")
        missing = [r for r in review.results.all() if not r.supervisor_assessment.strip()]
        problems = []
        if missing:
            problems.append(f"Write an assessment on every goal: {len(missing)} still "
                            "without one.")
        if not review.supervisor_assessment.strip():
            problems.append("Write an overall assessment.")
        if review.proposed_rating_id is None:
            problems.append("Propose a rating.")
        if problems:
            raise WorkflowError(" ".join(problems))
        review.rating_id = review.proposed_rating_id
        _move(review, actor, "submit_assessment", C.CALIBRATION, note, ("rating",))
    return review


# Calibration ------------------------------------------------------------------------------------

def closing_release_for_signatures(*, review_id: int, actor, version: int | None = None,
                                   note: str = "") -> ClosingReview:
    """HR ends calibration: the rating that stands goes to the signatures."""
    with transaction.atomic():
        review = lock_review(review_id, version)
        require(actor, review, "release_for_signatures")
        if review.rating_id is None:
            raise WorkflowError("A rating must stand before the review goes to the signatures.")
        _move(review, actor, "release_for_signatures", C.SUPERVISOR_SIGNATURE, note)
    return review


def closing_release_many(*, review_ids: list[int], actor) -> tuple[int, list[str]]:
    """Releases many reviews at once; each one on its own (a refusal leaves the others
    released). Returns how many were released and a sentence per refusal."""
    released, refusals = 0, []
    for review_id in review_ids:
        try:
            closing_release_for_signatures(review_id=review_id, actor=actor)
            released += 1
        except ClosingReview.DoesNotExist:
            refusals.append("A closing review no longer exists.")
        except WorkflowError as refusal:
            name = (ClosingReview.objects.filter(pk=review_id)
                    .values_list("sheet__employee_name", flat=True).first())
            refusals.append(f"{name}: {refusal}")
    return released, refusals


# Signatures -------------------------------------------------------------------------------------

def closing_sign(*, review_id: int, actor, version: int, typed_name: str,
                 evidence: esign.SigningEvidence, acknowledged: bool = False
                 ) -> ClosingSignature:
    """Signs the closing review in the role its state calls for: supervisor, then employee,
    then HR, each bound to the SHA-256 of the closing content, with the same e-signature
    practice as the goals (consent on file, a recent sign-in, the evidence kept)."""
    with transaction.atomic():
        review = lock_review(review_id, version)
        signing = signing_action(review.state)
        if signing is None:
            raise WorkflowError(f"This closing review is in {review.get_state_display()}; "
                                "it cannot be signed now.")
        action = require(actor, review, signing.name)
        role = SIGNATURE_ROLE[signing.name]
        require_signer(actor, typed_name, role, acknowledged)
        digest = closing_content_hash(review)
        if role == Role.HR and not earlier_signatures_match(
                review.signatures.filter(voided_at__isnull=True), digest):
            raise WorkflowError("The closing review no longer matches the supervisor's and "
                                "employee's signatures; return it to the supervisor.")
        signature = ClosingSignature.objects.create(
            review=review, **signature_values(actor, role, typed_name, digest, evidence))
        to_state = action.targets[0]
        if to_state == C.CLOSED:
            review.closed_at = timezone.now()
            _move(review, actor, signing.name, to_state, extra_fields=("closed_at",))
        else:
            _move(review, actor, signing.name, to_state)
    return signature


def closing_return(*, review_id: int, actor, version: int, note: str) -> ClosingReview:
    """HR sends the review back to the supervisor's assessment; the signatures are voided."""
    note = required_return_note(note)
    with transaction.atomic():
        review = lock_review(review_id, version)
        require(actor, review, "return_closing")
        _void_signatures(review, "Returned to the supervisor by HR.")
        _move(review, actor, "return_closing", C.SUPERVISOR_ASSESSMENT, note)
    return review
