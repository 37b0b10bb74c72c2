"""The goal editor's rows built in Python: ten rows of a dozen fields each through the template
engine cost more than the rest of the page (bench/profile_page.py). The fields themselves come
from goalsapp's `fields` filters, as everywhere else; this module writes what surrounds them,
the HTML reviews/partials/goal_row.html wrote. The same row answers the editor, "Add a goal"
and the library's picker (reviews/partials/goal_row.html), and the hints the row's own
request for SMART hints (reviews/partials/smart_hints.html).

    {% load editor_rows %}
    {% for form in formset %}{% goal_row form sheet %}{% endfor %}
    {% smart_hints_list hints %}
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from goalsapp.fast_html import escape
from goalsapp.templatetags.fields import as_field, hidden, widget
from goalsapp.templatetags.rows import id_url

register = template.Library()


@register.simple_tag
def smart_hints_list(hints) -> str:
    """The SMART assistant's hints for one goal: a suggestion, never a decision."""
    items = []
    for name, hint in hints.items():
        passes = bool(hint.passes)
        title = "Time-bound" if name == "time_bound" else capfirst(name)
        items.append(
            f'\n  <li class="{"text-success" if passes else "text-danger"}" '
            f'data-criterion="{escape(name)}" data-passes="{"yes" if passes else "no"}">'
            f'\n    <span aria-hidden="true">{"✓" if passes else "✗"}</span>'
            f"\n    <strong>{escape(title)}</strong><span class=\"visually-hidden\">: "
            f'{"passes" if passes else "fails"}</span> — <span class="text-body">'
            f"{escape(hint.reason)}</span>"
            "\n  </li>")
    return mark_safe('<ul class="list-unstyled small mb-0 smart-hints-list" '
                     f'data-testid="smart-hints">{"".join(items)}\n</ul>')


def _joined(errors) -> str:
    return " ".join(escape(error) for error in errors)


@register.simple_tag
def goal_row(form, sheet, guidance=None) -> str:
    """One goal of the editor. On a phone (static/js/goal-editor.js) a row folds to one line
    until opened; rows with errors, new rows and rows the employee questioned arrive open."""
    is_open = bool(form.arrives_open or guidance)
    from_library = form["template"].value()
    first_field = (' data-first-field="target"' if from_library
                   else ' data-first-field="text"' if guidance else "")
    prefix = escape(form.prefix)
    html = [
        f'<div class="card mb-2 goal-row{" is-open" if is_open else ""}" data-testid="goal-row"'
        f"{first_field}"
        f' hx-get="{id_url(sheet.pk, "goal_hints")}" hx-trigger="change" hx-include="this"'
        f""" hx-vals='{{"row": "{prefix}"}}' hx-target="find .smart-hints" """
        'hx-sync="this:queue last">'
        '\n  <div class="card-body py-2">'
        f'\n    {widget(form["goal_id"])}{widget(form["template"])}{hidden(form["ORDER"])}']
    if errors := form.non_field_errors():
        html.append(f'\n    <div class="alert alert-danger py-1 small">{_joined(errors)}</div>')
    if errors := form["template"].errors:
        html.append(f'\n    <div class="alert alert-danger py-1 small">{_joined(errors)}</div>')
    delete = form["DELETE"]
    text = form["text"].value()
    html.append(
        '\n    <div class="d-flex justify-content-between align-items-center gap-2 mb-1 '
        'goal-row-head">'
        '\n      <button type="button" class="btn btn-link goal-toggle p-0 text-start '
        'text-decoration-none" data-testid="goal-toggle"'
        f' aria-expanded="{"true" if is_open else "false"}" aria-controls="{prefix}-fields">'
        '\n        <span class="small fw-semibold goal-toggle-number">Goal</span>'
        f'\n        <span class="goal-summary-text">{escape(text) if text else "New goal"}</span>'
        '\n        <span class="small text-muted goal-summary-meta"></span>'
        "\n      </button>"
        '\n      <span class="small fw-semibold text-muted goal-number">Goal</span>'
        '\n      <div class="btn-group btn-group-sm goal-arrange" role="group" '
        'aria-label="Arrange this goal">'
        '\n        <button type="button" class="btn btn-outline-secondary" data-move="up" '
        'aria-label="Move up">↑</button>'
        '\n        <button type="button" class="btn btn-outline-secondary" data-move="down" '
        'aria-label="Move down">↓</button>'
        f'\n        <input type="checkbox" class="btn-check" name="{escape(delete.html_name)}" '
        f'id="{escape(delete.auto_id)}" autocomplete="off"{" checked" if delete.value() else ""}>'
        f'\n        <label class="btn btn-outline-danger" for="{escape(delete.auto_id)}">'
        "Remove</label>"
        "\n      </div>"
        "\n    </div>"
        f'\n    <div class="goal-fields" id="{prefix}-fields">')
    if guidance:
        html.append(
            '\n      <div class="alert alert-info py-1 px-2 small mb-1 guidance-hint" '
            'data-testid="guidance-hint">'
            f"\n        <strong>From the library’s guidance</strong> (“{escape(guidance.text)}”): "
            f"{escape(guidance.advice)}\n      </div>")
    hints = getattr(form, "smart_hints", None)
    html.append(
        '\n      <div class="row g-2">'
        f'\n        <div class="col-md-4">{as_field(form["competency"])}</div>'
        f'\n        <div class="col-md-8">{as_field(form["text"])}</div>'
        "\n      </div>"
        '\n      <div class="row g-2">'
        f'\n        <div class="col-6 col-md-2">{as_field(form["measure_kind"])}</div>'
        f'\n        <div class="col-6 col-md-2">{as_field(form["target"])}</div>'
        f'\n        <div class="col-6 col-md-2">{as_field(form["unit"])}</div>'
        f'\n        <div class="col-12 col-md-2">{as_field(form["direction"])}</div>'
        f'\n        <div class="col-6 col-md-1">{as_field(form["baseline"])}</div>'
        f'\n        <div class="col-6 col-md-2">{as_field(form["due_on"])}</div>'
        f'\n        <div class="col-6 col-md-1">{as_field(form["weight"])}</div>'
        "\n      </div>"
        f'\n      <details class="mt-1 smart-hints-box"{" open" if from_library else ""}>'
        '\n        <summary class="small text-muted">SMART hints'
        f'{" · from the goal library" if from_library else ""}</summary>'
        f'\n        <div class="smart-hints">{smart_hints_list(hints) if hints else ""}</div>'
        "\n      </details>"
        '\n      <div class="row g-2 mt-1 kpi-binding">'
        f'\n        <div class="col-md-6">{as_field(form["kpi"])}</div>'
        f'\n        <div class="col-md-3">{as_field(form["kpi_scope"])}</div>'
        "\n      </div>")
    if answer := form.flagged_answer:
        html.append(
            '\n      <div class="alert alert-warning py-2 mb-0 mt-1 clarification" '
            'data-testid="clarification">'
            f'\n        <div class="small"><strong>{escape(sheet.employee_name)} asked for '
            f"clarification:</strong> “{escape(answer.comment)}”</div>"
            f'\n        {as_field(form["reply"])}'
            "\n      </div>")
    html.append(
        "\n    </div>"
        '\n    <div class="goal-removed small text-danger">This goal will be removed when you '
        "save. Click “Remove” again to keep it.</div>"
        "\n  </div>"
        "\n</div>")
    return mark_safe("".join(html))
