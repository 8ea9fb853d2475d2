"""The distributors' scorecard table and its export, with the rows of distributors that have
no scorecard in the period."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from partners import periods
from partners.models import Distributor, Membership, Vendor
from scorecards.models import (
    SCORED_STATUSES,
    KpiActual,
    KpiFamily,
    Rag,
    Scorecard,
    ScorecardAssignment,
    ScorecardTemplate,
)
from scorecards.selectors.dashboards.periods import RAG_ORDER, Period, TableFilters


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
