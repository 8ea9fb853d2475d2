"""The one spreadsheet layout for distributors and their contacts, shared by import, export and
the template files.

One sheet, one row per contact, the distributor's columns repeated on each of its rows (a
distributor without contacts is one row with the contact columns empty). A channel manager can
sort and filter it like any list and never has to keep two sheets in step. Rows whose
"Distributor name" is the same (ignoring case and spaces at the ends) are one distributor; on
its later rows the distributor columns may be left empty.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partners.markets import CURRENCY_CHOICES, MARKETS
from partners.models import ContactRole


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header written in templates and exports (English, stable for round trips)
    label: object  # translated label for messages and the help page
    max_length: int | None = None
    aliases: tuple[str, ...] = ()  # other headers accepted on import (Japanese Excel users)
    help: object = ""

    @property
    def japanese_headers(self) -> list[str]:
        return [a for a in self.aliases if not a.isascii()]


DISTRIBUTOR_COLUMNS = (
    Column(
        "name",
        "Distributor name",
        _("Distributor name"),
        200,
        ("name", "distributor", "display name", "販売代理店名", "代理店名", "販売店名", "表示名"),
        _("Required. The display name, as written (Japanese included). Rows with the same name "
          "are one distributor; an existing distributor with this name is updated."),
    ),
    Column("legal_name", "Legal name", _("Legal name"), 300, ("正式名称", "法人名", "会社名"),
           _("The registered company name.")),
    Column("country", "Country", _("Country"), None, ("国", "国名", "国コード"),
           _("Required for a new distributor. A two-letter code such as JP or TH.")),
    Column("currency", "Currency", _("Currency"), None, ("通貨",),
           _("A code such as JPY. Empty: the country's usual currency.")),
    Column("time_zone", "Time zone", _("Time zone"), None, ("timezone", "タイムゾーン"),
           _("For example Asia/Tokyo. Empty: the country's usual time zone.")),
    Column("language", "Language", _("Language"), None, ("言語",),
           _("en or ja. Empty: the country's usual language.")),
    Column("territories", "Territories", _("Territories"), None, ("テリトリー", "担当地域", "地域"),
           _("Names of this workspace's territories, separated by ; (semicolons).")),
    Column("product_lines", "Product lines", _("Product lines"), None, ("製品ライン", "取扱製品"),
           _("Names of this workspace's product lines, separated by ; (semicolons).")),
)  # fmt: skip
CONTACT_COLUMNS = (
    Column("contact_name", "Contact name", _("Contact name"), 200, ("担当者名", "氏名"),
           _("The contact's name. Leave the contact columns empty for a distributor without "
             "contacts.")),
    Column("contact_role", "Contact role", _("Contact role"), None, ("role", "役割"),
           _("Required with a contact: owner, sales lead, sales rep or operations.")),
    Column("contact_title", "Contact job title", _("Contact job title"), 120,
           ("contact title", "job title", "役職"), ""),
    Column("contact_email", "Contact e-mail", _("Contact e-mail"), 254,
           ("contact email", "email", "e-mail", "メールアドレス", "メール"), ""),
    Column("contact_phone", "Contact phone", _("Contact phone"), 40,
           ("phone", "電話番号", "電話"), ""),
)  # fmt: skip
COLUMNS = DISTRIBUTOR_COLUMNS + CONTACT_COLUMNS
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]
REQUIRED_HEADERS = ("name",)
# Distributor columns that must agree on every row of one distributor.
DISTRIBUTOR_KEYS = tuple(c.key for c in DISTRIBUTOR_COLUMNS)
CONTACT_KEYS = tuple(c.key for c in CONTACT_COLUMNS)
LIST_SEPARATOR = "; "
MAX_ROWS = 5000


def header_key(text: str) -> str:
    """A header compared loosely: width, case, spaces, _ and - do not matter, nor a trailing
    * that marks a required column."""
    text = unicodedata.normalize("NFKC", text or "").casefold().strip().rstrip("*").strip()
    return "".join(ch for ch in text if ch not in " _-\u3000")


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.header, *_column.aliases):
        _HEADER_LOOKUP.setdefault(header_key(_name), _column.key)


def column_for_header(text: str) -> str | None:
    """The column key a header names, or None when it is not one of ours."""
    return _HEADER_LOOKUP.get(header_key(text))


def clean_cell(value: str) -> str:
    """A cell's text as stored: NFC, spaces trimmed, and the ' that an export put in front of a
    value starting with = + - @ (so that Excel does not run it as a formula) taken off again."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        value = value[1:]
    return value


def name_key(name: str) -> str:
    """How distributor names are matched: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def split_list(value: str) -> list[str]:
    """Territories or product lines from one cell: separated by ; (also the Japanese 、 and ；,
    commas and line breaks that people type anyway)."""
    for sep in ("；", "、", ",", "，", "\n"):
        value = value.replace(sep, ";")
    seen, result = set(), []
    for part in value.split(";"):
        part = " ".join(part.split())
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            result.append(part)
    return result


COUNTRY_CODES = {m.country for m in MARKETS}
CURRENCY_CODES = {code for code, _label in CURRENCY_CHOICES}
LANGUAGE_VALUES = {
    "en": "en", "english": "en", "英語": "en",
    "ja": "ja", "japanese": "ja", "日本語": "ja", "jp": "ja",
}  # fmt: skip
ROLE_VALUES = {
    "owner": ContactRole.OWNER, "オーナー": ContactRole.OWNER, "代表者": ContactRole.OWNER,
    "saleslead": ContactRole.SALES_LEAD, "営業責任者": ContactRole.SALES_LEAD,
    "salesrep": ContactRole.SALES_REP, "営業担当": ContactRole.SALES_REP,
    "営業担当者": ContactRole.SALES_REP,
    "operations": ContactRole.OPERATIONS, "ops": ContactRole.OPERATIONS,
    "業務": ContactRole.OPERATIONS, "業務担当": ContactRole.OPERATIONS,
}  # fmt: skip
ROLE_EXPORT: dict[str, str] = {
    ContactRole.OWNER: "owner",
    ContactRole.SALES_LEAD: "sales lead",
    ContactRole.SALES_REP: "sales rep",
    ContactRole.OPERATIONS: "operations",
}


def country_value(text: str) -> str | None:
    code = text.strip().upper()
    if code in COUNTRY_CODES:
        return code
    wanted = text.strip().casefold()
    for market in MARKETS:
        if str(market.name).casefold() == wanted:
            return market.country
    return None


def role_value(text: str) -> str | None:
    return ROLE_VALUES.get(header_key(text))


def language_value(text: str) -> str | None:
    return LANGUAGE_VALUES.get(header_key(text))
