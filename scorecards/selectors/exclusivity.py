"""Reads of conditional exclusivity: the vendor's rules, verdicts for a person, and the evidence
of a verdict in plain words (for notices and pages). See ``scorecards.models.exclusivity`` for
what the rules mean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners import periods
from partners.models import (
    ClauseKind,
    ContractStatus,
    Distributor,
    Membership,
    PerformanceClause,
    ScopeLine,
    Vendor,
)
from reporting.models import Report, ReportKind, SalesLine
from scorecards.charts import number_label
from scorecards.models import (
    ExclusivityRules,
    ExclusivityVerdict,
    Kpi,
    KpiSource,
    PeriodKind,
    Target,
    VerdictOutcome,
)
from scorecards.selectors.dashboards import money_label

CONDITIONS = ("revenue", "weekly_on_time", "monthly_summaries", "qbr")


def exclusivity_rules_get(*, vendor: Vendor) -> ExclusivityRules:
    """The vendor's exclusivity rules (the seed's defaults, unsaved, when it has none)."""
    return ExclusivityRules.objects.filter(vendor=vendor).first() or ExclusivityRules(vendor=vendor)


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


def outcome_sentence(*, outcome: str, scope: str, quarter: str, effective_on) -> str:
    """What a verdict means for the scope, in the active language."""
    params = {"scope": scope, "quarter": quarter, "date": date_format(effective_on, "DATE_FORMAT")}
    return {
        VerdictOutcome.STAY_IN_LAUNCH: _(
            "%(scope)s is still in its launch phase in %(quarter)s: no change to exclusivity."
        ),
        VerdictOutcome.RENEW: _(
            "Exclusivity for %(scope)s is renewed for the quarter after %(quarter)s."
        ),
        VerdictOutcome.WARN: _(
            "Exclusivity for %(scope)s is at risk: the conditions were not met in %(quarter)s. "
            "This is a warning; if they are not met next quarter, exclusivity is revoked."
        ),
        VerdictOutcome.REVOKE: _(
            "Exclusivity for %(scope)s is revoked after %(quarter)s: the conditions were not "
            "met again after a warning. From %(date)s the scope continues without exclusivity."
        ),
        VerdictOutcome.PROPOSE_SCALE: _(
            "Exclusivity for %(scope)s is renewed, and after consistent performance up to "
            "%(quarter)s we propose to talk about more territory or product lines."
        ),
    }[VerdictOutcome(outcome)] % params


def evidence_words(item: dict, *, scope: str) -> str:
    """One condition of a verdict's evidence in plain words, in the active language, e.g.
    "Revenue in Japan × Robotics: ¥9,000,000 against a base of ¥12,000,000 (not met)."."""
    condition = item.get("condition")
    met = _("met") if item.get("met") else _("not met")
    if not item.get("checked", True):
        met = _("not required")
    if condition == "revenue":
        currency = item.get("currency") or ""
        if item.get("threshold") is None:
            return _("Revenue in %(scope)s: %(value)s; no base target was set.") % {
                "scope": scope,
                "value": money_label(item.get("value"), currency),
            }
        return _("Revenue in %(scope)s: %(value)s against a base of %(threshold)s (%(met)s).") % {
            "scope": scope,
            "value": money_label(item.get("value"), currency),
            "threshold": money_label(item.get("threshold"), currency),
            "met": met,
        }
    if condition == "weekly_on_time":
        if item.get("value") is None:
            return _("Weekly updates on time: none was due (%(met)s).") % {"met": met}
        return _("Weekly updates on time: %(value)s, at least %(threshold)s needed (%(met)s).") % {
            "value": number_label(item.get("value"), "percent"),
            "threshold": number_label(item.get("threshold"), "percent"),
            "met": met,
        }
    if condition == "monthly_summaries":
        if item.get("value") is None:
            return _("Monthly summaries handed in: none was due (%(met)s).") % {"met": met}
        return _("Monthly summaries handed in: %(value)s of those due (%(met)s).") % {
            "value": number_label(item.get("value"), "percent"),
            "met": met,
        }
    if condition == "qbr":
        if item.get("value"):
            return _("QBR held on %(date)s (%(met)s).") % {
                "date": date_format(_as_date(item["value"]), "DATE_FORMAT"),
                "met": met,
            }
        return _("No QBR was held in the quarter (%(met)s).") % {"met": met}
    return ""


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- standing during the quarter ----------------------------------------------------------------


@dataclass
class LineStanding:
    """Where one exclusive scope line stands in the quarter under way: each required
    condition's figures so far, and ``needs``, what is still needed in plain words (empty when
    everything is in hand)."""

    scope_line: ScopeLine
    scope: str
    in_launch: bool
    revenue: Decimal
    revenue_threshold: Decimal | None
    revenue_missing: Decimal
    weekly_on_time: int
    weekly_expected: int
    weekly_more_needed: int
    weekly_still_possible: bool
    monthly_missing: list[dt.date]
    qbr_held_on: dt.date | None
    needs: list[str] = field(default_factory=list)
    # The line's latest verdict before this quarter, when it was a warning or a revoke not
    # yet applied: what this quarter means for the line.
    warned_in: str = ""
    revoke_on: dt.date | None = None
    held_until: dt.date | None = None


@dataclass
class Standing:
    quarter_start: dt.date
    quarter_end: dt.date
    quarter: str
    lines: list[LineStanding]


def _mondays(first: dt.date, last: dt.date) -> int:
    start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    return 0 if start > last else (last - start).days // 7 + 1


def exclusivity_standing(*, vendor: Vendor, distributor: Distributor, as_of: dt.date) -> Standing:
    """For each exclusive scope line of ``distributor`` in force on ``as_of``, what it still
    needs in the fiscal quarter under way to keep exclusivity, in words and numbers ("2 more
    on-time weekly updates", "¥12,000,000 more revenue in Japan × Robotics"), by the vendor's
    rules and the same definitions as the quarterly verdict. A few queries whatever the number
    of lines; the caller has checked that the person may see this distributor."""
    rules = exclusivity_rules_get(vendor=vendor)
    fiscal = vendor.fiscal_year_start_month
    q_start = periods.quarter_start(as_of, fiscal)
    q_end = periods.period_end(periods.QUARTER, q_start)
    lines = list(
        ScopeLine.objects.filter(
            distributor=distributor,
            contract__status=ContractStatus.ACTIVE,
            exclusive_from__isnull=False,
            starts_on__lte=as_of,
            ends_on__gte=as_of,
        )
        .select_related("contract", "territory", "product_line")
        .order_by("territory__name", "product_line__name", "id")
    )
    clauses = {
        c.scope_line_id: c.amount
        for c in PerformanceClause.objects.filter(kind=ClauseKind.MIN_REVENUE, scope_line__in=lines)
    }
    target = _quarter_revenue_base(vendor, distributor, q_start)
    sales = list(
        SalesLine.objects.filter(
            distributor=distributor,
            invoice_date__gte=q_start,
            invoice_date__lte=min(q_end, as_of),
        ).values_list("product_line_id", "product_code", "amount")
    )
    weekly = Report.objects.filter(
        distributor=distributor,
        kind=ReportKind.WEEKLY,
        period_start__gte=q_start,
        period_start__lte=q_end,
    )
    on_time = weekly.filter(submitted_at__lte=F("due_at")).count()
    closed = weekly.filter(Q(submitted_at__isnull=False) | Q(due_at__lt=_moment(as_of))).count()
    expected = _mondays(q_start, q_end)
    still_open = max(expected - closed, 0)
    monthly_missing = list(
        Report.objects.filter(
            distributor=distributor,
            kind=ReportKind.MONTHLY,
            due_at__gte=_moment(q_start),
            due_at__lt=_moment(as_of),
            submitted_at__isnull=True,
        )
        .order_by("period_start")
        .values_list("period_start", flat=True)
    )
    qbr_held_on = _qbr_held_on(vendor, distributor, q_start, min(q_end, as_of))
    last_verdicts = {
        v.scope_line_id: v
        for v in ExclusivityVerdict.objects.filter(scope_line__in=lines, quarter_start__lt=q_start)
        .order_by("scope_line_id", "-quarter_start")
        .distinct("scope_line_id")
    }

    result = []
    for line in lines:
        scope = str(line)
        code = line.product_line.code
        revenue = sum(
            (
                amount
                for pl_id, product_code, amount in sales
                if pl_id == line.product_line_id
                or (pl_id is None and (not code or (product_code or "").startswith(code)))
            ),
            Decimal(0),
        )
        threshold = clauses.get(line.pk, target)
        needed_weekly = -(-expected * rules.weekly_on_time_percent // 100)  # ceiling
        standing = LineStanding(
            scope_line=line,
            scope=scope,
            in_launch=(
                line.contract.launch_ends_on >= q_start
                or (line.exclusive_from is not None and line.exclusive_from > q_start)
                or bool(
                    line.added_by_id
                    and line.starts_on + dt.timedelta(days=rules.launch_days) > q_start
                )
            ),
            revenue=revenue,
            revenue_threshold=threshold,
            revenue_missing=max((threshold or Decimal(0)) - revenue, Decimal(0)),
            weekly_on_time=on_time,
            weekly_expected=expected,
            weekly_more_needed=max(needed_weekly - on_time, 0),
            weekly_still_possible=max(needed_weekly - on_time, 0) <= still_open,
            monthly_missing=monthly_missing,
            qbr_held_on=qbr_held_on,
        )
        standing.needs = _needs_words(standing, rules, distributor.currency)
        last = last_verdicts.get(line.pk)
        if last is not None and last.applied_at is None:
            if last.effective_outcome == VerdictOutcome.WARN:
                standing.warned_in = periods.fiscal_quarter_label(last.quarter_start, fiscal)
            elif last.effective_outcome == VerdictOutcome.REVOKE:
                standing.revoke_on = last.effective_on
                standing.held_until = last.held_until
        result.append(standing)
    return Standing(
        quarter_start=q_start,
        quarter_end=q_end,
        quarter=periods.fiscal_quarter_label(q_start, fiscal),
        lines=result,
    )


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _quarter_revenue_base(vendor, distributor, q_start) -> Decimal | None:
    """The distributor's base revenue target for the quarter (its months' sum without one)."""
    kpi = (
        Kpi.objects.filter(vendor=vendor, source=KpiSource.REVENUE)
        .order_by("-is_active", "position", "id")
        .first()
    )
    if kpi is None:
        return None
    targets = Target.objects.filter(distributor=distributor, kpi=kpi)
    quarter = targets.filter(period_kind=PeriodKind.QUARTER, period_start=q_start).first()
    if quarter is not None:
        return quarter.base
    months = targets.filter(
        period_kind=PeriodKind.MONTH,
        period_start__gte=q_start,
        period_start__lt=periods.period_shift(periods.QUARTER, q_start, 1),
    ).aggregate(total=Sum("base"))["total"]
    return months


def _qbr_held_on(vendor, distributor, first, last) -> dt.date | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT max(held_on) FROM scorecards_qbrmeeting WHERE vendor_id = %s AND distributor_id = %s"
            " AND held_on >= %s AND held_on <= %s",
            [vendor.id, distributor.id, first, last],
        )
        return cursor.fetchone()[0]


def _needs_words(s: LineStanding, rules: ExclusivityRules, currency: str) -> list[str]:
    needs = []
    if rules.require_weekly_on_time and s.weekly_more_needed:
        if s.weekly_still_possible:
            needs.append(
                ngettext(
                    "%(count)s more on-time weekly update",
                    "%(count)s more on-time weekly updates",
                    s.weekly_more_needed,
                )
                % {"count": s.weekly_more_needed}
            )
        else:
            needs.append(
                _("Weekly updates on time can no longer reach %(percent)s this quarter.")
                % {"percent": number_label(rules.weekly_on_time_percent, "percent")}
            )
    if rules.require_revenue and s.revenue_missing:
        needs.append(
            _("%(amount)s more revenue in %(scope)s")
            % {"amount": money_label(s.revenue_missing, currency), "scope": s.scope}
        )
    if rules.require_monthly_summaries:
        for month in s.monthly_missing:
            needs.append(
                _("the monthly summary for %(month)s (overdue)")
                % {"month": date_format(month, "YEAR_MONTH_FORMAT")}
            )
    if rules.require_qbr and s.qbr_held_on is None:
        needs.append(_("a QBR held this quarter"))
    return needs


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


def verdict_evidence_lines(verdict: ExclusivityVerdict) -> list[dict]:
    """The verdict's evidence as table rows in words: condition, value, threshold, met."""
    scope = str(verdict.scope_line)
    names = {
        "revenue": _("Revenue"),
        "weekly_on_time": _("Weekly updates on time"),
        "monthly_summaries": _("Monthly summaries handed in"),
        "qbr": _("QBR held"),
    }
    rows = []
    for item in verdict.evidence:
        unit, currency = item.get("unit"), item.get("currency") or ""
        value, threshold = item.get("value"), item.get("threshold")
        if unit == "money":
            value_text = money_label(value, currency) if value is not None else "–"
            threshold_text = money_label(threshold, currency) if threshold is not None else "–"
        elif unit == "percent":
            value_text = number_label(value, "percent") if value is not None else _("none due")
            threshold_text = number_label(threshold, "percent") if threshold is not None else "–"
        else:
            value_text = date_format(_as_date(value), "DATE_FORMAT") if value else _("none")
            threshold_text = _("one in the quarter")
        rows.append(
            {
                "condition": item.get("condition"),
                "name": names.get(item.get("condition"), item.get("condition")),
                "value": value_text,
                "threshold": threshold_text,
                "checked": item.get("checked", True),
                "met": item.get("met"),
                "words": evidence_words(item, scope=scope),
            }
        )
    return rows


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
    from scorecards.selectors.timeline import distributor_timeline

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
