"""`manage.py verify_archive`: rehashes every archived PDF in storage against its record and
exits non-zero if any file is missing or differs (integrity.py beside it)."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from reviews.archive.integrity import archive_checks


class Command(BaseCommand):
    help = ("Reads every archived PDF back from storage, rehashes it and compares it with the "
            "SHA-256 and size recorded at signing. Exits 1 if any file is missing or differs; "
            "run it after a restore and on a schedule.")

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true",
                            help="Print only problems and the summary, not each intact file.")

    def handle(self, *args, quiet=False, **options):
        try:
            counts = self._check_all(list_intact=not quiet and options["verbosity"] > 1)
        except DatabaseError as error:
            raise CommandError(
                f"Could not read the archive records from the database ({str(error).strip()}). "
                "Is DATABASE_URL the restored database, and has `manage.py migrate` run?",
                returncode=2) from None
        checked = counts["intact"] + counts["mismatch"] + counts["missing"]
        summary = (f"Checked {checked} archived PDF{'' if checked == 1 else 's'}: "
                   f"{counts['intact']} intact, {counts['mismatch']} mismatched, "
                   f"{counts['missing']} missing")
        if counts["not stored"]:
            summary += (f"; {counts['not stored']} signed sheet(s) have no stored PDF yet "
                        "(Django admin → Archived PDFs)")
        if counts["mismatch"] or counts["missing"]:
            raise CommandError(summary + ".", returncode=1)
        self.stdout.write(summary + ".")

    def _check_all(self, *, list_intact: bool) -> Counter:
        counts = Counter()
        for check in archive_checks():
            counts[check.verdict] += 1
            where = f"sheet {check.sheet_id}" + (f", {check.name}" if check.name else "")
            if check.is_problem:
                self.stderr.write(f"{check.verdict.upper()}: {where}: {check.detail}")
            elif check.verdict == "not stored":
                self.stdout.write(f"not stored: {where}: {check.detail}")
            elif list_intact:
                self.stdout.write(f"intact: {where}")
        return counts
