"""The SMART assistant's hints for the goal editor's rows, read from what the page holds (typed
values and all, nothing saved): the editor and its htmx hints fragment attach them."""

from datetime import date
from decimal import Decimal, InvalidOperation

from goalsapp import smart
from goalsapp.models import Competency
from goalsapp.selectors import title_competencies


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def row_hints(form, sheet, suited, competency_names: dict) -> dict[str, smart.Hint]:
    """The SMART hints for a goal row as it stands on the page, typed values and all."""
    return smart.check(
        text=form["text"].value() or "", target=_decimal(form["target"].value() or ""),
        unit=form["unit"].value() or "", measure_kind=form["measure_kind"].value() or "",
        baseline=_decimal(form["baseline"].value() or ""),
        direction=form["direction"].value() or "",
        competency=competency_names.get(str(form["competency"].value() or "")),
        title=sheet.title, suited=suited, due_on=_date(form["due_on"].value() or ""),
        starts_on=sheet.period.starts_on, ends_on=sheet.period.ends_on)


def competency_names() -> dict[str, str]:
    return {str(pk): name for pk, name in Competency.objects.values_list("pk", "name")}


def attach_hints(forms, sheet, names: dict[str, str] | None = None) -> None:
    """Gives every row form of the editor its hints, in two queries for the whole page (one when
    the caller has the competency `names` a row may name, by id as the form holds it)."""
    suited = title_competencies(sheet.title)
    names = competency_names() if names is None else names
    for form in forms:
        form.smart_hints = row_hints(form, sheet, suited, names)
