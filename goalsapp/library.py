"""The goal library as data: every example goal of seed 000, every Collection Manager goal of
seed 001 and every KPI of seed 004, each with a competency, the titles it suits, a suggested
measure and where it comes from; plus the job titles they are for.

`library_entries()` is pure (read from goalsapp.seeds, never retyped); `load_library()` writes
them with the models it is handed, so the data migration and flushed test databases share it.
The KRAs of seed 004 are not entries: they are the competencies the entries are grouped under.
"""

import re
from dataclasses import dataclass

from . import seeds
from .measures import suggest_measure

FORM_TITLE = "Collections Specialist"  # the paper form of seed 000 is for this title
MANAGER_TITLE = "Collection Manager"
REPRESENTATIVE_TITLE = "Collection Representative"
SEED_TITLES = (REPRESENTATIVE_TITLE, FORM_TITLE, MANAGER_TITLE)
# Which titles each seed's entries suit: the KPIs of a representative suit a specialist too.
TITLES_BY_SOURCE = {
    "000": (FORM_TITLE,),
    "001": (MANAGER_TITLE,),
    "004": (REPRESENTATIVE_TITLE, FORM_TITLE),
}

# Competency (a KRA of seed 004) for a goal of seeds 000 and 001: the first rule whose pattern
# is found in the lower-cased text; admins correct any entry in the admin.
COMPETENCY_RULES: tuple[tuple[str, str], ...] = (
    (r"complian|comply|legal|regulat|ethical|fdcpa|bankruptcy|fraud|audit|polic|lawyer",
     "Compliance and Legal Adherence"),
    (r"\btrain|learn|mentor|classes|conference|knowledge|professional development|skills|"
     r"educate self|enthusiastic", "Training and Development"),
    (r"accurate|accuracy|quality|accounted for", "Quality Assurance"),
    (r"negotiat|communicat|payment plan|installment|scripts|dunning|remind|payment options|"
     r"educate customers", "Communication and Negotiation"),
    (r"relationship|client|customer satisfaction|feedback|empath|customer-focused|counsel",
     "Relationship Building"),
    (r"\bteam|collaborat|colleague|cross-functional|department|culture|others|inclusive|"
     r"leadership|liaise|people", "Team Collaboration"),
    (r"data|analy|metric|report|trend|benchmark|kpi|track|monitor|segmentation|root cause|"
     r"causes|surveys", "Data Analysis and Reporting"),
    (r"process|workflow|automat|technology|streamline|system|standardi|cost savings|improv|"
     r"creativ|solution|plan |prioriti|decision|to-do|projects", "Process Improvement"),
    (r"target|recover|delinquen|revenue|collection|payment|default|debt", "Target Achievement"),
)
DEFAULT_COMPETENCY = "Customer Account Management"

# Lines of the paper form that advise on goals rather than being one, with what a measurable
# version would need. The picker shows the advice and never adds the line as a goal.
GUIDANCE = {
    "Understand that the goals must be measurable ensuring proper accountability to the "
    "supervisors":
        "Guidance about goals, not a goal: a measurable version needs a number and a deadline, "
        "e.g. “Review progress on every goal with my supervisor once a month: 12 reviews by "
        "the end of the period.”",
    "Plan each day ahead and have all the goals written down":
        "Guidance about working with goals, not a goal: a measurable version needs a number "
        "and a deadline, e.g. “Write the day’s call plan before 9 am on at least 95 % of "
        "working days, from the start of the period to its end.”",
}


def competency_for(text: str) -> str:
    lowered = text.lower()
    return next((name for pattern, name in COMPETENCY_RULES if re.search(pattern, lowered)),
                DEFAULT_COMPETENCY)


@dataclass(frozen=True)
class Entry:
    text: str
    competency: str
    titles: tuple[str, ...]
    measure_kind: str
    unit: str
    direction: str
    source: str  # "000", "001" or "004"
    source_ref: str
    advice: str = ""  # set for guidance (GUIDANCE): what a measurable version needs

    @property
    def is_guidance(self) -> bool:
        return bool(self.advice)


def _line_of(seed_name: str, text: str) -> int:
    """The 1-based line of the seed file that holds `text`."""
    for number, line in enumerate(seeds._lines(seed_name), start=1):
        if line.strip() == text:
            return number
    raise ValueError(f"{text!r} is not a line of {seed_name}")


def _entry(text: str, competency: str, source: str, source_ref: str) -> Entry:
    measure = suggest_measure(text)
    return Entry(text=text, competency=competency, titles=TITLES_BY_SOURCE[source],
                 measure_kind=measure.kind if measure else "",
                 unit=measure.unit if measure else "",
                 direction=measure.direction if measure else "",
                 source=source, source_ref=source_ref, advice=GUIDANCE.get(text, ""))


# Seed 004's KPIs that the AR ledger measures as they are worded, bound by default (migration
# goalsapp/0014): "timely payments" is the share of receivables not past due, "days outstanding
# for overdue accounts" the average days delinquent. The others (ratings, plans, audits) are not
# in the ledger, or name a change rather than a level, and stay typed.
SEED_KPI_BINDINGS = {("004", "KRA 1, KPI 1"): "percent_current", ("004", "KRA 1, KPI 3"): "add"}


def bind_seed_kpis(template_model) -> None:
    """Binds the seed entries above to their KPI, each measured on the collector's accounts,
    with the KPI's own measure; an entry an admin has bound otherwise is left alone."""
    from .kpis import BY_CODE, SCOPE_COLLECTOR

    for (source, source_ref), code in SEED_KPI_BINDINGS.items():
        kpi = BY_CODE[code]
        template_model.objects.filter(source=source, source_ref=source_ref, kpi="").update(
            kpi=code, kpi_scope=SCOPE_COLLECTOR, measure_kind=kpi.kind, unit=kpi.unit,
            direction=kpi.direction)


def library_entries() -> list[Entry]:
    entries = [_entry(text, competency_for(text), "000",
                      f"line {_line_of(seeds.FORM_SEED, text)}")
               for text in seeds.form_example_goals()]
    entries += [_entry(text, competency_for(text), "001",
                       f"line {_line_of(seeds.MANAGER_GOALS_SEED, text)}")
                for text in seeds.manager_goals()]
    for area in seeds.responsibility_areas():
        entries += [_entry(kpi, area.name, "004", f"KRA {area.number}, KPI {number}")
                    for number, kpi in enumerate(area.kpis, start=1)]
    return entries


def load_library(template_model, title_model, competency_model, employee_model=None) -> None:
    """Creates the seed titles (each suited by every default competency), a title for every
    distinct Employee.title already stored, and every library entry. Running it again changes
    nothing: entries are keyed by source and reference."""
    competencies = {c.name: c for c in competency_model.objects.all()}
    titles = {}
    for name in SEED_TITLES:
        title, created = title_model.objects.get_or_create(name=name)
        if created:
            title.competencies.set(competencies.values())
        titles[name] = title
    if employee_model is not None:
        for name in employee_model.objects.values_list("title", flat=True).distinct():
            if name and name not in titles:
                titles[name] = title_model.objects.get_or_create(name=name)[0]
    for entry in library_entries():
        template, created = template_model.objects.get_or_create(
            source=entry.source, source_ref=entry.source_ref,
            defaults={"text": entry.text, "competency": competencies[entry.competency],
                      "measure_kind": entry.measure_kind, "unit": entry.unit,
                      "direction": entry.direction})
        if created:
            template.titles.set([titles[name] for name in entry.titles])
    # Migration 0005's historical model predates the guidance fields; 0010 marks them there.
    if any(field.name == "is_guidance" for field in template_model._meta.get_fields()):
        mark_guidance(template_model)


def mark_guidance(template_model) -> None:
    """Marks the seed lines of GUIDANCE as guidance with their advice, keyed like the library;
    an entry an admin has already marked or given advice keeps what the admin wrote."""
    for entry in library_entries():
        if entry.is_guidance:
            template_model.objects.filter(
                source=entry.source, source_ref=entry.source_ref, is_guidance=False, advice=""
            ).update(is_guidance=True, advice=entry.advice)
