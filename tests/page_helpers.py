"""Reading pages as a person would, for the view tests of every package: sign in, parse the
HTML, find what a person sees (texts, alerts, field errors, links) and what a browser would
submit from a form; and a few shortcuts to a sheet's state."""

import re
from html.parser import HTMLParser

from django.test.html import Element, parse_html
from django.urls import reverse

from goalsapp.models import Goal, GoalSheet, SheetState
from reviews import services
from reviews.models import Signature
from tests.workflow_helpers import SUMMARY

S = SheetState
HTMX = {"HTTP_HX_REQUEST": "true"}
ACKNOWLEDGEMENT = (
    "I acknowledge that I discussed this performance feedback with my supervisor. "
    "My signature does not mean that I agree or disagree with this appraisal."
)
CHANGED_MEANWHILE = "changed meanwhile"


def login(client, persona) -> None:
    """Signs a persona in: an Employee through their user, the admin (a User) directly."""
    client.force_login(getattr(persona, "user", persona))


def page(response) -> Element:
    return parse_html(response.content.decode())


def elements(node, **attrs) -> list[Element]:
    """`node` and the elements under it whose attributes equal `attrs` (data_testid means
    data-testid), in document order."""
    wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
    found = []
    if node.name and all(dict(node.attributes).get(k) == v for k, v in wanted.items()):
        found.append(node)
    for child in node.children:
        if isinstance(child, Element):
            found += elements(child, **attrs)
    return found


def text_of(node) -> str:
    parts = [child if isinstance(child, str) else text_of(child) for child in node.children]
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def texts(response, **attrs) -> list[str]:
    return [text_of(element) for element in elements(page(response), **attrs)]


def by_testid(response, name: str) -> str:
    """The text of the element(s) marked data-testid=`name`, joined."""
    return " ".join(texts(response, data_testid=name))


def field_error(response, field_id: str) -> str:
    """The error shown under the field with HTML id `field_id` (crispy's "<id>_error" block)."""
    return " ".join(texts(response, id=f"{field_id}_error"))


def alerts(response) -> str:
    """The flash messages at the top of the page."""
    return " ".join(texts(response, role="alert"))


def sheet_links(response) -> set[int]:
    """The sheets a list page links to."""
    return {int(pk) for pk in re.findall(r'href="/sheets/(\d+)/"', response.content.decode())}


class _FormReader(HTMLParser):
    """Collects, per <form>, the name/value pairs a browser would submit (no submit buttons);
    fields outside any form (an htmx fragment) go to `loose`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict, list]] = []
        self.loose: list[tuple[str, str]] = []
        self._fields = self.loose
        self._textarea: list | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = []
            self.forms.append((attrs, self._fields))
        elif tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._fields.append((attrs["name"], attrs.get("value") or "on"))
                return
            self._fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self._select = {"name": attrs.get("name"), "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = self.loose
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            # Browsers drop the one newline that follows <textarea>.
            self._fields.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            self._fields.append(
                (
                    self._select["name"],
                    chosen if chosen is not None else self._select["first"] or "",
                )
            )
            self._select = None


def form_values(response, *, form_id: str | None = None, having: str | None = None) -> dict:
    """What a browser would submit from the form with id `form_id`, or from the first form that
    has a field named `having`; for an htmx fragment (no form) the fields it carries."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    if form_id is None and having is None:
        return dict(reader.loose)
    for attrs, fields in reader.forms:
        if (form_id and attrs.get("id") == form_id) or (having and having in dict(fields)):
            return dict(fields)
    if having and having in dict(reader.loose):  # a fragment whose fields sit in the page's form
        return dict(reader.loose)
    raise AssertionError(f"No form with id={form_id!r} or a field {having!r} on the page.")


def without_csrf(values: dict) -> dict:
    return {name: value for name, value in values.items() if name != "csrfmiddlewaretoken"}


def fresh(sheet) -> GoalSheet:
    return GoalSheet.objects.get(pk=sheet.pk)


def goal_texts(sheet) -> list[str]:
    return list(
        Goal.objects.filter(sheet=sheet).order_by("position").values_list("text", flat=True)
    )


def live_signatures(sheet):
    return Signature.objects.filter(sheet=sheet, voided_at__isnull=True)


def editor(client, sheet) -> dict:
    """Opens the goal editor and returns what its form would submit as it stands."""
    response = client.get(reverse("sheet_edit", args=[sheet.pk]))
    assert response.status_code == 200
    return without_csrf(form_values(response, form_id="goal-editor"))


def confirm(client, sheet, action: str, **values):
    """Opens a transition's confirmation page, fills `values` in, and submits it."""
    url = reverse("sheet_transition", args=[sheet.pk, action])
    response = client.get(url)
    assert response.status_code == 200, alerts(response)
    return client.post(url, {**without_csrf(form_values(response, having="version")), **values})


def complete_summary(sheet) -> GoalSheet:
    sheet = fresh(sheet)
    services.sheet_save_summary(
        sheet_id=sheet.pk,
        actor=sheet.employee.supervisor.user,
        version=sheet.version,
        values=SUMMARY,
    )
    return fresh(sheet)


def state_badge(response) -> str:
    return " ".join(
        text_of(e)
        for e in elements(page(response))
        if (dict(e.attributes).get("class") or "").startswith("badge state-")
    )
