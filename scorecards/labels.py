"""Amounts as people read them, shared by the pages, the e-mails and the exclusivity wording.

Presentation only: no query, no rule. It sits below the selectors so that wording modules and
selectors can both use it without importing each other.
"""

from __future__ import annotations

from decimal import Decimal

CURRENCY_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "CN¥", "KRW": "₩"}
NO_DECIMALS = {"JPY", "KRW", "VND", "IDR"}


def money_label(amount, currency: str) -> str:
    """An amount with its currency: ``¥1,200,000``, ``$1,250.50``, ``SGD 1,250.50``."""
    if amount is None:
        return "–"
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if currency in NO_DECIMALS else f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{currency} {text}"
