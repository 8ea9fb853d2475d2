"""Money in the demo: the exchange rates the demo's figures are made with, and how much of each
currency one "price point" of a demo figure is, so that amounts in every currency are worth
about the same in US dollars (an Indonesian distributor sells for hundreds of millions of
rupiah a month, not for a million)."""

from __future__ import annotations

from decimal import Decimal

# Units of US dollars per unit of each currency (the demo's monthly rates wander around these).
DEMO_USD_PER_UNIT = {"JPY": "0.0068", "SGD": "0.74", "THB": "0.028", "IDR": "0.000063",
                     "MYR": "0.215", "VND": "0.000040", "PHP": "0.0178", "KRW": "0.00074",
                     "CNY": "0.139", "USD": "1", "EUR": "1.08", "SEK": "0.095",
                     "PLN": "0.25"}  # fmt: skip
# What one price point is worth, about: ¥100.
PRICE_POINT_USD = Decimal("0.68")


def demo_price_scale(currency: str) -> Decimal:
    """How many units of ``currency`` one price point of the demo's figures is: 1 for the
    dollar, euro and the like (figures read as prices in them), else about $0.68 worth, never
    less than 100 units (¥100, ฿100, Rp10,000, ₫20,000)."""
    usd = Decimal(DEMO_USD_PER_UNIT.get(currency, "1"))
    if usd >= Decimal("0.5"):
        return Decimal(1)
    scale = PRICE_POINT_USD / usd
    exponent = len(str(int(scale))) - 1
    rounded = (scale / 10**exponent).quantize(Decimal(1)) * 10**exponent
    return max(Decimal(100), rounded)
