"""Isolation matrix rows for the scorecard dashboards (joined into ROUTES by
tests/test_isolation_matrix.py).

Objects: a monthly scorecard (with a revenue actual) of distributor 1 and 2 of vendor A and of
distributor 1 of vendor B. Vendor staff see every distributor's scorecard, the table, its
export, the portfolio and the needs-attention list; a distributor's people see only their own
distributor's scorecard ("mine"; another distributor's is a 404) and none of the lists (403).
Everything here is read only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from scorecards.models import KpiActual, Scorecard
from scorecards.services.catalogue import kpi_catalogue_seed
from tests.conftest import in_scope
from tests.isolation.core import API, DA, DU, OBJECTS, PORTAL, Ctx, Method, Route, each, pick

APRIL = dt.date(2026, 4, 1)


def _card(tenant, distributor, value: str) -> Scorecard:
    with in_scope(tenant):
        revenue = next(k for k in kpi_catalogue_seed(vendor=tenant.vendor) if k.code == "revenue")
        now = timezone.now()
        card = Scorecard.objects.create(
            vendor=tenant.vendor, distributor=distributor, period_kind="month",
            period_start=APRIL, score=Decimal("50"), rag="amber", computed_at=now,
        )  # fmt: skip
        KpiActual.objects.create(
            vendor=tenant.vendor, distributor=distributor, kpi=revenue, family=revenue.family,
            period_kind="month", period_start=APRIL, value=Decimal(value), base=Decimal("100"),
            stretch=Decimal("200"), exceed=Decimal("300"), currency=distributor.currency,
            computed_at=now,
        )  # fmt: skip
    return card


def scorecard(ctx: Ctx, case: str) -> dict:
    if "scorecards" not in ctx.tokens:
        ctx.tokens["scorecards"] = (
            _card(ctx.a, ctx.a.d1, "111"),
            _card(ctx.a, ctx.a.d2, "222"),
            _card(ctx.b, ctx.b.d1, "333"),
        )
    return {"pk": pick(case, *ctx.tokens["scorecards"]).pk}


OBJECTS["scorecard"] = scorecard


def scorecard_detail_api(ctx: Ctx, response) -> None:
    data = response.json()
    assert data["distributor"] == ctx.a.d1.pk
    assert [a["value"] for a in data["actuals"]] == ["111.0000"]


STAFF_ONLY = each(200, **{DA: 403, DU: 403})
OWN_DISTRIBUTOR_ONLY = {DA: 404, DU: 404}

ROUTES: dict[str, Route] = {
    "scorecard-table": Route(PORTAL, "/{slug}/scorecards/", {"GET": Method(STAFF_ONLY)}),
    "scorecard-export": Route(PORTAL, "/{slug}/scorecards/export/", {"GET": Method(STAFF_ONLY)}),
    "scorecard-portfolio": Route(
        PORTAL, "/{slug}/scorecards/portfolio/", {"GET": Method(STAFF_ONLY)}
    ),
    "scorecard-attention": Route(
        PORTAL, "/{slug}/scorecards/attention/", {"GET": Method(STAFF_ONLY)}
    ),
    "scorecard-mine": Route(
        PORTAL, "/{slug}/scorecards/mine/", {"GET": Method(each(302, **{DA: 200, DU: 200}))}
    ),
    "scorecard-distributor": Route(
        PORTAL,
        "/{slug}/scorecards/distributors/{pk}/",
        {"GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY))},
        obj="distributor",
    ),
    "api:scorecard-list": Route(API, "/api/v1/{slug}/scorecards/", {"GET": Method(each(200))}),
    "api:scorecard-list.<format>": Route(
        API, "/api/v1/{slug}/scorecards.{format}", {"GET": Method(each(200))}
    ),
    "api:scorecard-detail": Route(
        API,
        "/api/v1/{slug}/scorecards/{pk}/",
        {"GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY))},
        obj="scorecard",
        listing=scorecard_detail_api,
    ),
    "api:scorecard-detail.<format>": Route(
        API,
        "/api/v1/{slug}/scorecards/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY))},
        obj="scorecard",
    ),
}
