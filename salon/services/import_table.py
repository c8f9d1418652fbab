"""Read an import file into rows: CSV (usual encodings, separators and line ends) or XLSX, within caps.

XLSX is read streaming (openpyxl read-only) from an archive whose every part is capped once unpacked: the
sizes the zip declares are checked before reading and every byte unpacked is counted while reading, and
rows are counted as they are read. A small file that unpacks to millions of rows is refused after reading
at most the caps. Which column means what is salon.services.import_columns.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from flask_babel import gettext as _
from flask_babel import ngettext
from openpyxl.reader.excel import ExcelReader

from salon.services import DomainError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000  # participant rows, below the header
MAX_COLUMNS = 100
HEADER_SEARCH = 10  # a title may sit above the header: it is looked for in the first rows
MAX_ROWS_READ = 2 * MAX_ROWS + HEADER_SEARCH  # rows read from the file, empty ones included
MAX_PART_BYTES = 32 * 1024 * 1024  # unpacked size of one part of an XLSX archive
MAX_PARTS = 200
CHUNK = 64 * 1024
SEPARATORS = (";", ",", "\t")

Row = tuple[int, list[str]]  # (spreadsheet row number, cells)


@dataclass(frozen=True)
class Problem:
    """One error of an import file: spreadsheet row number (0 for the whole file), column header, message."""

    row: int
    column: str
    message: str


class ImportRejected(DomainError):
    """The file was refused as a whole; `problems` lists every error by row and column."""

    def __init__(self, problems: list[Problem]):
        message = ngettext(
            "The file was not imported: %(num)d error.",
            "The file was not imported: %(num)d errors.",
            len(problems),
        )
        super().__init__(message, "file")
        self.problems = problems


def rejected(message: str) -> ImportRejected:
    """Return the refusal of a whole file for one reason."""
    return ImportRejected([Problem(0, "", message)])


@dataclass
class ReadStats:
    """What reading a file took: rows read (empty ones included) and XLSX bytes unpacked."""

    rows: int = 0
    unpacked_bytes: int = 0


def read_rows(filename: str, data: bytes, stats: ReadStats | None = None) -> list[Row]:
    """Return the non-empty rows of a CSV or XLSX file with their row numbers, refusing it beyond the caps."""
    stats = stats if stats is not None else ReadStats()
    if len(data) > MAX_BYTES:
        raise rejected(_("The file is too large (at most 2 MB)."))
    if data.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith((".xls", ".ods")):
        raise rejected(_("Save the file as Excel (.xlsx) or CSV: older Excel (.xls) and .ods are not read."))
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _collect(_xlsx_rows(data, stats), stats)
    else:
        rows = _collect(_csv_rows(_decode(data)), stats)
    if not rows:
        raise rejected(_("The file is empty."))
    return rows


def _collect(source: Iterator[Any], stats: ReadStats) -> list[Row]:
    """Keep the non-empty rows, counting every row read against the caps as it comes."""
    rows: list[Row] = []
    for number, raw in enumerate(source, start=1):
        stats.rows = number
        if number > MAX_ROWS_READ:
            raise rejected(_("Too many rows (at most %(n)d).", n=MAX_ROWS))
        cells = [cell_text(value) for value in raw]
        if any(cells[MAX_COLUMNS:]):
            raise rejected(_("Too many columns (at most %(n)d).", n=MAX_COLUMNS))
        del cells[MAX_COLUMNS:]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append((number, cells))
    return rows


def cell_text(value: Any) -> str:
    """Return a cell as text: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    """Decode UTF-16 (with its BOM), UTF-8 (with or without BOM), else Windows-1252."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise rejected(_("Unknown text encoding: save the file as CSV UTF-8."))


def _csv_rows(text: str) -> Iterator[list[str]]:
    """Yield the records of a CSV text whose lines end in LF, CRLF or CR, with its most likely separator."""
    try:
        yield from csv.reader(io.StringIO(text, newline=None), delimiter=_separator(text))
    except csv.Error:
        raise rejected(_("This is not a readable CSV file.")) from None


def _separator(text: str) -> str:
    """Return the separator that splits the first lines into the most columns (";" on a tie)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", HEADER_SEARCH)[:HEADER_SEARCH]

    def widest(separator: str) -> int:
        try:
            return max(len(row) for row in csv.reader(lines, delimiter=separator))
        except (csv.Error, ValueError):
            return 0

    return max(SEPARATORS, key=widest)


class _PartTooLarge(Exception):
    """A part of the archive unpacked beyond MAX_PART_BYTES."""


class _CappedStream:
    """A part of the archive being unpacked: every byte counted, refused beyond MAX_PART_BYTES."""

    def __init__(self, raw: Any, stats: ReadStats):
        self.raw, self.stats, self.size = raw, stats, 0

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        data = self.raw.read(min(size, MAX_PART_BYTES + 1 - self.size))
        self.size += len(data)
        self.stats.unpacked_bytes += len(data)
        if self.size > MAX_PART_BYTES:
            raise _PartTooLarge
        return data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _CappedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CappedArchive(zipfile.ZipFile):
    """A zip archive whose parts are unpacked through _CappedStream."""

    stats: ReadStats

    def open(self, name: Any, mode: Literal["r", "w"] = "r", pwd: bytes | None = None, **kwargs: Any) -> Any:
        stream = super().open(name, mode, pwd, **kwargs)
        return _CappedStream(stream, self.stats) if mode == "r" else stream


def _open_archive(data: bytes, stats: ReadStats) -> _CappedArchive:
    """Open the XLSX archive, refusing it when a part declares more than the caps."""
    try:
        archive = _CappedArchive(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise rejected(_("This is not a readable Excel (.xlsx) file.")) from None
    archive.stats = stats
    parts = archive.infolist()
    if len(parts) > MAX_PARTS or any(part.file_size > MAX_PART_BYTES for part in parts):
        archive.close()
        raise _too_large()
    return archive


def _too_large() -> ImportRejected:
    n = MAX_PART_BYTES // (1024 * 1024)
    return rejected(_("This Excel file unpacks to more than %(n)d MB: save only the participants.", n=n))


def _xlsx_rows(data: bytes, stats: ReadStats) -> Iterator[tuple[Any, ...]]:
    """Yield the rows of the first sheet, read streaming from the capped archive."""
    archive = _open_archive(data, stats)
    try:
        # openpyxl opens the zip itself: hand it ours, which counts and caps what it unpacks.
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        reader.archive, reader.valid_files = archive, archive.namelist()
        reader.read()
        sheet = reader.wb.worksheets[0]
        sheet.reset_dimensions()  # the declared dimension may lie: read the rows that are there
        yield from sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001  (openpyxl and zipfile raise many kinds on a broken file)
        if _caused_by(exc, _PartTooLarge):
            raise _too_large() from None
        raise rejected(_("This is not a readable Excel (.xlsx) file.")) from None
    finally:
        archive.close()


def _caused_by(exc: BaseException | None, kind: type[BaseException]) -> bool:
    """Tell whether an exception or one it was raised from is of a kind (openpyxl re-raises some)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
