"""Reads of the dashboards: the period picker, the distributors' scorecard table, one
distributor's scorecard with gaps and trends, the executive portfolio, the "needs attention"
list of the staff home, and the panels on the homes and the distributor page.

Every selector takes ``vendor`` and ``actor``; a distributor's people reach only their own
distributor's scorecard (another distributor's is a 404) and never a rank or another
distributor's figures. Query counts do not grow with the number of distributors: each list is
one query with what its rows show joined or annotated in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from partners import periods, roles
from partners.models import (
    Contract,
    ContractPhase,
    ContractStatus,
    Distributor,
    Membership,
    ProductLine,
    ScopeLine,
    Territory,
    Vendor,
)
from scorecards import rules
from scorecards.charts import bullet_svg, number_label, trend_line_svg
from scorecards.fx import revenue_consolidated
from scorecards.labels import money_label
from scorecards.models import (
    SCORED_STATUSES,
    CorrectivePlan,
    ExclusivityVerdict,
    Kpi,
    KpiActual,
    KpiFamily,
    KpiUnit,
    Level,
    PeriodKind,
    Rag,
    Scorecard,
    ScorecardAssignment,
    ScorecardPolicy,
    ScorecardTemplate,
)
from scorecards.models.catalogue import kpi_name_in_language
from scorecards.selectors.policy import policy_get

PERIOD_CHOICES_MAX = 24
TREND_PERIODS: dict[str, int] = {PeriodKind.MONTH: 6, PeriodKind.QUARTER: 4}
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NONE: 3}
FAMILY_FIELDS: dict[str, str] = {
    KpiFamily.COMMERCIAL: "commercial_rag",
    KpiFamily.EXECUTION: "execution_rag",
    KpiFamily.OPERATIONAL: "operational_rag",
}


# --- periods -------------------------------------------------------------------------------------


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


# --- the table of distributors --------------------------------------------------------------------


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


def _rag_rank(field_name: str):
    return Case(
        *(When(**{field_name: rag}, then=Value(rank)) for rag, rank in RAG_ORDER.items()),
        default=Value(3),
        output_field=IntegerField(),
    )


def scorecard_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[Scorecard]:
    """Scorecards the person reaches: vendor staff every distributor's, a distributor's people
    their own distributor's only."""
    qs = Scorecard.objects.filter(vendor=vendor)
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    return qs


def scorecard_cards(
    *, vendor: Vendor, actor: Membership, period: Period, filters: TableFilters
) -> QuerySet[Scorecard]:
    """One row per distributor with a scorecard in ``period``: its score, RAG overall and per
    family, red count, the score change since the previous period (``trend``; None without
    a previous score) and, for a scorecard not rated at all, whether any KPI had a target
    (``has_targets``), filtered and sorted by any column. One query per page of rows."""
    previous = Scorecard.objects.filter(
        vendor=vendor,
        distributor_id=OuterRef("distributor_id"),
        period_kind=period.kind,
        period_start=periods.period_shift(period.kind, period.start, -1),
    ).values("score")[:1]
    targeted = KpiActual.objects.filter(
        vendor=vendor,
        distributor_id=OuterRef("distributor_id"),
        period_kind=period.kind,
        period_start=period.start,
        base__isnull=False,
    )
    qs = (
        scorecard_list_for_actor(vendor=vendor, actor=actor)
        .filter(period_kind=period.kind, period_start=period.start)
        .select_related("distributor", "distributor__owner__user")
        .annotate(previous_score=Subquery(previous))
        .annotate(trend=F("score") - F("previous_score"))
        .annotate(
            # Not rated at all: because no KPI has a target (said so on the row), or not.
            has_targets=Case(
                When(rag=Rag.NONE, then=Exists(targeted)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
    )
    if filters.name:
        qs = qs.filter(
            Q(distributor__name__icontains=filters.name)
            | Q(distributor__legal_name__icontains=filters.name)
        )
    if filters.country:
        qs = qs.filter(distributor__country=filters.country)
    if filters.owner:
        qs = qs.filter(distributor__owner_id=filters.owner)
    if filters.mine and actor.is_staff_role:
        qs = qs.filter(distributor__owner=actor)
    if filters.rag:
        qs = qs.filter(rag=filters.rag)
    sort_fields = {
        "name": [F("distributor__name")],
        "country": [F("distributor__country"), F("distributor__name")],
        "owner": [F("distributor__owner__user__full_name"), F("distributor__name")],
        "score": [F("score")],
        "rag": [_rag_rank("rag")],
        "commercial": [_rag_rank("commercial_rag")],
        "execution": [_rag_rank("execution_rag")],
        "operational": [_rag_rank("operational_rag")],
        "red": [F("red_count")],
        "trend": [F("trend")],
    }[filters.sort]
    ordering = [
        f.desc(nulls_last=True) if filters.descending else f.asc(nulls_last=True)
        for f in sort_fields
    ]
    return qs.order_by(*ordering, "distributor__name", "id")


NOT_COMPUTED = "not_computed"
NO_TEMPLATE = "no_template"


def _country_array(field_name: str):
    """``ARRAY[<field>]``, to ask whether a template's ``countries`` contain a country."""
    return Func(
        OuterRef(field_name),
        template="ARRAY[%(expressions)s]::varchar(2)[]",
        output_field=ArrayField(CharField(max_length=2)),
    )


def scorecard_missing(
    *, vendor: Vendor, actor: Membership, period: Period, filters: TableFilters
) -> QuerySet[Distributor]:
    """The scored distributors (onboarding, active, suspended) with no scorecard in ``period``,
    by name, with ``has_template``: whether any template applies to them (their own
    assignment, one listing their country, or the vendor's default: the engine's resolution).
    The table's filters apply; a RAG filter leaves none (they have no RAG). One query."""
    qs = Distributor.objects.filter(vendor=vendor, status__in=SCORED_STATUSES)
    if actor.is_distributor_role:
        qs = qs.filter(pk=actor.own_distributor_id)
    if filters.rag:
        return qs.none()
    if filters.name:
        qs = qs.filter(Q(name__icontains=filters.name) | Q(legal_name__icontains=filters.name))
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.mine and actor.is_staff_role:
        qs = qs.filter(owner=actor)
    computed = Scorecard.objects.filter(
        vendor=vendor,
        distributor_id=OuterRef("pk"),
        period_kind=period.kind,
        period_start=period.start,
    )
    assigned = ScorecardAssignment.objects.filter(vendor=vendor, distributor_id=OuterRef("pk"))
    fitting = ScorecardTemplate.objects.filter(vendor=vendor).filter(
        Q(is_default=True) | Q(countries__contains=_country_array("country"))
    )
    return (
        qs.filter(~Exists(computed))
        .select_related("owner__user")
        .annotate(has_template=Exists(assigned) | Exists(fitting))
        .order_by("name", "id")
    )


def _missing_row(distributor: Distributor, period: Period) -> Scorecard:
    """A distributor without a scorecard as a table row: an unsaved scorecard with no score
    or RAG and ``missing`` saying why (no template applies, or not computed yet)."""
    card = Scorecard(
        vendor_id=distributor.vendor_id,
        distributor=distributor,
        period_kind=period.kind,
        period_start=period.start,
        score=None,
        red_count=None,  # type: ignore[misc]  # a row to show, never saved
    )
    # What the table's template reads of a scorecard row (see the annotations above).
    card.previous_score = None  # type: ignore[attr-defined]
    card.trend = None  # type: ignore[attr-defined]
    card.missing = NOT_COMPUTED if distributor.has_template else NO_TEMPLATE  # type: ignore[attr-defined]
    return card


class TableRows:
    """The rows of the scorecard table, for a paginator: the period's scorecards in the order
    asked, then the scored distributors without one (whatever the sort: they have nothing to
    sort by). Two count queries, and per page one query on each part it reaches."""

    def __init__(self, cards: QuerySet[Scorecard], missing: QuerySet[Distributor], period):
        self.cards = cards
        self.missing = missing
        self.period = period
        self._counts: tuple[int, int] | None = None

    def _count_parts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (self.cards.count(), self.missing.count())
        return self._counts

    def count(self) -> int:
        return sum(self._count_parts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        n_cards, total = self._count_parts()[0], self.count()
        start, stop, _step = key.indices(total)
        rows = list(self.cards[start:stop]) if start < n_cards else []
        if stop > n_cards:
            first, last = max(start - n_cards, 0), stop - n_cards
            rows += [_missing_row(d, self.period) for d in self.missing[first:last]]
        return rows

    def __iter__(self):
        yield from self.cards
        for distributor in self.missing:
            yield _missing_row(distributor, self.period)


def scorecard_table(
    *, vendor: Vendor, actor: Membership, period: Period, filters: TableFilters
) -> TableRows:
    """The scorecard table of ``period``: every distributor with a scorecard (see
    ``scorecard_cards``), then each scored distributor that has none, marked "not computed
    yet" or "no template" (see ``scorecard_missing``)."""
    return TableRows(
        scorecard_cards(vendor=vendor, actor=actor, period=period, filters=filters),
        scorecard_missing(vendor=vendor, actor=actor, period=period, filters=filters),
        period,
    )


def missing_label(missing: str) -> str:
    """Why a distributor has no scorecard, in words."""
    return _("No template") if missing == NO_TEMPLATE else _("Not computed yet")


def scorecard_export_table(
    *, vendor: Vendor, actor: Membership, period: Period, filters: TableFilters
) -> tuple[list[str], list[list]]:
    """Header and rows of the table's export (the same rows and order as the page, all
    pages; a distributor without a scorecard says why under "Overall"). Two queries."""
    header = [
        str(_("Distributor")),
        str(_("Country")),
        str(_("Status")),
        str(_("Channel manager")),
        str(_("Period")),
        str(_("Score")),
        str(_("Overall")),
        str(KpiFamily.COMMERCIAL.label),
        str(KpiFamily.EXECUTION.label),
        str(KpiFamily.OPERATIONAL.label),
        str(_("Red KPIs")),
        str(_("Previous score")),
        str(_("Change")),
    ]
    rags = dict(Rag.choices)
    rows = []
    for card in scorecard_table(vendor=vendor, actor=actor, period=period, filters=filters):
        d = card.distributor
        if getattr(card, "missing", ""):
            rows.append(
                [
                    d.name,
                    d.country,
                    str(d.get_status_display()),
                    d.owner.user.full_name if d.owner_id else "",
                    period.label,
                    None,
                    str(missing_label(card.missing)),
                    "",
                    "",
                    "",
                    None,
                    None,
                    None,
                ]
            )
            continue
        rows.append(
            [
                d.name,
                d.country,
                str(d.get_status_display()),
                d.owner.user.full_name if d.owner_id else "",
                period.label,
                card.score,
                str(rags[card.rag]),
                str(rags[card.commercial_rag]),
                str(rags[card.execution_rag]),
                str(rags[card.operational_rag]),
                card.red_count,
                card.previous_score,
                card.trend,
            ]
        )
    return header, rows


# --- one distributor's scorecard ------------------------------------------------------------------


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


# --- portfolio ---------------------------------------------------------------------------------------


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


# --- needs attention ---------------------------------------------------------------------------------

ATTENTION_WINDOW_DAYS = 45  # reports and checklist items due longer ago than this drop off
NOTICE_AHEAD_DAYS = 60  # contracts whose notice deadline falls within this many days
ATTENTION_LIMIT = 50  # rows read per kind (the list is "what to do next", not an archive)
PANEL_ITEMS = 10


@dataclass
class AttentionItem:
    """One reason a distributor needs attention, with a link to where to act."""

    kind: str  # a key of ATTENTION_KINDS
    severity: int  # 0 most urgent
    day: dt.date  # when it became (or becomes) due: older first within a severity
    distributor_id: int
    distributor_name: str
    mine: bool
    why: str
    url: str

    @property
    def badge(self) -> str:
        """The short word on the item's badge."""
        return str(ATTENTION_KINDS[self.kind].badge)

    @property
    def tone(self) -> str:
        """The badge's colour: "bad" for what cannot wait, "warn" for what is due, none for
        the red KPIs (the scorecard's own colours say the rest)."""
        if self.severity <= URGENT_SEVERITY:
            return "bad"
        return "warn" if self.severity == URGENT_SEVERITY + 1 else ""


@dataclass(frozen=True)
class AttentionKind:
    """How one kind of attention item reads, where it links and how urgent it is.

    ``sentence`` is formatted with the row's words (see ``_attention_words``); ``url_name``
    takes the vendor's slug and the row's ``ref`` (the distributor's id when
    ``by_distributor``). An item becomes as urgent as a missed report (``URGENT_SEVERITY``)
    when its day is at most ``urgent_ahead`` days away or at least ``urgent_after`` days past."""

    sentence: object
    url_name: str
    severity: int
    badge: object
    by_distributor: bool = False
    urgent_ahead: int | None = None
    urgent_after: int | None = None

    def severity_on(self, day: dt.date, today: dt.date) -> int:
        """The item's severity given its day."""
        if self.urgent_ahead is not None and (day - today).days <= self.urgent_ahead:
            return URGENT_SEVERITY
        if self.urgent_after is not None and (today - day).days >= self.urgent_after:
            return URGENT_SEVERITY
        return self.severity


URGENT_SEVERITY = 3  # up to here a badge is red
ATTENTION_KINDS: dict[str, AttentionKind] = {
    # What threatens a distributor's exclusivity comes first: a revoke about to take effect,
    # then a warning (the next unmet quarter revokes), then a plan waiting to be opened.
    "revoke": AttentionKind(
        _lazy("Exclusivity of %(scope)s ends on %(date)s unless held or overridden"),
        "verdict-detail",
        0,
        _lazy("revoke"),
    ),
    "warn": AttentionKind(
        _lazy("Exclusivity warning for %(scope)s in %(quarter)s"),
        "verdict-detail",
        1,
        _lazy("warning"),
    ),
    "plan_suggested": AttentionKind(
        _lazy("Corrective plan suggested (%(trigger)s): open it to agree actions"),
        "plan-detail",
        2,
        _lazy("suggested plan"),
    ),
    "missed": AttentionKind(
        _lazy("%(kind)s of %(period)s missed"), "report-detail", 3, _lazy("missed")
    ),
    "notice": AttentionKind(
        _lazy("Contract %(reference)s: notice deadline %(date)s"),
        "contract-detail",
        4,
        _lazy("notice"),
        urgent_ahead=30,
    ),
    "plan_review": AttentionKind(
        _lazy("Corrective plan review due on %(date)s"),
        "plan-detail",
        4,
        _lazy("plan review"),
        urgent_after=7,
    ),
    "late": AttentionKind(
        _lazy("%(kind)s of %(period)s overdue"), "report-detail", 4, _lazy("overdue")
    ),
    "returned": AttentionKind(
        _lazy("%(kind)s of %(period)s returned, not resubmitted"),
        "report-detail",
        4,
        _lazy("returned"),
    ),
    "launch_overdue": AttentionKind(
        _lazy("Launch task overdue: %(title)s"),
        "launch-checklist",
        4,
        _lazy("launch"),
        by_distributor=True,
    ),
    "red_kpi": AttentionKind(
        _lazy("%(kpi)s red in %(period)s (%(measure)s)"),
        "scorecard-distributor",
        5,
        _lazy("red KPI"),
        by_distributor=True,
    ),
}


_SCOPE_NAME = """CASE WHEN %(ja)s AND t.name_ja <> '' THEN t.name_ja ELSE t.name END || ' × ' ||
        CASE WHEN %(ja)s AND pl.name_ja <> '' THEN pl.name_ja ELSE pl.name END"""

_ATTENTION_SQL = """
(SELECT 'missed' AS kind, r.id AS ref, r.kind AS sub, r.period_start AS period,
        (r.due_at AT TIME ZONE 'UTC')::date AS day, d.id AS distributor_id, d.name,
        d.owner_id, '' AS title, '' AS default_key, NULL::numeric AS figure,
        NULL::numeric AS value, NULL::numeric AS base
   FROM {report} r JOIN {distributor} d ON d.id = r.distributor_id
  WHERE r.vendor_id = %(vendor)s AND r.due_at >= %(since)s AND r.due_at < %(now)s
    AND r.missed_at IS NOT NULL AND r.status <> ALL(%(handed_in)s) {mine}
  ORDER BY r.due_at, r.id LIMIT %(limit)s)
UNION ALL
(SELECT 'late', r.id, r.kind, r.period_start, (r.due_at AT TIME ZONE 'UTC')::date, d.id,
        d.name, d.owner_id, '', '', NULL, NULL, NULL
   FROM {report} r JOIN {distributor} d ON d.id = r.distributor_id
  WHERE r.vendor_id = %(vendor)s AND r.due_at >= %(since)s AND r.due_at < %(now)s
    AND r.missed_at IS NULL AND r.submitted_at IS NULL AND r.status <> ALL(%(handed_in)s)
    {mine}
  ORDER BY r.due_at, r.id LIMIT %(limit)s)
UNION ALL
(SELECT 'returned', r.id, r.kind, r.period_start,
        (coalesce(r.reviewed_at, r.due_at) AT TIME ZONE 'UTC')::date, d.id, d.name,
        d.owner_id, '', '', NULL, NULL, NULL
   FROM {report} r JOIN {distributor} d ON d.id = r.distributor_id
  WHERE r.vendor_id = %(vendor)s AND r.status = 'returned' {mine}
  ORDER BY r.reviewed_at, r.id LIMIT %(limit)s)
UNION ALL
(SELECT 'notice', c.id, '', NULL, c.ends_on - c.notice_days, d.id, d.name, d.owner_id,
        c.reference, '', NULL, NULL, NULL
   FROM {contract} c JOIN {distributor} d ON d.id = c.distributor_id
  WHERE c.vendor_id = %(vendor)s AND c.status = 'active'
    AND c.ends_on - c.notice_days BETWEEN %(today)s AND %(notice_until)s {mine}
  ORDER BY c.ends_on - c.notice_days, c.id LIMIT %(limit)s)
UNION ALL
(SELECT 'launch_overdue', i.id, '', NULL, i.due_on, d.id, d.name, d.owner_id, i.title,
        i.default_key, NULL, NULL, NULL
   FROM {item} i JOIN {checklist} l ON l.id = i.checklist_id
   JOIN {distributor} d ON d.id = l.distributor_id
  WHERE i.vendor_id = %(vendor)s AND i.done_at IS NULL
    AND i.due_on < %(today)s AND i.due_on >= %(launch_since)s {mine}
  ORDER BY i.due_on, i.id LIMIT %(limit)s)
UNION ALL
(SELECT 'red_kpi', a.id, k.unit, a.period_start, a.period_start, d.id, d.name, d.owner_id,
        k.name, k.name_ja, a.attainment, a.value, a.base
   FROM {actual} a JOIN {kpi} k ON k.id = a.kpi_id
   JOIN {distributor} d ON d.id = a.distributor_id
  WHERE a.vendor_id = %(vendor)s AND a.period_kind = 'month' AND a.rag = 'red'
    AND a.period_start = (SELECT max(s.period_start) FROM {scorecard} s
                           WHERE s.vendor_id = %(vendor)s AND s.period_kind = 'month'
                             AND s.period_start < date_trunc('month', %(today)s::date)) {mine}
  ORDER BY a.attainment NULLS FIRST, a.id LIMIT %(limit)s)
UNION ALL
(SELECT 'plan_review', p.id, '', NULL, p.review_on, d.id, d.name, d.owner_id, '', '', NULL,
        NULL, NULL
   FROM {plan} p JOIN {distributor} d ON d.id = p.distributor_id
  WHERE p.vendor_id = %(vendor)s AND p.status = 'open' AND p.review_on <= %(today)s {mine}
  ORDER BY p.review_on, p.id LIMIT %(limit)s)
UNION ALL
(SELECT 'plan_suggested', p.id, p.trigger, NULL, (p.created_at AT TIME ZONE 'UTC')::date,
        d.id, d.name, d.owner_id, '', '', NULL, NULL, NULL
   FROM {plan} p JOIN {distributor} d ON d.id = p.distributor_id
  WHERE p.vendor_id = %(vendor)s AND p.status = 'suggested' {mine}
  ORDER BY p.created_at, p.id LIMIT %(limit)s)
UNION ALL
(SELECT 'revoke', v.id, '', v.quarter_start, v.effective_on, d.id, d.name, d.owner_id,
        {scope_name}, '', NULL, NULL, NULL
   FROM {verdict} v JOIN {distributor} d ON d.id = v.distributor_id
   JOIN {scope_line} sl ON sl.id = v.scope_line_id
   JOIN {territory} t ON t.id = sl.territory_id
   JOIN {product_line} pl ON pl.id = sl.product_line_id
  WHERE v.vendor_id = %(vendor)s AND v.applied_at IS NULL AND v.effective_on >= %(today)s
    AND (v.overridden_outcome = 'revoke' OR (v.overridden_outcome = '' AND v.outcome = 'revoke'))
    AND (v.held_until IS NULL OR v.held_until < %(today)s) {mine}
  ORDER BY v.effective_on, v.id LIMIT %(limit)s)
UNION ALL
(SELECT 'warn', v.id, '', v.quarter_start, v.quarter_end, d.id, d.name, d.owner_id,
        {scope_name}, '', NULL, NULL, NULL
   FROM {verdict} v JOIN {distributor} d ON d.id = v.distributor_id
   JOIN {scope_line} sl ON sl.id = v.scope_line_id
   JOIN {territory} t ON t.id = sl.territory_id
   JOIN {product_line} pl ON pl.id = sl.product_line_id
  WHERE v.vendor_id = %(vendor)s
    AND (v.overridden_outcome = 'warn' OR (v.overridden_outcome = '' AND v.outcome = 'warn'))
    AND v.quarter_start = (SELECT max(w.quarter_start) FROM {verdict} w
                            WHERE w.vendor_id = %(vendor)s AND w.quarter_end < %(today)s)
    {mine}
  ORDER BY v.id LIMIT %(limit)s)
"""


def _attention_words(row: tuple, *, today: dt.date, fiscal_start_month: int) -> dict:
    """The words an attention sentence may use, from one row of ``_ATTENTION_SQL``."""
    from partners.models import LaunchChecklistItem
    from reporting.models import ReportKind
    from scorecards.models import PlanTrigger

    kind, _ref, sub, period, day, _d, _name, _owner, title, key, figure, value, base = row
    words = {
        "date": date_format(day),
        "period": date_format(period) if period else "",
        "scope": title,
        "reference": title,
        "kind": dict(ReportKind.choices).get(sub, sub),
        "trigger": dict(PlanTrigger.choices).get(sub, sub),
    }
    if kind == "launch_overdue":
        words["title"] = LaunchChecklistItem(title=title, default_key=key).display_title
    elif kind == "red_kpi":
        words["kpi"] = kpi_name_in_language(title, key)
        words["period"] = period_label(PeriodKind.MONTH, period)
        words["measure"] = attainment_label(value=value, base=base, attainment=figure, unit=sub)
    elif kind == "warn":
        words["quarter"] = period_label(PeriodKind.QUARTER, period, fiscal_start_month)
    return words


def needs_attention(
    *, vendor: Vendor, actor: Membership, scope: str = "", today: dt.date | None = None
) -> list[AttentionItem]:
    """What needs a channel manager's attention, most urgent first: exclusivity revokes still
    to take effect (not held), warnings of the latest quarter judged, suggested corrective
    plans nobody has opened, missed reports, notice deadlines of contracts within 60 days (the
    nearest 30 days as urgent as a missed report), reports overdue and not handed in, returned
    reports not resubmitted, overdue launch checklist items (due in the last 45 days),
    corrective plans whose review is due and red KPIs of the latest month that has ended.
    ``ATTENTION_KINDS`` holds each kind's sentence, link and severity.

    A channel manager's own distributors (``Distributor.owner``) come first; ``scope="mine"``
    keeps only those. Vendor admins and executives see everyone's, with no "mine". One SQL
    statement (at most 50 rows of each kind), whatever the number of distributors."""
    from django.db import connection
    from django.urls import reverse

    from partners.models import LaunchChecklist, LaunchChecklistItem
    from reporting.models import Report
    from reporting.models.reports import HANDED_IN_STATUSES

    if not roles.is_staff_reader(actor):
        return []
    now = timezone.now()
    today = today or timezone.localdate()
    is_cm = roles.is_channel_manager(actor)
    params: dict[str, Any] = {
        "vendor": vendor.id,
        "now": now,
        "since": now - dt.timedelta(days=ATTENTION_WINDOW_DAYS),
        "today": today,
        "notice_until": today + dt.timedelta(days=NOTICE_AHEAD_DAYS),
        "launch_since": today - dt.timedelta(days=ATTENTION_WINDOW_DAYS),
        "handed_in": [str(status) for status in HANDED_IN_STATUSES],
        "limit": ATTENTION_LIMIT,
        "actor": actor.pk,
        "ja": (get_language() or "en").startswith("ja"),
    }
    sql = _ATTENTION_SQL.format(
        report=Report._meta.db_table,
        distributor=Distributor._meta.db_table,
        contract=Contract._meta.db_table,
        item=LaunchChecklistItem._meta.db_table,
        checklist=LaunchChecklist._meta.db_table,
        actual=KpiActual._meta.db_table,
        kpi=Kpi._meta.db_table,
        scorecard=Scorecard._meta.db_table,
        plan=CorrectivePlan._meta.db_table,
        verdict=ExclusivityVerdict._meta.db_table,
        scope_line=ScopeLine._meta.db_table,
        territory=Territory._meta.db_table,
        product_line=ProductLine._meta.db_table,
        scope_name=_SCOPE_NAME,
        mine="AND d.owner_id = %(actor)s" if is_cm and scope == "mine" else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    fiscal_start_month = vendor.fiscal_year_start_month
    items = []
    for row in rows:
        kind, ref, _sub, period, day, distributor_id, name, owner_id = row[:8]
        spec = ATTENTION_KINDS[kind]
        url = reverse(
            spec.url_name, args=[vendor.slug, distributor_id if spec.by_distributor else ref]
        )
        if kind == "red_kpi":
            url += f"?period_kind=month&period={period.isoformat()}"
        words = _attention_words(row, today=today, fiscal_start_month=fiscal_start_month)
        items.append(
            AttentionItem(
                kind=kind,
                severity=spec.severity_on(day, today),
                day=day,
                distributor_id=distributor_id,
                distributor_name=name,
                mine=is_cm and owner_id == actor.pk,
                why=str(spec.sentence) % words,
                url=url,
            )
        )
    items.sort(key=lambda i: (not i.mine, i.severity, i.day, i.distributor_name))
    return items


def staff_attention_panel(*, vendor: Vendor, actor: Membership, **_kwargs) -> dict | None:
    """The "Needs attention" panel of the staff home: the first items of ``needs_attention``
    (a channel manager's own distributors first) and how many there are."""
    if not roles.is_staff_reader(actor):
        return None
    items = needs_attention(vendor=vendor, actor=actor)
    return {
        "items": items[:PANEL_ITEMS],
        "count": len(items),
        "is_channel_manager": roles.is_channel_manager(actor),
    }


# --- panels of one distributor -------------------------------------------------------------------


def _latest_card(vendor: Vendor, actor: Membership, distributor: Distributor):
    """The distributor's scorecard of the latest month that has ended."""
    return (
        scorecard_list_for_actor(vendor=vendor, actor=actor)
        .filter(
            distributor=distributor,
            period_kind=PeriodKind.MONTH,
            period_start__lt=periods.month_start(timezone.localdate()),
        )
        .order_by("-period_start")
        .first()
    )


def my_standing_panel(*, vendor: Vendor, actor: Membership, distributor, **_kwargs) -> dict | None:
    """The "My standing" panel of a partner's home: the latest monthly scorecard's overall
    RAG and score and the three largest gaps (no rank, nothing of other distributors)."""
    if not actor.is_distributor_role or distributor.pk != actor.distributor_id:
        return None
    card = _latest_card(vendor, actor, distributor)
    if card is None:
        return {"scorecard": None, "gaps": [], "distributor": distributor}
    period = Period(
        PeriodKind.MONTH,
        card.period_start,
        period_label(PeriodKind.MONTH, card.period_start, vendor.fiscal_year_start_month),
    )
    page = scorecard_page(
        vendor=vendor,
        actor=actor,
        distributor=distributor,
        period=period,
        charts=False,
    )
    return {"scorecard": card, "period": period, "gaps": page.gaps[:3], "distributor": distributor}


def distributor_scorecard_panel(
    *, vendor: Vendor, actor: Membership, distributor, **_kwargs
) -> dict | None:
    """The scorecard summary on a distributor's page: the latest monthly scorecard (score,
    RAG overall and per family, red KPIs) with a link to the full scorecard."""
    if actor.is_distributor_role and distributor.pk != actor.distributor_id:
        return None
    card = _latest_card(vendor, actor, distributor)
    return {
        "scorecard": card,
        "distributor": distributor,
        # A month is named the same whatever the fiscal year.
        "period_label": period_label(PeriodKind.MONTH, card.period_start) if card else "",
    }
