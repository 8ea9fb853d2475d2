"""The scoring rules, as plain functions: attainment, the level reached, red/amber/green and
the gap to the next level. The set-based computation in SQL (``scorecards.services.compute``)
applies the same rules; tests hold the two together.

* Attainment is the value as a percent of base (for a lower-is-better KPI, base / value). A
  zero base is met by any value on the right side of it (attainment 100).
* Level: exceed, stretch or base when the value reaches that target (>= for higher-is-better,
  <= for lower-is-better), else below; ``none`` without a target or a value.
* RAG: green at base or above; amber from the vendor's amber threshold (percent of base; its
  default is the policy model's); red below it; ``none`` when not rated.
* Family and overall RAG: the weighted score of the rated KPIs (green 2, amber 1, red 0, as a
  percent of the maximum): green from 75, amber from 50, red below.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
SCORE_GREEN_FROM = Decimal(75)
SCORE_AMBER_FROM = Decimal(50)
RAG_POINTS = {"green": 2, "amber": 1, "red": 0}


def _reaches(value: Decimal, target: Decimal, lower_is_better: bool) -> bool:
    return value <= target if lower_is_better else value >= target


def attainment(value, base, *, lower_is_better: bool = False) -> Decimal | None:
    """Percent of base reached, rounded to 0.01; None without a value or a base."""
    if value is None or base is None:
        return None
    value, base = Decimal(value), Decimal(base)
    if base == 0:
        return HUNDRED if _reaches(value, base, lower_is_better) else Decimal(0)
    if lower_is_better:
        if value <= 0:
            return HUNDRED * 10  # nothing where less is better: far past base, capped
        result = base / value * HUNDRED
    else:
        result = value / base * HUNDRED
    return min(result, HUNDRED * 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def level(value, base, stretch, exceed, *, lower_is_better: bool = False) -> str:
    if value is None or base is None:
        return "none"
    value = Decimal(value)
    for name, target in (("exceed", exceed), ("stretch", stretch), ("base", base)):
        if target is not None and _reaches(value, Decimal(target), lower_is_better):
            return name
    return "below"


def rag(level_reached: str, attained: Decimal | None, *, amber_from: int) -> str:
    if level_reached == "none":
        return "none"
    if level_reached in ("base", "stretch", "exceed"):
        return "green"
    if attained is not None and attained >= amber_from:
        return "amber"
    return "red"


def score(rated: list[tuple[str, Decimal]]) -> Decimal | None:
    """Weighted score 0-100 of ``(rag, weight)`` pairs (unrated ones ignored)."""
    pairs = [(r, Decimal(w)) for r, w in rated if r in RAG_POINTS]
    total = sum((w for _r, w in pairs), Decimal(0))
    if not total:
        return None
    points = sum((RAG_POINTS[r] * w for r, w in pairs), Decimal(0))
    return (points / (2 * total) * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_rag(value: Decimal | None) -> str:
    if value is None:
        return "none"
    if value >= SCORE_GREEN_FROM:
        return "green"
    if value >= SCORE_AMBER_FROM:
        return "amber"
    return "red"


def next_level_gap(value, base, stretch, exceed, *, lower_is_better: bool = False):
    """``(next level's name, how much more (or less) is needed)`` or None at exceed or
    without targets. A missing value counts as nothing yet (0)."""
    if base is None:
        return None
    current = Decimal(value) if value is not None else Decimal(0)
    for name, target in (("base", base), ("stretch", stretch), ("exceed", exceed)):
        if target is None:
            continue
        target = Decimal(target)
        if not _reaches(current, target, lower_is_better):
            return name, abs(target - current)
    return None
