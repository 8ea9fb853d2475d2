"""Reads of the setup area (staff only: the views check ``roles.is_staff_reader`` first). Every list is
a fixed number of queries, whatever the number of distributors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners import periods, roles
from partners.models import Distributor, Membership, Vendor
from scorecards.models import (
    SCORED_STATUSES,
    ExchangeRate,
    Kpi,
    KpiEntry,
    KpiFamily,
    KpiSource,
    PeriodKind,
    RampCurve,
    ScorecardAssignment,
    ScorecardTemplate,
    Target,
    TemplateKpi,
)
from scorecards.selectors.templates import distributor_template_ids
from scorecards.target_layout import COLUMNS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _staff(actor: Membership) -> None:
    if not roles.is_staff_reader(actor):
        raise Http404


def kpi_list(*, vendor: Vendor, actor: Membership, active_only: bool = False):
    """The vendor's KPIs with how many templates use each (``template_count``)."""
    _staff(actor)
    qs = Kpi.objects.filter(vendor=vendor).annotate(template_count=Count("templates"))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("position", "id")


def kpi_list_by_family(
    *, vendor: Vendor, actor: Membership
) -> list[tuple[StrOrPromise, list[Kpi]]]:
    """The catalogue grouped by family, families in their usual order."""
    kpis = list(kpi_list(vendor=vendor, actor=actor))
    return [
        (label, [k for k in kpis if k.family == value])
        for value, label in KpiFamily.choices
        if any(k.family == value for k in kpis)
    ]


def kpi_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Kpi:
    _staff(actor)
    return get_object_or_404(Kpi.objects.filter(vendor=vendor), pk=pk)


def kpi_by_code(*, vendor: Vendor, actor: Membership, code: str, entered_only=False) -> Kpi | None:
    """An active KPI by its code (None when there is none)."""
    _staff(actor)
    qs = Kpi.objects.filter(vendor=vendor, is_active=True)
    if entered_only:
        qs = qs.filter(source=KpiSource.ENTERED)
    return qs.filter(code=code).first() or None


def template_list(*, vendor: Vendor, actor: Membership):
    """Templates with their KPIs (prefetched, in order)."""
    _staff(actor)
    return ScorecardTemplate.objects.filter(vendor=vendor).prefetch_related(
        Prefetch(
            "template_kpis",
            queryset=TemplateKpi.objects.select_related("kpi").order_by("position", "id"),
        )
    )


def template_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ScorecardTemplate:
    return get_object_or_404(template_list(vendor=vendor, actor=actor), pk=pk)


@dataclass
class TemplateUse:
    distributor: Distributor
    template: ScorecardTemplate | None
    why: str  # "assigned", "country" or "default"


def template_use_list(*, vendor: Vendor, actor: Membership, country: str = "") -> list[TemplateUse]:
    """Which template each scored distributor gets and why, as the engine resolves it
    (``distributor_template_ids``: its assignment, else the first template by name listing its
    country, else the default). Four queries."""
    _staff(actor)
    templates = {t.pk: t for t in ScorecardTemplate.objects.filter(vendor=vendor)}
    resolved = distributor_template_ids(vendor_id=vendor.id)
    assigned = set(
        ScorecardAssignment.objects.filter(vendor=vendor).values_list("distributor_id", flat=True)
    )
    distributors = Distributor.objects.filter(vendor=vendor, status__in=SCORED_STATUSES)
    if country:
        distributors = distributors.filter(country=country)
    result = []
    for d in distributors.order_by("name", "pk"):
        template_id = resolved.get(d.pk)
        template = templates.get(template_id) if template_id is not None else None
        if d.pk in assigned:
            why = "assigned"
        elif template is not None and d.country in template.countries:
            why = "country"
        else:
            why = "default"
        result.append(TemplateUse(d, template, why))
    return result


def distributor_get_for_setup_or_404(*, vendor: Vendor, actor: Membership, pk) -> Distributor:
    _staff(actor)
    return get_object_or_404(Distributor.objects.filter(vendor=vendor), pk=pk)


@dataclass
class GridPeriod:
    """The period a grid shows, parsed from the query string (defaults: this month or this
    fiscal quarter)."""

    kind: str
    start: dt.date
    label: str
    choices: list[tuple[dt.date, str]] = field(default_factory=list)


def grid_period(*, vendor: Vendor, query) -> GridPeriod:
    """The grid's period from ``?period=quarter|month`` and ``?quarter=`` / ``?month=``
    (a first day; another day is taken to its period). Choices: a year back, two ahead."""
    fiscal = vendor.fiscal_year_start_month
    kind = PeriodKind.MONTH if query.get("period") == PeriodKind.MONTH else PeriodKind.QUARTER
    today = timezone.localdate()
    raw = query.get("month" if kind == PeriodKind.MONTH else "quarter", "")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = today
    start = periods.period_start(kind, day, fiscal)
    current = periods.period_start(kind, today, fiscal)
    count = 12 if kind == PeriodKind.MONTH else 4
    choices = [periods.period_shift(kind, current, n) for n in range(-count, 2 * count + 1)]
    if start not in choices:
        choices.append(start)
        choices.sort()

    def label(s: dt.date) -> str:
        if kind == PeriodKind.MONTH:
            return s.strftime("%Y-%m")
        return f"{periods.fiscal_quarter_label(s, fiscal)} ({s:%Y-%m})"

    return GridPeriod(kind, start, label(start), [(c, label(c)) for c in choices])


def grid_distributors(*, vendor: Vendor, actor: Membership, country: str = "") -> list:
    """The rows of a targets or entries grid: scored distributors, by name."""
    _staff(actor)
    qs = Distributor.objects.filter(vendor=vendor, status__in=SCORED_STATUSES)
    if country:
        qs = qs.filter(country=country)
    return list(qs.order_by("name", "pk"))


def grid_targets(*, vendor: Vendor, actor: Membership, kpi: Kpi, period: GridPeriod) -> dict:
    """Distributor id -> Target for one KPI and period."""
    _staff(actor)
    return {
        t.distributor_id: t
        for t in Target.objects.filter(
            vendor=vendor, kpi=kpi, period_kind=period.kind, period_start=period.start
        )
    }


def grid_entries(*, vendor: Vendor, actor: Membership, kpi: Kpi, period: GridPeriod) -> dict:
    """Distributor id -> KpiEntry for one entered KPI and period."""
    _staff(actor)
    return {
        e.distributor_id: e
        for e in KpiEntry.objects.filter(
            vendor=vendor, kpi=kpi, period_kind=period.kind, period_start=period.start
        )
    }


def target_export_table(
    *, vendor: Vendor, actor: Membership, kpi: Kpi, period: GridPeriod, country: str = ""
) -> tuple[list[str], list[list]]:
    """The targets grid as a table whose first eight columns the import reads back."""
    distributors = grid_distributors(vendor=vendor, actor=actor, country=country)
    targets = grid_targets(vendor=vendor, actor=actor, kpi=kpi, period=period)
    header = [COLUMNS[k][0] for k in COLUMNS] + [
        "Country", "Ramp %", "Effective base", "Effective stretch", "Effective exceed"
    ]  # fmt: skip
    rows = []
    for d in distributors:
        t = targets.get(d.pk)
        rows.append([
            d.pk, d.name, kpi.code, period.kind, period.start.isoformat(),
            t.full_base if t else None, t.full_stretch if t else None,
            t.full_exceed if t else None, d.country, t.ramp_percent if t else None,
            t.base if t else None, t.stretch if t else None, t.exceed if t else None,
        ])  # fmt: skip
    return header, rows


def ramp_curve_list(*, vendor: Vendor, actor: Membership):
    _staff(actor)
    return RampCurve.objects.filter(vendor=vendor).order_by("country")


def ramp_curve_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> RampCurve:
    _staff(actor)
    return get_object_or_404(RampCurve.objects.filter(vendor=vendor), pk=pk)


def exchange_rate_list(*, vendor: Vendor, actor: Membership):
    _staff(actor)
    return ExchangeRate.objects.filter(vendor=vendor).order_by("-period_start", "currency")


def exchange_rate_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ExchangeRate:
    _staff(actor)
    return get_object_or_404(ExchangeRate.objects.filter(vendor=vendor), pk=pk)


def target_list_for_actor(*, vendor: Vendor, actor: Membership, params=None):
    """Targets the actor reaches (a distributor's people: their own distributor's only),
    filtered by ``period_kind``, ``period_start``, ``kpi`` (code) and ``distributor`` (id)."""
    qs = Target.objects.filter(vendor=vendor).select_related("kpi")
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    params = params or {}
    if params.get("period_kind") in PeriodKind.values:
        qs = qs.filter(period_kind=params["period_kind"])
    try:
        if params.get("period_start"):
            qs = qs.filter(period_start=dt.date.fromisoformat(params["period_start"]))
    except ValueError:
        qs = qs.none()
    if params.get("kpi"):
        qs = qs.filter(kpi__code=params["kpi"])
    if str(params.get("distributor", "")).isdigit():
        qs = qs.filter(distributor_id=int(params["distributor"]))
    return qs.order_by("period_start", "kpi_id", "distributor_id", "id")


def kpi_list_for_api(*, vendor: Vendor, actor: Membership):
    """Every member reads the catalogue (a distributor's people see these KPIs on their own
    scorecard)."""
    return Kpi.objects.filter(vendor=vendor).order_by("position", "id")


def assigned_count(*, vendor: Vendor) -> int:
    return ScorecardAssignment.objects.filter(vendor=vendor).count()
