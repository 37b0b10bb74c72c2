"""`manage.py verify_records`: checks every signed sheet's record (three live signatures, each
matching the content now), every closed closing review's record (the same, on the closing
content), and every archived PDF's SHA-256 (verify_archive's checks), prints what is wrong and
exits 1 if anything is."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from goalsapp.models import GoalSheet
from reviews.archive.integrity import archive_checks
from reviews.closing_models import ClosingReview
from reviews.closing_states import ClosingState
from reviews.integrity import ALTERED, closing_record_problems, signed_record_problems


class Command(BaseCommand):
    help = ("Checks every signed sheet (three signatures whose hashes match the content) and "
            "every archived PDF (its SHA-256 and size against the record). Exits 1 if anything "
            "is wrong, 2 if the database cannot be read.")

    def handle(self, *args, **options):
        try:
            altered, sheets = self._check_sheets()
            altered_reviews, reviews = self._check_closing_reviews()
            altered += altered_reviews
            broken, files = self._check_archives()
        except DatabaseError as error:
            raise CommandError(f"Could not read the records from the database "
                               f"({str(error).strip()}).", returncode=2) from None
        closed = (f", {reviews} closed closing review{'' if reviews == 1 else 's'}"
                  if reviews else "")
        summary = (f"Checked {sheets} signed sheet{'' if sheets == 1 else 's'}{closed} and "
                   f"{files} "
                   f"archived PDF{'' if files == 1 else 's'}: {altered} altered "
                   f"record{'' if altered == 1 else 's'}, {broken} archive "
                   f"problem{'' if broken == 1 else 's'}")
        if altered or broken:
            raise CommandError(summary + ".", returncode=1)
        self.stdout.write(summary + ".")

    def _check_sheets(self) -> tuple[int, int]:
        altered = checked = 0
        signed = GoalSheet.objects.signed().prefetch_related("signatures").order_by("pk")
        for sheet in signed.iterator(chunk_size=200):
            checked += 1
            live = [s for s in sheet.signatures.all() if s.voided_at is None]
            if problems := signed_record_problems(sheet, live):
                altered += 1
                self.stderr.write(f"ALTERED: sheet {sheet.pk} ({sheet.employee_name}): "
                                  f"{ALTERED}. {' '.join(problems)}")
        return altered, checked

    def _check_closing_reviews(self) -> tuple[int, int]:
        altered = checked = 0
        closed = ClosingReview.objects.filter(state=ClosingState.CLOSED).select_related(
            "sheet__period").order_by("pk")
        for review in closed.iterator(chunk_size=200):
            checked += 1
            if problems := closing_record_problems(review):
                altered += 1
                self.stderr.write(f"ALTERED: closing review of sheet {review.sheet_id} "
                                  f"({review.sheet.employee_name}): {ALTERED}. "
                                  f"{' '.join(problems)}")
        return altered, checked

    def _check_archives(self) -> tuple[int, int]:
        broken = checked = 0
        for check in archive_checks():
            if check.verdict == "not stored":
                continue
            checked += 1
            if check.is_problem:
                broken += 1
                where = f"sheet {check.sheet_id}, {check.name}"
                self.stderr.write(f"{check.verdict.upper()}: {where}: {check.detail}")
        return broken, checked
