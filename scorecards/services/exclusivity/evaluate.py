"""The quarterly evaluation: the evidence and outcome of each exclusive scope line from its facts,
one INSERT of the verdicts, and the revokes told to the contract (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from partners import periods
from partners.models import Vendor
from partners.platform.scope import tenant_scope
from partners.services.contracts import scope_lines_exclusivity_ending_set
from scorecards.models import QUALIFYING_OUTCOMES, WARNED_OUTCOMES, ExclusivityRules, VerdictOutcome
from scorecards.selectors.exclusivity_facts import (
    LineFacts,
    exclusivity_line_facts,
    exclusivity_rules_get,
    line_in_launch,
)
from scorecards.services.exclusivity.notices import exclusivity_notices_queue
from scorecards.services.plans import plan_suggest_from_verdicts

_INSERT_SQL = """
INSERT INTO scorecards_exclusivityverdict
    (vendor_id, scope_line_id, contract_id, distributor_id, quarter_start, quarter_end, outcome,
     conditions_met, evidence, effective_on, computed_at, overridden_outcome, override_reason,
     hold_reason)
SELECT %(vendor)s, v.scope_line_id, v.contract_id, v.distributor_id, %(q_start)s, %(q_end)s,
       v.outcome, v.conditions_met, v.evidence, v.effective_on, %(now)s, '', '', ''
  FROM jsonb_to_recordset(%(rows)s::jsonb) AS v(
       scope_line_id bigint, contract_id bigint, distributor_id bigint, outcome text,
       conditions_met boolean, evidence jsonb, effective_on date)
ON CONFLICT (vendor_id, scope_line_id, quarter_start) DO NOTHING
RETURNING id, scope_line_id
"""


def _text(value) -> str | None:
    return None if value is None else str(value)


def line_evidence(
    facts: LineFacts, *, rules: ExclusivityRules, q_start: dt.date, q_end: dt.date
) -> list[dict]:
    """The conditions checked for one line, with their values, thresholds and period."""
    period = {"period_start": q_start.isoformat(), "period_end": q_end.isoformat()}
    threshold = facts.threshold
    weekly_min = Decimal(rules.weekly_on_time_percent)
    source = facts.threshold_source
    return [
        {
            "condition": "revenue",
            "checked": rules.require_revenue,
            "value": _text(facts.revenue),
            "threshold": _text(threshold),
            # Where the threshold comes from, named in every wording of the verdict.
            "threshold_source": source,
            "contract_reference": facts.contract_reference if source == "clause" else "",
            "kpi_name": (facts.revenue_kpi_name or "") if source == "target" else "",
            "product_line": facts.product_line,
            "unit": "money",
            "currency": facts.currency,
            "met": threshold is None or facts.revenue >= threshold,
            **period,
        },
        {
            "condition": "weekly_on_time",
            "checked": rules.require_weekly_on_time,
            "value": _text(facts.weekly_on_time),
            "threshold": str(weekly_min),
            "unit": "percent",
            "met": facts.weekly_on_time is None or facts.weekly_on_time >= weekly_min,
            **period,
        },
        {
            "condition": "monthly_summaries",
            "checked": rules.require_monthly_summaries,
            "value": _text(facts.monthly_review),
            "threshold": "100",
            "unit": "percent",
            "met": facts.monthly_review is None or facts.monthly_review >= 100,
            **period,
        },
        {
            "condition": "qbr",
            "checked": rules.require_qbr,
            "value": facts.qbr_held_on.isoformat() if facts.qbr_held_on else None,
            "threshold": None,
            "unit": "date",
            "met": facts.qbr_held_on is not None,
            **period,
        },
    ]


def verdict_outcome(
    *,
    in_launch: bool,
    met: bool,
    history: dict[str, str],
    q_start: dt.date,
    rules: ExclusivityRules,
) -> str:
    """The outcome for a line from its facts and its previous quarters' outcomes (what counts
    after overrides), keyed by ISO quarter start."""
    if in_launch:
        return VerdictOutcome.STAY_IN_LAUNCH

    def streak(kinds) -> int:
        count = 0
        while True:
            previous = periods.period_shift(periods.QUARTER, q_start, -(count + 1))
            if history.get(previous.isoformat()) not in kinds:
                return count
            count += 1

    if met:
        if streak(QUALIFYING_OUTCOMES) + 1 >= rules.scale_after_quarters:
            return VerdictOutcome.PROPOSE_SCALE
        return VerdictOutcome.RENEW
    if streak(WARNED_OUTCOMES) >= rules.warning_quarters:
        return VerdictOutcome.REVOKE
    return VerdictOutcome.WARN


def _check_quarter(vendor: Vendor, quarter_start: dt.date) -> tuple[int, dt.date]:
    fiscal = vendor.fiscal_year_start_month
    if periods.quarter_start(quarter_start, fiscal) != quarter_start:
        raise ValueError(f"{quarter_start} does not start a fiscal quarter of {vendor.slug}")
    return fiscal, periods.period_end(periods.QUARTER, quarter_start)


def exclusivity_evaluate(
    *, vendor_id: int, quarter_start: dt.date, as_of: dt.datetime | None = None
) -> list[int]:
    """Record the verdict on every exclusive scope line of the vendor in force at the end of
    the fiscal quarter starting ``quarter_start`` (which must have ended by ``as_of``), queue
    their notices, and mark the quarter evaluated. Returns the ids of the verdicts written now
    (none on a second run). Safe to run twice or concurrently: one verdict per line and quarter,
    one notice per verdict and recipient.

    The facts are ``exclusivity_line_facts`` as of the quarter's last day (what the standing
    showed on that day, plus the sales invoiced in the quarter and the reports handed in since).
    ``as_of`` (default now) is when the quarter is judged and the distributor notified: a
    revoke takes effect that day plus the contract's notice period (``verdict_effective_on``),
    and the contract says so at once (``scope_lines_exclusivity_ending_set``)."""
    as_of = as_of or timezone.now()
    with tenant_scope(vendor_id):
        vendor = Vendor.objects.get(pk=vendor_id)
        fiscal, q_end = _check_quarter(vendor, quarter_start)
        if q_end >= as_of.date():
            raise ValueError(f"The quarter starting {quarter_start} has not ended yet")
        rules = exclusivity_rules_get(vendor=vendor)
        notified_on = as_of.date()
        rows = []
        with connection.cursor() as cursor:
            # The planner's guesses over the facts' CTEs put its cost past the JIT thresholds;
            # compiling costs more than the statement (measured: 950 ms with, 510 without).
            cursor.execute("SET LOCAL jit = off")
        facts_list = exclusivity_line_facts(
            vendor=vendor,
            quarter_start=quarter_start,
            as_of=q_end,
            rules=rules,
            fiscal_start_month=fiscal,
        )
        for facts in facts_list:
            evidence = line_evidence(facts, rules=rules, q_start=quarter_start, q_end=q_end)
            met = all(item["met"] for item in evidence if item["checked"])
            outcome = verdict_outcome(
                in_launch=line_in_launch(facts, rules=rules, q_start=quarter_start),
                met=met,
                history=facts.history,
                q_start=quarter_start,
                rules=rules,
            )
            rows.append(
                {
                    "scope_line_id": facts.scope_line_id,
                    "contract_id": facts.contract_id,
                    "distributor_id": facts.distributor_id,
                    "outcome": str(outcome),
                    "conditions_met": met,
                    "evidence": evidence,
                    "effective_on": verdict_effective_on(
                        outcome,
                        q_end=q_end,
                        notice_days=facts.notice_days,
                        notified_on=notified_on,
                    ).isoformat(),
                }
            )
        with connection.cursor() as cursor:
            cursor.execute(
                _INSERT_SQL,
                {
                    "vendor": vendor_id,
                    "q_start": quarter_start,
                    "q_end": q_end,
                    "now": timezone.now(),
                    "rows": json.dumps(rows),
                },
            )
            written = cursor.fetchall()
            created = [row[0] for row in written]
            cursor.execute(
                "INSERT INTO scorecards_exclusivityrun"
                " (vendor_id, quarter_start, verdicts_created, finished_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (vendor_id, quarter_start) DO NOTHING",
                [vendor_id, quarter_start, len(created), timezone.now()],
            )
        if written:
            # The revokes written now, on the contract at once: exclusive until the day before.
            by_line = {row["scope_line_id"]: row for row in rows}
            scope_lines_exclusivity_ending_set(
                vendor=vendor,
                endings={
                    line_id: dt.date.fromisoformat(str(by_line[line_id]["effective_on"]))
                    - dt.timedelta(days=1)
                    for _id, line_id in written
                    if by_line[line_id]["outcome"] == VerdictOutcome.REVOKE
                },
            )
        exclusivity_notices_queue(vendor=vendor, quarter_start=quarter_start)
        # A warning opens the underperformance loop: a suggested corrective plan.
        plan_suggest_from_verdicts(vendor=vendor, quarter_start=quarter_start)
    return created


def verdict_effective_on(
    outcome: str, *, q_end: dt.date, notice_days: int, notified_on: dt.date
) -> dt.date:
    """When a verdict takes effect: the day after the quarter closes; for a revoke, the day the
    distributor is notified (never before the close) plus the contract's notice period (at
    least a day). A notice period runs from the notice, so nothing takes effect before the
    distributor was told plus that period, whichever job or command judged the quarter and
    however late."""
    if outcome == VerdictOutcome.REVOKE:
        return max(q_end, notified_on) + dt.timedelta(days=max(int(notice_days), 1))
    return q_end + dt.timedelta(days=1)


def _mirror_on_contract(vendor: Vendor, verdicts) -> None:
    """Say on the contract what the verdicts say: a revoke that counts and is not applied ends
    the line's exclusivity the day before it takes effect; any other outcome ends nothing."""
    scope_lines_exclusivity_ending_set(
        vendor=vendor,
        endings={
            v.scope_line_id: (
                v.takes_effect_on - dt.timedelta(days=1)
                if v.effective_outcome == VerdictOutcome.REVOKE
                else None
            )
            for v in verdicts
            if v.applied_at is None
        },
    )
