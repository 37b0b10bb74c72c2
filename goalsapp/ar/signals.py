"""What the ledger announces: `ledger_loaded` is sent after a load's transaction commits, with
`load` (the applied LedgerLoad: its kind and counts). Receivers — the collector KPIs that
recompute the actuals of goals bound to them — connect in their own AppConfig.ready(); a
receiver's failure never undoes the load, which is committed already."""

from django.dispatch import Signal

ledger_loaded = Signal()
