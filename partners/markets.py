"""The markets Partnerdesk supports: countries with their usual currency, time zone and language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Market:
    country: str
    name: StrOrPromise
    currency: str
    time_zone: str
    language: str


MARKETS = [
    Market("JP", _("Japan"), "JPY", "Asia/Tokyo", "ja"),
    Market("SG", _("Singapore"), "SGD", "Asia/Singapore", "en"),
    Market("TH", _("Thailand"), "THB", "Asia/Bangkok", "en"),
    Market("ID", _("Indonesia"), "IDR", "Asia/Jakarta", "en"),
    Market("MY", _("Malaysia"), "MYR", "Asia/Kuala_Lumpur", "en"),
    Market("VN", _("Vietnam"), "VND", "Asia/Ho_Chi_Minh", "en"),
    Market("PH", _("Philippines"), "PHP", "Asia/Manila", "en"),
    Market("KR", _("South Korea"), "KRW", "Asia/Seoul", "en"),
    Market("CN", _("China"), "CNY", "Asia/Shanghai", "en"),
    Market("US", _("United States"), "USD", "America/New_York", "en"),
    Market("DE", _("Germany"), "EUR", "Europe/Berlin", "en"),
    Market("FR", _("France"), "EUR", "Europe/Paris", "en"),
    Market("NL", _("Netherlands"), "EUR", "Europe/Amsterdam", "en"),
    Market("IT", _("Italy"), "EUR", "Europe/Rome", "en"),
    Market("ES", _("Spain"), "EUR", "Europe/Madrid", "en"),
    Market("SE", _("Sweden"), "SEK", "Europe/Stockholm", "en"),
    Market("PL", _("Poland"), "PLN", "Europe/Warsaw", "en"),
]
MARKETS_BY_COUNTRY = {m.country: m for m in MARKETS}
COUNTRY_CHOICES = [(m.country, m.name) for m in MARKETS]
CURRENCY_CHOICES = sorted({(m.currency, m.currency) for m in MARKETS})
