"""A sheet's state badge without a template include: lists of sheets (the inbox, the sheet list,
the team page, the workflow overview) show one a row. Row links use goalsapp's `id_url`.

    {% load rows sheet_rows %}
    <a href="{{ sheet.pk|id_url:'sheet_detail' }}">…</a> {{ sheet|state_badge }}
    <tbody>{% sheet_table_rows sheets %}</tbody>   {# reviews/partials/sheet_table.html #}
"""

from functools import lru_cache

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from goalsapp.fast_html import escape, since
from goalsapp.models import SheetState
from goalsapp.templatetags.rows import id_url

register = template.Library()


@register.simple_tag
def sheet_table_rows(sheets) -> str:
    """The rows of reviews/partials/sheet_table.html (the sheet list, HR's queue): fifty rows
    through the template engine cost more than the query behind them."""
    now = timezone.now()
    html = []
    for sheet in sheets:
        waited = since(sheet.state_changed_at, now) if sheet.state_changed_at else ""
        html.append(
            "\n    <tr>"
            f'\n      <td><a href="{id_url(sheet.pk, "sheet_detail")}">'
            f"{escape(sheet.employee_name)}</a></td>"
            f'\n      <td class="d-none d-md-table-cell">{escape(sheet.title)}</td>'
            f"\n      <td>{escape(sheet.period.name)}</td>"
            f"\n      <td>{state_badge(sheet)}</td>"
            f'\n      <td class="d-none d-md-table-cell text-muted small">{escape(waited)} ago</td>'
            "\n    </tr>")
    return mark_safe("".join(html))


@register.filter
def state_badge(sheet) -> str:
    """The sheet's state as a coloured badge, and "version N" after it for an amendment."""
    return _badge(translation.get_language(), sheet.state, sheet.edition)


_STATE_LABELS = dict(SheetState.choices)


@lru_cache(maxsize=256)
def _badge(language: str | None, state: str, edition: int) -> str:
    # A list shows the same few badges fifty times: each is built once per language.
    badge = format_html('<span class="badge state-{}">{}</span>', state,
                        _STATE_LABELS.get(state, state))
    if edition > 1:
        badge += format_html(' <span class="small text-muted" data-testid="version-tag">'
                             'version {}</span>', edition)
    return badge


@register.filter
def current_state_badge(sheet) -> str:
    """The sheet's current state: its closing review's once it has one (docs/closing.md). Used
    where the closing review was fetched with the sheet (select_related("closing"))."""
    review = getattr(sheet, "closing", None) if sheet.is_signed else None
    if review is None:
        return state_badge(sheet)
    return format_html('<span class="badge state-{}" data-testid="closing-badge">{}</span>',
                       review.state, review.get_state_display())
