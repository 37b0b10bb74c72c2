"""What every row of a list of sheets repeats (the inbox, the sheet list, the team page, the
workflow overview), without a template include or a URL reversal a row: a list of fifty rows
paid more for those than for its queries (bench/profile_page.py).

    {% load sheet_rows %}
    <a href="{{ sheet.pk|sheet_url }}">…</a> {{ sheet|state_badge }}
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html

register = template.Library()

_MARK = 987654321  # stands for the sheet id in the one reversed URL


@lru_cache(maxsize=64)
def _around_id(name: str, script_prefix: str) -> tuple[str, str]:
    """The URL of `name` before and after its one id, reversed once per process (and per
    script prefix, which is what reversal depends on here)."""
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return head, tail


@register.filter
def sheet_url(pk, name: str = "sheet_detail") -> str:
    """`{% url name pk %}` for a URL whose only argument is a sheet id."""
    head, tail = _around_id(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


@register.filter
def state_badge(sheet) -> str:
    """The sheet's state as a coloured badge (reviews/partials/state_badge.html)."""
    return format_html('<span class="badge state-{}">{}</span>', sheet.state,
                       sheet.get_state_display())
