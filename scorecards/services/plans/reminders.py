"""Reminders of corrective plans: actions due soon or overdue and reviews that are due, each
e-mailed once, in the recipient's language."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from partners.models import OutboundEmail, User, Vendor
from partners.selectors import relationship_managers
from partners.services.outbox import email_queue
from scorecards.models import ActionStatus, CorrectivePlan, PlanAction, PlanStatus

DUE_SOON_DAYS = 3


def _plan_url(vendor: Vendor, plan_id: int) -> str:
    return settings.SITE_URL + reverse(
        "plan-detail", kwargs={"vendor_slug": vendor.slug, "pk": plan_id}
    )


def _queue_once(*, vendor: Vendor, user: User, key: str, template: str, context: dict) -> bool:
    if not user.is_active or OutboundEmail.objects.filter(dedupe_key=key).exists():
        return False
    email_queue(
        vendor=vendor,
        to=user.email,
        template=template,
        language=user.language or "en",
        dedupe_key=key,
        context=context,
    )
    return True


def plan_reminders_send(*, vendor: Vendor, today: dt.date | None = None) -> int:
    """Queue the reminders due today in one vendor, each once (dedupe key per action or plan,
    kind and date): to an action's owner when it is due within three days and when it is
    overdue, and to the distributor's channel manager (or the vendor admins) when a review is
    due. "Today" is the distributor's own date unless given. Returns how many were queued."""
    horizon = (today or timezone.now().date()) + dt.timedelta(days=DUE_SOON_DAYS + 1)
    queued = 0
    actions = (
        PlanAction.objects.filter(
            vendor=vendor,
            status=ActionStatus.OPEN,
            plan__status=PlanStatus.OPEN,
            due_on__lte=horizon,
        )
        .select_related("plan__distributor", "owner__user")
        .order_by("due_on", "id")
    )
    for action in actions:
        distributor = action.plan.distributor
        day = today or distributor.local_today()
        left = (action.due_on - day).days
        if left > DUE_SOON_DAYS:
            continue
        kind = "overdue" if left < 0 else "due"
        queued += _queue_once(
            vendor=vendor,
            user=action.owner.user,
            key=f"plan-action-{kind}:{action.pk}:{action.due_on.isoformat()}",
            template="plan_action_reminder",
            context={
                "kind": kind,
                "text": action.text,
                "due_on": action.due_on,
                "days_left": left,
                "days_late": -left,
                "distributor_name": distributor.name,
                "plan_url": _plan_url(vendor, action.plan_id),
            },
        )
    plans = (
        CorrectivePlan.objects.filter(vendor=vendor, status=PlanStatus.OPEN, review_on__lte=horizon)
        .select_related("distributor__owner__user")
        .order_by("review_on", "id")
    )
    for plan in plans:
        if not plan.review_due(today or plan.distributor.local_today()):
            continue
        for member in relationship_managers(vendor=vendor, distributor=plan.distributor):
            queued += _queue_once(
                vendor=vendor,
                user=member.user,
                key=f"plan-review-due:{plan.pk}:{plan.review_on}:{member.user_id}",
                template="plan_review_due",
                context={
                    "review_on": plan.review_on,
                    "distributor_name": plan.distributor.name,
                    "plan_url": _plan_url(vendor, plan.pk),
                },
            )
    return queued
