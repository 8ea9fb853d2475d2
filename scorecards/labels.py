"""Amounts and KPI values as people read them (money, values by unit, attainment, the gap to the
next level), shared by the pages, the e-mails and the exclusivity wording.

Presentation only: no query, no rule. It sits below the selectors so that wording modules and
selectors can both use it without importing each other.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from scorecards import rules
from scorecards.charts import number_label
from scorecards.models import KpiActual, KpiUnit

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


def value_label(value, unit: str, currency: str) -> str:
    """A KPI value as people read it, by unit."""
    if value is None:
        return "–"
    if unit == KpiUnit.MONEY:
        return money_label(value, currency)
    return number_label(value, "percent" if unit == KpiUnit.PERCENT else "")


def attainment_label(*, value, base, attainment, unit: str) -> str:
    """How far a KPI got towards base, as people read it: "88.9% of base"; for a percent KPI
    (a growth or a rate, where a percent of a percent misleads: -58% growth against a 5% base
    is not "-1,260% of base") the difference in percentage points, "-12.6 pts vs base 5%"."""
    if unit == KpiUnit.PERCENT:
        if value is None or base is None:
            return "–"
        points = round(Decimal(value) - Decimal(base), 1)
        return _("%(points)s pts vs base %(base)s") % {
            "points": ("+" if points > 0 else "") + number_label(points),
            "base": number_label(base, "percent"),
        }
    if attainment is None:
        return "–"
    # As the scorecard page shows attainment: one decimal.
    return _("%(attainment)s%% of base") % {
        "attainment": number_label(round(Decimal(attainment), 1))
    }


def _plural_count(amount) -> int:
    """The number ngettext chooses a form by: 1 only for exactly one (1.5 points are plural)."""
    amount = Decimal(amount)
    return int(amount) if amount == amount.to_integral_value() else 2


def _level_name(level: str) -> str:
    return {"base": _("base"), "stretch": _("stretch"), "exceed": _("exceed")}[level]


def gap_words(actual: KpiActual, kpi_name: str, *, unit: str, lower_is_better: bool) -> str:
    """The gap to the next level in plain words, e.g. "¥1,200,000 more revenue to reach
    stretch"; "" without a target; a sentence of its own at exceed."""
    gap = rules.next_level_gap(
        actual.value, actual.base, actual.stretch, actual.exceed, lower_is_better=lower_is_better
    )
    if actual.base is None:
        return ""
    if gap is None:
        return _("Exceed reached.")
    level, amount = gap
    if unit == KpiUnit.COUNT:
        # A KPI's name is a label that cannot be put in the singular ("1 more new accounts"):
        # a count gap names the KPI first and counts after it.
        words = {"kpi": kpi_name, "n": number_label(amount), "level": _level_name(level)}
        if lower_is_better:
            return (
                ngettext(
                    "%(kpi)s: one fewer to reach %(level)s",
                    "%(kpi)s: %(n)s fewer to reach %(level)s",
                    _plural_count(amount),
                )
                % words
            )
        return (
            ngettext(
                "%(kpi)s: one more to reach %(level)s",
                "%(kpi)s: %(n)s more to reach %(level)s",
                _plural_count(amount),
            )
            % words
        )
    if unit == KpiUnit.PERCENT:
        amount_text = ngettext(
            "%(n)s percentage point", "%(n)s percentage points", _plural_count(amount)
        ) % {"n": number_label(amount)}
    else:
        amount_text = value_label(amount, unit, actual.currency)
    name = kpi_name
    if (get_language() or "en").startswith("en"):
        name = name[:1].lower() + name[1:]
    words = {
        "amount": amount_text,
        "kpi": name,
        "level": _level_name(level),
    }
    if lower_is_better:
        return _("%(amount)s less %(kpi)s to reach %(level)s") % words
    return _("%(amount)s more %(kpi)s to reach %(level)s") % words
