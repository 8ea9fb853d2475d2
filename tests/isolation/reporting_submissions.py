"""Isolation matrix rows for the partner's report form and the reports API (joined into ROUTES
by tests/test_isolation_matrix.py).

Objects: a pending weekly report of distributor 1 and 2 of vendor A and of distributor 1 of
vendor B. Only the distributor's own people fill a report in: vendor staff get 403 (portal:
before the lookup; API: after it, so another vendor's id is a 404), another distributor's
people 404.
"""

from __future__ import annotations

import datetime as dt

from reporting.models import Report
from tests.conftest import DISTRIBUTOR_ROLES, in_scope
from tests.factories_reporting import ReportFactory
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
)

MONDAY = dt.date(2026, 3, 2)


def _reports(ctx: Ctx) -> list[Report]:
    if "submission_reports" not in ctx.tokens:
        result = []
        for tenant, distributor in ((ctx.a, ctx.a.d1), (ctx.a, ctx.a.d2), (ctx.b, ctx.b.d1)):
            with in_scope(tenant):
                result.append(ReportFactory(distributor=distributor, period_start=MONDAY))
        ctx.tokens["submission_reports"] = result
    return ctx.tokens["submission_reports"]


def report(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *_reports(ctx)).pk}


OBJECTS["submission_report"] = report


# --- payloads and listing checks ---------------------------------------------------------------

WEEKLY = {
    "new_leads": 4,
    "meetings_held": 3,
    "opportunities_discovery": 5,
    "opportunities_proposal": 2,
    "opportunities_negotiation": 1,
    "blockers": [{"tag": "stock", "text": "Late container"}],
    "priorities": ["Close the Osaka deal"],
}


def form_submit(ctx: Ctx) -> dict:
    return {
        **{k: str(v) for k, v in WEEKLY.items() if isinstance(v, int)},
        "blocker_1_tag": "stock",
        "blocker_1_text": "Late container",
        "priority_1": "Close the Osaka deal",
        "action": "submit",
    }


def autosave(ctx: Ctx) -> dict:
    return {"new_leads": "3"}


def api_draft(ctx: Ctx) -> dict:
    return {"new_leads": 3}


def api_submit(ctx: Ctx) -> dict:
    return WEEKLY


def form_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Sakura Trading" in body and "Lotus Distribution" not in body


def report_list_api(ctx: Ctx, response) -> None:
    """No foreign row (the list route has no object, so it may be empty here; the positive
    check is in tests/test_reporting_submissions.py)."""
    distributors = {row["distributor"] for row in response.json()["results"]}
    if ctx.role in DISTRIBUTOR_ROLES:
        assert distributors <= {ctx.a.d1.pk}
    else:
        assert distributors <= {ctx.a.d1.pk, ctx.a.d2.pk}


def report_detail_api(ctx: Ctx, response) -> None:
    assert response.json()["distributor"] == ctx.a.d1.pk


FILLERS = each(403, **{DA: 200, DU: 200})
FILLERS_REDIRECT = each(403, **{DA: 302, DU: 302})
NOT_FOR_OTHER_PEOPLE = {DA: 404, DU: 404}
READERS = each(200)
READERS_OWN = {"other_distributor": each(200, **NOT_FOR_OTHER_PEOPLE)}

ROUTES: dict[str, Route] = {
    "report-edit": Route(
        PORTAL,
        "/{slug}/reports/{pk}/edit/",
        {
            "GET": Method(FILLERS, other_distributor=each(403, **NOT_FOR_OTHER_PEOPLE)),
            "POST": Method(
                FILLERS_REDIRECT,
                other_distributor=each(403, **NOT_FOR_OTHER_PEOPLE),
                data=form_submit,
            ),
        },
        obj="submission_report",
        listing=form_html,
    ),
    "report-autosave": Route(
        PORTAL,
        "/{slug}/reports/{pk}/autosave/",
        {
            "GET": Method(each(405)),
            "POST": Method(
                FILLERS, other_distributor=each(403, **NOT_FOR_OTHER_PEOPLE), data=autosave
            ),
        },
        obj="submission_report",
    ),
}


def _api(name: str, path: str, methods: dict, obj: str | None = None, listing=None) -> None:
    ROUTES[f"api:{name}"] = Route(API, path, methods, obj=obj, listing=listing)
    fmt_path = path.rstrip("/") + ".{format}"
    ROUTES[f"api:{name}.<format>"] = Route(API, fmt_path, methods, obj=obj, listing=listing)


_LIST = {"GET": Method(READERS)}
_DETAIL = {"GET": Method(READERS, **READERS_OWN)}
_DRAFT = {
    "GET": Method(each(405)),
    "PATCH": Method(FILLERS, other_distributor=each(403, **NOT_FOR_OTHER_PEOPLE), data=api_draft),
}
_SUBMIT = {
    "GET": Method(each(405)),
    "POST": Method(FILLERS, other_distributor=each(403, **NOT_FOR_OTHER_PEOPLE), data=api_submit),
}
_VERSIONS = {"GET": Method(READERS, **READERS_OWN)}

_api("report-list", "/api/v1/{slug}/reports/", _LIST, listing=report_list_api)
_api("report-detail", "/api/v1/{slug}/reports/{pk}/", _DETAIL, obj="submission_report",
     listing=report_detail_api)  # fmt: skip
_api("report-draft", "/api/v1/{slug}/reports/{pk}/draft/", _DRAFT, obj="submission_report")
_api("report-submit", "/api/v1/{slug}/reports/{pk}/submit/", _SUBMIT, obj="submission_report")
_api("report-versions", "/api/v1/{slug}/reports/{pk}/versions/", _VERSIONS,
     obj="submission_report")  # fmt: skip
