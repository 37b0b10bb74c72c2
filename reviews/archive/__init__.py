"""The archive of signed sheets: PDF/A rendering (pdf), storing once and retrying (services),
bulk ZIP exports (exports) and checking a file against the archive (verification)."""
