"""The notices of a quarter's verdicts: claimed with a conditional UPDATE, e-mailed once per
verdict and recipient."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from partners import periods
from partners.models import Distributor, Membership, Role, Vendor
from partners.selectors import relationship_managers
from partners.services.outbox import EmailToQueue, email_queue_many
from scorecards.exclusivity_words import evidence_words, outcome_sentence
from scorecards.models import ExclusivityVerdict


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
