"""Close a fiscal quarter for conditional exclusivity now, instead of waiting for the daily job.

    manage.py exclusivity_close_quarter                      # every active vendor
    manage.py exclusivity_close_quarter --vendor kestrel
    manage.py exclusivity_close_quarter --vendor kestrel --quarter 2026-07-01

Evaluates the vendor's last closed fiscal quarter (or the one starting on ``--quarter``) with
``scorecards.services.exclusivity.exclusivity_evaluate`` (the daily job's service, without its
wait of ``evaluate_after_days``) and prints, per distributor and scope line, the outcome with
the conditions not met, then the notices queued and the corrective plans suggested. Safe to run
twice: a quarter already evaluated keeps its verdicts; the second run writes and queues nothing
and prints the same verdicts. A revoke takes effect the day its notice is queued (today) plus the
contract's notice period, never earlier; until then the contract says the line stays exclusive
until the day before. Like the daily job, the command then applies the revokes whose day has come
(``exclusivity_revokes_apply``: the contract amendment).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from partners import periods
from partners.models import OutboundEmail, Vendor
from partners.platform.scope import tenant_scope
from scorecards.exclusivity_words import evidence_words
from scorecards.models import WARNED_OUTCOMES, CorrectivePlan, ExclusivityVerdict
from scorecards.selectors.exclusivity import quarter_label
from scorecards.selectors.exclusivity_facts import last_closed_quarter
from scorecards.services.exclusivity import exclusivity_evaluate, exclusivity_revokes_apply


class Command(BaseCommand):
    help = "Evaluate a closed fiscal quarter's exclusivity verdicts now and print the outcomes."

    def add_arguments(self, parser):
        parser.add_argument("--vendor", help="the vendor's slug (default: every active vendor)")
        parser.add_argument(
            "--quarter", help="the first day of the quarter, YYYY-MM-DD (default: the last closed)"
        )

    def handle(self, *args, vendor=None, quarter=None, **options):
        quarter_start = None
        if quarter:
            try:
                quarter_start = dt.date.fromisoformat(quarter)
            except ValueError as exc:
                raise CommandError(
                    f"--quarter: enter a date as YYYY-MM-DD, not {quarter!r}."
                ) from exc
        with scopes_disabled():
            qs = Vendor.objects.filter(is_active=True).order_by("slug")
            if vendor:
                qs = Vendor.objects.filter(slug=vendor)
            vendors = list(qs)
        if vendor and not vendors:
            raise CommandError(f"--vendor: no vendor with the slug {vendor!r}.")
        with translation.override("en"):
            for each in vendors:
                self._close(each, quarter_start)

    def _close(self, vendor: Vendor, quarter_start: dt.date | None) -> None:
        with tenant_scope(vendor.id):
            start = quarter_start or last_closed_quarter(vendor=vendor, today=timezone.localdate())
            label = quarter_label(vendor=vendor, quarter_start=start)
            emails_before = self._emails(start)
            plans_before = set(self._plans(start).values_list("pk", flat=True))
        try:
            created = exclusivity_evaluate(vendor_id=vendor.id, quarter_start=start)
        except ValueError as exc:
            raise CommandError(f"--quarter: {exc}.") from exc
        end = periods.period_end(periods.QUARTER, start)
        write = self.stdout.write
        write(f"{vendor.name} ({vendor.slug}): {label}, {start} to {end}")
        with tenant_scope(vendor.id):
            verdicts = list(
                ExclusivityVerdict.objects.filter(quarter_start=start)
                .select_related("distributor", "scope_line__territory", "scope_line__product_line")
                .order_by("distributor__name", "scope_line_id")
            )
            if created:
                write(f"  {len(created)} verdicts written now.")
            else:
                write("  Already evaluated: no verdict written now; the verdicts stand as below.")
            if not verdicts:
                write("  No exclusive scope line was in force at the end of the quarter.")
            for verdict in verdicts:
                scope = str(verdict.scope_line)
                outcome = verdict.get_effective_outcome_display()
                if verdict.is_overridden:
                    outcome += f" (overridden; the rules gave {verdict.get_outcome_display()})"
                write(
                    f"  {verdict.distributor.name} · {scope}: {outcome}, "
                    f"takes effect on {verdict.effective_on}"
                )
                if verdict.effective_outcome not in WARNED_OUTCOMES:
                    continue
                for item in verdict.evidence:  # why: the conditions not met
                    if item.get("checked") and not item.get("met"):
                        write(f"      {evidence_words(item, scope=scope, quarter=label)}")
            queued = self._emails(start) - emails_before
            write(f"  Notices queued now: {queued} e-mails.")
            plans = [
                plan
                for plan in self._plans(start).select_related("distributor").order_by("pk")
                if plan.pk not in plans_before
            ]
            write(f"  Corrective plans suggested now: {len(plans)}.")
            for plan in plans:
                write(f"      {plan.distributor.name}: {plan.get_status_display()}")
        # As the daily job does: the revokes whose day has come (of any quarter) are applied
        # through the contract amendment, so the contract never lags behind a verdict.
        applied = exclusivity_revokes_apply(vendor_id=vendor.id)
        write(f"  Revokes applied today: {applied}.")

    @staticmethod
    def _emails(start: dt.date) -> int:
        """The verdict notices of the quarter in the outbox (their dedupe key names the
        verdict: ``exclusivity-verdict:<verdict>:<user>``)."""
        ids = {
            str(pk)
            for pk in ExclusivityVerdict.objects.filter(quarter_start=start).values_list(
                "pk", flat=True
            )
        }
        keys = OutboundEmail.objects.filter(
            template="exclusivity_verdict", dedupe_key__startswith="exclusivity-verdict:"
        ).values_list("dedupe_key", flat=True)
        return sum(1 for key in keys if key and key.split(":")[1] in ids)

    @staticmethod
    def _plans(start: dt.date):
        return CorrectivePlan.objects.filter(verdict__quarter_start=start)
