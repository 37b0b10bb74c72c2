"""Whether a signed sheet's record is still what Goalpost wrote: three live signatures, one per
role, each vouching for the content as it is now. Anything else means the database was changed
outside Goalpost (the app refuses every such change itself)."""

from goalsapp.models import GoalSheet

from .canonical import content_hash
from .models import Signature

ALTERED = "This record was altered outside Goalpost"


def signed_record_problems(sheet: GoalSheet, live_signatures=None,
                           current_hash: str | None = None) -> list[str]:
    """What is wrong with a signed sheet's record, one sentence each (empty when intact, and for
    a sheet not signed yet). Pass what the caller already loaded to save the queries."""
    if not sheet.is_signed:
        return []
    if live_signatures is None:
        live_signatures = list(sheet.signatures.filter(voided_at__isnull=True))
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
        current_hash = current_hash or content_hash(sheet)
        for signature in live_signatures:
            if signature.content_hash != current_hash:
                problems.append(
                    f"The {signature.get_role_display().lower()} signature no longer matches "
                    "the content: the content changed after it was signed.")
    return problems
