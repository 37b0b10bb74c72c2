"""The dates the Python-built rows write (goalsapp/fast_html.py) read exactly as the |date filter
writes them, in every month and in the signed-in time zone, and how long ago exactly as
timesince writes it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.timesince import timesince
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsapp.fast_html import day, iso, minute, since

DAY = Template('{{ value|date:"M j, Y" }}')
FILTERED = Template('{{ value|date:"M j, Y H:i" }}|{{ value|date:"c" }}')


@pytest.mark.parametrize("month", range(1, 13))
def test_a_day_reads_as_the_date_filter_writes_it(month):
    value = datetime.date(2026, month, 9)
    assert day(value) == DAY.render(Context({"value": value}))


@pytest.mark.parametrize("zone", ["UTC", "America/Chicago", "Asia/Kolkata"])
def test_a_moment_reads_in_the_current_time_zone_as_the_filter_shows_it(zone):
    moment = datetime.datetime(2026, 12, 31, 23, 5, 7, tzinfo=datetime.UTC)
    with timezone.override(zone):
        expected = FILTERED.render(Context({"value": moment})).split("|")
        assert [minute(moment), iso(moment)] == expected
        # Shown in that zone, not in UTC: Chicago is still on the 31st at 17:05, Kolkata on
        # the 1st of January.
        assert minute(moment) == {"UTC": "Dec 31, 2026 23:05", "America/Chicago":
                                  "Dec 31, 2026 17:05", "Asia/Kolkata": "Jan 1, 2027 04:35"}[zone]


MOMENTS = st.datetimes(min_value=datetime.datetime(2020, 1, 1),
                       max_value=datetime.datetime(2031, 12, 31),
                       timezones=st.sampled_from([datetime.UTC, ZoneInfo("America/Chicago"),
                                                  ZoneInfo("Asia/Kolkata")]))


@settings(max_examples=3000, deadline=None)
@given(earlier=MOMENTS, now=MOMENTS)
def test_how_long_ago_reads_as_timesince_writes_it(earlier, now):
    assert since(earlier, now) == timesince(earlier, now)


@pytest.mark.parametrize(("earlier", "expected"), [
    (datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC), "0\xa0minutes"),
    (datetime.datetime(2026, 11, 30, 11, 59, tzinfo=datetime.UTC), "1\xa0minute"),
    (datetime.datetime(2026, 11, 13, 9, 0, tzinfo=datetime.UTC), "2\xa0weeks, 3\xa0days"),
    (datetime.datetime(2025, 10, 30, 12, 0, tzinfo=datetime.UTC), "1\xa0year, 1\xa0month"),
])
def test_how_long_ago_in_words(earlier, expected):
    now = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
    assert since(earlier, now) == expected
