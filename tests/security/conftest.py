"""Prints what the hostile-input run sent, for CI's log and docs/security.md."""

from tests.security.hostile_helpers import STATS


def pytest_terminal_summary(terminalreporter):
    if STATS["hostile requests"]:
        generated = STATS["hostile requests"] + STATS["pages read after"]
        terminalreporter.write_line(
            f"hostile input: {generated} requests over {STATS['endpoints']} endpoints "
            f"({STATS['URL names']} URL names): {STATS['hostile requests']} hostile, "
            f"{STATS['pages read after']} pages read after them; "
            f"{STATS['discovery GETs'] + STATS['discovery POSTs']} to discover them")
