"""Goalpost's own settings with one addition, a bare signed-in page: bench/pages.py serves the
app with this module so the ceiling it measures against passes through the very same middleware,
session and database settings as every real page. Never used outside the bench."""

from config.settings import *  # noqa: F403 — the same settings, nothing else changed

ROOT_URLCONF = "bench.ceiling_urls"
