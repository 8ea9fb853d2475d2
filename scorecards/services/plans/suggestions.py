"""Suggested corrective plans: from a KPI red two months running, and from warned or revoked
exclusivity verdicts; suggestions whose exclusive lines recovered are withdrawn."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partners import periods
from partners.models import Vendor
from partners.services.audit import audit_record_many, changes_between, snapshot
from scorecards.models import (
    ACTIVE_PLAN_STATUSES,
    QUALIFYING_OUTCOMES,
    SCORED_STATUSES,
    CorrectivePlan,
    ExclusivityVerdict,
    KpiActual,
    PeriodKind,
    PlanOutcome,
    PlanStatus,
    PlanTrigger,
    Rag,
    VerdictOutcome,
)
from scorecards.services.plans.lifecycle import REVIEW_FIELDS


def red_kpi_gaps(*, vendor: Vendor, month_start: dt.date) -> dict[int, list[dict]]:
    """``{distributor_id: [{kpi, code, name, months, values, attainments}]}``: the KPIs red in
    ``month_start`` and in the month before, for distributors that are scored. One query."""
    previous = periods.add_months(month_start, -1)
    prev_red = KpiActual.objects.filter(
        vendor=vendor,
        distributor_id=OuterRef("distributor_id"),
        kpi_id=OuterRef("kpi_id"),
        period_kind=PeriodKind.MONTH,
        period_start=previous,
        rag=Rag.RED,
    )
    rows = (
        KpiActual.objects.filter(
            vendor=vendor,
            period_kind=PeriodKind.MONTH,
            period_start=month_start,
            rag=Rag.RED,
            distributor__status__in=SCORED_STATUSES,
        )
        .filter(Exists(prev_red))
        .annotate(
            prev_value=prev_red.values("value")[:1],
            prev_base=prev_red.values("base")[:1],
            prev_attainment=prev_red.values("attainment")[:1],
        )
        .order_by("distributor_id", "kpi__position", "kpi_id")
        .values_list(
            "distributor_id",
            "kpi_id",
            "kpi__code",
            "kpi__name",
            "kpi__unit",
            "prev_value",
            "value",
            "prev_base",
            "base",
            "prev_attainment",
            "attainment",
        )  # fmt: skip
    )
    gaps: dict[int, list[dict]] = {}
    for row in rows:
        distributor_id, kpi_id, code, name, unit, prev_value, value = row[:7]
        prev_base, base, prev_att, att = row[7:]
        gaps.setdefault(distributor_id, []).append(
            {
                "kpi": kpi_id,
                "code": code,
                "name": name,
                "months": [previous.isoformat(), month_start.isoformat()],
                "unit": unit,
                "values": [_num(prev_value), _num(value)],
                "bases": [_num(prev_base), _num(base)],
                "attainments": [_num(prev_att), _num(att)],
            }
        )
    return gaps


def _num(value) -> str | None:
    return None if value is None else str(value)


def plan_suggest_from_reds(*, vendor: Vendor, month_start: dt.date) -> int:
    """Suggest a corrective plan to every distributor with the same KPI red in the month of
    ``month_start`` and in the month before. Idempotent: a distributor that already has a
    suggested or open red-KPI plan, or had one for this month, gets nothing new (and the
    unique keys settle a concurrent run). Returns how many plans were suggested now."""
    month_start = periods.month_start(month_start)
    gaps = red_kpi_gaps(vendor=vendor, month_start=month_start)
    if not gaps:
        return 0
    taken = set(
        CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.RED_KPI, distributor_id__in=list(gaps)
        )
        .filter(Q(status__in=ACTIVE_PLAN_STATUSES) | Q(trigger_period=month_start))
        .values_list("distributor_id", flat=True)
    )
    new = [
        CorrectivePlan(
            vendor=vendor,
            distributor_id=distributor_id,
            trigger=PlanTrigger.RED_KPI,
            trigger_period=month_start,
            trigger_details={"kpis": kpis},
            status=PlanStatus.SUGGESTED,
        )
        for distributor_id, kpis in gaps.items()
        if distributor_id not in taken
    ]
    if not new:
        return 0
    with transaction.atomic():
        before = CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.RED_KPI, trigger_period=month_start
        ).count()
        CorrectivePlan.objects.bulk_create(new, ignore_conflicts=True)
        after = CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.RED_KPI, trigger_period=month_start
        ).count()
    return after - before


def plan_suggest_from_verdicts(*, vendor: Vendor, quarter_start: dt.date) -> int:
    """Suggest a corrective plan to every distributor warned on an exclusive line for the
    fiscal quarter starting ``quarter_start`` (the verdict's outcome as people left it: an
    override to another outcome suggests nothing). One plan per distributor, naming each warned
    line and the conditions it missed, linked to the first verdict. Idempotent like the red-KPI
    suggestions (the same unique keys). Returns how many plans were suggested now."""
    warned = (
        ExclusivityVerdict.objects.filter(vendor=vendor, quarter_start=quarter_start)
        .filter(
            Q(overridden_outcome=VerdictOutcome.WARN)
            | Q(overridden_outcome="", outcome=VerdictOutcome.WARN)
        )
        .select_related("scope_line__territory", "scope_line__product_line")
        .order_by("distributor_id", "id")
    )
    _withdraw_recovered(vendor=vendor, quarter_start=quarter_start)
    lines: dict[int, list[dict]] = {}
    first: dict[int, int] = {}
    for verdict in warned:
        first.setdefault(verdict.distributor_id, verdict.pk)
        lines.setdefault(verdict.distributor_id, []).append(
            {
                "verdict": verdict.pk,
                "scope": str(verdict.scope_line),
                "unmet": [
                    item["condition"]
                    for item in verdict.evidence
                    if item.get("checked") and not item.get("met")
                ],
            }
        )
    if not lines:
        return 0
    taken = set(
        CorrectivePlan.objects.filter(
            vendor=vendor, trigger=PlanTrigger.WARN_VERDICT, distributor_id__in=list(lines)
        )
        .filter(Q(status__in=ACTIVE_PLAN_STATUSES) | Q(trigger_period=quarter_start))
        .values_list("distributor_id", flat=True)
    )
    new = [
        CorrectivePlan(
            vendor=vendor,
            distributor_id=distributor_id,
            trigger=PlanTrigger.WARN_VERDICT,
            trigger_period=quarter_start,
            trigger_details={"lines": found},
            verdict_id=first[distributor_id],
            status=PlanStatus.SUGGESTED,
        )
        for distributor_id, found in lines.items()
        if distributor_id not in taken
    ]
    if not new:
        return 0
    suggested = CorrectivePlan.objects.filter(
        vendor=vendor, trigger=PlanTrigger.WARN_VERDICT, trigger_period=quarter_start
    )
    with transaction.atomic():
        before = suggested.count()
        CorrectivePlan.objects.bulk_create(new, ignore_conflicts=True)
        return suggested.count() - before


# Two single-table reads matched in memory: a join here is at the planner's mercy (with stale
# statistics after a quarter's verdicts are written it chose a nested loop, plans x verdicts).
_WARNED_LINES_SQL = """
SELECT id, scope_line_id FROM scorecards_exclusivityverdict
 WHERE vendor_id = %(vendor)s AND id = ANY(%(ids)s)
"""
_RECOVERED_LINES_SQL = """
SELECT scope_line_id FROM scorecards_exclusivityverdict
 WHERE vendor_id = %(vendor)s AND quarter_start = %(quarter)s
   AND COALESCE(NULLIF(overridden_outcome, ''), outcome) = ANY(%(outcomes)s)
"""


def _recovered_plan_ids(*, vendor: Vendor, quarter_start: dt.date) -> list[int]:
    """The suggested warning plans of earlier quarters whose every warned line renewed or was
    proposed for scale in the quarter starting ``quarter_start`` (a line whose warned verdict
    is gone does not hold a plan back; a line without a verdict this quarter does). Three reads
    whatever the number of plans (the plans, their warned verdicts' lines, the lines renewed or
    proposed for scale this quarter), matched in memory: no per-plan subquery and no join."""
    plans = list(
        CorrectivePlan.objects.filter(
            vendor=vendor,
            trigger=PlanTrigger.WARN_VERDICT,
            status=PlanStatus.SUGGESTED,
            trigger_period__lt=quarter_start,
        ).values_list("id", "trigger_details")
    )
    named = {
        pk: [int(line["verdict"]) for line in (details or {}).get("lines", [])]
        for pk, details in plans
    }
    # Read even for no plan, so that the evaluation's queries do not depend on the history.
    ids = sorted({v for verdict_ids in named.values() for v in verdict_ids})
    with connection.cursor() as cursor:
        cursor.execute(_WARNED_LINES_SQL, {"vendor": vendor.id, "ids": ids})
        warned_line = dict(cursor.fetchall())
        cursor.execute(
            _RECOVERED_LINES_SQL,
            {"vendor": vendor.id, "quarter": quarter_start, "outcomes": list(QUALIFYING_OUTCOMES)},
        )
        recovered = {row[0] for row in cursor.fetchall()}
    return sorted(
        pk
        for pk, verdict_ids in named.items()
        if all(v not in warned_line or warned_line[v] in recovered for v in verdict_ids)
    )


def _withdraw_recovered(*, vendor: Vendor, quarter_start: dt.date) -> int:
    """Close, as recovered, the suggestions of earlier warnings that nobody opened and whose
    every warned line met its conditions again this quarter (renewed or proposed for scale):
    they no longer call for a plan, and a later warning may suggest a new one. Audited as the
    system's. A few statements whatever the number of plans (three reads, one lock, one
    update, one insert of audit events). Returns how many were closed."""
    ids = _recovered_plan_ids(vendor=vendor, quarter_start=quarter_start)
    if not ids:
        return 0
    fiscal = vendor.fiscal_year_start_month
    quarter = periods.fiscal_quarter_label(quarter_start, fiscal)
    now = timezone.now()
    with transaction.atomic():
        plans = list(
            CorrectivePlan.objects.select_for_update()
            .filter(pk__in=ids, status=PlanStatus.SUGGESTED)
            .order_by("id")
        )
        changes = []
        for plan in plans:
            before = snapshot(plan, REVIEW_FIELDS)
            plan.status = PlanStatus.CLOSED
            plan.outcome = PlanOutcome.RECOVERED
            plan.outcome_reason = (
                f"The warned lines met their conditions again in {quarter}; the suggestion was"
                " closed without being opened."
            )
            plan.trigger_details = {**plan.trigger_details, "recovered_in": quarter}
            plan.closed_at = now
            plan.updated_at = now
            changes.append(changes_between(before, snapshot(plan, REVIEW_FIELDS)))
        CorrectivePlan.objects.bulk_update(
            plans,
            ["status", "outcome", "outcome_reason", "trigger_details", "closed_at", "updated_at"],
            batch_size=500,
        )
        audit_record_many(
            vendor=vendor,
            actor=None,
            action="plan.withdrawn",
            objs=plans,
            changes=changes,
        )
    return len(plans)
