"""Queues a Celery task without ever failing the caller: a broker that is down is logged, and
the next reminder sweep sends whatever was left in the outbox."""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, **kwargs) -> bool:
    """task.delay(**kwargs); False (and a warning in the log) if the broker cannot be reached."""
    try:
        task.delay(**kwargs)
    except Exception:  # a broker error must never undo or break the user's committed action
        logger.warning("Could not queue %s(%s); the next reminder sweep will send it.",
                       task.name, kwargs, exc_info=True)
        return False
    return True
