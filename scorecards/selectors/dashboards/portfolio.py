"""The executive portfolio: totals, groups by country, tier and contract phase, and movers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from partners import periods
from partners.models import Contract, ContractPhase, ContractStatus, Membership, Vendor
from scorecards.fx import revenue_consolidated
from scorecards.models import Rag, Scorecard, ScorecardPolicy
from scorecards.selectors.dashboards.periods import Period
from scorecards.selectors.dashboards.table import scorecard_list_for_actor
from scorecards.selectors.policy import policy_get


@dataclass
class Group:
    """A group of distributors in the portfolio (a country or a phase)."""

    key: str
    label: str
    count: int = 0
    green: int = 0
    amber: int = 0
    red: int = 0
    unrated: int = 0
    average_score: Decimal | None = None
    revenue: Decimal = Decimal(0)
    unconverted: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Portfolio:
    period: Period
    currency: str
    total_revenue: Decimal
    unconverted: dict[str, Decimal]
    rag_counts: dict[str, int]
    by_country: list[Group]
    by_phase: list[Group]
    top_movers: list[Scorecard]
    bottom_movers: list[Scorecard]


MOVERS = 5
RAG_COUNTS = {Rag.GREEN: "green", Rag.AMBER: "amber", Rag.RED: "red", Rag.NONE: "unrated"}


def _groups(rows: Sequence[Mapping[str, Any]], key: str, labels: dict, revenue) -> list[Group]:
    """The portfolio's groups by ``key`` of the period's scorecard rows (ordered by key): RAG
    spread, average score and the revenue of the group's distributors."""
    groups: dict[str, Group] = {}
    scores: dict[str, list[Decimal]] = {}
    for row in sorted(rows, key=lambda r: r[key]):
        group = groups.get(row[key])
        if group is None:
            group = groups[row[key]] = Group(
                key=row[key], label=str(labels.get(row[key], row[key]))
            )
            scores[row[key]] = []
        group.count += 1
        spread = RAG_COUNTS[row["rag"]]
        setattr(group, spread, getattr(group, spread) + 1)
        if row["score"] is not None:
            scores[row[key]].append(row["score"])
        money = revenue.by_distributor.get(row["distributor_id"])
        if money is None:
            continue
        if money.converted is None:
            group.unconverted[money.currency] = (
                group.unconverted.get(money.currency, Decimal(0)) + money.amount
            )
        else:
            group.revenue += money.converted
    for name, group in groups.items():
        if scores[name]:
            group.average_score = (sum(scores[name], Decimal(0)) / len(scores[name])).quantize(
                Decimal("0.1")
            )
    return list(groups.values())


NO_CONTRACT = "none"
PHASE_ORDER: dict[str, int] = {
    ContractPhase.LAUNCH: 0,
    ContractPhase.CONDITIONAL: 1,
    ContractPhase.SCALE: 2,
}


def contract_phase_on(*, vendor: Vendor, day: dt.date):
    """A subquery expression for ``OuterRef("distributor_id")``: the phase (launch,
    conditional, scale) of the distributor's contract in force on ``day`` (signed, ``day``
    within its term; the latest started when several are), or ``"none"`` without one. The
    same derivation from ``launch_ends_on`` and ``scale_starts_on`` as
    ``Contract.phase_on``, in SQL."""
    phase = Case(
        When(launch_ends_on__gte=day, then=Value(ContractPhase.LAUNCH.value)),
        When(scale_starts_on__lte=day, then=Value(ContractPhase.SCALE.value)),
        default=Value(ContractPhase.CONDITIONAL.value),
        output_field=CharField(),
    )
    in_force = (
        Contract.objects.filter(
            vendor=vendor,
            distributor_id=OuterRef("distributor_id"),
            status=ContractStatus.ACTIVE,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .annotate(phase=phase)
        .order_by("-starts_on", "-id")
        .values("phase")[:1]
    )
    return Coalesce(Subquery(in_force, output_field=CharField()), Value(NO_CONTRACT))


def _movers(reach: QuerySet[Scorecard], period: Period) -> tuple[list, list]:
    """The period's top and bottom movers: the scorecards whose score rose and fell most since
    the previous period (ties by name), with ``previous_score`` and ``trend`` set. Both
    periods' scores are read in one grouped scan per direction, then the movers' cards in one
    query: a look-up of the previous score per scorecard went through the wrong index (a scan
    of the whole previous period per row) whenever the table's statistics were stale."""
    before = periods.period_shift(period.kind, period.start, -1)
    pairs = (
        reach.filter(
            period_kind=period.kind, period_start__in=[before, period.start], score__isnull=False
        )
        .values("distributor_id")
        .annotate(
            now=Max("score", filter=Q(period_start=period.start)),
            was=Max("score", filter=Q(period_start=before)),
        )
        .annotate(trend=F("now") - F("was"))
        .values_list("distributor_id", "was", "trend")
    )
    top = list(pairs.filter(trend__gt=0).order_by("-trend", "distributor__name")[:MOVERS])
    bottom = list(pairs.filter(trend__lt=0).order_by("trend", "distributor__name")[:MOVERS])
    cards = {
        card.distributor_id: card
        for card in reach.filter(
            period_kind=period.kind,
            period_start=period.start,
            distributor_id__in=[distributor_id for distributor_id, _was, _trend in top + bottom],
        ).select_related("distributor")
    }

    def moved(rows) -> list[Scorecard]:
        for distributor_id, was, trend in rows:
            card = cards[distributor_id]
            card.previous_score, card.trend = was, trend  # type: ignore[attr-defined]  # for the page
        return [cards[distributor_id] for distributor_id, _was, _trend in rows]

    return moved(top), moved(bottom)


def portfolio(
    *, vendor: Vendor, actor: Membership, period: Period, policy: ScorecardPolicy | None = None
) -> Portfolio:
    """The executive view of one period: distributors by country and by contract phase
    (launch, conditional exclusivity, scale, of the contract in force on the period's last
    day; "No contract" without one) with their RAG spread, average score and revenue
    consolidated into the reporting currency (currencies without a rate apart), the RAG
    distribution, and the top and bottom movers by score change since the previous period.
    A fixed number of queries (``policy``, when the caller has it, saves one)."""
    from partners.markets import COUNTRY_CHOICES

    currency = (policy or policy_get(vendor=vendor)).reporting_currency
    reach = scorecard_list_for_actor(vendor=vendor, actor=actor)
    revenue = revenue_consolidated(
        vendor=vendor,
        actor=actor,
        period_kind=period.kind,
        period_start=period.start,
        currency=currency,
    )
    # One row per scorecard of the period, grouped here twice (by country, by phase): the
    # phase's sub-select runs once per scorecard instead of once per grouping.
    rows = list(
        reach.filter(period_kind=period.kind, period_start=period.start)
        .annotate(
            phase=contract_phase_on(
                vendor=vendor, day=periods.period_end(period.kind, period.start)
            )
        )
        .values("distributor_id", "distributor__country", "phase", "rag", "score")
    )
    # Revenue of distributors without a scorecard this period is left out of the groups but
    # stays in the totals.
    by_country = _groups(rows, "distributor__country", dict(COUNTRY_CHOICES), revenue)
    by_phase = _groups(
        rows, "phase", {**dict(ContractPhase.choices), NO_CONTRACT: _("No contract")}, revenue
    )
    by_phase.sort(key=lambda g: PHASE_ORDER.get(g.key, len(PHASE_ORDER)))
    rag_counts = {rag: 0 for rag in Rag.values}
    for row in rows:
        rag_counts[row["rag"]] += 1
    top, bottom = _movers(reach, period)
    return Portfolio(
        period=period,
        currency=currency,
        total_revenue=revenue.total,
        unconverted=revenue.unconverted,
        rag_counts=rag_counts,
        by_country=by_country,
        by_phase=by_phase,
        top_movers=top,
        bottom_movers=bottom,
    )
