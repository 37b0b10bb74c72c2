"""HTML escaping for the places that build many small pieces of HTML in Python (form fields,
table rows): Django's conditional_escape and format_html give the same text, but through a
lazy-string wrapper on every call, which at a few thousand calls a page costs more than the
page's queries."""

import datetime
import html
from functools import lru_cache

from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.timezone import is_aware, template_localtime
from django.utils.translation import gettext, ngettext


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


# Django's timesince, whose text the sheet tables show a row ("3 days, 4 hours"), costs 45 µs a
# call through its lazy strings: 2 ms for a page of fifty sheets. `since` writes the same text
# (tests/goalsapp/test_dates_shown.py compares the two over thousands of moments), with the
# same messages for translation.
_UNITS = ("year", "month", "week", "day", "hour", "minute")
_CHUNKS = (60 * 60 * 24 * 7, 60 * 60 * 24, 60 * 60, 60)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _counted(unit: str, number: int) -> str:
    return _counted_in(translation.get_language(), unit, number)


@lru_cache(maxsize=1024)
def _counted_in(language: str | None, unit: str, number: int) -> str:
    # Kept per language: the same few dozen counts ("3 days") recur on every list.
    text = ngettext(f"%(num)d {unit}", f"%(num)d {unit}s", number) % {"num": number}
    return text.replace(" ", "\xa0")  # as avoid_wrapping does


def since(earlier: datetime.datetime, now: datetime.datetime) -> str:
    """`timesince(earlier, now)`: the two largest units of the time between, such as
    "2 weeks, 3 days", or "0 minutes"."""
    if is_aware(now) and is_aware(earlier):
        now = now.astimezone(earlier.tzinfo)
    delta = now - earlier
    if delta.days * 24 * 60 * 60 + delta.seconds <= 0:
        return _counted("minute", 0)
    months = (now.year - earlier.year) * 12 + (now.month - earlier.month)
    if earlier.day > now.day or (earlier.day == now.day and earlier.time() > now.time()):
        months -= 1
    years, months = divmod(months, 12)
    pivot = earlier
    if years or months:
        year, month = earlier.year + years, earlier.month + months
        if month > 12:
            month -= 12
            year += 1
        pivot = datetime.datetime(year, month, min(_MONTH_DAYS[month - 1], earlier.day),
                                  earlier.hour, earlier.minute, earlier.second,
                                  tzinfo=earlier.tzinfo)
    remaining = (now - pivot).total_seconds()
    parts = [years, months]
    for chunk in _CHUNKS:
        count = int(remaining // chunk)
        parts.append(count)
        remaining -= chunk * count
    first = next((index for index, part in enumerate(parts) if part), None)
    if first is None:
        return _counted("minute", 0)
    shown = [_counted(_UNITS[first], parts[first])]
    if first + 1 < len(parts) and parts[first + 1]:
        shown.append(_counted(_UNITS[first + 1], parts[first + 1]))
    return gettext(", ").join(shown)
