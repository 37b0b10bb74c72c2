"""HTML escaping for the places that build many small pieces of HTML in Python (form fields,
table rows): Django's conditional_escape and format_html give the same text, but through a
lazy-string wrapper on every call, which at a few thousand calls a page costs more than the
page's queries."""

import html
from functools import lru_cache

from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.timezone import template_localtime


def escape(value) -> str:
    """conditional_escape's result: already-safe HTML as is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@lru_cache(maxsize=128)
def _month(language: str | None, number: int) -> str:
    return str(MONTHS_3[number]).title()  # what the |date filter writes for "M"


def day(value) -> str:
    """`|date:"M j, Y"` (Nov 5, 2026) without the formatter's per-call setup, which at a few
    dozen dates a page cost a millisecond."""
    return f"{_month(translation.get_language(), value.month)} {value.day}, {value.year}"


def minute(value) -> str:
    """`|date:"M j, Y H:i"` of a moment, in the current time zone as the filter shows it."""
    value = template_localtime(value)
    return f"{day(value)} {value.hour:02d}:{value.minute:02d}"


def iso(value) -> str:
    """`|date:"c"` of a moment, in the current time zone."""
    return template_localtime(value).isoformat()
