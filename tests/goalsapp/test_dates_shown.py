"""The dates the Python-built rows write (goalsapp/fast_html.py) read exactly as the |date filter
writes them, in every month and in the signed-in time zone."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from goalsapp.fast_html import day, iso, minute

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
