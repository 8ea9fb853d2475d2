"""Downloads of tables (partners/platform/exports.py): what a person typed never becomes a formula in
the CSV or the workbook, and Excel reads the CSV's Japanese."""

from __future__ import annotations

import codecs
import csv
import io

from openpyxl import load_workbook

from partners.platform.exports import table_csv, table_response, table_xlsx

HEADER = ["Name", "Note", "Amount", "Empty"]
ROWS = [["山田商事", '=HYPERLINK("http://evil.example","click")', -1200, None],
        ["Lotus", "+81 3 1234 5678", 5, ""]]  # fmt: skip


def test_csv_has_a_bom_and_keeps_formula_looking_text_as_text():
    data = table_csv(HEADER, ROWS)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert rows[1] == ["山田商事", '\'=HYPERLINK("http://evil.example","click")', "-1200", ""]
    assert rows[2][1] == "'+81 3 1234 5678"  # text, not a sum


def test_xlsx_writes_formula_looking_text_as_a_string_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(table_xlsx(HEADER, ROWS, sheet_title="Reports"))).active
    assert sheet.title == "Reports"
    note, amount = sheet["B2"], sheet["C2"]
    assert note.data_type == "s" and note.value.startswith("=HYPERLINK")
    assert amount.value == -1200 and amount.data_type == "n"


def test_response_is_an_attachment_of_the_kind_asked_for():
    response = table_response(header=HEADER, rows=ROWS, kind="xlsx", filename="reports-2026")
    assert response["Content-Disposition"] == 'attachment; filename="reports-2026.xlsx"'
    assert response.content.startswith(b"PK")
    response = table_response(header=HEADER, rows=ROWS, kind="csv", filename="reports-2026")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
