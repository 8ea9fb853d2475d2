"""Isolation matrix rows for the review area of reporting (joined into ROUTES by
tests/test_isolation_matrix.py).

Objects: a submitted weekly report of distributor 1 and 2 of vendor A and of distributor 1 of
vendor B (each with one version), so every review action can succeed for a reviewer.
"""

from __future__ import annotations

import datetime as dt

from reporting.models import ReportStatus, ReportVersion
from tests.conftest import DISTRIBUTOR_ROLES, in_scope
from tests.factories_reporting import ReportFactory, WeeklyUpdateFactory
from tests.isolation.core import (
    API,
    DA,
    DU,
    OBJECTS,
    PORTAL,
    Ctx,
    Method,
    Route,
    each,
    pick,
    staff_only,
)

PERIOD = dt.date(2026, 3, 2)


def _reports(ctx: Ctx):
    if "review_reports" not in ctx.tokens:
        result = []
        for tenant, distributor in ((ctx.a, ctx.a.d1), (ctx.a, ctx.a.d2), (ctx.b, ctx.b.d1)):
            with in_scope(tenant):
                report = ReportFactory(distributor=distributor, period_start=PERIOD)
                WeeklyUpdateFactory(report=report)
                submitted = report.due_at - dt.timedelta(hours=2)
                ReportVersion.objects.create(
                    vendor=tenant.vendor,
                    report=report,
                    number=1,
                    data={"new_leads": 7, "priorities": [f"Plan of {distributor.name}"]},
                    submitted_at=submitted,
                )
                report.status = ReportStatus.SUBMITTED
                report.submitted_at = report.last_submitted_at = submitted
                report.version_count = 1
                report.save()
                result.append(report)
        ctx.tokens["review_reports"] = result
    return ctx.tokens["review_reports"]


def report(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *_reports(ctx)).pk}


OBJECTS["review_report"] = report


def report_detail_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Plan of Sakura Trading" in body
    assert "Plan of Lotus Distribution" not in body


def review_api_payload(ctx: Ctx) -> dict:
    return {"report": _reports(ctx)[0].pk, "action": "comment", "comment": "Thanks for this."}


def reviews_api(ctx: Ctx, response) -> None:
    reports = {row["report"] for row in response.json()["results"]}
    assert reports <= {r.pk for r in _reports(ctx)[:2]}


def discipline_api(ctx: Ctx, response) -> None:
    ids = {row["distributor"] for row in response.json()}
    if ctx.role in DISTRIBUTOR_ROLES:
        assert ids == {ctx.a.d1.pk}
    else:
        assert ids == {ctx.a.d1.pk, ctx.a.d2.pk}


NOT_FOR_DISTRIBUTORS = each(200, **{DA: 404, DU: 404})
REVIEWERS = staff_only(302)  # vendor admins and channel managers


def _action(path: str, data=None) -> Route:
    return Route(
        PORTAL,
        path,
        {"GET": Method(each(405)), "POST": Method(REVIEWERS, data=data)},
        obj="review_report",
    )


ROUTES: dict[str, Route] = {
    "report-list": Route(PORTAL, "/{slug}/reports/", {"GET": Method(each(200))}),
    "report-export": Route(PORTAL, "/{slug}/reports/export/", {"GET": Method(each(200))}),
    "report-detail": Route(
        PORTAL,
        "/{slug}/reports/{pk}/",
        {"GET": Method(each(200), other_distributor=NOT_FOR_DISTRIBUTORS)},
        obj="review_report",
        listing=report_detail_html,
    ),
    "report-acknowledge": _action("/{slug}/reports/{pk}/acknowledge/"),
    "report-return": _action(
        "/{slug}/reports/{pk}/return/", data=lambda ctx: {"comment": "Please add leads."}
    ),
    "report-comment": _action(
        "/{slug}/reports/{pk}/comment/", data=lambda ctx: {"comment": "Noted, thanks."}
    ),
    "api:report-review-list": Route(
        API,
        "/api/v1/{slug}/report-reviews/",
        {
            "GET": Method(each(200)),
            "POST": Method(staff_only(201), data=review_api_payload),
        },
        listing=reviews_api,
    ),
    "api:report-review-list.<format>": Route(
        API, "/api/v1/{slug}/report-reviews.{format}", {"GET": Method(each(200))}
    ),
    "api:reporting-discipline-list": Route(
        API,
        "/api/v1/{slug}/reporting-discipline/",
        {"GET": Method(each(200))},
        listing=discipline_api,
    ),
    "api:reporting-discipline-list.<format>": Route(
        API,
        "/api/v1/{slug}/reporting-discipline.{format}",
        {"GET": Method(each(200))},
        listing=discipline_api,
    ),
}
