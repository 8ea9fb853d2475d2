"""Applying the revokes that take effect, and the daily job that evaluates a closed quarter,
queues its notices and applies the revokes due."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import periods
from partners.models import Vendor
from partners.platform.scope import tenant_scope
from partners.services.contracts import contract_exclusivity_end
from scorecards.models import ExclusivityRun, ExclusivityVerdict, VerdictOutcome
from scorecards.selectors.exclusivity_facts import exclusivity_rules_get, last_closed_quarter
from scorecards.services.exclusivity.evaluate import exclusivity_evaluate

logger = logging.getLogger(__name__)


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
