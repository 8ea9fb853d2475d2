"""The period picker of the dashboards and the filters of the distributors' table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from partners import periods
from partners.models import Membership, Vendor
from scorecards.models import KpiFamily, PeriodKind, Rag, Scorecard

PERIOD_CHOICES_MAX = 24
TREND_PERIODS: dict[str, int] = {PeriodKind.MONTH: 6, PeriodKind.QUARTER: 4}
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NONE: 3}
FAMILY_FIELDS: dict[str, str] = {
    KpiFamily.COMMERCIAL: "commercial_rag",
    KpiFamily.EXECUTION: "execution_rag",
    KpiFamily.OPERATIONAL: "operational_rag",
}


@dataclass(frozen=True)
class Period:
    """A scorecard period as the pages name it."""

    kind: str
    start: dt.date
    label: str

    def query(self) -> dict:
        return {"period_kind": self.kind, "period": self.start.isoformat()}


def period_label(kind: str, start: dt.date, fiscal_start_month: int = 1) -> str:
    if kind == PeriodKind.QUARTER:
        return periods.fiscal_quarter_label(start, fiscal_start_month)
    return date_format(start, "YEAR_MONTH_FORMAT")


@dataclass
class PeriodChoice:
    """The period a page shows and the periods it can switch to (newest first)."""

    current: Period | None
    choices: list[Period]
    kind: str


def period_choose(*, vendor: Vendor, actor: Membership, params) -> PeriodChoice:
    """The period asked for (``?period_kind=month|quarter&period=YYYY-MM-DD``) among those
    with scorecards, else the latest one that has ended (a period under way is still offered
    in the choices, but a month two days old is mostly red and would mislead as the default),
    else the latest. One query."""
    kind = params.get("period_kind", PeriodKind.MONTH)
    if kind not in PeriodKind.values:
        kind = PeriodKind.MONTH
    qs = Scorecard.objects.filter(vendor=vendor, period_kind=kind)
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    starts = list(
        qs.order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()[:PERIOD_CHOICES_MAX]
    )
    fiscal = vendor.fiscal_year_start_month
    choices = [Period(kind, s, period_label(kind, s, fiscal)) for s in starts]
    today = timezone.localdate()
    ended = [c for c in choices if periods.period_end(kind, c.start) < today]
    current = ended[0] if ended else (choices[0] if choices else None)
    try:
        wanted = dt.date.fromisoformat(params.get("period", "").strip())
    except ValueError:
        wanted = None
    if wanted is not None:
        wanted = periods.period_start(kind, wanted, fiscal)
        current = Period(kind, wanted, period_label(kind, wanted, fiscal))
        if all(c.start != wanted for c in choices):
            choices = sorted([*choices, current], key=lambda p: p.start, reverse=True)
    return PeriodChoice(current=current, choices=choices, kind=kind)


@dataclass
class TableFilters:
    """The table's filters and sort as parsed from a query string (bad values ignored)."""

    name: str = ""
    country: str = ""
    owner: int | None = None
    rag: str = ""
    mine: bool = False
    sort: str = "score"
    descending: bool = False

    SORTS = (
        "name",
        "country",
        "owner",
        "score",
        "rag",
        "commercial",
        "execution",
        "operational",
        "red",
        "trend",
    )

    @classmethod
    def from_query(cls, params) -> TableFilters:
        owner = params.get("owner", "").strip()
        sort = params.get("sort", "score").strip()
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        rag = params.get("rag", "").strip()
        return cls(
            name=params.get("q", "").strip()[:100],
            country=params.get("country", "").strip().upper()[:2],
            owner=int(owner) if owner.isdigit() else None,
            rag=rag if rag in Rag.values else "",
            mine=params.get("mine", "") in ("1", "on", "true"),
            sort=sort if sort in cls.SORTS else "score",
            descending=descending if sort in cls.SORTS else False,
        )

    def query(self, *, sort: str | None = None) -> dict:
        return {
            "q": self.name,
            "country": self.country,
            "owner": self.owner or "",
            "rag": self.rag,
            "mine": "1" if self.mine else "",
            "sort": sort if sort is not None else ("-" if self.descending else "") + self.sort,
        }
