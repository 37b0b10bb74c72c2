"""Loaded into a fault test's Celery worker (`--include`): when FAULT_RENDER_STARTED names a
file, the archive rendering writes it and pauses FAULT_RENDER_PAUSE seconds before the real
renderer runs, so the test can kill the worker in the middle of a rendering."""

import os
import time
from pathlib import Path

from reviews.archive import services

_render = services.render_sheet_pdf


def _announced_and_paused(sheet):
    Path(os.environ["FAULT_RENDER_STARTED"]).write_text(str(sheet.pk))
    time.sleep(float(os.environ.get("FAULT_RENDER_PAUSE", "0")))
    return _render(sheet)


if os.environ.get("FAULT_RENDER_STARTED"):
    services.render_sheet_pdf = _announced_and_paused
