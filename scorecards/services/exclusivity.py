"""Conditional exclusivity: the quarterly evaluation, its notices, applying revokes, and the
overrides people make. What the rules mean is in ``scorecards.models.exclusivity``.

The evaluation of a vendor's quarter is a few statements whatever the number of distributors:
one SELECT gathers, for every exclusive scope line in force at the quarter's end, the facts the
rules need (``scorecards.selectors.exclusivity_facts.exclusivity_line_facts`` as of the
quarter's last day, the fact base the standing during the quarter reads too); the outcome of
each line is decided from those facts in Python (no query); one ``INSERT ... ON CONFLICT DO
NOTHING`` writes the verdicts, and one UPDATE tells the contract of the revokes (exclusive until
the day before they take effect). The unique key (vendor, scope line, quarter) makes a second or concurrent run
write nothing. Notices are claimed with a conditional UPDATE (``notified_at IS NULL``) and each
e-mail carries a dedupe key per verdict and recipient, so a re-run after a failure queues what
is missing and nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners import periods, roles
from partners.models import Distributor, Membership, Role, Vendor
from partners.platform.scope import tenant_scope
from partners.selectors import relationship_managers
from partners.services.audit import audit_record
from partners.services.contracts import (
    contract_exclusivity_end,
    scope_lines_exclusivity_ending_set,
)
from partners.services.outbox import EmailToQueue, email_queue_many
from scorecards.exclusivity_words import evidence_words, outcome_sentence
from scorecards.models import (
    QUALIFYING_OUTCOMES,
    WARNED_OUTCOMES,
    ExclusivityRules,
    ExclusivityRun,
    ExclusivityVerdict,
    VerdictOutcome,
)
from scorecards.selectors.exclusivity_facts import (
    LineFacts,
    exclusivity_line_facts,
    exclusivity_rules_get,
    last_closed_quarter,
    line_in_launch,
)
from scorecards.services.plans import plan_suggest_from_verdicts

logger = logging.getLogger(__name__)

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


# --- notices ------------------------------------------------------------------------------------


def exclusivity_notices_queue(*, vendor: Vendor, quarter_start: dt.date) -> int:
    """Queue the notice of every verdict of the quarter not yet notified (claimed with a
    conditional UPDATE, so concurrent runs split the work and never both take a verdict): one
    e-mail to each of the distributor's admins and to its channel manager (or the vendor admins),
    in each one's language, rendered once per verdict and language and written to the outbox in
    bulk. Returns the number of e-mails queued."""
    ids = [
        row[0]
        for row in _execute_returning(
            "UPDATE scorecards_exclusivityverdict SET notified_at = %s"
            " WHERE vendor_id = %s AND quarter_start = %s AND notified_at IS NULL RETURNING id",
            [timezone.now(), vendor.id, quarter_start],
        )
    ]
    if not ids:
        return 0
    verdicts = list(
        ExclusivityVerdict.objects.filter(pk__in=ids)
        .select_related(
            "contract",
            "distributor__owner__user",
            "scope_line__territory",
            "scope_line__product_line",
        )
        .order_by("distributor_id", "scope_line_id")
    )
    admins: dict[int, list[Membership]] = {}
    for m in (
        Membership.objects.filter(
            distributor_id__in={v.distributor_id for v in verdicts},
            role=Role.DISTRIBUTOR_ADMIN,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    ):
        admins.setdefault(m.own_distributor_id, []).append(m)
    managers: dict[int, list[Membership]] = {}
    fiscal = vendor.fiscal_year_start_month
    quarter = periods.fiscal_quarter_label(quarter_start, fiscal)
    emails: list[EmailToQueue] = []
    for verdict in verdicts:
        distributor = verdict.distributor
        if distributor.pk not in managers:
            managers[distributor.pk] = relationship_managers(vendor=vendor, distributor=distributor)
        recipients = {m.user_id: m for m in admins.get(distributor.pk, [])}
        for m in managers[distributor.pk]:
            recipients.setdefault(m.user_id, m)
        by_language: dict[str, list] = {}
        for membership in recipients.values():
            user = membership.user
            by_language.setdefault(user.language or distributor.language or "en", []).append(user)
        # The notice says the same to everyone who reads it in one language: one context (and
        # one rendering) per verdict and language.
        for language, users in by_language.items():
            context = _notice_context(vendor, verdict, distributor, quarter, language)
            emails += [
                EmailToQueue(
                    to=user.email,
                    template="exclusivity_verdict",
                    context=context,
                    language=language,
                    dedupe_key=f"exclusivity-verdict:{verdict.pk}:{user.pk}",
                )
                for user in users
            ]
    return len(email_queue_many(vendor=vendor, emails=emails))


def _execute_returning(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _notice_context(vendor, verdict, distributor: Distributor, quarter: str, language: str):
    scope = str(verdict.scope_line)
    with translation.override(language):
        sentence = outcome_sentence(
            outcome=verdict.outcome,
            scope=scope,
            quarter=quarter,
            effective_on=verdict.takes_effect_on,
        )
        lines = [
            evidence_words(item, scope=scope, quarter=quarter)
            for item in verdict.evidence
            if item["checked"]
        ]
    return {
        "outcome": verdict.outcome,
        "sentence": sentence,
        "evidence_lines": lines,
        "scope": scope,
        "quarter": quarter,
        "distributor_name": distributor.name,
        "reference": verdict.contract.reference,
        "effective_on": verdict.effective_on,
        "verdict_url": settings.SITE_URL
        + reverse("verdict-detail", kwargs={"vendor_slug": vendor.slug, "pk": verdict.pk}),
    }


# --- applying revokes ---------------------------------------------------------------------------


def _revoke_due(today: dt.date) -> Q:
    revoke = Q(overridden_outcome=VerdictOutcome.REVOKE) | Q(
        overridden_outcome="", outcome=VerdictOutcome.REVOKE
    )
    not_held = Q(held_at__isnull=True) | Q(held_until__lt=today)
    return revoke & not_held & Q(applied_at__isnull=True, effective_on__lte=today)


def exclusivity_revokes_apply(*, vendor_id: int, today: dt.date | None = None) -> int:
    """End the exclusivity of every revoked line whose day has come (not held, not overridden),
    through a contract amendment written by the partners service. The revoke takes effect on
    its ``effective_on``, or the day after its hold ended when that is later. Each verdict is
    claimed under a row lock and marked applied, so a second run does nothing. Returns the
    number of verdicts applied."""
    today = today or timezone.localdate()
    applied = 0
    with tenant_scope(vendor_id):
        vendor = Vendor.objects.get(pk=vendor_id)
        due = list(
            ExclusivityVerdict.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_revoke_due(today))
            .select_related("scope_line")
            .order_by("effective_on", "id")
        )
        for verdict in due:
            effective_on = verdict.takes_effect_on
            try:
                with transaction.atomic():
                    amendment = contract_exclusivity_end(
                        vendor=vendor,
                        actor=None,
                        line=verdict.scope_line,
                        effective_on=effective_on,
                        reason=_("Exclusivity revoked by the quarterly verdict for %(quarter)s.")
                        % {"quarter": verdict.quarter_start.isoformat()},
                    )
                    verdict.applied_at = timezone.now()
                    verdict.applied_amendment = amendment
                    verdict.save(update_fields=["applied_at", "applied_amendment"])
            except ValidationError:
                logger.warning("Revoke of verdict %s could not be applied", verdict.pk)
                continue
            applied += 1
    return applied


# --- the daily job ------------------------------------------------------------------------------


def exclusivity_daily(*, vendor_id: int, today: dt.date | None = None) -> dict:
    """What the daily job does for one vendor: evaluate the fiscal quarter that closed last,
    once, ``evaluate_after_days`` after its close (skipped when already evaluated; the notices
    go out that day, so a revoke takes effect that day plus the notice period), and apply the
    revokes whose day has come through a contract amendment. Safe to run again after a
    failure."""
    today = today or timezone.localdate()
    with tenant_scope(vendor_id):
        vendor = Vendor.objects.get(pk=vendor_id)
        rules = exclusivity_rules_get(vendor=vendor)
        closed = last_closed_quarter(vendor=vendor, today=today)
        closed_end = periods.period_end(periods.QUARTER, closed)
        due = today >= closed_end + dt.timedelta(days=rules.evaluate_after_days)
        done = ExclusivityRun.objects.filter(quarter_start=closed).exists()
    evaluated = None
    if due and not done:
        as_of = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
        evaluated = len(
            exclusivity_evaluate(vendor_id=vendor_id, quarter_start=closed, as_of=as_of)
        )
    applied = exclusivity_revokes_apply(vendor_id=vendor_id, today=today)
    return {"quarter": closed.isoformat(), "verdicts": evaluated, "revokes_applied": applied}


# --- people in charge ---------------------------------------------------------------------------


def verdict_override(
    *, vendor: Vendor, actor: Membership, verdict: ExclusivityVerdict, outcome: str, reason: str
) -> ExclusivityVerdict:
    """Replace a verdict's outcome with a written reason (vendor admins only; audited). What
    counts from then on is the override: a revoke overridden is not applied, and the next
    quarter's warnings and streaks read it. An applied revoke cannot be overridden (amend the
    contract instead)."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only vendor admins override exclusivity verdicts."))
    if verdict.vendor_id != vendor.id:
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if outcome not in VerdictOutcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if not reason:
        errors["reason"] = _("Say why the verdict is overridden.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = ExclusivityVerdict.objects.select_for_update().get(pk=verdict.pk)
        if stored.applied_at is not None:
            raise ValidationError(
                {"outcome": _("This revoke has taken effect; amend the contract instead.")}
            )
        before = {
            "overridden_outcome": stored.overridden_outcome,
            "override_reason": stored.override_reason,
        }
        stored.overridden_outcome = "" if outcome == stored.outcome else outcome
        stored.override_reason = reason
        stored.overridden_by = actor.user
        stored.overridden_at = timezone.now()
        if stored.effective_outcome == VerdictOutcome.REVOKE:
            # Overriding to a revoke is the notice: its period runs from today.
            stored.effective_on = max(
                stored.effective_on,
                verdict_effective_on(
                    VerdictOutcome.REVOKE,
                    q_end=stored.quarter_end,
                    notice_days=stored.contract.notice_days,
                    notified_on=timezone.localdate(),
                ),
            )
        stored.save(
            update_fields=[
                "overridden_outcome",
                "override_reason",
                "overridden_by",
                "overridden_at",
                "effective_on",
            ]
        )
        _mirror_on_contract(vendor, [stored])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="exclusivity.verdict.override",
            obj=stored,
            changes={
                "outcome": [verdict.outcome, outcome],
                "overridden_outcome": [before["overridden_outcome"], stored.overridden_outcome],
                "override_reason": [before["override_reason"], reason],
            },
        )
    return stored


def verdict_hold(
    *,
    vendor: Vendor,
    actor: Membership,
    verdict: ExclusivityVerdict,
    reason: str,
    held_until: dt.date | None,
) -> ExclusivityVerdict:
    """Hold a revoke until ``held_until`` while a corrective plan runs (vendor admins and
    channel managers; audited). After that date the revoke takes effect unless overridden."""
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers hold a revoke."))
    if verdict.vendor_id != vendor.id:
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the revoke is held.")
    if held_until is None:
        errors["held_until"] = _("Enter the date the hold ends.")
    elif held_until < timezone.localdate():
        errors["held_until"] = _("The hold must end today or later.")
    if errors or held_until is None:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = ExclusivityVerdict.objects.select_for_update().get(pk=verdict.pk)
        if stored.effective_outcome != VerdictOutcome.REVOKE:
            raise ValidationError({"reason": _("Only a revoke can be held.")})
        if stored.applied_at is not None:
            raise ValidationError(
                {"reason": _("This revoke has taken effect; amend the contract instead.")}
            )
        before: dict[str, Any] = {
            "held_until": stored.held_until,
            "hold_reason": stored.hold_reason,
        }
        stored.held_at = timezone.now()
        stored.held_by = actor.user
        stored.hold_reason = reason
        stored.held_until = held_until
        stored.save(update_fields=["held_at", "held_by", "hold_reason", "held_until"])
        _mirror_on_contract(vendor, [stored])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="exclusivity.verdict.hold",
            obj=stored,
            changes={
                "held_until": [
                    before["held_until"].isoformat() if before["held_until"] else None,
                    held_until.isoformat(),
                ],
                "hold_reason": [before["hold_reason"], reason],
            },
        )
    return stored


# --- the rules ----------------------------------------------------------------------------------

RULE_FIELDS = [
    "launch_days",
    "require_revenue",
    "require_weekly_on_time",
    "weekly_on_time_percent",
    "require_monthly_summaries",
    "require_qbr",
    "warning_quarters",
    "scale_after_quarters",
    "evaluate_after_days",
]


def exclusivity_rules_update(*, vendor: Vendor, actor: Membership, **fields) -> ExclusivityRules:
    """Change the vendor's exclusivity rules (vendor admins only; validated; audited). They
    apply to the quarters evaluated from then on; verdicts already recorded keep theirs."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only vendor admins change the exclusivity rules."))
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rule fields: {sorted(unknown)}")
    errors = {}
    for name, low, high in (
        ("launch_days", 0, 730),
        ("weekly_on_time_percent", 0, 100),
        ("warning_quarters", 0, 8),
        ("scale_after_quarters", 1, 20),
        ("evaluate_after_days", 0, 60),
    ):
        if name in fields:
            value = fields[name]
            if value is None or not (low <= int(value) <= high):
                errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {
                    "low": low,
                    "high": high,
                }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rules, _created = ExclusivityRules.objects.select_for_update().get_or_create(vendor=vendor)
        before = {name: getattr(rules, name) for name in RULE_FIELDS}
        for name, value in fields.items():
            setattr(rules, name, value)
        rules.save()
        changes = {
            name: [before[name], getattr(rules, name)]
            for name in RULE_FIELDS
            if before[name] != getattr(rules, name)
        }
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="exclusivity.rules.update",
                obj=rules,
                changes=changes,
            )
    return rules
