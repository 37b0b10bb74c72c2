"""The one way Goalpost writes CSV: every text cell that a spreadsheet would run as a formula is
neutralised (OWASP "CSV injection"), so a goal text like =HYPERLINK(…) comes back as text."""

import csv
import re

# A cell starting with one of these is a formula (or a DDE call) to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as -12.5 is data, not a formula, and stays a number in the spreadsheet.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value):
    """`value` as a spreadsheet will read it as text: a leading apostrophe before a formula."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer with every cell passed through safe_cell."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> SafeWriter:
    return SafeWriter(file, **options)
