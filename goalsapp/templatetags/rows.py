"""Table rows a page repeats by the dozen, built in Python: a row through the template engine
(a `{% url %}`, a localized number per cell) cost more than the query behind the whole table
(bench/profile_page.py).

    {% load rows %}
    <a href="{{ sheet.pk|id_url:'sheet_detail' }}">…</a>
    <tbody>{% group_rows %}</tbody>     {# goalsapp/dashboards/_group_table.html #}
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from ..fast_html import escape

register = template.Library()

WARNING = ' class="table-warning"'
_MARK = 987654321  # stands for the id in the one reversed URL


@lru_cache(maxsize=64)
def _around_id(name: str, script_prefix: str) -> tuple[str, str]:
    """The URL of `name` before and after its one id argument, reversed once per process (and
    per script prefix, the one thing reversal depends on here)."""
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return head, tail


@register.filter
def id_url(pk, name: str) -> str:
    """`{% url name pk %}` for a URL whose only argument is an integer id."""
    head, tail = _around_id(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


def _cell(value) -> str:
    # What `{{ value }}` shows: an int as is (no thousands separator is configured), anything
    # else localized and escaped as the template engine would.
    return str(value) if type(value) is int else escape(localize(value))


@register.simple_tag(takes_context=True)
def group_rows(context) -> str:
    """The rows of goalsapp/dashboards/_group_table.html: `rows`, linked to each person's
    dashboard when `link_people` (with the `period` chosen)."""
    rows, link_people, period = context["rows"], context.get("link_people"), context.get("period")
    query = f"?period={period.pk}" if period else ""
    html = []
    for row in rows:
        label = escape(row.label)
        if link_people:
            label = f'<a href="{id_url(row.url_id, "person_dashboard")}{query}">{label}</a>'
        people = "" if link_people else f'<td class="text-end">{_cell(row.people)}</td>'
        counts = "".join(f'<td class="text-end">{_cell(count)}</td>'
                         for count in row.counts.values())
        html.append(
            f"<tr{WARNING if row.behind else ''}>\n"
            f'      <th scope="row">{label}</th>\n'
            f'      {people}<td class="text-end">{_cell(row.goals)}</td>'
            f'<td class="text-end">{_cell(row.with_data)}</td>\n'
            f'      <td class="text-end text-nowrap" data-testid="attainment">'
            f"{escape(row.percent)}</td>\n      {counts}\n    </tr>\n")
    return mark_safe("".join(html))
