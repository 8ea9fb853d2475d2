"""One distributor's scorecard page: its KPI lines with gaps and trends, grouped by family."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from partners import periods
from partners.models import Distributor, Membership, Vendor
from scorecards.charts import bullet_svg, trend_line_svg
from scorecards.labels import attainment_label, gap_words, value_label
from scorecards.models import KpiActual, KpiFamily, KpiUnit, Level, Rag, Scorecard
from scorecards.selectors.dashboards.periods import (
    FAMILY_FIELDS,
    TREND_PERIODS,
    Period,
    period_label,
)
from scorecards.selectors.dashboards.table import scorecard_list_for_actor


@dataclass
class KpiLine:
    """One KPI on a scorecard page."""

    actual: KpiActual
    name: str
    unit: str
    lower_is_better: bool
    value: str
    base: str
    stretch: str
    exceed: str
    gap: str
    bullet: str = ""
    trend: str = ""

    @property
    def is_ramped(self) -> bool:
        return self.actual.ramp_percent < 100

    @property
    def points_label(self) -> str:
        """A percent KPI's attainment in percentage points against base (see
        ``attainment_label``)."""
        a = self.actual
        return attainment_label(value=a.value, base=a.base, attainment=a.attainment, unit=self.unit)


@dataclass
class FamilyBlock:
    family: str
    label: str
    rag: str
    lines: list[KpiLine] = field(default_factory=list)


@dataclass
class ScorecardPage:
    distributor: Distributor
    period: Period | None
    scorecard: Scorecard | None
    families: list[FamilyBlock]
    gaps: list[KpiLine]  # the KPIs below base or with a next level, largest shortfall first


def distributor_for_scorecard_or_404(*, vendor: Vendor, actor: Membership, pk) -> Distributor:
    """A distributor whose scorecard the person may see: staff any of the vendor's, a
    distributor's people only their own (another's is the same 404 as a missing one)."""
    qs = Distributor.objects.filter(vendor=vendor)
    if actor.is_distributor_role:
        qs = qs.filter(pk=actor.own_distributor_id)
    return get_object_or_404(qs, pk=pk)


def kpi_actuals_of(
    *, vendor: Vendor, distributor_id: int, period_kind: str, period_start: dt.date
) -> list[KpiActual]:
    """The KPI actuals of one distributor's scorecard, in the catalogue's order (one query; the
    caller has checked the actor may see that distributor)."""
    return list(
        KpiActual.objects.filter(
            vendor=vendor,
            distributor_id=distributor_id,
            period_kind=period_kind,
            period_start=period_start,
        )
        .select_related("kpi")
        .order_by("kpi__position", "kpi_id")
    )


def scorecard_page(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    period: Period | None,
    charts: bool = True,
) -> ScorecardPage:
    """One distributor's scorecard for ``period``: each KPI by family with value, targets (and
    ramp), attainment, level, RAG, the gap to the next level in words, a bullet chart and a
    trend chart over the last 6 months or 4 quarters. Three queries whatever the number of
    KPIs."""
    if actor.is_distributor_role and distributor.pk != actor.distributor_id:
        raise Http404
    if period is None:
        return ScorecardPage(distributor, None, None, [], [])
    card = (
        scorecard_list_for_actor(vendor=vendor, actor=actor)
        .filter(distributor=distributor, period_kind=period.kind, period_start=period.start)
        .first()
    )
    actuals = kpi_actuals_of(
        vendor=vendor,
        distributor_id=distributor.pk,
        period_kind=period.kind,
        period_start=period.start,
    )
    history: dict[int, dict[dt.date, KpiActual]] = {}
    starts = periods.periods_back(period.kind, period.start, TREND_PERIODS[period.kind])
    if charts and actuals:
        for row in KpiActual.objects.filter(
            vendor=vendor,
            distributor=distributor,
            kpi_id__in=[a.kpi_id for a in actuals],
            period_kind=period.kind,
            period_start__in=starts,
        ).only("kpi_id", "period_start", "value", "base", "stretch"):
            history.setdefault(row.kpi_id, {})[row.period_start] = row
    fiscal = vendor.fiscal_year_start_month
    labels = {s: period_label(period.kind, s, fiscal) for s in starts}
    blocks = {
        family: FamilyBlock(
            family, str(label), getattr(card, FAMILY_FIELDS[family], Rag.NONE) if card else "none"
        )
        for family, label in KpiFamily.choices
    }
    gaps = []
    for actual in actuals:
        kpi = actual.kpi
        name = kpi.display_name
        currency = actual.currency or distributor.currency
        actual.currency = currency
        line = KpiLine(
            actual=actual,
            name=name,
            unit=kpi.unit,
            lower_is_better=kpi.lower_is_better,
            value=value_label(actual.value, kpi.unit, currency),
            base=value_label(actual.base, kpi.unit, currency),
            stretch=value_label(actual.stretch, kpi.unit, currency),
            exceed=value_label(actual.exceed, kpi.unit, currency),
            gap=gap_words(actual, name, unit=kpi.unit, lower_is_better=kpi.lower_is_better),
        )
        unit = "percent" if kpi.unit == KpiUnit.PERCENT else ""
        if charts:
            line.bullet = bullet_svg(
                actual.value,
                actual.base,
                actual.stretch,
                actual.exceed,
                lower_is_better=kpi.lower_is_better,
                label=name,
                unit=unit,
            )
            past = history.get(actual.kpi_id, {})
            line.trend = trend_line_svg(
                [(labels[s], past[s].value if s in past else None) for s in starts],
                targets=[(past[s].base, past[s].stretch) if s in past else None for s in starts],
                title=_("%(kpi)s, last %(n)s periods") % {"kpi": name, "n": len(starts)},
                unit_label=currency if kpi.unit == KpiUnit.MONEY else kpi.get_unit_display(),
                unit=unit,
            )
        blocks[actual.family].lines.append(line)
        if actual.level in (Level.BELOW, Level.BASE, Level.STRETCH) and line.gap:
            gaps.append(line)
    # Largest shortfall first: the lowest attainment (below base before those already green).
    gaps.sort(key=lambda ln: (ln.actual.attainment is None, ln.actual.attainment or 0))
    return ScorecardPage(
        distributor=distributor,
        period=period,
        scorecard=card,
        families=[b for b in blocks.values() if b.lines],
        gaps=gaps,
    )
