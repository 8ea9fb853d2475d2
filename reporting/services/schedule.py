"""The reporting schedule: opening periods, reminders, escalations, missed flags, signed links,
due-date feeds and the vendor's calendar settings.

Everything the hourly sweep does is safe to run twice or concurrently: report rows are inserted
ignoring the unique constraint, and every e-mail is sent only by the sweep whose conditional
UPDATE claimed the report's column (``reminder_before_sent_at``, ``reminder_due_sent_at``,
``escalated_at``, ``missed_at``), in the same transaction as the outbox row.

Stages and their windows (so that a sweep that runs late, or a report opened late, does not
send what is no longer true): "before" from ``due - reminder_hours_before`` until due; "due now"
from due until ``due + escalation_hours_after``; the escalation from then until the end of the
grace period; after that the report is missed. Returned reports get no automated reminders (the
reviewer's comment already told the distributor what to fix).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Distributor, DistributorStatus, Membership, Vendor
from partners.selectors import distributor_people, relationship_managers
from partners.services.audit import audit_record, changes_between, snapshot
from partners.services.outbox import email_queue
from partners.services.tokens import secret_hash
from partners.zones import reader_zone_name
from reporting import calendar as cal
from reporting.models import (
    DueDateFeed,
    Report,
    ReportingCalendar,
    ReportingClosure,
    ReportKind,
    ReportLink,
    ReportStatus,
)
from reporting.models.schedule import new_feed_token

# A report still owed: nothing handed in yet.
OWED_STATUSES = (ReportStatus.PENDING, ReportStatus.DRAFT)
# Reporting starts when a distributor goes active (onboarding is still setting up).
REPORTING_STATUSES = (DistributorStatus.ACTIVE,)
CALENDAR_FIELDS = [
    "weekly_weekday",
    "weekly_time",
    "monthly_business_day",
    "monthly_time",
    "reminder_hours_before",
    "escalation_hours_after",
    "grace_days",
    "link_valid_days",
]
CLOSURE_FIELDS = ["name", "start_date", "end_date", "country"]


# --- opening periods ---------------------------------------------------------------------------


def reports_open(*, vendor: Vendor, now: dt.datetime | None = None) -> int:
    """Create the report rows of every period that has ended for each reporting distributor
    (active): the last week and month and earlier ones back to 13 weeks, but none
    that ended before the distributor's status began. Returns how many rows were inserted.

    Idempotent and safe concurrently: rows that exist are left alone (unique constraint)."""
    now = now or timezone.now()
    calendar = cal.due_calendar_for(vendor)
    distributors = Distributor.objects.filter(vendor=vendor, status__in=REPORTING_STATUSES)
    rows = []
    for distributor in distributors:
        since = distributor.status_changed_on or timezone.localdate(
            distributor.created_at, timezone=distributor.zone
        )
        for period in cal.periods_ended(calendar, distributor, now=now, since=since):
            rows.append(
                Report(
                    vendor=vendor,
                    distributor=distributor,
                    kind=period.kind,
                    period_start=period.start,
                    period_end=period.end,
                    due_at=period.due_at,
                )
            )
    if not rows:
        return 0
    with transaction.atomic():
        before = Report.objects.filter(vendor=vendor).count()
        Report.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        return Report.objects.filter(vendor=vendor).count() - before


# --- signed links ------------------------------------------------------------------------------


def report_link_create(
    *, vendor: Vendor, report: Report, membership: Membership, now: dt.datetime | None = None
) -> tuple[ReportLink, str]:
    """A new signed link to ``report`` for ``membership``; returns the row and the raw token
    (which exists only in the e-mail)."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    settings_row = cal.calendar_for(vendor)
    link = ReportLink.objects.create(
        vendor=vendor,
        report=report,
        membership=membership,
        token_hash=secret_hash(raw),
        expires_at=now + dt.timedelta(days=settings_row.link_valid_days),
    )
    return link, raw


def report_link_url(vendor: Vendor, raw_token: str) -> str:
    return settings.SITE_URL + reverse(
        "report-link", kwargs={"vendor_slug": vendor.slug, "token": raw_token}
    )


class LinkProblem:
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


@dataclass
class LinkResult:
    link: ReportLink | None
    problem: str | None = None


def report_link_check(
    *, vendor: Vendor, raw_token: str, now: dt.datetime | None = None
) -> LinkResult:
    """What a link is and what is wrong with it, if anything (nothing is written)."""
    now = now or timezone.now()
    link = (
        ReportLink.objects.filter(vendor=vendor, token_hash=secret_hash(raw_token))
        .select_related("report", "report__distributor", "membership", "membership__user")
        .first()
    )
    if link is None:
        return LinkResult(None, LinkProblem.UNKNOWN)
    membership = link.membership
    if (
        not membership.is_active
        or not membership.user.is_active
        or not membership.is_distributor_role
        or membership.distributor_id != link.report.distributor_id
    ):
        return LinkResult(link, LinkProblem.REVOKED)
    if link.used_at is not None:
        return LinkResult(link, LinkProblem.USED)
    if link.expires_at <= now:
        return LinkResult(link, LinkProblem.EXPIRED)
    return LinkResult(link)


def report_link_redeem(
    *, vendor: Vendor, raw_token: str, now: dt.datetime | None = None
) -> LinkResult:
    """Check a link and, when it is valid and unused, mark it used (once, by a conditional
    update: of two clicks at the same moment only one wins)."""
    now = now or timezone.now()
    result = report_link_check(vendor=vendor, raw_token=raw_token, now=now)
    if result.problem:
        return result
    link = result.link
    assert link is not None  # a check without a problem found the link
    claimed = ReportLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if claimed != 1:
        return LinkResult(link, LinkProblem.USED)
    link.used_at = now
    return LinkResult(link)


# --- reminders ---------------------------------------------------------------------------------


def _email_context(report: Report) -> dict:
    distributor = report.distributor
    return {
        # The lazy label: it is rendered in each recipient's language.
        "report_kind": ReportKind(report.kind).label,
        "is_weekly": report.is_weekly,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "distributor_name": distributor.name,
        # Written in each recipient's zone, which the e-mail names (``render_email``).
        "due_at": report.due_at,
    }


def _report_url(vendor: Vendor, report: Report) -> str:
    """The report's page (staff mails: escalations and missed flags)."""
    return settings.SITE_URL + reverse(
        "report-detail", kwargs={"vendor_slug": vendor.slug, "pk": report.pk}
    )


def _send_partner_reminders(vendor: Vendor, report: Report, stage: str, now: dt.datetime) -> int:
    sent = 0
    for membership in distributor_people(vendor=vendor, distributor=report.distributor):
        _link, raw = report_link_create(
            vendor=vendor, report=report, membership=membership, now=now
        )
        email_queue(
            vendor=vendor,
            to=membership.user.email,
            template="report_reminder",
            context={
                **_email_context(report),
                "stage": stage,
                "person_name": membership.user.full_name,
                "link_url": report_link_url(vendor, raw),
            },
            language=membership.user.language or report.distributor.language or "en",
            time_zone=reader_zone_name(membership),
            dedupe_key=f"report:{report.pk}:{stage}:{membership.pk}",
        )
        sent += 1
    return sent


def _send_staff_mail(
    vendor: Vendor, report: Report, template: str, stage: str, extra: dict | None = None
) -> int:
    sent = 0
    for membership in relationship_managers(vendor=vendor, distributor=report.distributor):
        email_queue(
            vendor=vendor,
            to=membership.user.email,
            template=template,
            context={
                **_email_context(report),
                "person_name": membership.user.full_name,
                "report_url": _report_url(vendor, report),
                **(extra or {}),
            },
            language=membership.user.language or "en",
            time_zone=reader_zone_name(membership),
            dedupe_key=f"report:{report.pk}:{stage}:{membership.pk}",
        )
        sent += 1
    return sent


def _claim(report_id: int, column: str, now: dt.datetime) -> bool:
    """Set ``column`` to ``now`` if nobody has, for a report still owed. True for the one
    caller that did."""
    return (
        Report.objects.filter(
            pk=report_id, status__in=OWED_STATUSES, **{f"{column}__isnull": True}
        ).update(**{column: now})
        == 1
    )


def _stage_candidates(vendor: Vendor, settings_row: ReportingCalendar, now: dt.datetime):
    before = dt.timedelta(hours=settings_row.reminder_hours_before)
    after = dt.timedelta(hours=settings_row.escalation_hours_after)
    grace = dt.timedelta(days=settings_row.grace_days)
    owed = Report.objects.filter(vendor=vendor, status__in=OWED_STATUSES, missed_at__isnull=True)
    return [
        (
            "before",
            "reminder_before_sent_at",
            owed.filter(
                reminder_before_sent_at__isnull=True, due_at__gt=now, due_at__lte=now + before
            ),
        ),
        (
            "due",
            "reminder_due_sent_at",
            owed.filter(reminder_due_sent_at__isnull=True, due_at__lte=now, due_at__gt=now - after),
        ),
        (
            "escalation",
            "escalated_at",
            owed.filter(escalated_at__isnull=True, due_at__lte=now - after, due_at__gt=now - grace),
        ),
    ]


def report_reminders_send(*, vendor: Vendor, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue the reminders and escalations whose moment has come, each at most once per report.
    Returns how many reports each stage claimed."""
    now = now or timezone.now()
    settings_row = cal.calendar_for(vendor)
    counts = {}
    for stage, column, qs in _stage_candidates(vendor, settings_row, now):
        counts[stage] = 0
        for report_id in list(qs.values_list("id", flat=True)):
            with transaction.atomic():
                if not _claim(report_id, column, now):
                    continue
                report = Report.objects.select_related(
                    "distributor", "distributor__owner", "distributor__owner__user"
                ).get(pk=report_id)
                if stage == "escalation":
                    _send_staff_mail(vendor, report, "report_escalation", stage)
                else:
                    _send_partner_reminders(vendor, report, stage, now)
                counts[stage] += 1
    return counts


# --- missed reports ----------------------------------------------------------------------------


def reports_flag_missed(*, vendor: Vendor, now: dt.datetime | None = None) -> int:
    """Flag reports not handed in by the end of the grace period as missed (once each), audit
    it and tell the channel manager once. Returns how many were flagged now."""
    now = now or timezone.now()
    grace = dt.timedelta(days=cal.calendar_for(vendor).grace_days)
    ids = list(
        Report.objects.filter(
            vendor=vendor,
            status__in=OWED_STATUSES,
            missed_at__isnull=True,
            due_at__lte=now - grace,
        ).values_list("id", flat=True)
    )
    flagged = 0
    for report_id in ids:
        with transaction.atomic():
            if not _claim(report_id, "missed_at", now):
                continue
            report = Report.objects.select_related(
                "distributor", "distributor__owner", "distributor__owner__user"
            ).get(pk=report_id)
            audit_record(
                vendor=vendor,
                actor=None,
                action="report.missed",
                obj=report,
                changes={"missed_at": [None, now.isoformat()]},
            )
            _send_staff_mail(vendor, report, "report_missed", "missed")
            flagged += 1
    return flagged


def reporting_sweep(*, vendor: Vendor, now: dt.datetime | None = None) -> dict[str, int]:
    """One vendor's hourly sweep: open ended periods, send reminders, flag missed reports."""
    now = now or timezone.now()
    opened = reports_open(vendor=vendor, now=now)
    counts = report_reminders_send(vendor=vendor, now=now)
    missed = reports_flag_missed(vendor=vendor, now=now)
    return {"opened": opened, **counts, "missed": missed}


# --- calendar settings -------------------------------------------------------------------------


def _check_vendor_admin(actor: Membership | None) -> None:
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only vendor admins change the reporting calendar."))


def reporting_calendar_update(*, vendor: Vendor, actor: Membership, **fields) -> ReportingCalendar:
    """Change the vendor's reporting calendar (vendor admins). Reports already open keep their
    due moment; new periods use the new settings."""
    _check_vendor_admin(actor)
    unknown = set(fields) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValueError(f"unknown calendar fields: {sorted(unknown)}")
    with transaction.atomic():
        row = ReportingCalendar.objects.select_for_update().filter(vendor=vendor).first()
        if row is None:
            row = ReportingCalendar(vendor=vendor)
        before = snapshot(row, CALENDAR_FIELDS)
        for name, value in fields.items():
            setattr(row, name, value)
        row.full_clean(exclude=["vendor"])
        row.save()
        changes = changes_between(before, snapshot(row, CALENDAR_FIELDS))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="reporting_calendar.update",
                obj=row,
                changes=changes,
            )
    return row


def reporting_closure_create(
    *,
    vendor: Vendor,
    actor: Membership,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    country: str = "",
) -> ReportingClosure:
    """Declare days closed for reporting, for every country or one (vendor admins)."""
    _check_vendor_admin(actor)
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The last day cannot be before the first.")})
    if end_date - start_date > dt.timedelta(days=31):
        raise ValidationError({"end_date": _("A closure can last at most 31 days.")})
    closure = ReportingClosure(
        vendor=vendor, name=name, start_date=start_date, end_date=end_date, country=country or ""
    )
    closure.full_clean(exclude=["vendor"])
    with transaction.atomic():
        closure.save()
        audit_record(
            vendor=vendor,
            actor=actor,
            action="reporting_closure.create",
            obj=closure,
            changes=changes_between({}, snapshot(closure, CLOSURE_FIELDS)),
        )
    return closure


def reporting_closure_delete(
    *, vendor: Vendor, actor: Membership, closure: ReportingClosure
) -> None:
    """Remove a closure (vendor admins). Reports already open keep their due moment."""
    _check_vendor_admin(actor)
    if closure.vendor_id != vendor.id:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="reporting_closure.delete",
            obj=closure,
            changes=changes_between(snapshot(closure, CLOSURE_FIELDS), {}),
        )
        closure.delete()


# --- the due-date feed -------------------------------------------------------------------------


def due_date_feed_ensure(*, vendor: Vendor, distributor: Distributor) -> DueDateFeed:
    """The distributor's feed, created on first use (safe concurrently)."""
    feed, _created = DueDateFeed.objects.get_or_create(vendor=vendor, distributor=distributor)
    return feed


def due_date_feed_rotate(
    *, vendor: Vendor, actor: Membership, distributor: Distributor
) -> DueDateFeed:
    """Give the feed a (new) secret address; an old one stops working at once (distributor
    admins of that distributor and vendor staff). The first call makes the address."""
    if distributor.vendor_id != vendor.id or not roles.can_manage_feed(actor, distributor.pk):
        raise PermissionDenied(_("You may not change this calendar address."))
    with transaction.atomic():
        feed = due_date_feed_ensure(vendor=vendor, distributor=distributor)
        feed = DueDateFeed.objects.select_for_update().get(pk=feed.pk)
        feed.token = new_feed_token()
        feed.rotated_at = timezone.now()
        feed.save(update_fields=["token", "rotated_at"])
        audit_record(vendor=vendor, actor=actor, action="due_date_feed.rotate", obj=feed)
    return feed
