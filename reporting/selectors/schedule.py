"""Reads of the reporting schedule: the calendar page, signed-link grants and the due-date
feed."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from partners.markets import MARKETS_BY_COUNTRY
from partners.models import Distributor, Membership, Vendor
from reporting import calendar as cal
from reporting.models import DueDateFeed, Report, ReportingClosure
from reporting.models.reports import EDITABLE_STATUSES

FEED_WEEKS_BACK = 13
FEED_WEEKS_AHEAD = 26


def closure_list(*, vendor: Vendor, actor: Membership) -> QuerySet[ReportingClosure]:
    if not actor.is_staff_role:
        return ReportingClosure.objects.none()
    return ReportingClosure.objects.filter(vendor=vendor).order_by("start_date", "id")


def closure_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ReportingClosure:
    closure = closure_list(vendor=vendor, actor=actor).filter(pk=pk).first()
    if closure is None:
        raise Http404
    return closure


def next_due_moments(
    *, vendor: Vendor, actor: Membership, country: str, weeks: int = 8, now=None
) -> list[cal.Period]:
    """The coming due moments for a distributor in ``country`` (in the market's usual time
    zone), for the calendar page."""
    market = MARKETS_BY_COUNTRY.get(country) or MARKETS_BY_COUNTRY["JP"]
    distributor = Distributor(vendor=vendor, country=market.country, time_zone=market.time_zone)
    today = (now or timezone.now()).astimezone(distributor.zone).date()
    return cal.due_moments_between(
        cal.due_calendar_for(vendor),
        distributor,
        start=today,
        end=today + dt.timedelta(weeks=weeks),
    )


def report_for_grant(*, vendor: Vendor, membership_id: int, report_id: int):
    """The membership and report a signed-link grant names, or (None, None) when either is no
    longer valid (membership inactive, report of another distributor, report not editable
    by a link any more is still shown: the form says it is handed in)."""
    membership = (
        Membership.objects.filter(
            vendor=vendor, pk=membership_id, is_active=True, user__is_active=True
        )
        .select_related("user", "distributor")
        .first()
    )
    if membership is None or not membership.is_distributor_role:
        return None, None
    report = (
        Report.objects.filter(
            vendor=vendor, pk=report_id, distributor_id=membership.own_distributor_id
        )
        .select_related("distributor")
        .first()
    )
    if report is None:
        return None, None
    return membership, report


def report_is_editable(report: Report) -> bool:
    return report.status in EDITABLE_STATUSES


def due_date_feed_by_token(*, vendor: Vendor, token: str) -> DueDateFeed:
    feed = (
        DueDateFeed.objects.filter(vendor=vendor, token=token).select_related("distributor").first()
    )
    if feed is None or not token:
        raise Http404
    return feed


def due_date_feed_for_distributor(*, vendor: Vendor, distributor: Distributor):
    """The distributor's feed, or None before its address was first made."""
    return DueDateFeed.objects.filter(vendor=vendor, distributor=distributor).first()


def due_date_feed_events(*, vendor: Vendor, distributor: Distributor, now=None) -> list[dict]:
    """The distributor's due moments from 13 weeks back to 26 weeks ahead: the due moment of
    each report row where one exists, computed from the calendar otherwise (no rows are
    created)."""
    now = now or timezone.now()
    today = now.astimezone(distributor.zone).date()
    start = today - dt.timedelta(weeks=FEED_WEEKS_BACK)
    end = today + dt.timedelta(weeks=FEED_WEEKS_AHEAD)
    periods = cal.due_moments_between(
        cal.due_calendar_for(vendor), distributor, start=start, end=end
    )
    rows = {
        (r.kind, r.period_start): r
        for r in Report.objects.filter(
            vendor=vendor,
            distributor=distributor,
            period_start__gte=start - dt.timedelta(days=62),
        ).only("kind", "period_start", "due_at", "status")
    }
    events = []
    for p in periods:
        row = rows.get((p.kind, p.start))
        events.append(
            {
                "kind": p.kind,
                "period_start": p.start,
                "period_end": p.end,
                "due_at": row.due_at if row else p.due_at,
            }
        )
    events.sort(key=lambda e: (e["due_at"], e["kind"]))
    return events
