"""Racing calls against each other on PostgreSQL, for the concurrency tests of every package.

A module that races asks for `pytestmark = pytest.mark.usefixtures("postgresql_only")`: a
missing PostgreSQL is a failure, never a skip (SQLite has no row locks to test)."""

import threading

from django.db import connection


def race(*calls):
    """Runs the calls in threads released together; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()  # each thread has its own connection; leave none open

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung on a lock"
    return outcomes
