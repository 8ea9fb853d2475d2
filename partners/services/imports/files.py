"""Reading and writing the distributor spreadsheet as CSV and XLSX.

Reading works out the file's kind from its bytes (an XLSX is a zip with a workbook in it; a CSV
is text) and, for CSV, its encoding: UTF-8 with or without a byte-order mark, UTF-16 (Excel's
"Unicode text"), or Shift_JIS/CP932 as Japanese Excel saves "CSV (comma delimited)". Nobody is
asked which one it is.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.import_layout import COLUMNS, HEADERS, MAX_ROWS, clean_cell, column_for_header
from partners.platform.exports import csv_safe
from partners.platform.uploads import sniff

# An XLSX is a zip; refuse one that would unpack to something huge.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024


def max_import_bytes() -> int:
    return int(getattr(settings, "PARTNERDESK_IMPORT_MAX_MB", 5)) * 1024 * 1024


@dataclass
class ParsedFile:
    """The cells of a spreadsheet, by column key, with the row numbers a person sees in Excel."""

    file_type: str  # "csv" or "xlsx"
    encoding: str = ""
    rows: list[dict] = field(default_factory=list)  # {"row": n, "values": {...}, "formulas": [...]}
    ignored_columns: list[str] = field(default_factory=list)


def _file_error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def read_upload(file) -> ParsedFile:
    """Read an uploaded CSV or XLSX file into rows, or raise a ValidationError on ``file`` that
    says what is wrong in the person's terms (nothing is stored)."""
    if file is None:
        raise _file_error(_("Choose a file to upload."), "required")
    size = getattr(file, "size", None)
    limit = max_import_bytes()
    if size == 0:
        raise _file_error(_("The file is empty."), "empty")
    if size is not None and size > limit:
        raise _file_error(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": limit // (1024 * 1024)},
            "too_large",
        )
    kind = sniff(file)
    file.seek(0)
    raw = file.read(limit + 1)
    file.seek(0)
    if len(raw) > limit:
        raise _file_error(
            _("The file is larger than %(limit)s MB.") % {"limit": limit // 2**20}, "too_large"
        )
    extension = PurePath(getattr(file, "name", "") or "").suffix.lower()
    if kind == "macro":
        raise _file_error(
            _("Workbooks with macros are not accepted. Save it as an .xlsx workbook."), "macro"
        )
    if kind == "xlsx":
        return _read_xlsx(raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            _("This is an old Excel (.xls) file. Save it as .xlsx or as CSV and upload again."),
            "xls",
        )
    if kind is not None or extension not in ("", ".csv", ".txt", ".tsv"):
        raise _file_error(
            _("This file is neither a CSV file nor an Excel workbook (.xlsx)."), "wrong_type"
        )
    text, encoding = decode_text(raw)
    return _read_csv(text, encoding)


def decode_text(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was in."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:4096]:
        raise _file_error(
            _("This file is neither a CSV file nor an Excel workbook (.xlsx)."), "wrong_type"
        )
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Japanese Excel's "CSV (comma delimited)": Shift_JIS as Windows extends it.
        return raw.decode("cp932"), "Shift_JIS (CP932)"
    except UnicodeDecodeError:
        raise _file_error(
            _(
                'The file\'s characters could not be read. Save it as "CSV UTF-8" in Excel '
                "and upload it again."
            ),
            "encoding",
        ) from None


def _header_map(cells: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> key for the header row, and the headers that are not ours."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        text = clean_cell(cell)
        if not text:
            continue
        key = column_for_header(text)
        if key is None or key in mapping.values():
            ignored.append(text)
        else:
            mapping[index] = key
    if "name" not in mapping.values():
        raise _file_error(
            _(
                "The first row must hold the column names, and one of them must be "
                '"Distributor name". Start from the template on this page.'
            ),
            "no_header",
        )
    return mapping, ignored


def _rows(records, file_type: str, encoding: str, formulas=None) -> ParsedFile:
    """Turn (row number, cells) pairs into a ParsedFile: the first non-empty row is the header,
    empty rows are skipped (their numbers are kept, so messages point at the right line)."""
    parsed = ParsedFile(file_type=file_type, encoding=encoding)
    mapping = None
    for number, cells in records:
        if not any(str(c or "").strip() for c in cells):
            continue
        if mapping is None:
            mapping, parsed.ignored_columns = _header_map([str(c or "") for c in cells])
            continue
        values = {key: "" for key in mapping.values()}
        for index, key in mapping.items():
            values[key] = clean_cell(cells[index]) if index < len(cells) else ""
        if not any(values.values()):
            continue  # only columns we ignore have something: nothing to import
        row = {"row": number, "values": values}
        if formulas:
            missing = [mapping[i] for i in formulas.get(number, ()) if i in mapping]
            if missing:
                row["formulas"] = missing
        parsed.rows.append(row)
        if len(parsed.rows) > MAX_ROWS:
            raise _file_error(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": MAX_ROWS},
                "too_many_rows",
            )
    if mapping is None:
        raise _file_error(_("The file has no rows."), "empty")
    return parsed


def _read_csv(text: str, encoding: str) -> ParsedFile:
    first_line = text.split("\n", 1)[0]
    # Excel writes ; in countries where , is the decimal mark, and tabs for "Unicode text".
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [(number, cells) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _file_error(
            _("The CSV file could not be read: %(error)s") % {"error": exc}, "csv"
        ) from exc
    return _rows(records, "csv", encoding)


def xlsx_cell_text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(raw: bytes) -> ParsedFile:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise _file_error(_("The workbook is too large once unpacked."), "too_large")
        values_book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        formula_book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _file_error(
            _("The workbook could not be opened. Save it again in Excel as .xlsx."), "xlsx"
        ) from exc
    try:
        # The first sheet is the one read; a "How to fill" sheet after it is ignored.
        values_sheet = values_book.worksheets[0]
        formula_sheet = formula_book.worksheets[0]
        records = []
        # Formulas whose result Excel did not save (a file written by a program): the cell
        # would read as empty, which is not what the person sees; say so instead.
        formulas: dict[int, list[int]] = {}
        for number, (cells, source) in enumerate(
            zip(
                values_sheet.iter_rows(values_only=True),
                formula_sheet.iter_rows(values_only=True),
                strict=False,
            ),
            start=1,
        ):
            if number > MAX_ROWS + 50 and not any(c is not None for c in cells):
                continue
            records.append((number, [xlsx_cell_text(c) for c in cells]))
            for index, (value, formula) in enumerate(zip(cells, source, strict=False)):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    formulas.setdefault(number, []).append(index)
    finally:
        values_book.close()
        formula_book.close()
    return _rows(records, "xlsx", "", formulas)


# --- writing ---------------------------------------------------------------------------------


def write_csv(rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    """The header and ``rows`` as CSV bytes: UTF-8 with a byte-order mark (so Excel opens it
    with the right characters), or CP932 for older Japanese Excel (characters it has no code
    for become ?)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    text = buffer.getvalue()
    if encoding == "cp932":
        return text.encode("cp932", errors="replace")
    return codecs.BOM_UTF8 + text.encode("utf-8")


def write_xlsx(rows: list[list[str]], *, help_rows: list[list[str]] | None = None) -> bytes:
    """The header and ``rows`` as an XLSX workbook; every value is written as text, never as a
    formula. ``help_rows`` become a second sheet explaining the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Distributors"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = value
            cell.data_type = "s"  # text, even when it starts with =
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
    sheet.freeze_panes = "A2"
    if help_rows:
        help_sheet = book.create_sheet("How to fill")
        for row_number, row in enumerate(help_rows, start=1):
            for column_number, value in enumerate(row, start=1):
                cell = help_sheet.cell(row=row_number, column=column_number)
                cell.value = value
                cell.data_type = "s"
        for cell in help_sheet[1]:
            cell.font = Font(bold=True)
        help_sheet.column_dimensions["A"].width = 22
        help_sheet.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
