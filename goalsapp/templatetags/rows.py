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
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WARNING = mark_safe(' class="table-warning"')
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
    # else localized as the template engine would.
    return str(value) if type(value) is int else str(localize(value))


@register.simple_tag(takes_context=True)
def group_rows(context) -> str:
    """The rows of goalsapp/dashboards/_group_table.html: `rows`, linked to each person's
    dashboard when `link_people` (with the `period` chosen)."""
    rows, link_people, period = context["rows"], context.get("link_people"), context.get("period")
    query = f"?period={period.pk}" if period else ""
    html = []
    for row in rows:
        if link_people:
            label = format_html('<a href="{}{}">{}</a>', id_url(row.url_id, "person_dashboard"),
                                query, row.label)
        else:
            label = format_html("{}", row.label)
        people = "" if link_people else format_html('<td class="text-end">{}</td>',
                                                    _cell(row.people))
        counts = format_html_join("", '<td class="text-end">{}</td>',
                                  ((_cell(count),) for count in row.counts.values()))
        html.append(format_html(
            '<tr{}>\n      <th scope="row">{}</th>\n      {}<td class="text-end">{}</td>'
            '<td class="text-end">{}</td>\n      <td class="text-end text-nowrap" '
            'data-testid="attainment">{}</td>\n      {}\n    </tr>\n',
            WARNING if row.behind else "", label, people, _cell(row.goals),
            _cell(row.with_data), row.percent, counts))
    return format_html_join("", "{}", ((row,) for row in html))
