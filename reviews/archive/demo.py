"""The demo's archive: every signed demo sheet gets its PDF through the real task, whether or not
the after-commit hook already ran (a demo loaded before the archive existed, or a broker down)."""

from goalsapp.models import GoalSheet
from reviews.closing_states import ClosingState

from .models import SheetArchive


def archive_signed_sheets(period) -> list[str]:
    """Runs the archive task for each signed sheet of `period` without a stored PDF; returns a
    line per sheet for the demo's report."""
    from .tasks import render_archive

    lines = []
    stored = SheetArchive.objects.exclude(file="")
    for sheet in GoalSheet.objects.signed().filter(period=period).exclude(
            pk__in=stored.filter(kind=SheetArchive.Kind.GOALS).values("sheet_id")):
        status = render_archive(sheet.pk)  # in-process: the demo must end archived
        lines.append(f"Archived PDF of {sheet.employee_name}'s signed sheet: {status}.")
    for sheet in GoalSheet.objects.filter(period=period, closing__state=ClosingState.CLOSED
                                          ).exclude(pk__in=stored.filter(
                                              kind=SheetArchive.Kind.CLOSING).values("sheet_id")):
        status = render_archive(sheet.pk, SheetArchive.Kind.CLOSING)
        lines.append(f"Archived PDF of {sheet.employee_name}'s closing review: {status}.")
    return lines
