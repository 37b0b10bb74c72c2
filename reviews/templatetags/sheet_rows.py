"""A sheet's state badge without a template include: lists of sheets (the inbox, the sheet list,
the team page, the workflow overview) show one a row. Row links use goalsapp's `id_url`.

    {% load rows sheet_rows %}
    <a href="{{ sheet.pk|id_url:'sheet_detail' }}">…</a> {{ sheet|state_badge }}
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def state_badge(sheet) -> str:
    """The sheet's state as a coloured badge, and "version N" after it for an amendment."""
    badge = format_html('<span class="badge state-{}">{}</span>', sheet.state,
                        sheet.get_state_display())
    if sheet.edition > 1:
        badge += format_html(' <span class="small text-muted" data-testid="version-tag">'
                             'version {}</span>', sheet.edition)
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
