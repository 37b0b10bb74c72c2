"""Reading an AR system's CSV export: its encoding and delimiter, its header, and its rows in
our columns' order through the source system's column mapping — streamed, so a file of two
million payments is never held in memory."""

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from .columns import COLUMNS

SAMPLE_BYTES = 64 * 1024
MAX_HEADER_CELLS = 200
MAX_HEADER_LENGTH = 100


class CsvProblem(Exception):
    """The file as a whole cannot be read; the message says why, for the upload field."""


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its mark, or else Windows-1252,
    which spreadsheet programs on Windows still write as "CSV"."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # final=False: the sample may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def open_text(binary: BinaryIO) -> tuple[io.TextIOWrapper, str]:
    binary.seek(0)
    encoding = detect_encoding(binary.read(SAMPLE_BYTES))
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=encoding, newline=""), encoding


def _delimiter(first_line: str) -> str:
    """Comma unless the header holds more semicolons or tabs (European and tab exports)."""
    counts = {mark: first_line.count(mark) for mark in (",", ";", "\t")}
    return max(counts, key=lambda mark: (counts[mark], mark == ","))


class CsvFile:
    """One export: `header` (their column names) and `records(kind, mapping)`."""

    def __init__(self, binary: BinaryIO):
        self.binary = binary
        text, self.encoding = open_text(binary)
        try:
            first = text.readline()
        except UnicodeDecodeError as error:
            raise CsvProblem("The file is not text (it could not be read as UTF-8, UTF-16 or "
                             "Windows-1252).") from error
        finally:
            text.detach()  # a wrapper closes its file when it goes; the file is read again
        if "\x00" in first:
            raise CsvProblem("This is not a CSV file (it holds binary data).")
        self.delimiter = _delimiter(first)
        try:
            header = next(csv.reader([first], delimiter=self.delimiter, strict=True), [])
        except csv.Error as error:
            raise CsvProblem(f"The header row is not valid CSV: {error}.") from error
        self.header = [cell.strip() for cell in header]
        if not any(self.header):
            raise CsvProblem("The file is empty: it needs a header row and at least one row.")
        if len(self.header) > MAX_HEADER_CELLS:
            raise CsvProblem(f"The header has more than {MAX_HEADER_CELLS} columns.")
        if any(len(cell) > MAX_HEADER_LENGTH for cell in self.header):
            raise CsvProblem(f"A column name in the header is longer than {MAX_HEADER_LENGTH} "
                             "characters: is the first line the header?")
        named = [cell for cell in self.header if cell]
        if len(set(named)) != len(named):
            twice = sorted({cell for cell in named if named.count(cell) > 1})
            raise CsvProblem(f"The header names {', '.join(twice)} twice: each column needs "
                             "a name of its own.")

    def records(self, kind: str, mapping: dict[str, str]) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells in COLUMNS[kind] order) for each non-empty row; a column the
        mapping leaves out reads as empty. Raises CsvProblem if the file turns out unreadable."""
        positions = [self.header.index(mapping[column.name])
                     if mapping.get(column.name) in self.header else None
                     for column in COLUMNS[kind]]
        width = len(self.header)
        text, _ = open_text(self.binary)
        reader = csv.reader(text, delimiter=self.delimiter, strict=True)
        try:
            next(reader, None)
            for cells in reader:
                if len(cells) < width:
                    if not any(cell.strip() for cell in cells):
                        continue
                    cells = cells + [""] * (width - len(cells))
                yield reader.line_num, [cells[at].strip() if at is not None else ""
                                        for at in positions]
        except csv.Error as error:
            raise CsvProblem(f"The file is not valid CSV (line {reader.line_num + 1}): "
                             f"{error}.") from error
        except UnicodeDecodeError as error:
            raise CsvProblem(f"The file is not {self.encoding} text after line "
                             f"{reader.line_num}.") from error
        finally:
            text.detach()
