"""The canonical content of a sheet — what the three signatures vouch for — and its SHA-256.

It holds the header, every goal with its measure and the employee's latest answer, the
employee's own section (their comments only when written, so older signatures still verify),
the summary, and for an amendment its version number and what it amends and why. It leaves out
states, signatures and HR's SMART checks, which come after or beside the content, so a
signature made by the supervisor still matches when HR signs.
"""

import hashlib
import json

from goalsapp.models import GoalSheet


def _text(value) -> str:
    return "" if value is None else str(value)


def sheet_canonical(sheet: GoalSheet, goals_and_answers=None) -> dict:
    """`goals_and_answers`: the sheet's goals in order, each with its answers, when already
    read (the sheet page's); otherwise read here."""
    if goals_and_answers is None:
        goals_and_answers = [
            (goal, goal.answers.all()) for goal in sheet.goals.select_related("competency")
            .prefetch_related("answers").order_by("position", "id")]
    goals = []
    for goal, answers in goals_and_answers:
        latest = max(answers, key=lambda answer: answer.round, default=None)
        entry = {
            "position": goal.position,
            "competency": goal.competency.name,
            "text": goal.text,
            "measure_kind": goal.measure_kind,
            "target": _text(goal.target),
            "unit": goal.unit,
            "direction": goal.direction,
            "baseline": _text(goal.baseline),
            "due_on": goal.due_on.isoformat(),
            "weight": goal.weight,
            "employee_answer": latest.answer if latest else "",
            "employee_comment": latest.comment if latest else "",
        }
        # Added in issue 17, and only when a goal names a KPI: every goal signed before then,
        # and every goal measured by hand, keeps the exact canonical form and so its hash.
        if goal.kpi:
            entry["kpi"] = {"code": goal.kpi, "scope": goal.kpi_scope}
        goals.append(entry)
    content = {
        "sheet": sheet.pk,
        "employee_number": sheet.employee_number,
        "employee_name": sheet.employee_name,
        "title": sheet.title,
        "work_location": sheet.work_location,
        "supervisor_name": sheet.supervisor_name,
        "period": {
            "name": sheet.period.name,
            "starts_on": sheet.period.starts_on.isoformat(),
            "ends_on": sheet.period.ends_on.isoformat(),
        },
        "goals_completed_since_last": sheet.goals_completed_since_last,
        "goals": goals,
        "summary": {
            "estimated_total_time": sheet.estimated_total_time,
            "action_plans": sheet.action_plans,
            "milestones": sheet.milestones,
            "additional_comments": sheet.additional_comments,
        },
    }
    # Added in issue 13, and only when written: every sheet signed before then (and any sheet
    # whose employee left it empty) keeps the exact canonical form, and so the hash, it had.
    if sheet.employee_comments:
        content["employee_comments"] = sheet.employee_comments
    # Added with amendments, and only on an amendment: the first version of every sheet keeps
    # the exact form, and hash, it had. A later version vouches for what it replaces and why.
    if sheet.amends_id is not None:
        content["version"] = sheet.edition
        content["amends"] = {"sheet": sheet.amends_id, "version": sheet.edition - 1,
                             "reason": sheet.amendment_reason}
    return content


def canonical_json(sheet: GoalSheet, canonical: dict | None = None) -> str:
    return json.dumps(sheet_canonical(sheet) if canonical is None else canonical,
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(sheet: GoalSheet, canonical: dict | None = None) -> str:
    """The SHA-256 of the canonical content; pass `canonical` when already built (saves queries)."""
    return hashlib.sha256(canonical_json(sheet, canonical).encode("utf-8")).hexdigest()


# The closing review --------------------------------------------------------------------------
# What the three closing signatures vouch for: the results, both parties' words, the rating that
# stands and the weighted score, bound to the signed goals by their own content hash. States,
# signatures and timestamps of the workflow stay out, as on the goals.

def closing_canonical(review) -> dict:
    sheet = review.sheet
    results = []
    for result in review.results.select_related("goal__competency").order_by(
            "goal__position", "goal_id"):
        goal = result.goal
        results.append({
            "goal": goal.pk,
            "position": goal.position,
            "competency": goal.competency.name,
            "text": goal.text,
            "target": _text(goal.target),
            "unit": goal.unit,
            "weight": goal.weight,
            "final_actual": _text(result.final_actual),
            "as_of": result.as_of.isoformat() if result.as_of else "",
            "attained": _text(result.attained),
            "computed_grade": result.computed_grade,
            "override_grade": result.override_grade,
            "override_reason": result.override_reason,
            "self_assessment": result.self_assessment,
            "supervisor_assessment": result.supervisor_assessment,
        })
    rating = review.rating
    return {
        "closing_review": review.pk,
        "sheet": sheet.pk,
        "goals_content_sha256": content_hash(sheet),
        "employee_number": sheet.employee_number,
        "employee_name": sheet.employee_name,
        "title": sheet.title,
        "supervisor_name": sheet.supervisor_name,
        "period": {"name": sheet.period.name, "starts_on": sheet.period.starts_on.isoformat(),
                   "ends_on": sheet.period.ends_on.isoformat()},
        "results": results,
        "self_assessment": review.self_assessment,
        "supervisor_assessment": review.supervisor_assessment,
        "rating": ({"value": rating.value, "label": rating.label} if rating else None),
        "weighted_score": _text(review.weighted_score),
    }


def closing_canonical_json(review, canonical: dict | None = None) -> str:
    return json.dumps(closing_canonical(review) if canonical is None else canonical,
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def closing_content_hash(review, canonical: dict | None = None) -> str:
    return hashlib.sha256(closing_canonical_json(review, canonical).encode("utf-8")).hexdigest()
