"""Tables as downloads: CSV that Excel opens with the right characters, or XLSX, and never a
formula made of what somebody typed.

Every app's export builds a header and rows (a selector's job) and hands them to
``table_response``; the CSV and XLSX rules (a byte-order mark, formula-looking text kept as text,
empty cells for None) live here once. Times are written in the reader's zone (the one the
workspace's middleware activated) and the column header names it: "Due (Asia/Tokyo)".
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from partners import zones

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Excel runs a CSV cell that starts with = + - @ as a formula (a phone number "+81..." or
    a crafted name); a leading ' keeps it text (the distributor import takes it off again)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def moment_header(label) -> str:
    """The header of a column of times: the label and the reader's zone, "Due (Asia/Tokyo)"."""
    return zones.zone_header(str(label))


def moment_cell(value) -> str:
    """A time as "2026-12-07 22:10" in the reader's zone (named by its column's header);
    empty for None."""
    local = zones.naive_local(value)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def _csv_cell(value) -> object:
    if value is None:
        return ""
    return csv_safe(value) if isinstance(value, str) else value


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Japanese), CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def table_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str) -> bytes:
    """A one-sheet workbook written as a stream. Text stays text: openpyxl would store a string
    that starts with = as a formula, so such cells are written with the string type."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith("="):
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text
        return value

    sheet.append(list(header))
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_response(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence],
    kind: str,
    filename: str,
    sheet_title: str = "Sheet1",
) -> HttpResponse:
    """The table as an attachment: ``kind`` is "csv" or "xlsx"; ``filename`` has no extension."""
    if kind == "xlsx":
        content, content_type = table_xlsx(header, rows, sheet_title=sheet_title), XLSX_CONTENT_TYPE
    else:
        content, content_type = table_csv(header, rows), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
