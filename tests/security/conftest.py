"""Prints what the hostile-input run sent, for CI's log and docs/security.md."""

from tests.security.hostile_helpers import STATS


def pytest_terminal_summary(terminalreporter):
    if STATS["hostile requests"]:
        terminalreporter.write_line(
            f"hostile input: {STATS['hostile requests']} requests over {STATS['endpoints']} "
            f"endpoints ({STATS['URL names']} URL names), {STATS['pages read after']} pages "
            f"read after them, {STATS['discovery GETs']} discovery requests")
