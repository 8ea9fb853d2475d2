"""Sell-out rows: reading CSV and XLSX files, guessing which column is which field (the fields
are in ``reporting/sellout_fields.py``), and checking one row at a time.

Errors are codes with parameters (``RowError``), worded by ``error_text`` when shown, so the
same check serves the upload preview (in the reader's language) and the bulk API.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.platform.uploads import EXECUTABLE_MAGIC, sniff
from partners.services.imports.files import decode_text, xlsx_cell_text
from reporting.sellout_fields import (
    DATE_KEYS,
    FIELD_KEYS,
    FIELDS,
    FIELDS_BY_KEY,
    REQUIRED_KEYS,
    TEXT_KEYS,
)

MAX_QUANTITY = Decimal(1_000_000)
MAX_AMOUNT = Decimal(10) ** 13


@dataclass(frozen=True)
class RowError:
    field: str
    code: str
    params: dict

    def as_json(self, row: int) -> dict:
        return {"row": row, "field": self.field, "code": self.code, "params": self.params}


# --- reading files -----------------------------------------------------------------------------


def _file_error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


@dataclass
class Table:
    """A file's header row and its data rows ``(row number as in Excel, cells)``."""

    file_type: str
    encoding: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]


def file_type_of(raw: bytes, name: str) -> str:
    """``csv`` or ``xlsx`` from the bytes (and name); a ValidationError on ``file`` otherwise."""
    if any(raw.startswith(magic) for magic in EXECUTABLE_MAGIC):
        raise _file_error(
            _("This file is neither a CSV file nor an Excel workbook (.xlsx)."), "executable"
        )
    kind = sniff(io.BytesIO(raw))
    if kind == "xlsx":
        return "xlsx"
    if kind == "macro":
        raise _file_error(
            _("Workbooks with macros are not accepted. Save it as an .xlsx workbook."), "macro"
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            _("This is an old Excel (.xls) file. Save it as .xlsx or as CSV and upload again."),
            "xls",
        )
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if kind is not None or suffix not in ("", "csv", "txt", "tsv"):
        raise _file_error(
            _("This file is neither a CSV file nor an Excel workbook (.xlsx)."), "wrong_type"
        )
    return "csv"


def _non_empty(records) -> Iterator[tuple[int, list[str]]]:
    for number, cells in records:
        if any(cells):
            yield number, cells


def read_table(raw: bytes, file_type: str) -> Table:
    """The header and rows of a stored sales file (CSV in UTF-8, UTF-16 or CP932, or XLSX read
    as a stream). The first non-empty row is the header; empty rows are skipped, their numbers
    kept so messages point at the right line."""
    if file_type == "xlsx":
        return _read_xlsx(raw)
    text, encoding = decode_text(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = _non_empty((n, [c.strip() for c in cells]) for n, cells in enumerate(reader, 1))
    try:
        _number, headers = next(records)
    except StopIteration:
        raise _file_error(_("The file has no rows."), "empty") from None
    except csv.Error as exc:
        raise _file_error(
            _("The CSV file could not be read: %(error)s") % {"error": exc}, "csv"
        ) from exc
    return Table("csv", encoding, headers, records)


# A workbook is a zip; refuse one that would unpack to something huge (a zip bomb).
MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024


def _read_xlsx(raw: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        unpacked = 0
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _file_error(_("The workbook is too large once unpacked."), "too_large")
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _file_error(
            _("The workbook could not be opened. Save it again in Excel as .xlsx."), "xlsx"
        ) from exc

    def records():
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [xlsx_cell_text(c).strip() for c in cells]
        finally:
            book.close()

    rows = _non_empty(records())
    try:
        _number, headers = next(rows)
    except StopIteration:
        raise _file_error(_("The file has no rows."), "empty") from None
    while headers and not headers[-1]:
        headers.pop()
    return Table("xlsx", "", headers, rows)


# --- mapping -----------------------------------------------------------------------------------

_STRIP = re.compile(r"[\s_\-.#/()（）:：・]+")


def normalize_header(text: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(text)).lower())


_SYNONYMS = {normalize_header(s): f.key for f in FIELDS for s in (f.key, *f.synonyms)}


def guess_mapping(headers: list[str], saved: dict | None = None) -> dict[str, str]:
    """``{our field: their header}``: the distributor's saved mapping where its headers are in
    this file, then headers we recognise in English or Japanese."""
    present = {h for h in headers if h}
    mapping: dict[str, str] = {}
    for key, header in (saved or {}).items():
        if key in FIELDS_BY_KEY and header in present:
            mapping[key] = header
    used = set(mapping.values())
    for header in headers:
        key = _SYNONYMS.get(normalize_header(header))
        if key and key not in mapping and header not in used:
            mapping[key] = header
            used.add(header)
    return mapping


def mapping_errors(mapping: dict[str, str], headers: list[str]) -> list[RowError]:
    """What is wrong with a mapping for this file's headers (an empty list when it is usable)."""
    errors = []
    present = set(headers)
    seen: dict[str, str] = {}
    for key in FIELD_KEYS:
        header = mapping.get(key) or ""
        if not header:
            if key in REQUIRED_KEYS:
                errors.append(
                    RowError(key, "missing_column", {"field": str(FIELDS_BY_KEY[key].label)})
                )
            continue
        if header not in present:
            errors.append(RowError(key, "unknown_column", {"column": header}))
        elif header in seen:
            errors.append(RowError(key, "column_twice", {"column": header}))
        seen[header] = key
    if not mapping.get("product_code") and not mapping.get("product_name"):
        errors.append(RowError("product_code", "product_missing", {}))
    return errors


def row_extractor(mapping: dict[str, str], headers: list[str]):
    """A function from a row's cells to ``{our field: text}``."""
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        index.setdefault(header, position)
    pairs = [(key, index[header]) for key, header in mapping.items() if header in index]

    def extract(cells: list[str]) -> dict[str, str]:
        size = len(cells)
        return {key: (cells[i] if i < size else "") for key, i in pairs}

    return extract


# --- checking one row --------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER_NOISE = str.maketrans("", "", ", ¥￥$€\u00a0\u3000")


def parse_date(text: str) -> dt.date | None:
    """A date written YYYY-MM-DD (or with / . or 年月日, or YYYYMMDD, or with a time after it);
    ``None`` when it is not one."""
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    """A number as accountants write it: thousands separators, a currency sign, (123) or the
    Japanese △/▲ for negatives, full-width digits. ``None`` when it is not a number."""
    value = text.translate(_NUMBER_NOISE)
    if not value:
        return None
    negative = False
    if value[0] in "△▲":
        negative, value = True, value[1:]
    elif value[0] == "(" and value[-1] == ")":
        negative, value = True, value[1:-1]
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return -number if negative else number


class RowChecker:
    """Checks rows of one distributor's sales data; remembers invoice and line pairs to find
    duplicates inside one file or one API call."""

    def __init__(self, *, currency: str, product_lines: dict[str, int]):
        self.currency = currency
        self.product_lines = product_lines  # normalized code or name -> id
        self.seen: dict[tuple[str, int], int] = {}

    def check(self, values: dict, row: int) -> tuple[dict | None, list[RowError]]:
        """The row's clean values, or None and what is wrong with it, field by field."""
        errors: list[RowError] = []
        clean: dict = {}
        get = values.get
        for key in TEXT_KEYS:
            text = get(key)
            text = "" if text is None else str(text).strip()
            limit = FIELDS_BY_KEY[key].max_length
            if len(text) > limit:
                errors.append(RowError(key, "too_long", {"max": limit}))
            clean[key] = text
        if not clean["invoice_number"]:
            errors.append(RowError("invoice_number", "required", {}))
        if not clean["product_code"] and not clean["product_name"]:
            errors.append(RowError("product_code", "product_missing", {}))
        if clean["outlet_name"] and not clean["outlet_code"]:
            errors.append(RowError("outlet_code", "outlet_code_missing", {}))

        line_text = str(get("line_number") or "").strip()
        line = None
        if not line_text:
            errors.append(RowError("line_number", "required", {}))
        else:
            number = parse_decimal(line_text)
            if number is None or number != number.to_integral_value() or not 0 < number < 10**9:
                errors.append(RowError("line_number", "not_line_number", {"value": line_text}))
            else:
                line = int(number)
        clean["line_number"] = line

        for key in DATE_KEYS:
            text = str(get(key) or "").strip()
            if not text:
                clean[key] = None
                if key == "invoice_date":
                    errors.append(RowError(key, "required", {}))
                continue
            date = parse_date(text)
            if date is None:
                errors.append(RowError(key, "bad_date", {"value": text[:40]}))
            clean[key] = date

        for key, places in (("quantity", 3), ("amount", 2)):
            text = str(get(key) if get(key) is not None else "").strip()
            if not text:
                errors.append(RowError(key, "required", {}))
                clean[key] = None
                continue
            number = parse_decimal(text)
            if number is None:
                errors.append(RowError(key, "not_number", {"value": text[:40]}))
            elif (
                isinstance(exponent := number.as_tuple().exponent, int)  # parse_decimal: finite
                and exponent < -places
                and number != round(number, places)
            ):
                errors.append(RowError(key, "decimals", {"places": places}))
                number = None
            clean[key] = number
        quantity, amount = clean["quantity"], clean["amount"]
        if quantity is not None:
            if quantity == 0:
                errors.append(RowError("quantity", "zero_quantity", {}))
            elif abs(quantity) > MAX_QUANTITY:
                errors.append(RowError("quantity", "absurd_quantity", {"value": str(quantity)}))
        if amount is not None and abs(amount) >= MAX_AMOUNT:
            errors.append(RowError("amount", "absurd_amount", {"value": str(amount)}))
        if quantity is not None and amount is not None and quantity * amount < 0:
            errors.append(RowError("amount", "sign_mismatch", {}))

        currency = str(get("currency") or "").strip().upper()
        if currency and currency != self.currency:
            errors.append(
                RowError("currency", "currency", {"value": currency[:8], "currency": self.currency})
            )
        clean["currency"] = self.currency

        if line is not None and clean["invoice_number"]:
            invoice_line = (clean["invoice_number"], line)
            first = self.seen.get(invoice_line)
            if first is not None:
                errors.append(
                    RowError(
                        "line_number",
                        "duplicate",
                        {"invoice": invoice_line[0], "line": line, "row": first},
                    )  # fmt: skip
                )
            else:
                self.seen[invoice_line] = row
        if errors:
            return None, errors
        name = clean["product_line"]
        clean["product_line_id"] = self.product_lines.get(normalize_header(name)) if name else None
        return clean, errors
