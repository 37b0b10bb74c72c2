"""Signals the workflow sends after a transition has committed (for e-mail, archives, …)."""

from django.dispatch import Signal

# Sent with sheet= and event= once the transition's transaction has committed.
sheet_transitioned = Signal()
