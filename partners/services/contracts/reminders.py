"""Contract reminders: the reminders due today for one contract, e-mailed to its relationship
managers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from partners.models import Contract, OutboundEmail, Vendor
from partners.selectors import relationship_managers
from partners.services.outbox import email_queue


def contract_reminders_send(*, vendor: Vendor, contract_id: int, today: dt.date | None = None):
    """Queue the reminders due today for one contract, to its channel manager (or the vendor
    admins). Safe to run twice: each e-mail has a dedupe key per contract, kind, days and
    target date. Returns how many e-mails were newly queued."""
    contract = (
        Contract.objects.select_related("distributor", "distributor__owner__user")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        return 0
    today = today or contract.distributor.local_today()
    queued = 0
    path = reverse("contract-detail", kwargs={"vendor_slug": vendor.slug, "pk": contract.pk})
    for kind, days, target in contract.reminders_due(today):
        for user in [
            m.user for m in relationship_managers(vendor=vendor, distributor=contract.distributor)
        ]:
            key = f"contract-reminder:{contract.pk}:{kind}:{days}:{target.isoformat()}:{user.pk}"
            if OutboundEmail.objects.filter(dedupe_key=key).exists():
                continue
            email_queue(
                vendor=vendor,
                to=user.email,
                template="contract_reminder",
                language=user.language or "en",
                dedupe_key=key,
                context={
                    "kind": kind,
                    "days": days,
                    "days_left": (target - today).days,
                    "target": target,
                    "reference": contract.reference,
                    "distributor_name": contract.distributor.name,
                    "ends_on": contract.ends_on,
                    "notice_deadline": contract.notice_deadline,
                    "auto_renews": contract.auto_renews,
                    "contract_url": f"{settings.SITE_URL}{path}",
                },
            )
            queued += 1
    return queued
