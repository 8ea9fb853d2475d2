"""Reads of conditional exclusivity: the vendor's rules, verdicts for a person, a distributor's
standing in the quarter under way (from the fact base of ``exclusivity_facts``) and the panels.
The wording is in ``scorecards.exclusivity_words``. See ``scorecards.models.exclusivity`` for
what the rules mean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from partners import periods
from partners.models import Distributor, Membership, ScopeLine, Vendor
from scorecards.exclusivity_words import (
    needs_words,
    revenue_counted_words,
    threshold_source_words,
)
from scorecards.labels import money_label
from scorecards.models import ExclusivityVerdict, VerdictOutcome
from scorecards.selectors.exclusivity_facts import (
    LineFacts,
    exclusivity_line_facts,
    exclusivity_rules_get,
    line_in_launch,
)

from .timeline import distributor_timeline

CONDITIONS = ("revenue", "weekly_on_time", "monthly_summaries", "qbr")


def verdicts_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[ExclusivityVerdict]:
    """The verdicts ``actor`` may read: all of the vendor's for its staff, only its own
    distributor's for a distributor's people; newest quarter first."""
    qs = ExclusivityVerdict.objects.filter(vendor=vendor).select_related(
        "distributor", "contract", "scope_line__territory", "scope_line__product_line"
    )
    if not actor.is_staff_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    return qs.order_by("-quarter_start", "distributor__name", "scope_line_id")


def verdict_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ExclusivityVerdict:
    """One verdict ``actor`` may read, else 404 (another distributor's or vendor's alike)."""
    verdict = verdicts_for_actor(vendor=vendor, actor=actor).filter(pk=pk).first()
    if verdict is None:
        raise Http404
    return verdict


def quarter_label(*, vendor: Vendor, quarter_start) -> str:
    return periods.fiscal_quarter_label(quarter_start, vendor.fiscal_year_start_month)


# --- standing during the quarter ----------------------------------------------------------------


@dataclass
class LineStanding:
    """Where one exclusive scope line stands in the quarter under way: its facts so far
    (``exclusivity_line_facts`` as of today, the quarterly verdict's own definitions), what
    each required condition still needs, and ``needs``, that in plain words (empty when
    everything is in hand)."""

    scope_line: ScopeLine
    scope: str
    facts: LineFacts
    in_launch: bool
    revenue: Decimal
    revenue_threshold: Decimal | None
    revenue_threshold_source: str
    revenue_counted: str
    revenue_missing: Decimal
    weekly_on_time: int
    weekly_expected: int
    weekly_more_needed: int
    weekly_still_possible: bool
    monthly_missing: int
    qbr_held_on: dt.date | None
    needs: list[str] = field(default_factory=list)
    # The line's latest verdict before this quarter, when it was a warning or a revoke not
    # yet applied: what this quarter means for the line.
    warned_in: str = ""
    revoke_on: dt.date | None = None
    exclusive_until: dt.date | None = None
    held_until: dt.date | None = None
    revenue_label: str = ""
    threshold_label: str = ""


@dataclass
class Standing:
    quarter_start: dt.date
    quarter_end: dt.date
    quarter: str
    lines: list[LineStanding]


def _mondays(first: dt.date, last: dt.date) -> int:
    """The weekly updates a quarter holds (one per week starting on a Monday in it): what the
    share on time is projected over while the quarter runs."""
    start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    return 0 if start > last else (last - start).days // 7 + 1


def exclusivity_standing(*, vendor: Vendor, distributor: Distributor, as_of: dt.date) -> Standing:
    """For each exclusive scope line of ``distributor`` in force on ``as_of``, what it still
    needs in the fiscal quarter under way to keep exclusivity, in words and numbers ("2 more
    on-time weekly updates", "¥12,000,000 more revenue in Japan × Robotics"), from the facts
    the quarterly verdict reads (``exclusivity_line_facts`` as of ``as_of``): on the quarter's
    last day they are the verdict's facts. A few queries whatever the number of lines; the
    caller has checked that the person may see this distributor."""
    rules = exclusivity_rules_get(vendor=vendor)
    fiscal = vendor.fiscal_year_start_month
    q_start = periods.quarter_start(as_of, fiscal)
    q_end = periods.period_end(periods.QUARTER, q_start)
    quarter = periods.fiscal_quarter_label(q_start, fiscal)
    all_facts = exclusivity_line_facts(
        vendor=vendor,
        quarter_start=q_start,
        as_of=as_of,
        distributor_ids=[distributor.pk],
        rules=rules,
        fiscal_start_month=fiscal,
    )
    by_line = {f.scope_line_id: f for f in all_facts}
    lines = list(
        ScopeLine.objects.filter(pk__in=list(by_line))
        .select_related("contract", "territory", "product_line")
        .order_by("territory__name", "product_line__name", "id")
    )
    last_verdicts = {
        v.scope_line_id: v
        for v in ExclusivityVerdict.objects.filter(scope_line__in=lines, quarter_start__lt=q_start)
        .order_by("scope_line_id", "-quarter_start")
        .distinct("scope_line_id")
    }
    expected = _mondays(q_start, q_end)
    needed_weekly = -(-expected * rules.weekly_on_time_percent // 100)  # ceiling
    result = []
    for line in lines:
        facts = by_line[line.pk]
        scope = str(line)
        # Updates not handed in and not yet due can still come in on time.
        still_open = max(expected - facts.weekly_due, 0)
        more_weekly = max(needed_weekly - facts.weekly_on_time_count, 0)
        threshold = facts.threshold
        source_item = {
            "threshold_source": facts.threshold_source,
            "contract_reference": facts.contract_reference,
            "kpi_name": facts.revenue_kpi_name or "",
        }
        standing = LineStanding(
            scope_line=line,
            scope=scope,
            facts=facts,
            in_launch=line_in_launch(facts, rules=rules, q_start=q_start),
            revenue=facts.revenue,
            revenue_threshold=threshold,
            revenue_threshold_source=threshold_source_words(source_item, quarter=quarter),
            revenue_counted=revenue_counted_words(product_line=facts.product_line, quarter=quarter),
            revenue_missing=max((threshold or Decimal(0)) - facts.revenue, Decimal(0)),
            weekly_on_time=facts.weekly_on_time_count,
            weekly_expected=expected,
            weekly_more_needed=more_weekly,
            weekly_still_possible=more_weekly <= still_open,
            monthly_missing=facts.monthly_due - facts.monthly_handed_in,
            qbr_held_on=facts.qbr_held_on,
        )
        standing.needs = needs_words(standing, rules, distributor.currency)
        standing.revenue_label = money_label(facts.revenue, facts.currency)
        if threshold is not None:
            standing.threshold_label = money_label(threshold, facts.currency)
        last = last_verdicts.get(line.pk)
        if last is not None and last.applied_at is None:
            if last.effective_outcome == VerdictOutcome.WARN:
                standing.warned_in = periods.fiscal_quarter_label(last.quarter_start, fiscal)
            elif last.effective_outcome == VerdictOutcome.REVOKE:
                standing.revoke_on = last.takes_effect_on
                standing.exclusive_until = standing.revoke_on - dt.timedelta(days=1)
                standing.held_until = last.held_until
        result.append(standing)
    return Standing(quarter_start=q_start, quarter_end=q_end, quarter=quarter, lines=result)


# --- pages --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterOption:
    start: dt.date
    label: str


@dataclass
class VerdictFilters:
    """The verdict list's filters as parsed from a query string (bad values ignored)."""

    outcome: str = ""
    country: str = ""
    owner: int | None = None
    mine: bool = False

    @classmethod
    def from_query(cls, params) -> VerdictFilters:
        outcome = params.get("outcome", "").strip()
        owner = params.get("owner", "").strip()
        return cls(
            outcome=outcome if outcome in VerdictOutcome.values else "",
            country=params.get("country", "").strip().upper()[:2],
            owner=int(owner) if owner.isdigit() else None,
            mine=params.get("mine", "") in ("1", "on", "true"),
        )

    def query(self) -> dict:
        return {
            "outcome": self.outcome,
            "country": self.country,
            "owner": self.owner or "",
            "mine": "1" if self.mine else "",
        }


def verdict_quarters(
    *, vendor: Vendor, actor: Membership, wanted: str = ""
) -> tuple[QuarterOption | None, list[QuarterOption]]:
    """The fiscal quarter asked for (``?quarter=YYYY-MM-DD``, any day of it) and the quarters
    with verdicts to choose from, newest first; without a valid choice the latest with
    verdicts. One query."""
    fiscal = vendor.fiscal_year_start_month
    starts = list(
        verdicts_for_actor(vendor=vendor, actor=actor)
        .order_by("-quarter_start")
        .values_list("quarter_start", flat=True)
        .distinct()[:24]
    )
    options = [QuarterOption(s, periods.fiscal_quarter_label(s, fiscal)) for s in starts]
    try:
        day = dt.date.fromisoformat((wanted or "").strip())
    except ValueError:
        day = None
    if day is None:
        return (options[0] if options else None), options
    start = periods.quarter_start(day, fiscal)
    current = QuarterOption(start, periods.fiscal_quarter_label(start, fiscal))
    if current not in options:
        options = sorted([*options, current], key=lambda o: o.start, reverse=True)
    return current, options


def _effective_outcome_q(outcome: str) -> Q:
    return Q(overridden_outcome=outcome) | Q(overridden_outcome="", outcome=outcome)


def verdict_list(
    *, vendor: Vendor, actor: Membership, quarter_start: dt.date, filters: VerdictFilters
) -> tuple[QuerySet[ExclusivityVerdict], dict[str, int]]:
    """The verdicts of one fiscal quarter within reach, filtered, with the number per outcome
    (what counts, after overrides) for the same country and owner filters. Two queries."""
    qs = verdicts_for_actor(vendor=vendor, actor=actor).filter(quarter_start=quarter_start)
    if filters.country:
        qs = qs.filter(distributor__country=filters.country)
    if filters.mine:
        qs = qs.filter(distributor__owner=actor)
    elif filters.owner:
        qs = qs.filter(distributor__owner_id=filters.owner)
    counts = {value: 0 for value in VerdictOutcome.values}
    grouped = qs.order_by().values_list("overridden_outcome", "outcome").annotate(n=Count("id"))
    for overridden, outcome, n in grouped:
        counts[overridden or outcome] += n
    if filters.outcome:
        qs = qs.filter(_effective_outcome_q(filters.outcome))
    qs = qs.select_related("distributor__owner__user", "overridden_by")
    return qs, counts


def distributor_for_exclusivity_or_404(*, vendor: Vendor, actor: Membership, pk) -> Distributor:
    """A distributor whose exclusivity the person may see: staff any of the vendor's, a
    distributor's people only their own (another's is the same 404 as a missing one)."""
    qs = Distributor.objects.filter(vendor=vendor).select_related("owner__user")
    if not actor.is_staff_role:
        qs = qs.filter(pk=actor.own_distributor_id)
    distributor = qs.filter(pk=pk).first()
    if distributor is None:
        raise Http404
    return distributor


def _has_exclusivity(vendor: Vendor, distributor: Distributor) -> bool:
    return (
        ScopeLine.objects.filter(distributor=distributor, exclusive_from__isnull=False).exists()
        or ExclusivityVerdict.objects.filter(vendor=vendor, distributor=distributor).exists()
    )


def distributor_exclusivity_panel(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **_kwargs
) -> dict | None:
    """The exclusivity panel of a distributor's page (staff, and that distributor's people):
    what each exclusive line still needs this quarter, the latest verdicts and the start of the
    timeline. Nothing for a distributor without exclusive scope or verdicts."""
    if not actor.is_staff_role and distributor.pk != actor.distributor_id:
        return None
    if not _has_exclusivity(vendor, distributor):
        return None
    return {
        "distributor": distributor,
        "standing": exclusivity_standing(
            vendor=vendor, distributor=distributor, as_of=distributor.local_today()
        ),
        "timeline": distributor_timeline(
            vendor=vendor, actor=actor, distributor=distributor, limit=5
        ),
    }


def partner_exclusivity_panel(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **_kwargs
) -> dict | None:
    """The "Keeping exclusivity" panel of a partner's home: what each exclusive line still
    needs this quarter, in words and numbers. Nothing without exclusive scope."""
    if not actor.is_distributor_role or distributor.pk != actor.distributor_id:
        return None
    standing = exclusivity_standing(
        vendor=vendor, distributor=distributor, as_of=distributor.local_today()
    )
    if not standing.lines:
        return None
    return {"distributor": distributor, "standing": standing}


def partner_exclusivity_at_risk(*, vendor: Vendor, actor: Membership) -> dict:
    """A distributor person's own exclusive lines under a revoke still to take effect
    (``revoking``) or warned last quarter (``warned``), from the exclusivity standing: what the
    plans page must not congratulate them on. Empty lists for staff."""
    if not actor.is_distributor_role:
        return {"revoking": [], "warned": []}
    distributor = actor.distributor
    assert distributor is not None  # a distributor role has one (check constraint)
    standing = exclusivity_standing(
        vendor=vendor, distributor=distributor, as_of=distributor.local_today()
    )
    return {
        "revoking": [line for line in standing.lines if line.revoke_on],
        "warned": [line for line in standing.lines if line.warned_in and not line.revoke_on],
    }
