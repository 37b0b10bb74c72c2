"""Whether a signed sheet's record is still what Goalpost wrote: three live signatures, one per
role, each vouching for the content as it is now, and no legal correction made below Goalpost.
Anything else means the database was changed outside Goalpost (the app refuses every such
change itself)."""

from collections import Counter

from django.db.models import BigIntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format

from goalsapp.compiled_queries import CompiledQuery
from goalsapp.models import Goal, GoalSheet

from .canonical import closing_content_hash, content_hash
from .models import RecordCorrection, Signature

ALTERED = "This record was altered outside Goalpost"
CLOSING_TABLES = ("reviews_closingreview", "reviews_goalresult", "reviews_closingsignature")


def signed_record_problems(sheet: GoalSheet, live_signatures=None,
                           current_hash: str | None = None) -> list[str]:
    """What is wrong with a signed sheet's record, one sentence each (empty when intact, and for
    a sheet not signed yet). Pass what the caller already loaded to save the queries."""
    if not sheet.is_signed:
        return []
    if live_signatures is None:
        live_signatures = list(sheet.signatures.filter(voided_at__isnull=True))
    return (_signature_problems(live_signatures, lambda: current_hash or content_hash(sheet))
            + record_corrections(sheet))


def closing_record_problems(review) -> list[str]:
    """The same for a closed closing review: three live closing signatures, one per role, each
    matching the closing content as it is now, and the legal corrections made to its rows."""
    if not review.is_closed:
        return []
    live = list(review.signatures.filter(voided_at__isnull=True))
    return (_signature_problems(live, lambda: closing_content_hash(review))
            + _sentences(_REVIEW_CORRECTIONS(review_id=review.pk)))


def _signature_problems(live_signatures, current_hash) -> list[str]:
    """One signature per role, each vouching for the content now (`current_hash()`)."""
    problems = []
    by_role = {}
    for signature in live_signatures:
        by_role.setdefault(signature.role, []).append(signature)
    for role, label in Signature.Role.choices:
        count = len(by_role.get(role, []))
        if count == 0:
            problems.append(f"The {label.lower()} signature is missing.")
        elif count > 1:
            problems.append(f"There are {count} {label.lower()} signatures instead of one.")
    if live_signatures:
        digest = current_hash()
        for signature in live_signatures:
            if signature.content_hash != digest:
                problems.append(
                    f"The {signature.get_role_display().lower()} signature no longer matches "
                    "the content: the content changed after it was signed.")
    return problems


def _references():
    """Corrections with the ids their row named: its sheet, its goal, its own id."""
    return RecordCorrection.objects.annotate(
        sheet_ref=Cast(KT("row_before__sheet_id"), BigIntegerField()),
        goal_ref=Cast(KT("row_before__goal_id"), BigIntegerField()),
        review_ref=Cast(KT("row_before__review_id"), BigIntegerField()),
        row_ref=Cast(KT("row_before__id"), BigIntegerField()))


def _sheet_corrections(sheet_id: int):
    goal_ids = Goal.objects.filter(sheet_id=sheet_id).values("pk")
    removed_goal_ids = _references().filter(table_name="goalsapp_goal",
                                            sheet_ref=sheet_id).values("row_ref")
    # The closing review's rows also name the sheet or a goal; they are its own record
    # (closing_record_problems), not the goals'.
    return _references().filter(
        Q(sheet_ref=sheet_id) | Q(table_name="goalsapp_goalsheet", row_ref=sheet_id)
        | Q(goal_ref__in=goal_ids) | Q(goal_ref__in=removed_goal_ids)
    ).exclude(table_name__in=CLOSING_TABLES).order_by("at", "id")


def _review_corrections(review_id: int):
    return _references().filter(
        Q(table_name="reviews_closingreview", row_ref=review_id)
        | Q(table_name__in=CLOSING_TABLES, review_ref=review_id)).order_by("at", "id")


# Every signed sheet's page asks; building the SQL costs more than running it on a table that
# is nearly always empty (goalsapp.compiled_queries).
_SHEET_CORRECTIONS = CompiledQuery(_sheet_corrections)
_REVIEW_CORRECTIONS = CompiledQuery(_review_corrections)


def record_corrections(sheet: GoalSheet) -> list[str]:
    """The legal corrections a PostgreSQL superuser made to this sheet's record past the
    triggers (each row logged by the database in RecordCorrection), one sentence per
    correction with its reason. The typed name of a signature, for one, is not part of the
    content hash: this is how its correction shows."""
    return _sentences(_SHEET_CORRECTIONS(sheet_id=sheet.pk))


def _sentences(rows) -> list[str]:
    """One sentence per correction, from its RecordCorrection rows in the order made."""
    # One transaction is one correction: its rows share the time, the user and the reason.
    corrections: dict[tuple, Counter] = {}
    for row in rows:
        corrections.setdefault((row.at, row.db_user, row.reason),
                               Counter())[(row.operation, row.table_name)] += 1
    sentences = []
    for (at, db_user, reason), changes in corrections.items():
        what = "; ".join(f"{count} row{'s' if count > 1 else ''} of {table} "
                         f"{'deleted' if operation == 'DELETE' else 'updated'}"
                         for (operation, table), count in sorted(changes.items()))
        sentences.append(
            f"Corrected outside Goalpost on {date_format(timezone.localtime(at), 'M j, Y H:i')} "
            f"by the database user “{db_user}” ({what}), for this reason: “{reason}”.")
    return sentences
