"""The sell-out fields we take and the wording of their errors: what the upload checks
(``reporting/services/sellout_rows.py``), the upload pages and the stored-error reads all name.

Errors are codes with parameters, worded by ``error_text`` when shown, so the same check serves
the upload preview (in the reader's language) and the bulk API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class SalesField:
    key: str
    label: StrOrPromise  # lazy text
    required: bool
    max_length: int = 0
    synonyms: tuple[str, ...] = ()


FIELDS: tuple[SalesField, ...] = (
    SalesField("invoice_number", gettext_lazy("Invoice number"), True, 64,
               ("invoice number", "invoice no", "invoice", "invoice #", "inv no", "document number",
                "請求書番号", "請求番号", "伝票番号", "売上伝票番号", "インボイス番号")),
    SalesField("line_number", gettext_lazy("Line number"), True, 0,
               ("line", "line number", "line no", "item no", "行", "行番号", "明細番号", "明細行",
                "明細no")),
    SalesField("invoice_date", gettext_lazy("Invoice date"), True, 0,
               ("invoice date", "date", "billing date", "請求日", "売上日", "伝票日付",
                "請求書日付", "日付")),
    SalesField("ship_date", gettext_lazy("Ship date"), False, 0,
               ("ship date", "shipping date", "delivery date", "出荷日", "納品日")),
    SalesField("outlet_code", gettext_lazy("Customer code"), False, 64,
               ("customer code", "outlet code", "customer id", "account code", "得意先コード",
                "顧客コード", "取引先コード")),
    SalesField("outlet_name", gettext_lazy("Customer name"), False, 200,
               ("customer name", "outlet name", "customer", "outlet", "得意先名", "顧客名",
                "取引先名")),
    SalesField("outlet_address", gettext_lazy("Customer address"), False, 300,
               ("customer address", "address", "住所", "得意先住所")),
    SalesField("outlet_tax_id", gettext_lazy("Customer tax id"), False, 64,
               ("tax id", "customer tax id", "vat number", "tax number", "登録番号", "法人番号")),
    SalesField("product_code", gettext_lazy("Product code"), False, 64,
               ("product code", "sku", "item code", "part number", "商品コード", "品番",
                "製品コード")),
    SalesField("product_name", gettext_lazy("Product name"), False, 200,
               ("product name", "product", "item", "description", "商品名", "品名", "製品名")),
    SalesField("product_line", gettext_lazy("Product line"), False, 120,
               ("product line", "category", "製品ライン", "商品カテゴリ", "製品区分")),
    SalesField("quantity", gettext_lazy("Quantity"), True, 0,
               ("quantity", "qty", "units", "数量")),
    SalesField("amount", gettext_lazy("Amount"), True, 0,
               ("amount", "net amount", "total", "value", "金額", "売上金額", "請求金額")),
    SalesField("currency", gettext_lazy("Currency"), False, 3, ("currency", "通貨")),
    SalesField("due_date", gettext_lazy("Payment due"), False, 0,
               ("due date", "payment due", "支払期日", "支払期限", "入金予定日")),
    SalesField("paid_date", gettext_lazy("Paid on"), False, 0,
               ("paid date", "payment date", "paid on", "入金日", "支払日")),
)  # fmt: skip
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
FIELD_KEYS = tuple(f.key for f in FIELDS)
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)
DATE_KEYS = ("invoice_date", "ship_date", "due_date", "paid_date")
TEXT_KEYS = ("invoice_number", "outlet_code", "outlet_name", "outlet_address", "outlet_tax_id",
             "product_code", "product_name", "product_line")  # fmt: skip

ERROR_MESSAGES = {
    "required": gettext_lazy("This value is required."),
    "missing_column": gettext_lazy('No column is chosen for "%(field)s".'),
    "unknown_column": gettext_lazy('The file has no column "%(column)s".'),
    "column_twice": gettext_lazy('The column "%(column)s" is chosen for two fields.'),
    "product_missing": gettext_lazy("Give the product code or the product name."),
    "bad_date": gettext_lazy('"%(value)s" is not a date; write it as YYYY-MM-DD.'),
    "not_number": gettext_lazy('"%(value)s" is not a number.'),
    "not_line_number": gettext_lazy('"%(value)s" is not a line number (1, 2, 3...).'),
    "decimals": gettext_lazy("Use at most %(places)s decimal places."),
    "zero_quantity": gettext_lazy("The quantity is zero."),
    "absurd_quantity": gettext_lazy(
        "%(value)s is not a plausible quantity (more than 1,000,000 units)."
    ),
    "absurd_amount": gettext_lazy("%(value)s is not a plausible amount."),
    "sign_mismatch": gettext_lazy(
        "The amount and the quantity have opposite signs (a credit note has both negative)."
    ),
    "duplicate": gettext_lazy("Invoice %(invoice)s line %(line)s is also on row %(row)s."),
    "currency": gettext_lazy(
        "The currency %(value)s is not the distributor's currency (%(currency)s)."
    ),
    "too_long": gettext_lazy("Keep this under %(max)s characters."),
    "outlet_code_missing": gettext_lazy("A customer name needs its customer code."),
    "too_many_rows": gettext_lazy("Send at most %(max)s lines at a time."),
    "no_rows": gettext_lazy("The file has no rows under its header."),
    "changed": gettext_lazy("The file no longer passes the checks; upload it again."),
    "check_error": gettext_lazy("The check stopped on an unexpected error. Upload the file "
                                "again or ask your channel manager."),
    "import_error": gettext_lazy("The import stopped on an unexpected error; nothing more was "
                                 "written. Try again or ask your channel manager."),
}  # fmt: skip


def error_text(code: str, params: dict | None = None) -> str:
    """An error code worded in the active language."""
    message = str(ERROR_MESSAGES.get(code, code))
    if params:
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message
    return message
