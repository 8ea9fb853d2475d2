"""Isolation matrix rows for the reporting schedule (joined into ROUTES by
tests/test_isolation_matrix.py).

Objects: a closure of vendor A and one of vendor B (closures belong to the vendor, so "another
distributor's" closure is the same one); signed links to a report of distributor 1 and 2 of
vendor A and of distributor 1 of vendor B, each for a partner person who is none of the
matrix's roles (so every logged-in role is "someone else"); those reports; and the due-date feeds
of the same three distributors.
"""

from __future__ import annotations

import datetime as dt

from partners.models import Role
from reporting.models import DueDateFeed, ReportingClosure
from reporting.services.schedule import report_link_create
from tests.conftest import in_scope
from tests.factories import MembershipFactory, UserFactory
from tests.factories_reporting import ReportFactory
from tests.isolation.core import (
    ANON,
    CM,
    DA,
    DU,
    EX,
    OBJECTS,
    PORTAL,
    PUBLIC_TENANT,
    VA,
    Ctx,
    Method,
    Route,
    each,
    pick,
    staff_only,
)


def _closures(ctx: Ctx):
    if "schedule_closures" not in ctx.tokens:
        result = []
        for tenant in (ctx.a, ctx.b):
            with in_scope(tenant):
                result.append(
                    ReportingClosure.objects.create(
                        vendor=tenant.vendor,
                        name="Year end",
                        start_date=dt.date(2026, 12, 29),
                        end_date=dt.date(2027, 1, 3),
                    )
                )
        ctx.tokens["schedule_closures"] = result
    return ctx.tokens["schedule_closures"]


def closure(ctx: Ctx, case: str) -> dict:
    a, b = _closures(ctx)
    return {"pk": pick(case, a, a, b).pk}


def _links(ctx: Ctx):
    if "schedule_links" not in ctx.tokens:
        result = []
        for tenant, distributor in ((ctx.a, ctx.a.d1), (ctx.a, ctx.a.d2), (ctx.b, ctx.b.d1)):
            user = UserFactory(
                email=f"link-{distributor.pk}@{tenant.slug}.example.com",
                full_name=f"{tenant.label} link holder",
            )
            with in_scope(tenant):
                membership = MembershipFactory(
                    vendor=tenant.vendor,
                    user=user,
                    role=Role.DISTRIBUTOR_USER,
                    distributor=distributor,
                )
                report = ReportFactory(distributor=distributor)
                _link, raw = report_link_create(
                    vendor=tenant.vendor, report=report, membership=membership
                )
            result.append((report, raw))
        ctx.tokens["schedule_links"] = result
    return ctx.tokens["schedule_links"]


def link_token(ctx: Ctx, case: str) -> dict:
    return {"token": pick(case, *(raw for _r, raw in _links(ctx)))}


def link_report(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *(report.pk for report, _raw in _links(ctx)))}


def _feeds(ctx: Ctx):
    if "schedule_feeds" not in ctx.tokens:
        result = []
        for tenant, distributor in ((ctx.a, ctx.a.d1), (ctx.a, ctx.a.d2), (ctx.b, ctx.b.d1)):
            with in_scope(tenant):
                result.append(
                    DueDateFeed.objects.create(vendor=tenant.vendor, distributor=distributor)
                )
        ctx.tokens["schedule_feeds"] = result
    return ctx.tokens["schedule_feeds"]


def feed_token(ctx: Ctx, case: str) -> dict:
    return {"token": pick(case, *(f.token for f in _feeds(ctx)))}


for _name, _builder in {
    "reporting_closure": closure,
    "report_link_token": link_token,
    "report_link_report": link_report,
    "due_date_feed_token": feed_token,
}.items():
    OBJECTS[_name] = _builder


def calendar_payload(ctx: Ctx) -> dict:
    return {
        "weekly_weekday": "1",
        "weekly_time": "10:00",
        "monthly_business_day": "4",
        "monthly_time": "17:00",
        "reminder_hours_before": "12",
        "escalation_hours_after": "24",
        "grace_days": "3",
        "link_valid_days": "7",
    }


def closure_payload(ctx: Ctx) -> dict:
    return {
        "name": "Golden Week",
        "start_date": "2026-04-29",
        "end_date": "2026-05-06",
        "country": "JP",
    }


def calendar_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Year end" not in body or ctx.role in (VA, CM, EX)
    assert "Borealis" not in body


def feed_ics(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "Sakura Trading" in body and "Lotus" not in body


NOBODY = each(404)
FEED_MANAGERS = {VA: 302, CM: 302, EX: 302, DA: 302, DU: 403}
FEED_READERS = {VA: 200, CM: 200, EX: 200, DA: 200, DU: 403}

ROUTES: dict[str, Route] = {
    "reporting-calendar": Route(
        PORTAL,
        "/{slug}/reporting/calendar/",
        {
            "GET": Method(staff_only(200, allowed=(VA, CM, EX))),
            "POST": Method(staff_only(302, allowed=(VA,)), data=calendar_payload),
        },
        listing=calendar_html,
    ),
    "reporting-closure-create": Route(
        PORTAL,
        "/{slug}/reporting/calendar/closures/new/",
        {
            "GET": Method(each(405)),
            "POST": Method(staff_only(302, allowed=(VA,)), data=closure_payload),
        },
    ),
    "reporting-closure-delete": Route(
        PORTAL,
        "/{slug}/reporting/calendar/closures/{pk}/delete/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302, allowed=(VA,)))},
        obj="reporting_closure",
        note="closures belong to the vendor: the 'other distributor' case is the same closure",
    ),
    # The link in a reminder e-mail: whoever holds it may use it once without logging in; a
    # logged-in person who is not the link's person gets the page of an unknown link.
    "report-link": Route(
        PUBLIC_TENANT,
        "/{slug}/reports/link/{token}/",
        {
            "GET": Method(
                NOBODY,
                outsider=404,
                anonymous=302,
                changes=frozenset({ANON}),
            )
        },
        obj="report_link_token",
        note="public: the link in a reminder e-mail",
    ),
    # Without the session grant a link gives, the link's form is the same 404 for everyone.
    "report-link-form": Route(
        PUBLIC_TENANT,
        "/{slug}/reports/{pk}/via-link/",
        {
            "GET": Method(NOBODY, outsider=404, anonymous=404),
            "POST": Method(NOBODY, outsider=404, anonymous=404, data=lambda ctx: {}),
        },
        obj="report_link_report",
    ),
    "report-link-autosave": Route(
        PUBLIC_TENANT,
        "/{slug}/reports/{pk}/via-link/autosave/",
        {
            "GET": Method(NOBODY, outsider=404, anonymous=404),
            "POST": Method(NOBODY, outsider=404, anonymous=404, data=lambda ctx: {}),
        },
        obj="report_link_report",
    ),
    "due-date-feed": Route(
        PUBLIC_TENANT,
        "/{slug}/feeds/due-dates/{token}.ics",
        {"GET": Method(each(200), outsider=200, anonymous=200)},
        obj="due_date_feed_token",
        listing=feed_ics,
        note="public: a secret calendar address",
    ),
    "due-date-feed-page": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/due-date-feed/",
        {"GET": Method(FEED_READERS, other_distributor={**FEED_READERS, DA: 404})},
        obj="distributor",
    ),
    "due-date-feed-rotate": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/due-date-feed/rotate/",
        {
            "GET": Method(each(405)),
            "POST": Method(FEED_MANAGERS, other_distributor={**FEED_MANAGERS, DA: 404}),
        },
        obj="distributor",
    ),
}
