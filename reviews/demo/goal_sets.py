"""Demo data for the goal library: job titles for the demo's people and two goal sets, built
from library entries (never retyped) by `manage.py demo`. Running it again adds nothing."""

from decimal import Decimal

from goalsapp.models import Competency, Employee, GoalSet, GoalSetItem, GoalTemplate, JobTitle

# (owner's username, set name, [(seed reference of a KPI, target, due rule, days after start)])
SETS = (
    ("marcus", "Collector essentials", (
        ("KRA 6, KPI 1", Decimal(95), "after_start", 90),
        ("KRA 1, KPI 3", Decimal(40), "period_end", None),
        ("KRA 2, KPI 1", Decimal(24), "period_end", None),
        ("KRA 8, KPI 1", Decimal(98), "after_start", 180),
    )),
    ("elena", "Quality and compliance", (
        ("KRA 4, KPI 4", Decimal(100), "after_start", 60),
        ("KRA 8, KPI 3", Decimal(5), "period_end", None),
        ("KRA 9, KPI 1", Decimal(90), "after_start", 120),
    )),
)


def create_demo_goal_sets(users: dict) -> int:
    """Job titles for every title the demo's people hold, and the sets above; returns how many
    sets were created."""
    competencies = list(Competency.objects.filter(is_active=True))
    for name in Employee.objects.values_list("title", flat=True).distinct():
        title, created = JobTitle.objects.get_or_create(name=name)
        if created:
            title.competencies.set(competencies)
    created_sets = 0
    for owner, name, items in SETS:
        goal_set, created = GoalSet.objects.get_or_create(name=name,
                                                          defaults={"owner": users[owner]})
        if not created:
            continue
        created_sets += 1
        for position, (reference, target, rule, days) in enumerate(items, start=1):
            entry = GoalTemplate.objects.get(source="004", source_ref=reference)
            GoalSetItem.objects.create(
                goal_set=goal_set, position=position, template=entry,
                competency=entry.competency, text=entry.text,
                measure_kind=entry.measure_kind or "count", target=target,
                unit=entry.unit or "accounts", direction=entry.direction or "higher",
                due_rule=rule, due_days=days)
    return created_sets
